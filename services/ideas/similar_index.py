"""Which ideas a draft could be a duplicate of: by meaning and by the rarer words they share.

Two signals, each a cosine in [0, 1], averaged (weights and threshold chosen on
bench/similar_pairs_v2.json, see bench/README.md):
- meaning: the draft's vector against every idea's stored vector (meaning.py), one
  matrix-vector product over a numpy matrix, no Python loop over the ideas;
- words: the search terms the draft shares with the idea, each weighted by how rare it is
  among the ideas (inverse document frequency), so that "agents" or "service", in every
  other idea, count for little and "médiathèque" for much. Only the ideas closest in meaning
  and those sharing the draft's rarest terms are scored this way.
Pure: no I/O.
"""
import math
from collections import defaultdict

import numpy as np

from services.ideas import meaning, search

MEANING_WEIGHT = 0.5
# Below this an idea is not offered: 80 % of the labelled drafts that duplicate nothing get
# no suggestion (bench/similar.py prints the sweep).
SIMILAR_THRESHOLD = 0.25
# Ideas scored on their words per draft: the closest in meaning and the holders of its terms.
SHORTLIST = 64


class SimilarIndex:
    def __init__(self):
        self.ids = []  # row -> idea id
        self.row_of = {}  # idea id -> row
        self.vectors = np.zeros((0, meaning.DIMENSIONS), dtype=np.float32)
        self.offered = np.zeros(0, dtype=bool)  # rows that may be suggested
        self.titles, self.terms_of = {}, {}
        self.by_term = defaultdict(set)  # term -> ids of the offered ideas holding it

    def put(self, idea_id, title=None, terms=(), vector=None):
        """Index the idea (no title: it is no longer offered). `vector` as meaning.unpack
        gives it; None (a row written before ideas had one): its title is encoded here."""
        for term in self.terms_of.pop(idea_id, ()):
            self.by_term[term].discard(idea_id)
        row = self.row_of.get(idea_id)
        if title is None:
            if row is not None:
                self.offered[row] = False
            return
        if row is None:
            row = self._new_row(idea_id)
        self.vectors[row] = meaning.vectors([title])[0] if vector is None else vector
        self.offered[row] = True
        self.titles[idea_id] = title
        self.terms_of[idea_id] = meaning.expanded_terms(terms)
        for term in self.terms_of[idea_id]:
            self.by_term[term].add(idea_id)

    def _new_row(self, idea_id):
        row = len(self.ids)
        if row == len(self.vectors):  # grow by doubling: appends stay cheap on average
            grown = max(1024, 2 * row)
            self.vectors = np.resize(self.vectors, (grown, meaning.DIMENSIONS))
            self.offered = np.resize(self.offered, grown)
            self.offered[row:] = False
        self.ids.append(idea_id)
        self.row_of[idea_id] = row
        return row

    def most_similar(self, text, limit=5, threshold=SIMILAR_THRESHOLD):
        """The ideas most like a draft, as (id, title, score), best first, ties by id."""
        draft_terms = set(search.terms(meaning.expand(text)))
        if not draft_terms or limit <= 0 or not self.ids:
            return []
        closeness = self.vectors[:len(self.ids)] @ meaning.vectors([text])[0]
        closeness[~self.offered[:len(self.ids)]] = -1.0
        shortlist = {self.ids[row] for row in _top(closeness, SHORTLIST)
                     if closeness[row] > -1.0}
        shortlist.update(self._holders_of_rare(draft_terms))
        ranked = []
        for idea_id in shortlist:
            score = round(MEANING_WEIGHT * max(0.0, float(closeness[self.row_of[idea_id]]))
                          + (1 - MEANING_WEIGHT) * self._shared_words(draft_terms, idea_id), 3)
            if score >= threshold:
                ranked.append((-score, idea_id))
        ranked.sort()
        return [(idea_id, self.titles[idea_id], -score) for score, idea_id in ranked[:limit]]

    def _idf(self, term):
        return math.log((len(self.terms_of) + 1) / (len(self.by_term.get(term, ())) + 0.5))

    def _holders_of_rare(self, draft_terms):
        """The ideas holding the draft's rarest terms, SHORTLIST at most."""
        found = []
        for term in sorted(draft_terms, key=lambda term: len(self.by_term.get(term, ()))):
            holders = self.by_term.get(term, ())
            if holders and len(found) + len(holders) > SHORTLIST:
                break
            found.extend(holders)
        return found

    def _shared_words(self, draft_terms, idea_id):
        idea_terms = self.terms_of[idea_id]
        weights = {term: self._idf(term) for term in draft_terms | idea_terms}
        shared = sum(weights[term] ** 2 for term in draft_terms & idea_terms)
        norms = math.sqrt(sum(weights[term] ** 2 for term in draft_terms)
                          * sum(weights[term] ** 2 for term in idea_terms))
        return shared / norms if norms else 0.0


def _top(values, count):
    """Indexes of the `count` largest values, in no order (argpartition, no full sort)."""
    if len(values) <= count:
        return range(len(values))
    return np.argpartition(values, -count)[-count:]

