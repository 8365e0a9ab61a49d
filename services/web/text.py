"""People's text on the pages: paragraphs and clickable web addresses, never their markup.
Everything is escaped first; only the <p> and <a> made here are markup."""
import re

from markupsafe import Markup, escape

URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
# Punctuation that ends a sentence rather than the address ("voir https://x.fr/a.").
TRAILING = ".,;:!?)»]"


def linkify(line):
    out, last = [], 0
    for match in URL.finditer(line):
        url = match.group().rstrip(TRAILING)
        out.append(escape(line[last:match.start()]))
        out.append(Markup('<a href="{0}" rel="nofollow noopener noreferrer">{0}</a>').format(url))
        last = match.start() + len(url)
    out.append(escape(line[last:]))
    return Markup("").join(out)


def paragraphs(text):
    """One <p> per line of text (blank lines dropped), addresses as links."""
    lines = [line.strip() for line in (text or "").splitlines()]
    return Markup("\n").join(Markup("<p>{}</p>").format(linkify(line)) for line in lines if line)
