"""Possible duplicates among the open ideas, for moderators: the pairs whose similarity (the
one `similar` uses: meaning and rare shared words, similar_index.py) reaches the threshold,
best first. Pure: numpy, no I/O.

Scoring every pair of n ideas is out of reach (at 10,000 ideas the n × n product of their
vectors alone is 400 MB of float32), and most pairs have nothing in common. Candidates come
from the two signals, then are scored together with array operations, never a loop per pair:
- meaning: the vectors' product in blocks of BLOCK ideas, each idea keeping only the
  NEIGHBOURS closest among the ideas after it;
- words: the ideas sharing a term that at most RARE open ideas hold (a rare shared term is
  what gives a pair a high word score; duplicates worded differently are often not close in
  meaning: half of the labelled ones have a cosine under 0.31, bench/duplicates.py).
A pair that neither signal puts forward is missed even if its score would reach the
threshold: one close in meaning to many ideas and sharing only common words.
"""
import numpy as np

from services.ideas.similar_index import MEANING_WEIGHT, SIMILAR_THRESHOLD

BLOCK = 1024
NEIGHBOURS = 10
RARE = 8


def pair_key(a, b):
    """A pair's identity, whichever idea is named first: its ids, sorted."""
    return tuple(sorted((a, b)))


class OpenIdeas:
    """What the pairs are computed from, copied out of a SimilarIndex (under the catalogue's
    lock, fast) so that the computation itself (slower) runs without it: the ideas' ids in
    order, their vectors, their weighted terms."""

    def __init__(self, index, ids):
        self.ids = sorted(set(ids) & index.row_of.keys())
        self.vectors = index.vectors[[index.row_of[idea_id] for idea_id in self.ids]]
        self.terms = _Terms(index, self.ids)


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
    scores = np.round(MEANING_WEIGHT * np.maximum(closeness, 0.0)
                      + (1 - MEANING_WEIGHT) * ideas.terms.cosines(first, second), 3)
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
    """The open ideas' terms, each weighted by its rarity among the ideas `similar` offers and
    normalised per idea, as flat arrays: the terms of idea k at positions starts[k]:starts[k+1]."""

    def __init__(self, index, ids):
        vocabulary, term_ids, starts = {}, [], [0]
        for idea_id in ids:
            term_ids.extend(vocabulary.setdefault(term, len(vocabulary))
                            for term in index.terms_of.get(idea_id, ()))
            starts.append(len(term_ids))
        self.size = max(len(vocabulary), 1)
        self.ids = np.array(term_ids, dtype=np.int64)
        self.starts = np.array(starts, dtype=np.int64)
        idf = np.array([index._idf(term) for term in vocabulary] or [0.0])[self.ids]
        lengths = np.diff(self.starts)
        holder = np.repeat(np.arange(len(ids)), lengths)
        norms = np.sqrt(np.bincount(holder, weights=idf ** 2, minlength=len(ids)))
        self.weights = idf / norms[holder]

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

    def cosines(self, first, second):
        """For each pair (first[k], second[k]), the cosine of its ideas' weighted terms (as
        SimilarIndex._shared_words): both ideas' terms laid out as keys (pair, term); the keys
        both sides hold are the shared terms."""
        left_pair, left_at = self._spread(first)
        right_pair, right_at = self._spread(second)
        _, left, right = np.intersect1d(left_pair * self.size + self.ids[left_at],
                                        right_pair * self.size + self.ids[right_at],
                                        assume_unique=True, return_indices=True)
        shared = self.weights[left_at[left]] * self.weights[right_at[right]]
        return np.bincount(left_pair[left], weights=shared, minlength=len(first))

    def _spread(self, ideas):
        """(pair number, position of a term) for every term of each pair's idea: a
        concatenation of ranges, without a loop."""
        lengths = self.starts[ideas + 1] - self.starts[ideas]
        pair = np.repeat(np.arange(len(ideas)), lengths)
        offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return pair, np.repeat(self.starts[ideas], lengths) + offsets
