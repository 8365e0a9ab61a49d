"""How well and how fast `most_similar` finds the idea a draft duplicates.

    .venv/bin/python bench/similar.py [--verbose]

Reads bench/similar_pairs.json (labelled French duplicates, distractors on neighbouring
topics, and drafts that duplicate nothing), offers every existing idea as a candidate with its
`search_field` terms, and prints precision@1 (the labelled duplicate comes first), recall@5
(it is among the five suggestions), how many duplicate-free drafts still get a suggestion,
for the default threshold and a few others; then the time per query, among the real ideas
and among 10,000 synthetic ones made by shuffling and mixing the words of the real ones.
Pure Python, no stack needed. Times are wall-clock, the best of a few rounds.
"""
import argparse
import json
import random
import time
from pathlib import Path

from services.ideas.search import SIMILAR_THRESHOLD, most_similar, search_field

PAIRS_FILE = Path(__file__).with_name("similar_pairs.json")
LIMIT = 5
THRESHOLDS = (0.0, 0.1, SIMILAR_THRESHOLD, 0.2, 0.25, 0.3)
SCALED_SIZE = 10_000
TIMING_ROUNDS = 3


def existing_ideas(data):
    """The ideas already in the hub: every labelled duplicate, then the distractors."""
    ideas = [{"title": pair["duplicate_of"], "body": pair["duplicate_body"]}
             for pair in data["pairs"]]
    return ideas + [{"title": idea["title"], "body": idea["body"]}
                    for idea in data["distractors"]]


def as_candidate(number, title, body):
    return {"id": f"idea-{number:05d}", "title": title,
            "terms": search_field(title, body, []).split()}


def quality(data, candidates, threshold):
    """(found first, found in the top 5, duplicate-free drafts given a suggestion)."""
    id_of = {candidate["title"]: candidate["id"] for candidate in candidates}
    first = in_five = 0
    for pair in data["pairs"]:
        found = [idea_id for idea_id, _, _ in
                 most_similar(pair["draft"], candidates, LIMIT, threshold)]
        wanted = id_of[pair["duplicate_of"]]
        first += found[:1] == [wanted]
        in_five += wanted in found
    suggested = sum(bool(most_similar(draft, candidates, LIMIT, threshold))
                    for draft in data["unique_drafts"])
    return first, in_five, suggested


def print_misses(data, candidates):
    for pair in data["pairs"]:
        found = most_similar(pair["draft"], candidates, LIMIT, threshold=0)
        if found[0][1] != pair["duplicate_of"]:
            print(f"  miss: {pair['draft']!r}\n        wanted {pair['duplicate_of']!r}")
            for _, title, score in found:
                print(f"        {score:.3f} {title}")
    for draft in data["unique_drafts"]:
        found = most_similar(draft, candidates, 1, threshold=0)
        print(f"  no duplicate: {draft!r}\n        closest {found[0][2]:.3f} {found[0][1]}")


def seconds_per_query(drafts, candidates):
    """Best over a few rounds of the mean time of one query, title profiles cached."""
    rounds = []
    for _ in range(TIMING_ROUNDS):
        start = time.perf_counter()
        for draft in drafts:
            most_similar(draft, candidates, LIMIT)
        rounds.append((time.perf_counter() - start) / len(drafts))
    return min(rounds)


def synthetic_candidates(ideas, size, seed=7):
    """`size` ideas made of the words of the real ones, shuffled and mixed between ideas,
    so that their titles are new (not yet profiled) and share vocabulary with the drafts."""
    rng = random.Random(seed)
    made = []
    for number in range(size):
        idea, other = rng.choice(ideas), rng.choice(ideas)
        words = idea["title"].split() + rng.sample(other["title"].split(), 2)
        rng.shuffle(words)
        body = idea["body"].split()
        made.append(as_candidate(number, " ".join(words)[:140],
                                 " ".join(rng.sample(body, min(12, len(body))))))
    return made


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true",
                        help="show the misses and the closest idea of duplicate-free drafts")
    args = parser.parse_args()
    data = json.loads(PAIRS_FILE.read_text(encoding="utf-8"))
    ideas = existing_ideas(data)
    candidates = [as_candidate(n, idea["title"], idea["body"]) for n, idea in enumerate(ideas)]
    drafts = [pair["draft"] for pair in data["pairs"]]
    pairs, unique = len(data["pairs"]), len(data["unique_drafts"])
    if args.verbose:
        print_misses(data, candidates)

    print(f"pairs {pairs}, candidates {len(candidates)}, duplicate-free drafts {unique}")
    print("threshold  precision@1  recall@5  duplicate-free drafts with a suggestion")
    for threshold in THRESHOLDS:
        first, in_five, suggested = quality(data, candidates, threshold)
        mark = "  (default)" if threshold == SIMILAR_THRESHOLD else ""
        print(f"{threshold:9.2f}  {first / pairs:11.3f}  {in_five / pairs:8.3f}"
              f"  {suggested}/{unique}{mark}")
    print(f"time per query, {len(candidates)} candidates: "
          f"{seconds_per_query(drafts, candidates) * 1000:.2f} ms")

    scaled = synthetic_candidates(ideas, SCALED_SIZE)
    start = time.perf_counter()
    most_similar(drafts[0], scaled, LIMIT)
    first_query = time.perf_counter() - start
    warm = seconds_per_query(drafts[:20], scaled)
    print(f"time per query, {len(scaled)} candidates: first (titles not yet profiled) "
          f"{first_query * 1000:.0f} ms, then {warm * 1000:.0f} ms")


if __name__ == "__main__":
    main()
