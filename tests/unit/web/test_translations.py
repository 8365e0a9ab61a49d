"""Every French text of the pages has its English translation in the catalogue."""
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

WEB = Path(__file__).resolve().parents[3] / "services" / "web"
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def test_every_message_of_the_pages_has_an_english_translation():
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    found = {message for _, _, message, _, _ in extract_from_dir(
        str(WEB), METHODS, keywords=keywords)}
    with open(WEB / "translations" / "en" / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f)
    translated = {m.id for m in catalog if m.id and all(m.string if isinstance(m.string, tuple)
                                                        else [m.string])}
    assert found, "no message extracted: the extraction itself is broken"
    assert sorted(map(str, found - translated)) == []


def test_no_text_is_translated_twice_in_the_same_context():
    """A French word with two meanings ("personne": no one, a person) needs a context
    (pgettext): the catalogue would otherwise keep one English word for both."""
    entries, context = [], None
    path = WEB / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgctxt "):
            context = line
        elif line.startswith("msgid ") and line != 'msgid ""':
            entries.append((context, line))
            context = None
    repeated = sorted({entry for entry in entries if entries.count(entry) > 1})
    assert repeated == []
