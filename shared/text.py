"""User text as it arrives from browsers, Word and phones, made storable and comparable."""
import re
import unicodedata

# Control characters other than tab and line feed; zero-width and bidi marks are kept, as
# they are legitimate in names and right-to-left text, and never rendered as markup.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Breakable white space only: the no-break spaces of French typography (« x », x !) stay.
_BLANKS = re.compile(r"[ \t\n]+")


def clean(text):
    """NFC, Unix line breaks, no control characters, no surrounding blanks."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def clean_line(text):
    """As `clean`, for one-line fields: runs of breakable white space become one space."""
    return _BLANKS.sub(" ", clean(text))


def fold(text):
    """Lower case without accents, for search and comparison: 'Vélo' -> 'velo'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
