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
import numpy as np

from services.ideas import meaning

# Words encoded per call: the encoder pads a batch to its longest text, and words are short.
BATCH = 512


class Lexicon:
    """Words' vectors, one row each, added in batches (`learn`)."""

    def __init__(self):
        self.row_of = {}
        self.vectors = np.zeros((0, meaning.DIMENSIONS), dtype=np.float32)
        self.pending = set()

    def note(self, words):
        """Words to encode at the next `learn` (cheap: an index is built without encoding)."""
        self.pending.update(word for word in words if word not in self.row_of)

    def learn(self, words=()):
        """Encode the noted words and `words`, those not known yet."""
        self.note(words)
        new = sorted(self.pending)
        self.pending = set()
        if not new:
            return
        start = len(self.row_of)
        if start + len(new) > len(self.vectors):  # grow by doubling: appends stay cheap
            grown = max(1024, 2 * (start + len(new)))
            self.vectors = np.resize(self.vectors, (grown, meaning.DIMENSIONS))
        for at in range(0, len(new), BATCH):
            chunk = new[at:at + BATCH]
            self.vectors[start + at:start + at + len(chunk)] = meaning.encoder().encode(chunk)
        self.row_of.update((word, start + k) for k, word in enumerate(new))

    def rows(self, words):
        return np.fromiter((self.row_of[word] for word in words), dtype=np.int64,
                           count=len(words))

    def unknown(self, words):
        return [word for word in words if word not in self.row_of]

    def vectors_of(self, words, encoded):
        """The vectors of `words` (a list): known ones from the lexicon, the others from
        `encoded` (word -> vector, encoded by the caller for this call only: a draft's typos
        are not kept, so drafts cannot grow the lexicon)."""
        if not words:
            return np.zeros((0, meaning.DIMENSIONS), dtype=np.float32)
        return np.stack([encoded[word] if word in encoded else self.vectors[self.row_of[word]]
                         for word in words])


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
