"""How similar_index.py's weight and threshold were chosen: on the tuning half of the labelled
set only (pairs and duplicate-free drafts of even index), never on the held-out half nor on
similar_pairs_v3.json.

    PYTHONPATH=. .venv/bin/python bench/similar_tune.py

For each weight of the words' meaning (the rest goes to the text's meaning), prints the area
under the tuning half's curve of precision@1 against the share of duplicate-free drafts left
quiet (one point per duplicate-free draft's best score taken as the threshold: a measure of
the ranking and of its calibration together, steadier on 43 pairs than one threshold's
precision@1), and the lowest threshold, on a 0.01 grid, that leaves 80 % of the tuning
half's duplicate-free drafts quiet, with precision@1 there. The weight kept is the best area;
among weights within 0.005 of it, the one nearest the middle (0.5), as the simpler claim.
"""
import json
import math

from bench.similar import PAIRS_FILE, area, half, matchings
from services.ideas import similar_index

WEIGHTS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
QUIET = 0.8


def tune(data, find):
    """(area, threshold, precision@1 there) on the tuning half."""
    pairs, drafts = half(data["pairs"], 0), half(data["unique_drafts"], 0)
    quiet_scores = sorted((find(draft, 0) or [(None, None, 0.0)])[0][2] for draft in drafts)
    # Quiet: the best score under the threshold; the threshold on a 0.01 grid.
    needed = quiet_scores[math.ceil(QUIET * len(quiet_scores)) - 1]
    threshold = math.floor(needed * 100 + 1) / 100
    first = sum((find(pair["draft"], threshold)[:1] or [(None, None)])[0][1]
                == pair["duplicate_of"] for pair in pairs) / len(pairs)
    return area(data, find, 0), threshold, first


def main():
    data = json.loads(PAIRS_FILE.read_text(encoding="utf-8"))
    _, _, _, _, find = matchings(data)
    print("words' weight  area (tuning half)  threshold  precision@1 there")
    for weight in WEIGHTS:
        similar_index.SOFT_WEIGHT = weight
        area, threshold, first = tune(data, find)
        print(f"{weight:13.1f}  {area:18.3f}  {threshold:9.2f}  {first:.3f}")


if __name__ == "__main__":
    main()
