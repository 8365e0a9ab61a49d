"""A published comment on the idea page, on a fake API: its author edits or deletes it, others
report it, moderators hide it after a confirmation or dismiss its reports; each form sits in
a closed <details>, works without JavaScript and comes back to the comment."""
import re

import pytest

pytestmark = pytest.mark.unit

NOW = "2026-11-24T09:00:00+00:00"


def text(response):
    return response.get_data(as_text=True)


def comment(fake, cid, body, by=("joel", "Joël N'Diaye"), **extra):
    fake.comments["i1"].append({"id": cid, "author": {"id": by[0], "name": by[1]},
                                "body": body, "created_at": NOW, "hidden": False,
                                "parent_id": None, "deleted": False, "edited_at": None,
                                **extra})


def thread_of(page, cid):
    start = page.index(f'id="commentaire-{cid}"')
    end = page.find('id="commentaire-', start + 1)
    return page[start:end if end > 0 else None]


def test_my_comment_offers_edit_and_delete_anothers_offers_a_report(browser, sign_in, fake):
    fake.add_idea()
    comment(fake, "mine", "Mon avis", by=("joel", "Joël N'Diaye"))
    comment(fake, "theirs", "Son avis", by=("camille", "Camille Roux"))
    sign_in("joel")

    page = text(browser.get("/ideas/i1"))

    mine, theirs = thread_of(page, "mine"), thread_of(page, "theirs")
    assert "/comments/mine/edit" in mine and "/comments/mine/delete" in mine
    assert "/comments/mine/flags" not in mine
    assert "/comments/theirs/flags" in theirs and "/edit" not in theirs
    assert "<details open" not in page and "Masquer ce commentaire" not in page
    assert '<label for="edit-mine">Nouveau texte de votre commentaire</label>' in mine
    assert ">Mon avis</textarea>" in mine
    assert '<label for="report-reason-theirs">' in theirs


def test_an_edit_lands_at_the_comment_which_then_says_modifie(browser, sign_in, post, fake):
    fake.add_idea()
    comment(fake, "c1", "Premier jet", by=("joel", "Joël N'Diaye"))
    sign_in("joel")

    response = post("/ideas/i1/comments/c1/edit", {"body": "Version revue"},
                    from_page="/ideas/i1")

    assert response.status_code == 303
    assert response.headers["Location"] == "/ideas/i1#commentaire-c1"
    assert fake.calls[-1][:2] == ("edit_comment", ("i1", "c1", "Version revue"))
    page = text(browser.get("/ideas/i1"))
    assert "Votre commentaire est modifié." in page
    assert re.search(r'class="edited">modifié <time datetime="', thread_of(page, "c1"))


def test_a_refused_edit_comes_back_opened_with_its_text(browser, sign_in, post, fake):
    fake.add_idea()
    comment(fake, "c1", "Premier jet", by=("joel", "Joël N'Diaye"))
    sign_in("joel")
    fake.refuse("edit_comment", 409, "Cette idée n'accepte plus de commentaires.")

    response = post("/ideas/i1/comments/c1/edit", {"body": "Trop tard"}, from_page="/ideas/i1")

    page = text(response)
    assert response.status_code == 422
    assert '<details class="comment-action" open>' in page
    assert ">Trop tard</textarea>" in page and "n&#39;accepte plus" in page


def test_an_empty_edit_is_refused_beside_its_own_field(browser, sign_in, post, fake):
    fake.add_idea()
    comment(fake, "c1", "Premier jet", by=("joel", "Joël N'Diaye"))
    sign_in("joel")

    response = post("/ideas/i1/comments/c1/edit", {"body": "  "}, from_page="/ideas/i1")

    page = text(response)
    assert response.status_code == 422 and 'id="edit-c1-erreur"' in page
    assert re.search(r'id="edit-c1"[^>]*aria-describedby="edit-c1-erreur"', page)
    assert not [call for call in fake.calls if call[0] == "edit_comment"]


def test_a_deleted_comment_says_so_and_keeps_its_replies(browser, sign_in, post, fake):
    fake.add_idea()
    comment(fake, "c1", "À retirer", by=("joel", "Joël N'Diaye"))
    comment(fake, "r1", "Une réponse", by=("camille", "Camille Roux"), parent_id="c1")
    sign_in("joel")

    response = post("/ideas/i1/comments/c1/delete", from_page="/ideas/i1")

    assert response.status_code == 303 and fake.calls[-1][:2] == ("delete_comment",
                                                                  ("i1", "c1"))
    page = text(browser.get("/ideas/i1"))
    assert "Commentaire supprimé par son auteur." in page and "À retirer" not in page
    assert "Une réponse" in page and 'value="c1"' not in page  # no reply to it
    assert "Commentaires (1)" in page


def test_a_report_needs_a_reason_and_goes_to_the_api(browser, sign_in, post, fake):
    fake.add_idea()
    comment(fake, "c1", "Propos douteux", by=("camille", "Camille Roux"))
    sign_in("joel")

    refused = post("/ideas/i1/comments/c1/flags", {"reason": "nope"}, from_page="/ideas/i1")
    assert refused.status_code == 303 and not [c for c in fake.calls
                                               if c[0] == "report_comment"]
    done = post("/ideas/i1/comments/c1/flags", {"reason": "offensive", "note": "Insultant"},
                from_page="/ideas/i1")

    assert done.headers["Location"] == "/ideas/i1#commentaire-c1"
    assert fake.calls[-1][:2] == ("report_comment", ("i1", "c1", "offensive", "Insultant"))


def test_a_moderator_hides_a_comment_only_once_confirmed(browser, sign_in, post, fake):
    fake.add_idea()
    comment(fake, "c1", "Ceux qui proposent ça sont des incapables.",
            by=("camille", "Camille Roux"))
    sign_in("maelle")

    asked = post("/ideas/i1/comments/c1/hide", {"reason": "Propos injurieux"},
                 from_page="/ideas/i1")

    page = text(asked)
    assert asked.status_code == 200 and "Masquer ce commentaire ?" in page
    assert "sont des incapables" in page and "Propos injurieux" in page
    assert 'name="confirmed" value="1"' in page
    assert not [c for c in fake.calls if c[0] == "hide_comment"]
    done = post("/ideas/i1/comments/c1/hide", {"reason": "Propos injurieux", "confirmed": "1",
                                              "next": "/ideas/i1#commentaire-c1"},
                from_page="/ideas/i1")
    assert done.status_code == 303
    assert fake.calls[-1][:2] == ("hide_comment", ("i1", "c1", "Propos injurieux"))


def test_the_moderators_list_of_reported_comments(browser, sign_in, fake):
    fake.add_idea()
    fake.reported = [{"comment_id": "c1", "idea_id": "i1", "idea_title": "Des bancs",
                      "author": {"id": "camille", "name": "Camille Roux"},
                      "reported_body": "Texte signalé", "reports": 2,
                      "reasons": ["offensive", "spam"], "notes": ["Insultant"],
                      "first_at": NOW, "last_at": NOW}]
    sign_in("maelle")

    page = text(browser.get("/moderation/commentaires"))

    assert "Commentaires signalés (2)" not in page and "Commentaires signalés (1)" in page
    assert "Texte signalé" in page and "Propos injurieux, Spam ou publicité" in page
    assert "/ideas/i1/comments/c1/hide" in page and "/ideas/i1/comments/c1/dismiss" in page
    sign_in("joel")
    assert browser.get("/moderation/commentaires").status_code == 403
