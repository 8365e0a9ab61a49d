"""The moderators' duplicate finder (services/ideas/duplicates.py): which pairs it offers on
the labelled set, and what computing every pair costs at 1,000 and 10,000 ideas.

    .venv/bin/python bench/duplicates.py [--pairs bench/similar_pairs_v2.json]

Quality: the labelled set's drafts and existing ideas all become ideas of the hub; a pair is
right when it is one of the 85 labelled duplicates. Prints how many labelled pairs the finder
offers, how many of its first 85 are labelled ones, and how many other pairs it offers.
Cost: synthetic ideas as bench/similar.py makes them (real vectors with noise, terms mixed
from real ideas): each idea has dozens of near copies, so the finder has many pairs to keep,
a worst case. No stack needed.
Request path: the pairs are computed in the background (services/ideas/latest_pairs.py); the
request's latency, at 10,000 ideas, when there is no result yet (bounded by FIRST_WAIT) and
when the ideas changed since the last result (served at once while a computation runs).
"""
import argparse
import json
import random
import resource
import time
from pathlib import Path

import numpy as np

from services.ideas import meaning, search
from services.ideas.duplicates import OpenIdeas, pair_key, possible_duplicates
from services.ideas.latest_pairs import LatestPairs
from services.ideas.similar_index import SIMILAR_THRESHOLD, SimilarIndex

PAIRS_FILE = Path(__file__).with_name("similar_pairs_v2.json")
SIZES = (1_000, 10_000)
RUNS = 3


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def labelled_ideas(data):
    """(title, body) of every idea, and the labelled pairs as pairs of idea numbers."""
    ideas, pairs = [], set()
    for pair in data["pairs"]:
        ideas += [(pair["duplicate_of"], pair["duplicate_body"]), (pair["draft"], "")]
        pairs.add((len(ideas) - 2, len(ideas) - 1))
    ideas += [(idea["title"], idea["body"]) for idea in data["distractors"]]
    ideas += [(draft, "") for draft in data["unique_drafts"]]
    return ideas, {pair_key(f"idea-{a:04d}", f"idea-{b:04d}") for a, b in pairs}


def quality(data):
    ideas, labelled = labelled_ideas(data)
    vectors = meaning.vectors([f"{title}. {body}" for title, body in ideas])
    index = SimilarIndex()
    for n, (title, body) in enumerate(ideas):
        index.put(f"idea-{n:04d}", title, search.search_field(title, body, []).split(),
                  meaning.unpack(meaning.pack(vectors[n])), meaning.words_of_idea(title, body))
    found = [pair_key(a, b) for _, a, b in possible_duplicates(OpenIdeas(index, index.ids))]
    right = sum(pair in labelled for pair in found)
    top = sum(pair in labelled for pair in found[:len(labelled)])
    print(f"labelled set: {len(ideas)} ideas, {len(labelled)} labelled pairs; threshold "
          f"{SIMILAR_THRESHOLD}")
    print(f"  offered {len(found)} pairs: {right} labelled ({right / len(labelled):.0%} of "
          f"them), {len(found) - right} others; among the first {len(labelled)}, {top} labelled")
    return ideas, vectors


def cost(ideas, vectors):
    rng = random.Random(7)
    terms = [search.search_field(title, body, []).split() for title, body in ideas]
    words = [meaning.words_of_idea(title, body) for title, body in ideas]
    print("ideas   pairs offered  compute ms (min of 3)  peak resident")
    for size in SIZES:
        index = SimilarIndex()
        noise = np.random.default_rng(7).normal(0, 0.04, (size, meaning.DIMENSIONS))
        for n in range(size):
            base, other = rng.randrange(len(ideas)), rng.randrange(len(ideas))
            vector = vectors[base] + noise[n]
            mixed = terms[base][:6] + rng.sample(terms[other], 1)
            # As bench/similar.py: a vocabulary that grows, one new word in three ideas.
            own = words[base][:8] + rng.sample(words[other], 2) + [f"mot{n // 3}"]
            index.put(f"s-{n:06d}", f"{ideas[base][0]} {n}", mixed,
                      (vector / np.linalg.norm(vector)).astype(np.float32), own)
        before, times = rss_mb(), []
        for _ in range(RUNS):
            start = time.perf_counter()
            pairs = possible_duplicates(OpenIdeas(index, index.ids))
            times.append(time.perf_counter() - start)
        print(f"{size:6d}  {len(pairs):13d}  {min(times) * 1000:21.0f}  "
              f"{rss_mb():.0f} MB (+{rss_mb() - before:.0f})")
    request_path(index)


class _Ideas:
    """What LatestPairs reads of a catalogue, over a SimilarIndex."""

    def __init__(self, index):
        self.index, self.texts_version = index, 1

    def sync(self):
        pass

    def open_ideas(self):
        return self.texts_version, OpenIdeas(self.index, self.index.ids)


def request_path(index):
    ideas = _Ideas(index)
    latest = LatestPairs(ideas, every=0)
    start = time.perf_counter()
    pairs, _, first_pending = latest.latest()
    first = time.perf_counter() - start
    latest._thread and latest._thread.join()
    ideas.texts_version += 1
    waits = []
    for _ in range(20):
        start = time.perf_counter()
        pairs, _, pending = latest.latest()
        waits.append(time.perf_counter() - start)
        assert pending
    print(f"request at {len(index.ids)} ideas: the first {first * 1000:.0f} ms ("
          + ("no pairs yet, pending" if first_pending else "waited for the first result")
          + f"); then {max(waits) * 1000:.2f} ms at most (20 requests) with the last "
          f"{len(pairs)} pairs while a computation runs")
    latest._thread and latest._thread.join()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS_FILE)
    args = parser.parse_args()
    data = json.loads(args.pairs.read_text(encoding="utf-8"))
    cost(*quality(data))


if __name__ == "__main__":
    main()
