"""Hostile text: what people paste and attackers type, for the tests that prove the hub keeps
it as typed or refuses it with a clear message, and never renders it as markup.

"As typed" is after the hub's documented normalisation (shared/text.py, applied by every
text field of the APIs and of the pages' forms): NFC, Unix line breaks, no control
characters but tab and line feed (a NUL is removed), no blanks around; one-line fields
(titles, tags, units, searches) also turn each run of spaces, tabs and line breaks into one
space. No-break spaces, soft hyphens, zero-width and
bidi marks are kept: they are legitimate in names and right-to-left text; an embedding, an
override or an isolate left open is closed at the end of its line, so that it cannot reorder
what the page shows after it.

No text holds a comma: tags and units are typed as comma-separated lists.
"""
import re
from dataclasses import dataclass

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
# What one text field may hold at most (an idea's body): 10,000 characters.
EMOJI = "🎉" * 10_000


@dataclass(frozen=True)
class Hostile:
    name: str
    text: str
    normalised: str = None  # what the hub keeps, when it is not the text as typed

    @property
    def kept(self):
        """As a multi-line field (a body, a comment, a note) keeps it."""
        return self.text if self.normalised is None else self.normalised

    @property
    def kept_on_one_line(self):
        """As a one-line field (a title, a tag, a search) keeps it."""
        return re.sub(r"[ \t\n]+", " ", self.kept).strip()


CORPUS = (
    Hostile("script", SCRIPT),
    Hostile("attribute", ATTRIBUTE),
    # Refused everywhere (10,010 characters): the form that says so shows it back, escaped.
    Hostile("markup, too long", (ATTRIBUTE + SCRIPT) * 182),
    Hostile("bidi", "Payé \u202e0001 €\u202c puis \u2067שלום\u2069 \u200fet\u200e \u2066fin\u2069"),
    Hostile("bidi left open", "Tout va bien \u202enon \u2067ou si",
            "Tout va bien \u202enon \u2067ou si\u2069\u202c"),
    Hostile("zero-width", "Une fa\u200bmille 👩\u200d👩\u200d👧 sans\u200cliaison\u2060 ni\ufeffBOM"),
    Hostile("emoji", EMOJI),
    Hostile("nul", "Avant\x00après le NUL", "Avantaprès le NUL"),
    Hostile("controls", "Une\x01 cloche\x07 un\x1b[31m échappement\x7f et\tune tabulation",
            "Une cloche un[31m échappement et\tune tabulation"),
    Hostile("word paste",
            "« Citation » l\u2019agent\u00a0: co\u00adopération\r\n\r\n“Deuxième” ligne…\r\n",
            "« Citation » l\u2019agent\u00a0: co\u00adopération\n\n“Deuxième” ligne…"),
    Hostile("long word", "Anticonstitutionnellement" * 200),  # 5,000 characters, no blank
    Hostile("decomposed", "Le cafe\u0301 de l'e\u0301te\u0301", "Le café de l'été"),
    # 280 code points as typed, 140 characters once composed: the most a title holds.
    Hostile("decomposed at a limit", "e\u0301" * 140, "é" * 140),
)

# Bodies that are not text at all, sent raw: bytes that are not UTF-8, and the UTF-8 bytes or
# the JSON escape of half a surrogate pair, which no UTF-8 store or page can hold.
NOT_UTF8 = {"invalid UTF-8": b"\xff\xfe", "surrogate bytes": b"\xed\xa0\x80"}
LONE_SURROGATE = b"\\ud800"
