"""Replies on the idea page, on a fake API: nested one level under their comment, each at its
anchor; a "Répondre" form under each visible top-level comment that works without
JavaScript, and comes back opened with what was typed when refused."""
import re

import pytest

pytestmark = pytest.mark.unit

NOW = "2026-11-24T09:00:00+00:00"


def text(response):
    return response.get_data(as_text=True)


def comment(fake, idea_id, cid, body, parent_id=None, hidden=False):
    fake.comments[idea_id].append({
        "id": cid, "author": {"id": "joel", "name": "Joël N'Diaye"}, "body": body,
        "created_at": NOW, "hidden": hidden, "parent_id": parent_id})


def block(page, cid):
    """The HTML of the comment `cid`, up to the next comment at its level or the form."""
    start = page.index(f'id="commentaire-{cid}"')
    return page[start:]


def test_replies_sit_under_their_comment_each_at_its_anchor(browser, sign_in, fake):
    fake.add_idea()
    comment(fake, "i1", "a", "Premier avis")
    comment(fake, "i1", "b", "Second avis")
    comment(fake, "i1", "r1", "Réponse au premier", parent_id="a")
    sign_in()

    page = text(browser.get("/ideas/i1"))

    first = page[page.index('id="commentaire-a"'):page.index('id="commentaire-b"')]
    assert '<ul class="replies"' in first and 'id="commentaire-r1"' in first
    assert "Réponse au premier" in first
    assert page.count('name="parent_id"') == 2  # under each top-level comment, not a reply
    assert '<label for="reply-a">' in page and 'id="reply-a"' in page
    assert "(3)" in page  # the count includes replies


def test_a_hidden_comment_keeps_its_line_and_its_visible_replies(browser, sign_in, fake):
    fake.add_idea()
    comment(fake, "i1", "a", "Insultant", hidden=True)
    comment(fake, "i1", "r1", "Une réponse restée visible", parent_id="a")
    sign_in()

    page = text(browser.get("/ideas/i1"))

    thread = block(page, "a")
    assert "Commentaire masqué" in thread and "Une réponse restée visible" in thread
    assert thread.index("Commentaire masqué") < thread.index('id="commentaire-r1"')
    assert 'value="a"' not in page  # no reply to a hidden comment


def test_a_reply_is_posted_with_its_parent_and_lands_at_its_anchor(browser, sign_in, post,
                                                                  fake):
    fake.add_idea()
    comment(fake, "i1", "c1", "Premier avis")
    sign_in()

    response = post("/ideas/i1/comments", {"body": "D'accord", "parent_id": "c1"},
                    from_page="/ideas/i1")

    assert response.status_code == 303
    assert response.headers["Location"] == "/ideas/i1#commentaire-c2"
    assert fake.calls[-1][:2] == ("comment", ("i1", "D'accord", "c1"))


def test_a_refused_reply_comes_back_in_its_form_opened_with_its_text(browser, sign_in, post,
                                                                    fake):
    fake.add_idea()
    comment(fake, "i1", "c1", "Premier avis")
    sign_in()
    fake.refuse("comment", 422, "Impossible de répondre à ce commentaire.",
                {"parent_id": ["Ce commentaire a été masqué par la modération."]})

    response = post("/ideas/i1/comments", {"body": "Pourtant", "parent_id": "c1"},
                    from_page="/ideas/i1")

    page = text(response)
    assert response.status_code == 422
    assert re.search(r'<details class="reply-form" open>', page)
    assert re.search(r'id="reply-c1"[^>]*aria-describedby="reply-c1-erreur"', page)
    assert ">Pourtant</textarea>" in page and 'id="reply-c1-erreur"' in page


def test_an_empty_reply_is_refused_before_the_api(browser, sign_in, post, fake):
    fake.add_idea()
    comment(fake, "i1", "c1", "Premier avis")
    sign_in()

    response = post("/ideas/i1/comments", {"body": "  ", "parent_id": "c1"},
                    from_page="/ideas/i1")

    assert response.status_code == 422 and 'id="reply-c1-erreur"' in text(response)
    assert not [call for call in fake.calls if call[0] == "comment"]


def test_in_english_a_comment_gets_a_reply_where_an_idea_gets_an_answer(browser, sign_in,
                                                                        fake):
    fake.add_idea()
    comment(fake, "i1", "c1", "Premier avis")
    sign_in()

    page = text(browser.get("/ideas/i1?lang=en"))

    assert "<summary>Reply<span" in page and "to Joël N&#39;Diaye" in page
    assert '<label for="reply-c1">Your reply</label>' in page
