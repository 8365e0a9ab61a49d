"""Which ideas a draft could be a duplicate of: by the meaning of its words and of its text.

Two signals, each in [0, 1], weighted (weights and threshold chosen on the tuning half of
bench/similar_pairs_v2.json, checked on its other half and on bench/similar_pairs_v3.json,
see bench/README.md):
- words' meaning (word_meaning.py, SOFT_WEIGHT): each word (lemma) of the draft matched with
  the idea's word closest to it in meaning and the other way round, each weighted by how rare
  it is among the ideas (inverse document frequency), so that "agent" or "service", in every
  other idea, count for little and "médiathèque" (close to "bibliothèque") for much;
- the text's meaning: the draft's vector against every idea's stored vector (meaning.py), one
  matrix-vector product over a numpy matrix, no Python loop over the ideas.
Only the ideas closest in meaning and those sharing the draft's rarest terms are scored on
their words.
Pure: no I/O.
"""
import math
from collections import Counter, defaultdict

import numpy as np

from services.ideas import meaning, search, word_meaning

SOFT_WEIGHT = 0.8
# Below this an idea is not offered: the lowest (0.01 grid) that leaves 80 % of the tuning
# half's drafts that duplicate nothing without suggestion (bench/similar_tune.py); on the
# held-out half it leaves 56 %, on v3 41 % (bench/README.md).
SIMILAR_THRESHOLD = 0.51
# Ideas scored on their words per draft: the closest in meaning and the holders of its terms.
SHORTLIST = 64


class SimilarIndex:
    def __init__(self):
        self.ids = []  # row -> idea id
        self.row_of = {}  # idea id -> row
        self.vectors = np.zeros((0, meaning.DIMENSIONS), dtype=np.float32)
        self.offered = np.zeros(0, dtype=bool)  # rows that may be suggested
        self.titles, self.terms_of, self.words_of = {}, {}, {}
        self.by_term = defaultdict(set)  # term -> ids of the offered ideas holding it
        self.holders = Counter()  # word -> how many offered ideas hold it
        self.lexicon = word_meaning.Lexicon()  # the words' vectors

    def put(self, idea_id, title=None, terms=(), vector=None, words=None):
        """Index the idea (no title: it is no longer offered). `vector` as meaning.unpack
        gives it; None (a row written before ideas had one): its title is encoded here.
        `words` as meaning.words_of_idea gives them; None (a row written before ideas had
        them): its terms stand in."""
        for term in self.terms_of.pop(idea_id, ()):
            self.by_term[term].discard(idea_id)
        self.holders.subtract(self.words_of.pop(idea_id, ()))
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
        self.words_of[idea_id] = tuple(sorted(set(
            self.terms_of[idea_id] if words is None else words)))
        self.holders.update(self.words_of[idea_id])

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
        draft_words = meaning.words(text)
        if not draft_words or limit <= 0 or not self.ids:
            return []
        # The draft's text and its words the lexicon lacks, in one call to the encoder; the
        # lexicon learns no draft's words, so that drafts (and their typos) cannot grow it.
        unknown = self.lexicon.unknown(draft_words)
        draft, *encoded = meaning.encoder().encode([meaning.prepared(text), *unknown])
        closeness = self.vectors[:len(self.ids)] @ draft
        closeness[~self.offered[:len(self.ids)]] = -1.0
        shortlist = {self.ids[row] for row in _top(closeness, SHORTLIST)
                     if closeness[row] > -1.0}
        shortlist.update(self._holders_of_rare(draft_terms))
        shortlist = sorted(shortlist)
        words = self.soft_cosines(self.lexicon.vectors_of(draft_words, dict(zip(unknown,
                                                                                encoded))),
                                  self.idf(draft_words), shortlist)
        ranked = []
        for idea_id, soft in zip(shortlist, words):
            score = round(float(combined(soft, closeness[self.row_of[idea_id]])), 3)
            if score >= threshold:
                ranked.append((-score, idea_id))
        ranked.sort()
        return [(idea_id, self.titles[idea_id], -score) for score, idea_id in ranked[:limit]]

    def soft_cosines(self, vectors, weights, idea_ids):
        """The words' meaning of a text (its words' vectors and weights) against each idea
        of `idea_ids` (word_meaning.soft_cosines)."""
        scores = np.zeros(len(idea_ids))
        # An idea whose text is only stop words has no words: it shares nothing.
        scored = [k for k, idea_id in enumerate(idea_ids) if self.words_of[idea_id]]
        held = [self.words_of[idea_ids[k]] for k in scored]
        if held:
            flat = [word for words in held for word in words]
            self.lexicon.learn(flat)  # after a start-up, the first queries learn the words
            rows, matrix = self.lexicon.snapshot(flat)
            starts = np.cumsum([0] + [len(words) for words in held[:-1]])
            scores[scored] = word_meaning.soft_cosines(vectors, weights, matrix[rows],
                                                       self.idf(flat), starts)
        return scores

    def idf(self, words):
        """Each word's weight: how rare it is among the offered ideas."""
        offered = len(self.words_of) + 1
        return np.array([math.log(offered / (self.holders[word] + 0.5)) for word in words])

    def _holders_of_rare(self, draft_terms):
        """The ideas holding the draft's rarest terms, SHORTLIST at most."""
        found = []
        for term in sorted(draft_terms, key=lambda term: len(self.by_term.get(term, ()))):
            holders = self.by_term.get(term, ())
            if holders and len(found) + len(holders) > SHORTLIST:
                break
            found.extend(holders)
        return found


def combined(soft, closeness):
    """A draft and an idea's score from their words' meaning and their texts' cosine (numbers
    or arrays of them)."""
    return SOFT_WEIGHT * soft + (1 - SOFT_WEIGHT) * np.maximum(closeness, 0.0)


def _top(values, count):
    """Indexes of the `count` largest values, in no order (argpartition, no full sort)."""
    if len(values) <= count:
        return range(len(values))
    return np.argpartition(values, -count)[-count:]

