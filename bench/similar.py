"""How well and how fast `most_similar` finds the idea a draft duplicates.

    .venv/bin/python bench/similar.py [--verbose]

Reads bench/similar_pairs.json (labelled French duplicates, distractors on neighbouring
topics, and drafts that duplicate nothing), offers every existing idea as a candidate with its
`search_field` terms, and prints precision@1 (the labelled duplicate comes first), recall@5
(it is among the five suggestions), how many duplicate-free drafts still get a suggestion,
for the default threshold and a few others; then the time per query, among the real ideas
and among 10,000 synthetic ones made by shuffling and mixing the words of the real ones.
Both ways the service may take are measured: scoring every idea (`scan`), and scoring only
the candidates of services/ideas/similar_index.py (`index`, what the service does).
Pure Python, no stack needed. Times are wall-clock, the best of a few rounds.
"""
import argparse
import json
import random
import time
from pathlib import Path

from services.ideas.search import SIMILAR_THRESHOLD, most_similar, search_field, terms
from services.ideas.similar_index import SimilarIndex

PAIRS_FILE = Path(__file__).with_name("similar_pairs.json")
LIMIT = 5
THRESHOLDS = (0.0, 0.1, SIMILAR_THRESHOLD, 0.2, 0.25, 0.3)
SCALED_SIZES = (10_000, 100_000)
TIMING_ROUNDS = 3


def existing_ideas(data):
    """The ideas already in the hub: every labelled duplicate, then the distractors."""
    ideas = [{"title": pair["duplicate_of"], "body": pair["duplicate_body"]}
             for pair in data["pairs"]]
    return ideas + [{"title": idea["title"], "body": idea["body"]}
                    for idea in data["distractors"]]


class Scan:
    """Every idea is scored."""
    def __init__(self, candidates):
        self.candidates = candidates

    def __call__(self, draft, limit=LIMIT, threshold=SIMILAR_THRESHOLD):
        return most_similar(draft, self.candidates, limit, threshold)


class Indexed:
    """Only the ideas the index offers are scored, as the ideas service does."""
    def __init__(self, candidates):
        self.by_id = {candidate["id"]: candidate for candidate in candidates}
        self.index = SimilarIndex()
        for candidate in candidates:
            self.index.put(candidate["id"], frozenset(candidate["terms"]))

    def __call__(self, draft, limit=LIMIT, threshold=SIMILAR_THRESHOLD):
        offered = [self.by_id[idea_id] for idea_id in self.index.candidates(terms(draft))]
        return most_similar(draft, offered, limit, threshold)


def as_candidate(number, title, body):
    return {"id": f"idea-{number:05d}", "title": title,
            "terms": search_field(title, body, []).split()}


def quality(data, candidates, find, threshold):
    """(found first, found in the top 5, duplicate-free drafts given a suggestion)."""
    id_of = {candidate["title"]: candidate["id"] for candidate in candidates}
    first = in_five = 0
    for pair in data["pairs"]:
        found = [idea_id for idea_id, _, _ in find(pair["draft"], LIMIT, threshold)]
        wanted = id_of[pair["duplicate_of"]]
        first += found[:1] == [wanted]
        in_five += wanted in found
    suggested = sum(bool(find(draft, LIMIT, threshold)) for draft in data["unique_drafts"])
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


def seconds_per_query(drafts, find):
    """Best over a few rounds of the mean time of one query, title profiles cached."""
    rounds = []
    for _ in range(TIMING_ROUNDS):
        start = time.perf_counter()
        for draft in drafts:
            find(draft)
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
    for name, finder in (("scan", Scan), ("index", Indexed)):
        find = finder(candidates)
        print(f"{name}: threshold  precision@1  recall@5  duplicate-free drafts with a "
              "suggestion")
        for threshold in THRESHOLDS:
            first, in_five, suggested = quality(data, candidates, find, threshold)
            mark = "  (default)" if threshold == SIMILAR_THRESHOLD else ""
            print(f"{threshold:15.2f}  {first / pairs:11.3f}  {in_five / pairs:8.3f}"
                  f"  {suggested}/{unique}{mark}")
        print(f"{name}: time per query, {len(candidates)} candidates: "
              f"{seconds_per_query(drafts, find) * 1000:.2f} ms")

    for size in SCALED_SIZES:
        scaled = synthetic_candidates(ideas, size)
        for name, finder in (("scan", Scan), ("index", Indexed)):
            find = finder(scaled)
            start = time.perf_counter()
            find(drafts[0])
            first_query = time.perf_counter() - start
            warm = seconds_per_query(drafts[:20], find)
            print(f"{name}: time per query, {size} candidates: first (titles not yet "
                  f"profiled) {first_query * 1000:.0f} ms, then {warm * 1000:.1f} ms")


if __name__ == "__main__":
    main()
