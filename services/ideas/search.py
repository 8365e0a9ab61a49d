"""Search on ideas without a text index: the terms of French text, and similar ideas.

Neither the embedded engine nor MongoDB's `$text` stems French the way agents search, so the
ideas service stores the terms of each idea itself (`search_field`) and tests a query against
them (`matches`). The same terms find likely duplicates of an idea being written
(`most_similar`). Pure: no I/O.
"""
import heapq
import re
from functools import lru_cache
from itertools import chain

from shared.text import fold

# A word is a run of letters or of digits; anything else separates words, the apostrophe
# included ("l'accueil" gives "accueil"), and so does a change from letters to digits, so
# that "1h" meets "1 h" and "PSC1" meets "PSC 1". Combining accents belong to their word
# until folding removes them (text that skipped `clean` may be decomposed).
_RAW_WORD = re.compile(r"[\w\u0300-\u036f]+")
_WORD = re.compile(r"[^\W\d_]+|\d+")

# The most common French function words (folded). "a" stands for "à" too.
STOP_WORDS = frozenset("""
    a afin ai ainsi alors apres as au aucun aussi autre autres aux avant avec avoir avons avez
    bien c ca car ce cela celle celui ces cet cette chaque chez ci comme comment d dans de depuis
    des deja donc dont du elle elles en encore entre est et etc etaient etait ete etre eux fait
    faire faut ici il ils j je l la le les leur leurs lors lui m ma mais me meme mes moi mon n
    ne ni non nos notre nous on ont ou oui par pas pendant peu peut peuvent plus pour pourquoi
    puis qu quand que quel quelle quelles quels qui quoi s sa sans se selon ses si soi son sont
    sous sur t ta te tes toi ton tous tout toute toutes tres trop tu un une vers vos votre vous y
""".split())

# A stem keeps at least this many letters: shorter words ("bus", "rue", "eau") stay whole.
MIN_STEM = 3


def terms(text):
    """The search terms of a French text: folded, split, stop words out, lightly stemmed."""
    return [term for raw_word in _RAW_WORD.findall(text.casefold())
            for term in _terms_of_word(raw_word)]


@lru_cache(maxsize=65536)
def _terms_of_word(raw_word):
    # Folding goes character by character in Python: done once per distinct word, it stops
    # being the cost of profiling thousands of candidate titles.
    # It leaves the ligatures of "cœur" and "ex æquo", which people type as "oe" and "ae".
    folded = fold(raw_word).replace("œ", "oe").replace("æ", "ae")
    return tuple(stem(word) for word in _WORD.findall(folded) if _is_term(word))


def _is_term(word):
    # One letter says nothing ("l", "h" of "30 km/h"); one digit may ("2 jours").
    return word not in STOP_WORDS and (len(word) > 1 or word.isdigit())


def stem(word):
    """Light French stemming of a folded word, in the spirit of Savoy's light stemmer.

    Only inflection is removed, never derivation ("numerisation" and "numerique" stay apart):
    plural (-eaux -> -eau, -aux -> -al, final -s/-x), feminine and participle -e/-ee, the
    infinitive -er/-ir, -if/-ive -> -iv, -eux/-euse -> -eu, then a doubled final consonant.
    Every form then meets its base form: pistes/piste, cyclables/cyclable, chevaux/cheval,
    formees/former, personnelle/personnel, accueillir/accueil. Travaux (works) and travail
    (labour) mean different things and are kept apart. Numbers stay as typed.
    """
    if not word.isalpha() or len(word) <= MIN_STEM:
        return word
    for rule in (_singular, _without_final_e, _without_infinitive, _masculine,
                 _without_doubled_consonant):
        word = rule(word)
    return word


def _cut(word, suffix, replacement=""):
    """`word` with `suffix` replaced, unless that leaves too short a stem."""
    if word.endswith(suffix):
        shorter = word[:len(word) - len(suffix)] + replacement
        if len(shorter) >= MIN_STEM:
            return shorter
    return word


def _singular(word):
    if word.endswith("eaux"):
        return _cut(word, "x")  # bureaux -> bureau
    if word.endswith("aux") and len(word) > 4:
        return _cut(word, "aux", "al")  # chevaux -> cheval, locaux -> local ("faux" stays)
    if word.endswith("ss"):
        return word  # "express", "stress": the -s is not a plural
    return _cut(_cut(word, "s"), "x")


def _without_final_e(word):
    # Twice, for the feminine participle: "formee" (formée) -> "form".
    return _cut(_cut(word, "e"), "e")


def _without_infinitive(word):
    # Only on longer words, so that "hiver" or "loir" keep their sense.
    if len(word) <= 5:
        return word
    return _cut(_cut(word, "er"), "ir")


def _masculine(word):
    word = _cut(word, "if", "iv")  # sportif/sportive both -> "sportiv"
    return _cut(word, "eus", "eu")  # heureuse (-> "heureus") meets heureux (-> "heureu")


def _without_doubled_consonant(word):
    # personnelle -> "personnell" -> "personnel", accueillir -> "accueill" -> "accueil"
    if word[-1] == word[-2] and word[-1] not in "aeiouy":
        return _cut(word, word[-1])
    return word


def search_field(title, body, tags):
    """What an idea stores to be searched on: its distinct terms, title first, space-joined.
    Split it into a list for a Mongo `$all` on every query term but the last."""
    return " ".join(dict.fromkeys(terms(" ".join([title, *tags, body]))))


def query_terms(q):
    """The terms of what someone typed in the search box (see `matches` for the last one)."""
    return terms(q)


def matches(query_terms, idea_terms):
    """True if the idea has every query term. The last query term may also be the start of
    an idea term, because search runs as people type: "pistes cyclab" finds "cyclable".
    Only the last one, so that finished words stay exact. No query terms match every idea.
    `idea_terms` is a set or list of terms, or the `search_field` string itself."""
    have = idea_terms if isinstance(idea_terms, (set, frozenset)) else set(
        idea_terms.split() if isinstance(idea_terms, str) else idea_terms)
    *whole, last = query_terms or [None]
    if not all(term in have for term in whole):
        return False
    return last is None or last in have or any(term.startswith(last) for term in have)


# Similar ideas. Three views of how alike a draft and an idea are, each in [0, 1]:
# - shared title terms (Dice): a duplicate is mostly announced by its title;
# - draft terms found in the idea, title or body (a body hit counts half): the draft often
#   has words the existing idea only has in its body;
# - shared character trigrams of the title terms (Dice): near-spellings and typos
#   ("teletravial", "plastque") and words of one family ("numerisation"/"numerique").
# No inverse document frequency: the score of a pair does not depend on the other ideas.
TITLE_TERMS_WEIGHT, IDEA_TERMS_WEIGHT, SPELLING_WEIGHT = 0.45, 0.25, 0.30
BODY_HIT = 0.5
# Below this an idea is not offered as a possible duplicate. Low on purpose: a missed
# duplicate costs a second idea splitting the votes, a needless suggestion a glance
# (bench/similar.py prints both sides for a few thresholds).
SIMILAR_THRESHOLD = 0.15


def similarity(draft_terms, idea_terms, idea_title_terms):
    """How much an idea looks like a draft, from 0 (nothing in common) to 1."""
    return _score(_Profile(draft_terms), _as_terms(idea_terms), _Profile(idea_title_terms))


def most_similar(draft_text, candidates, limit=5, threshold=SIMILAR_THRESHOLD):
    """The ideas most like a draft, as (id, title, score), best first, ties by id.

    `candidates`: dicts with "id", "title" and "terms" (the split `search_field`). Scores are
    rounded to 3 decimals before ordering, so ties are what a reader sees as ties."""
    draft = _Profile(terms(draft_text))
    if not draft.terms or limit <= 0:
        return []
    ranked = []
    for idea in candidates:
        score = round(_score(draft, _as_terms(idea["terms"]), _title_profile(idea["title"])), 3)
        if score >= threshold:
            ranked.append((-score, idea["id"], idea["title"]))
    return [(idea_id, title, -score)
            for score, idea_id, title in heapq.nsmallest(limit, ranked)]


class _Profile:
    """A text's terms and the character trigrams of those terms, compared as sets."""
    __slots__ = ("terms", "grams")

    def __init__(self, text_terms):
        self.terms = frozenset(text_terms)
        self.grams = frozenset(chain.from_iterable(map(_trigrams, self.terms)))


@lru_cache(maxsize=65536)
def _trigrams(term):
    padded = f" {term} "  # so that the first and last letters weigh like the others
    return tuple(padded[i:i + 3] for i in range(len(padded) - 2))


@lru_cache(maxsize=16384)
def _title_profile(title):
    # Candidate titles come back on every keystroke of a draft and their profile never
    # changes; 16,384 profiles take about 50 MB.
    return _Profile(terms(title))


def _as_terms(idea_terms):
    return idea_terms.split() if isinstance(idea_terms, str) else idea_terms


def _score(draft, idea_terms, title):
    if not draft.terms:
        return 0.0
    in_title = draft.terms & title.terms
    in_body_only = draft.terms.intersection(idea_terms) - in_title
    found_in_idea = (len(in_title) + BODY_HIT * len(in_body_only)) / len(draft.terms)
    return (TITLE_TERMS_WEIGHT * _dice(len(in_title), len(draft.terms), len(title.terms))
            + IDEA_TERMS_WEIGHT * found_in_idea
            + SPELLING_WEIGHT * _dice(len(draft.grams & title.grams), len(draft.grams),
                                      len(title.grams)))


def _dice(shared, size_a, size_b):
    return 2 * shared / (size_a + size_b) if size_a + size_b else 0.0
