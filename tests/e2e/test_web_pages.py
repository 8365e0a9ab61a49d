"""The pages through the gateway (served by services/web): French, escaped, under a strict CSP."""
import html
import re
import uuid

import pytest

from tests.helpers import eventually, settled
from tests.hostile import ATTRIBUTE, EMOJI, SCRIPT

HOSTILE = f"{SCRIPT} {ATTRIBUTE}"


@pytest.fixture
def pages(browser, reader):
    """A signed-in person's browser: the hub's content is for signed-in people."""
    return browser(token=reader)


def test_the_home_page_lists_ideas_with_their_escaped_titles(pages, propose):
    idea = propose(title=f"Une idée piégée {HOSTILE}")

    page = eventually(lambda: (lambda p: p if f'/ideas/{idea["id"]}' in p.text else None)(
        pages.get("/?sort=new")), message="listed (lists follow Kafka)")

    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert '<html lang="fr">' in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert(1)" not in page.text and "<img src=x" not in page.text
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_a_hostile_idea_is_stored_as_typed_and_shown_as_text(http, propose, reader, pages):
    title = f"{HOSTILE} \u202eRenversé\u202c"
    body = EMOJI  # the most a body may hold
    idea = propose(title=title, body=body)

    stored = http("GET", f"/api/ideas/{idea['id']}", reader).json()
    page = pages.get(f"/ideas/{idea['id']}")

    assert (stored["title"], stored["body"]) == (title, body)
    assert page.status_code == 200 and body in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "\u202eRenversé" in page.text
    assert "<script>alert(1)" not in page.text and "<img src=x" not in page.text


def test_an_idea_page_shows_its_text_answer_and_comments(http, propose, token, pages):
    idea = propose(body="Première ligne.\nDeuxième ligne.")
    moderator = token(roles=("agent", "moderator"))
    http("POST", f"/api/ideas/{idea['id']}/status", moderator,
         json={"status": "accepted", "note": "Retenue pour 2027."})
    http("POST", f"/api/ideas/{idea['id']}/comments", token(), json={"body": "Bravo <b>!</b>"})

    page = pages.get(f"/ideas/{idea['id']}")

    assert page.status_code == 200
    assert "<p>Première ligne.</p>" in page.text and "<p>Deuxième ligne.</p>" in page.text
    assert "Retenue pour 2027." in page.text and "retenue" in page.text
    assert "Bravo &lt;b&gt;!&lt;/b&gt;" in page.text


def test_an_unknown_idea_page_is_a_french_404_page(pages):
    page = pages.get("/ideas/0000")
    assert page.status_code == 404 and "Page introuvable" in page.text


def test_the_ideas_are_for_signed_in_people_unless_the_hub_reads_in_public(http, propose):
    """The stack runs as a deployment does by default (no HUB_PUBLIC_READ): an internal idea
    box, its ideas, comments and agents' names not the internet's to read."""
    idea = propose()["id"]

    for path in ("/", f"/ideas/{idea}"):
        page = http("GET", path, allow_redirects=False)
        assert page.status_code == 303 and "/signin?next=" in page.headers["Location"], path
    for path in ("/api/ideas", f"/api/ideas/{idea}", f"/api/ideas/{idea}/comments",
                 "/api/ideas/similar?text=guichet"):
        assert http("GET", path).status_code == 401, path


def test_the_list_filters_by_units_and_tags_in_use_counts_and_pages(pages, propose, token):
    word = uuid.uuid4().hex[:8]
    unit = f"Service {word}"
    ideas = [propose(title=f"Idée de liste {n} {word}", tags=[f"urbanisme{word}"],
                     as_=token(unit=unit)) for n in range(21)]

    listed = {"tag": f"urbanisme{word}", "sort": "new"}
    settled(lambda: "21 idées" in pages.get("/", params=listed).text,
            message="the 21 ideas listed by every process")
    page = pages.get("/", params=listed)

    assert f'<option value="urbanisme{word}" selected>urbanisme{word} (21)</option>' in page.text
    assert f'<option value="{unit}">{unit} (21)</option>' in page.text
    assert re.search(rf'<a [^>]*href="/\?tag=urbanisme{word}">urbanisme{word}</a>', page.text)
    assert "aucun soutien" in page.text and "aucun commentaire" in page.text
    following = re.search(r'href="([^"]+)" rel="next"', page.text).group(1)
    second = pages.get(html.unescape(following))
    assert ideas[0]["title"] in second.text and 'rel="prev"' in second.text
    assert 'rel="next"' not in second.text
    previous = re.search(r'href="([^"]+)" rel="prev"', second.text).group(1)
    assert ideas[20]["title"] in pages.get(html.unescape(previous)).text


def test_dates_read_the_french_way_in_a_time_element(pages, propose):
    idea = propose()

    page = pages.get(f"/ideas/{idea['id']}")

    assert re.search(rf'<time datetime="{re.escape(idea["created_at"])}">'
                     r"(à l'instant|il y a \d+ minutes?)</time>", html.unescape(page.text))
