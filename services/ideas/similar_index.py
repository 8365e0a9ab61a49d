"""Which ideas a draft could be like, without scoring them all.

`search.most_similar` scores a draft against each candidate: about 65 µs each, 6.5 s for
100,000 ideas, on every pause in typing a title. An idea scores above the threshold only if
it shares terms with the draft or spells its title alike (see search.py), so the candidates
are the ideas holding a draft term, or a term spelt like one ("teletravial" for
"teletravail"), the ones holding the most first. Pure: no I/O.
"""
from collections import Counter, defaultdict

from services.ideas.search import _trigrams

# Ideas scored at most per draft, those sharing the most terms with it first.
CANDIDATES = 1000
# How alike two terms' spellings must be (Dice of their trigrams) to stand for each other.
NEAR_SPELLING = 0.5


class SimilarIndex:
    def __init__(self):
        self.by_term = defaultdict(set)  # term -> ids of the ideas holding it
        self.terms_of = {}  # id -> its terms
        self.by_gram = defaultdict(set)  # trigram -> terms holding it

    def put(self, idea_id, terms):
        """Index the idea under `terms` (none: it is no longer a candidate)."""
        for term in self.terms_of.pop(idea_id, ()):
            self.by_term[term].discard(idea_id)
        if terms:
            self.terms_of[idea_id] = terms
            for term in terms:
                if not self.by_term[term]:
                    for gram in _trigrams(term):
                        self.by_gram[gram].add(term)
                self.by_term[term].add(idea_id)

    def candidates(self, draft_terms, most=CANDIDATES):
        """Ids of the ideas worth scoring against a draft's terms, at most `most`."""
        shared = Counter()
        for term in set(draft_terms):
            for near in self._spelt_like(term):
                shared.update(self.by_term[near])
        return [idea_id for idea_id, _ in shared.most_common(most)]

    def _spelt_like(self, term):
        grams = set(_trigrams(term))
        common = Counter(other for gram in grams for other in self.by_gram.get(gram, ()))
        return [other for other, count in common.items()
                if 2 * count / (len(grams) + len(set(_trigrams(other)))) >= NEAR_SPELLING
                and self.by_term.get(other)]
