"""Possible duplicates among the open ideas, for moderators: the pairs whose similarity (the
one `similar` uses: the meaning of the words and of the text, similar_index.combined)
reaches the threshold, best first. Pure: numpy, no I/O.

Scoring every pair of n ideas is out of reach (at 10,000 ideas the n × n product of their
vectors alone is 400 MB of float32), and most pairs have nothing in common. Candidates come
from the two signals, then are scored together with array operations, never a loop per pair:
- meaning: the vectors' product in blocks of BLOCK ideas, each idea keeping only the
  NEIGHBOURS closest among the ideas after it;
- words: the ideas sharing a term that at most RARE open ideas hold (a rare shared term is
  what gives a pair a high word score; duplicates worded differently are often not close in
  meaning: half of the labelled ones have a cosine under 0.31, bench/duplicates.py).
The words' meaning (word_meaning.soft_cosines) is then computed per idea against all its
candidates at once: one small matrix product per idea, a Python loop over the ideas only.
A pair that neither signal puts forward is missed even if its score would reach the
threshold: one close in meaning to many ideas and sharing only common words.
"""
import numpy as np

from services.ideas import word_meaning
from services.ideas.similar_index import SIMILAR_THRESHOLD, combined

BLOCK = 1024
NEIGHBOURS = 10
RARE = 8


def pair_key(a, b):
    """A pair's identity, whichever idea is named first: its ids, sorted."""
    return tuple(sorted((a, b)))


class OpenIdeas:
    """What the pairs are computed from, copied out of a SimilarIndex (under the catalogue's
    lock, fast) so that the computation itself (slower) runs without it: the ideas' ids in
    order, their vectors, their terms, their words' vectors and weights."""

    def __init__(self, index, ids):
        self.ids = sorted(set(ids) & index.row_of.keys())
        self.vectors = index.vectors[[index.row_of[idea_id] for idea_id in self.ids]]
        self.terms = _Terms(index, self.ids)
        self.words = _Words(index, self.ids)


def possible_duplicates(ideas, threshold=SIMILAR_THRESHOLD, neighbours=NEIGHBOURS, rare=RARE,
                        block=BLOCK):
    """The pairs of `ideas` (OpenIdeas) alike enough to be duplicates, as (score, a, b) with
    a < b, best first, ties by ids; scores rounded to 3 decimals."""
    ids, vectors, n = ideas.ids, ideas.vectors, len(ideas.ids)
    if n < 2:
        return []
    found = np.concatenate([_closest_in_meaning(vectors, min(neighbours, n - 1), block),
                            ideas.terms.sharing_rare(rare)], axis=1)
    first, second = np.divmod(np.unique(found[0] * n + found[1]), n)
    closeness = np.concatenate([np.einsum("ij,ij->i", vectors[first[k:k + block]],
                                          vectors[second[k:k + block]])
                                for k in range(0, len(first), block)] or [np.zeros(0)])
    scores = np.round(combined(ideas.words.soft_cosines(first, second), closeness), 3)
    kept = scores >= threshold
    first, second, scores = first[kept], second[kept], scores[kept]
    # Best first; ids sorted, so the row numbers order ties as the ids do.
    order = np.lexsort((second, first, -scores))
    return [(float(scores[k]), ids[first[k]], ids[second[k]]) for k in order]


def _closest_in_meaning(vectors, count, block):
    """Pairs (i, j), i < j, as a 2 × m array, where j is among the `count` ideas after i
    closest to it in meaning (only the upper triangle of the product is computed)."""
    n, found = len(vectors), []
    for start in range(0, n - 1, block):
        stop = min(start + block, n - 1)
        similarity = vectors[start:stop] @ vectors[start + 1:].T  # column c: idea start+1+c
        # Ideas before or equal to the row's own are out: each pair is seen once, from i.
        rows = np.arange(stop - start)[:, None]
        similarity[np.arange(similarity.shape[1])[None, :] < rows] = -np.inf
        wanted = min(count, similarity.shape[1])
        nearest = np.argpartition(similarity, -wanted, axis=1)[:, -wanted:]
        mine = np.repeat(np.arange(start, stop), wanted)
        later = nearest.ravel() + start + 1
        useful = later > mine  # the last rows have fewer ideas after them than `wanted`
        found.append(np.stack([mine[useful], later[useful]]))
    return np.concatenate(found, axis=1)


class _Terms:
    """The open ideas' terms as flat arrays: the terms of idea k at positions
    starts[k]:starts[k+1]."""

    def __init__(self, index, ids):
        vocabulary, term_ids, starts = {}, [], [0]
        for idea_id in ids:
            term_ids.extend(vocabulary.setdefault(term, len(vocabulary))
                            for term in index.terms_of.get(idea_id, ()))
            starts.append(len(term_ids))
        self.size = max(len(vocabulary), 1)
        self.ids = np.array(term_ids, dtype=np.int64)
        self.starts = np.array(starts, dtype=np.int64)

    def sharing_rare(self, rare):
        """Pairs (i, j), i < j, as a 2 × m array, of ideas sharing a term that 2 to `rare`
        ideas hold: per size of holders' group, the group's pairs by one array operation."""
        holder = np.repeat(np.arange(len(self.starts) - 1), np.diff(self.starts))
        held_by = np.bincount(self.ids, minlength=self.size)[self.ids]
        kept = (held_by >= 2) & (held_by <= rare)
        term, holder = self.ids[kept], holder[kept]
        order = np.lexsort((holder, term))
        term, holder = term[order], holder[order]
        _, first, sizes = np.unique(term, return_index=True, return_counts=True)
        found = [np.zeros((2, 0), dtype=np.int64)]
        for size in np.unique(sizes):
            members = holder[first[sizes == size][:, None] + np.arange(size)]
            left, right = np.triu_indices(size, 1)
            found.append(np.stack([members[:, left].ravel(), members[:, right].ravel()]))
        return np.concatenate(found, axis=1)


class _Words:
    """The open ideas' words as the index weighs them: idea k's words and their weights at
    positions starts[k]:starts[k+1]. Their vectors come from the index's lexicon, which
    learns those it lacks when the pairs are computed (in the background, not under the
    catalogue's lock: ~0.4 ms a new word)."""

    def __init__(self, index, ids):
        held = [index.words_of.get(idea_id, ()) for idea_id in ids]
        self.words = [word for words in held for word in words]
        self.weights = index.idf(self.words)
        self.starts = np.cumsum([0] + [len(words) for words in held])
        self.lexicon = index.lexicon

    def soft_cosines(self, first, second):
        """For each pair (first[k], second[k]), its ideas' words' meaning: per idea of
        `first`, against all its partners at once."""
        scores = np.zeros(len(first))
        self.lexicon.learn(self.words)
        rows, vectors = self.lexicon.snapshot(self.words)
        order = np.argsort(first, kind="stable")
        ideas, at = np.unique(first[order], return_index=True)
        for idea, begin, end in zip(ideas, at, [*at[1:], len(order)]):
            partners = [k for k in order[begin:end] if self._size(second[k])]
            if not self._size(idea) or not partners:
                continue  # an idea without words shares nothing
            own = slice(self.starts[idea], self.starts[idea + 1])
            spans = [slice(self.starts[second[k]], self.starts[second[k] + 1])
                     for k in partners]
            scores[partners] = word_meaning.soft_cosines(
                vectors[rows[own]], self.weights[own],
                vectors[np.concatenate([rows[span] for span in spans])],
                np.concatenate([self.weights[span] for span in spans]),
                np.cumsum([0] + [span.stop - span.start for span in spans[:-1]]))
        return scores

    def _size(self, idea):
        return self.starts[idea + 1] - self.starts[idea]
