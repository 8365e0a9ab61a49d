"""How close two texts' words are in meaning, word by word: "médiathèque" and "bibliothèque",
"courriel" and "mail", "covoiturage" and "trajets" are different terms, so shared terms see
nothing in common, but the encoder puts them near each other.

Each word (meaning.words: lower case, as written, stop words out) is encoded alone by the
sentence encoder, once per process (`Lexicon`). A draft and an idea are then compared as a
"soft cosine": every draft word is matched with the idea's word closest to it in meaning,
every idea word with the draft's, each weighted by its rarity among the ideas (IDF), and the
two directions averaged (`soft_cosines`). On the labelled sets this is the strongest signal
tried, ahead of the whole text's vector and of shared terms (bench/README.md).

Cost: about 0.4 ms of encoding per new word, in batches, and 2 KB of float32 per word: the
first query after an index is built learns its whole vocabulary (34,000 words for 100,000
synthetic ideas: ~30 s of CPU on a busy machine, ~70 MB), then each new idea brings a few.
Pure but for the encoder: no I/O.
"""
import threading

import numpy as np

from services.ideas import meaning

# Words encoded per call, and per hold of the lexicon's lock: a query waits at most one
# batch (~0.2 s) behind the duplicate finder learning its ideas' words in the background.
BATCH = 512


class Lexicon:
    """Words' vectors, one row each, learnt when first needed (`learn`). Thread-safe: a row
    once written is never written again, and growing makes a new matrix, so a `snapshot`
    can be read without the lock."""

    def __init__(self):
        self.row_of = {}
        self.vectors = np.zeros((0, meaning.DIMENSIONS), dtype=np.float32)
        self.lock = threading.Lock()

    def unknown(self, words):
        return [word for word in words if word not in self.row_of]

    def learn(self, words):
        """Encode those of `words` not known yet."""
        new = sorted(set(self.unknown(words)))
        for at in range(0, len(new), BATCH):
            chunk = new[at:at + BATCH]
            encoded = meaning.encoder().encode(chunk)
            with self.lock:
                self._add(chunk, encoded)

    def _add(self, words, vectors):
        fresh = [k for k, word in enumerate(words) if word not in self.row_of]
        start = len(self.row_of)
        if start + len(fresh) > len(self.vectors):  # grow by doubling: appends stay cheap
            grown = np.zeros((max(1024, 2 * (start + len(fresh))), meaning.DIMENSIONS),
                             dtype=np.float32)
            grown[:start] = self.vectors[:start]
            self.vectors = grown
        self.vectors[start:start + len(fresh)] = vectors[fresh]
        self.row_of.update((words[k], start + n) for n, k in enumerate(fresh))

    def vectors_of(self, words, encoded):
        """The vectors of `words` (a list, not empty): from `encoded` (word -> vector) for
        those the lexicon lacks, from the lexicon for the others."""
        with self.lock:
            return np.stack([encoded[word] if word in encoded else self.vectors[self.row_of[word]]
                             for word in words])

    def snapshot(self, words):
        """(rows of `words`, the matrix they are rows of), all of them learnt."""
        with self.lock:
            return (np.fromiter((self.row_of[word] for word in words), dtype=np.int64,
                                count=len(words)), self.vectors)


def soft_cosines(draft, draft_weights, ideas, idea_weights, starts):
    """The soft cosine of one draft with each of several ideas, in [0, 1].

    `draft`: its words' vectors (k × d) and weights (k); `ideas`: every idea's words' vectors
    one after the other (m × d), weights (m), and where each idea's words start (n, the first
    0, each idea holding at least one word). One matrix product, then per-idea maxima by
    `reduceat`: no Python loop over the ideas."""
    if not len(draft) or not len(starts):
        return np.zeros(len(starts))
    closeness = np.clip(draft @ ideas.T, 0.0, 1.0)  # k × m
    # Each draft word: its closest word in each idea; weighted mean over the draft's words.
    best_in_idea = np.maximum.reduceat(closeness, starts, axis=1)  # k × n
    draft_side = draft_weights @ best_in_idea / draft_weights.sum()
    # Each idea word: its closest draft word; weighted mean over the idea's words.
    weighted = idea_weights * closeness.max(axis=0)
    idea_side = (np.add.reduceat(weighted, starts)
                 / np.maximum(np.add.reduceat(idea_weights, starts), 1e-12))
    return (draft_side + idea_side) / 2
