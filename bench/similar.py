"""How well and how fast similar ideas find the idea a draft duplicates: today's word
matching (`search.most_similar`, every idea scored) and the new index (similar_index.py:
the meaning of the words and of the text), side by side on labelled sets.

    .venv/bin/python bench/similar.py [--pairs bench/similar_pairs_v2.json] [--verbose]

Prints precision@1 (the labelled duplicate comes first and is shown), recall@5 (it is among
the five shown), and the share of duplicate-free drafts left without suggestion, for each
matching at its threshold: on the tuning half of the set (pairs and duplicate-free drafts of
even index: the weights and the threshold were chosen there), the held-out half (odd) and
the whole, and the area under precision@1 against quiet drafts (`area`, no threshold); then
on the held-out set similar_pairs_v3.json (written before any tuning, never
tuned on); then a sweep of the new threshold on the tuning half; then the start-up cost of
the encoder and the latency of a query among 10,000 and 100,000 ideas (synthetic: real
vectors with noise, terms mixed from real ideas). No stack needed.
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
HELD_OUT_FILE = Path(__file__).with_name("similar_pairs_v3.json")
LIMIT = 5
SWEEP = (0.45, 0.47, 0.49, SIMILAR_THRESHOLD, 0.53, 0.55, 0.57)
HALVES = (("tuning (even)", 0), ("held out (odd)", 1), ("whole", None))
SCALED_SIZES = (10_000, 100_000)
QUERIES = 200


def existing_ideas(data):
    """The ideas already in the hub: every labelled duplicate, then the distractors."""
    return ([(pair["duplicate_of"], pair["duplicate_body"]) for pair in data["pairs"]]
            + [(idea["title"], idea["body"]) for idea in data["distractors"]])


def half(items, parity):
    """The items of even (0) or odd (1) index, or all of them (None)."""
    return items if parity is None else items[parity::2]


def quality(data, find, threshold, parity=None):
    """(precision@1, recall@5, share of duplicate-free drafts with no suggestion), on the
    pairs and duplicate-free drafts of one half (`half`); the hub holds every idea."""
    first = in_five = 0
    pairs, drafts = half(data["pairs"], parity), half(data["unique_drafts"], parity)
    for pair in pairs:
        found = [title for _, title, _ in find(pair["draft"], threshold)]
        first += found[:1] == [pair["duplicate_of"]]
        in_five += pair["duplicate_of"] in found
    quiet = sum(not find(draft, threshold) for draft in drafts)
    return first / len(pairs), in_five / len(pairs), quiet / len(drafts)


def area(data, find, parity=None):
    """The area under the curve of precision@1 against the share of duplicate-free drafts
    left quiet, one point per duplicate-free draft's best score taken as the threshold: the
    ranking and its calibration together, without choosing a threshold (1: every duplicate
    first and above every duplicate-free draft's best score)."""
    pairs, drafts = half(data["pairs"], parity), half(data["unique_drafts"], parity)
    tops = [(find(pair["draft"], 0) or [(None, None, 0.0)])[0] for pair in pairs]
    right = np.array([title == pair["duplicate_of"] for (_, title, _), pair in zip(tops, pairs)])
    scores = np.array([score for _, _, score in tops])
    limits = [(find(draft, 0) or [(None, None, 0.0)])[0][2] for draft in drafts]
    return float(np.mean([(right & (scores > limit)).mean() for limit in limits]))


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def matchings(data):
    """(ideas, their old rows, their vectors, today's find, the new find) for a labelled set."""
    ideas = existing_ideas(data)
    old = [{"id": f"idea-{n}", "title": title, "terms": search.search_field(title, body, [])
            .split()} for n, (title, body) in enumerate(ideas)]
    start = time.perf_counter()
    vectors = meaning.vectors([f"{title}. {body}" for title, body in ideas])
    print(f"encoding {len(ideas)} ideas: {(time.perf_counter() - start) / len(ideas) * 1000:.1f}"
          " ms each")
    index = SimilarIndex()
    for n, (title, body) in enumerate(ideas):
        index.put(f"idea-{n}", title, old[n]["terms"], meaning.unpack(meaning.pack(vectors[n])),
                  meaning.words_of_idea(title, body))
    words = {word for held in index.words_of.values() for word in held}
    start = time.perf_counter()
    index.lexicon.learn(words)
    print(f"lexicon: {len(words)} words encoded in {time.perf_counter() - start:.2f} s")

    def find_old(draft, threshold):
        return search.most_similar(draft, old, LIMIT, threshold)

    def find_new(draft, threshold):
        return index.most_similar(draft, LIMIT, threshold)

    return ideas, old, vectors, find_old, find_new


def print_quality(data, finds, halves):
    print(f"pairs {len(data['pairs'])}, ideas {len(existing_ideas(data))}, duplicate-free "
          f"drafts {len(data['unique_drafts'])}")
    print("matching        pairs           threshold  precision@1  recall@5  "
          "duplicate-free drafts quiet  area")
    for name, find, threshold in finds:
        for part, parity in halves:
            first, in_five, quiet = quality(data, find, threshold, parity)
            print(f"{name:15s} {part:15s} {threshold:9.2f}  {first:11.3f}  {in_five:8.3f}  "
                  f"{quiet:27.3f}  {area(data, find, parity):.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS_FILE)
    parser.add_argument("--held-out", type=Path, default=HELD_OUT_FILE)
    parser.add_argument("--verbose", action="store_true", help="show the new index's misses")
    args = parser.parse_args()
    data = json.loads(args.pairs.read_text(encoding="utf-8"))

    before = rss_mb()
    start = time.perf_counter()
    meaning.encoder()
    print(f"encoder: loaded in {time.perf_counter() - start:.1f} s, "
          f"+{rss_mb() - before:.0f} MB peak resident")

    ideas, old, vectors, find_old, find_new = matchings(data)
    finds = (("today (words)", find_old, search.SIMILAR_THRESHOLD),
             ("new (meaning)", find_new, SIMILAR_THRESHOLD))
    print_quality(data, finds, HALVES)
    print("new, threshold sweep on the tuning half:")
    for threshold in SWEEP:
        first, in_five, quiet = quality(data, find_new, threshold, 0)
        mark = "  (default)" if threshold == SIMILAR_THRESHOLD else ""
        print(f"{'':31s} {threshold:9.2f}  {first:11.3f}  {in_five:8.3f}  {quiet:.3f}{mark}")
    if args.verbose:
        for pair in data["pairs"]:
            found = find_new(pair["draft"], 0)
            if found[0][1] != pair["duplicate_of"]:
                print(f"  miss ({pair['kind']}): {pair['draft']!r}\n    wanted "
                      f"{pair['duplicate_of']!r}\n    got {found[0][1]!r} {found[0][2]}")
    if args.held_out.exists():
        print(f"held-out set {args.held_out.name}, never tuned on:")
        held_out = json.loads(args.held_out.read_text(encoding="utf-8"))
        _, _, _, held_old, held_new = matchings(held_out)
        print_quality(held_out, (("today (words)", held_old, search.SIMILAR_THRESHOLD),
                                 ("new (meaning)", held_new, SIMILAR_THRESHOLD)),
                      (("held out", None),))

    drafts = [pair["draft"] for pair in data["pairs"]] + data["unique_drafts"]
    words = [meaning.words_of_idea(title, body) for title, body in ideas]
    rng = random.Random(7)
    for size in SCALED_SIZES:
        scaled = SimilarIndex()
        noise = np.random.default_rng(7).normal(0, 0.04, (size, meaning.DIMENSIONS))
        before, start = rss_mb(), time.perf_counter()
        for n in range(size):
            base, other = rng.randrange(len(ideas)), rng.randrange(len(ideas))
            vector = vectors[base] + noise[n]
            terms = old[base]["terms"][:6] + rng.sample(old[other]["terms"], 2)
            # A vocabulary that grows with the ideas: one word in three ideas is new.
            own = words[base][:8] + rng.sample(words[other], 2) + [f"mot{n // 3}"]
            scaled.put(f"s-{n}", f"{ideas[base][0]} {n}", terms,
                       (vector / np.linalg.norm(vector)).astype(np.float32), own)
        built = time.perf_counter() - start
        start = time.perf_counter()
        scaled.most_similar(drafts[0])
        first = time.perf_counter() - start
        figures = []
        for _ in ("cold", "warm"):  # the lexicon learns the words of the ideas it scores
            times = []
            for n in range(QUERIES):
                start = time.perf_counter()
                scaled.most_similar(drafts[n % len(drafts)])
                times.append(time.perf_counter() - start)
            figures.append(np.percentile(times, [50, 99]) * 1000)
        (cold50, cold99), (warm50, warm99) = figures
        print(f"{size} ideas: index built in {built:.1f} s, first query {first:.2f} s, "
              f"+{rss_mb() - before:.0f} MB peak ({len(scaled.lexicon.row_of)} words learnt); "
              f"query p50 / p99 {cold50:.1f} / {cold99:.1f} ms while learning, "
              f"{warm50:.1f} / {warm99:.1f} ms after")


if __name__ == "__main__":
    main()
