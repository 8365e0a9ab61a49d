"""User text as it arrives from browsers, Word and phones, made storable and comparable."""
import re
import unicodedata

# Control characters other than tab and line feed; zero-width and bidi marks are kept, as
# they are legitimate in names and right-to-left text, and never rendered as markup.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Breakable white space only: the no-break spaces of French typography (« x », x !) stay.
_BLANKS = re.compile(r"[ \t\n]+")


# Bidi controls that open an embedding or an override (closed by PDF) or an isolate (closed
# by PDI). Left open, they reorder whatever the page shows after the text: the hub's own words,
# the next idea's title.
_EMBEDDINGS, _PDF = "\u202a\u202b\u202d\u202e", "\u202c"
_ISOLATES, _PDI = "\u2066\u2067\u2068", "\u2069"


def close_bidi(line):
    """`line` with every embedding, override and isolate it opens closed at its end (UAX #9:
    a PDF closes the last embedding, a PDI the last isolate and what opened inside it)."""
    opened = []
    for char in line:
        if char in _EMBEDDINGS or char in _ISOLATES:
            opened.append(char)
        elif char == _PDF and opened and opened[-1] in _EMBEDDINGS:
            opened.pop()
        elif char == _PDI and any(c in _ISOLATES for c in opened):
            while opened.pop() not in _ISOLATES:
                pass
    return line + "".join(_PDI if c in _ISOLATES else _PDF for c in reversed(opened))


def clean(text):
    """NFC, Unix line breaks, no control characters, bidi controls closed on their line, no
    surrounding blanks."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text).strip()
    return "\n".join(close_bidi(line) for line in text.split("\n"))


def clean_line(text):
    """As `clean`, for one-line fields: runs of breakable white space become one space."""
    return _BLANKS.sub(" ", clean(text))


def fold(text):
    """Lower case without accents, for search and comparison: 'Vélo' -> 'velo'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
