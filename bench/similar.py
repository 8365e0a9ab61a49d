"""How well and how fast similar ideas find the idea a draft duplicates: today's word
matching (`search.most_similar`, every idea scored) and the new index (similar_index.py:
meaning and rare words), side by side on one labelled set.

    .venv/bin/python bench/similar.py [--pairs bench/similar_pairs_v2.json] [--verbose]

Prints precision@1 (the labelled duplicate comes first and is shown), recall@5 (it is among
the five shown), and the share of duplicate-free drafts left without suggestion, for each
matching at its threshold, then a sweep of the new threshold; then the start-up cost of the
encoder and the latency of a query among 10,000 and 100,000 ideas (synthetic: real vectors
with noise, terms mixed from real ideas). No stack needed.
"""
import argparse
import json
import random
import resource
import time
from pathlib import Path

import numpy as np

from services.ideas import meaning, search
from services.ideas.similar_index import SIMILAR_THRESHOLD, SimilarIndex

PAIRS_FILE = Path(__file__).with_name("similar_pairs_v2.json")
LIMIT = 5
SWEEP = (0.20, 0.22, 0.24, SIMILAR_THRESHOLD, 0.26, 0.28, 0.30)
SCALED_SIZES = (10_000, 100_000)
QUERIES = 200


def existing_ideas(data):
    """The ideas already in the hub: every labelled duplicate, then the distractors."""
    return ([(pair["duplicate_of"], pair["duplicate_body"]) for pair in data["pairs"]]
            + [(idea["title"], idea["body"]) for idea in data["distractors"]])


def quality(data, find, threshold):
    """(precision@1, recall@5, share of duplicate-free drafts with no suggestion)."""
    first = in_five = 0
    for pair in data["pairs"]:
        found = [title for _, title, _ in find(pair["draft"], threshold)]
        first += found[:1] == [pair["duplicate_of"]]
        in_five += pair["duplicate_of"] in found
    quiet = sum(not find(draft, threshold) for draft in data["unique_drafts"])
    pairs = len(data["pairs"])
    return first / pairs, in_five / pairs, quiet / len(data["unique_drafts"])


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS_FILE)
    parser.add_argument("--verbose", action="store_true", help="show the new index's misses")
    args = parser.parse_args()
    data = json.loads(args.pairs.read_text(encoding="utf-8"))
    ideas = existing_ideas(data)

    before = rss_mb()
    start = time.perf_counter()
    meaning.encoder()
    print(f"encoder: loaded in {time.perf_counter() - start:.1f} s, "
          f"+{rss_mb() - before:.0f} MB peak resident")

    old = [{"id": f"idea-{n}", "title": title, "terms": search.search_field(title, body, [])
            .split()} for n, (title, body) in enumerate(ideas)]
    start = time.perf_counter()
    vectors = meaning.vectors([f"{title}. {body}" for title, body in ideas])
    print(f"encoding {len(ideas)} ideas: {(time.perf_counter() - start) / len(ideas) * 1000:.1f}"
          " ms each")
    index = SimilarIndex()
    for n, (title, body) in enumerate(ideas):
        index.put(f"idea-{n}", title, old[n]["terms"], meaning.unpack(meaning.pack(vectors[n])))

    def find_old(draft, threshold):
        return search.most_similar(draft, old, LIMIT, threshold)

    def find_new(draft, threshold):
        return index.most_similar(draft, LIMIT, threshold)

    print(f"pairs {len(data['pairs'])}, ideas {len(ideas)}, duplicate-free drafts "
          f"{len(data['unique_drafts'])}")
    print("matching        threshold  precision@1  recall@5  duplicate-free drafts quiet")
    for name, find, threshold in (("today (words)", find_old, search.SIMILAR_THRESHOLD),
                                  ("new (meaning)", find_new, SIMILAR_THRESHOLD)):
        first, in_five, quiet = quality(data, find, threshold)
        print(f"{name:15s} {threshold:9.2f}  {first:11.3f}  {in_five:8.3f}  {quiet:.3f}")
    print("new, threshold sweep:")
    for threshold in SWEEP:
        first, in_five, quiet = quality(data, find_new, threshold)
        mark = "  (default)" if threshold == SIMILAR_THRESHOLD else ""
        print(f"{'':15s} {threshold:9.2f}  {first:11.3f}  {in_five:8.3f}  {quiet:.3f}{mark}")
    if args.verbose:
        for pair in data["pairs"]:
            found = find_new(pair["draft"], 0)
            if found[0][1] != pair["duplicate_of"]:
                print(f"  miss ({pair['kind']}): {pair['draft']!r}\n    wanted "
                      f"{pair['duplicate_of']!r}\n    got {found[0][1]!r} {found[0][2]}")

    drafts = [pair["draft"] for pair in data["pairs"]] + data["unique_drafts"]
    rng = random.Random(7)
    for size in SCALED_SIZES:
        scaled = SimilarIndex()
        noise = np.random.default_rng(7).normal(0, 0.04, (size, meaning.DIMENSIONS))
        before, start = rss_mb(), time.perf_counter()
        for n in range(size):
            base = rng.randrange(len(ideas))
            vector = vectors[base] + noise[n]
            terms = old[base]["terms"][:6] + rng.sample(old[rng.randrange(len(ideas))]["terms"], 2)
            scaled.put(f"s-{n}", f"{ideas[base][0]} {n}", terms,
                       (vector / np.linalg.norm(vector)).astype(np.float32))
        built = time.perf_counter() - start
        times = []
        for n in range(QUERIES):
            start = time.perf_counter()
            scaled.most_similar(drafts[n % len(drafts)])
            times.append(time.perf_counter() - start)
        p50, p99 = np.percentile(times, [50, 99]) * 1000
        print(f"{size} ideas: index built in {built:.1f} s (+{rss_mb() - before:.0f} MB peak), "
              f"query p50 {p50:.1f} ms, p99 {p99:.1f} ms")


if __name__ == "__main__":
    main()
