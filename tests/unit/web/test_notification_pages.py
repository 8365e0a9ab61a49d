"""The notifications' pages on a fake API: the header's unread count on every page (and a page
that renders without it when the API fails), the centre with "mark as read", the preferences,
following an idea from its page, and the page a mail's unsubscribe link leads to."""
import re

import pytest

from services.web.notifications import sentence, target
from tests.hostile import ATTRIBUTE, SCRIPT


def text(response):
    return response.get_data(as_text=True)


def csrf_of(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', text(page)).group(1)


@pytest.fixture
def idea(fake):
    return fake.add_idea("Des bancs à l'ombre")


# ---- the sentence of each kind -------------------------------------------------------------

ITEM = {"idea": {"id": "i1", "title": "Des bancs à l'ombre"},
        "actor": {"id": "joel", "name": "Joël Martin"}}
SENTENCES = [
    ({"kind": "status", "status": "accepted", "actor": None},
     "La modération a changé le statut de « Des bancs à l'ombre » : retenue."),
    ({"kind": "comment"}, "Joël Martin a commenté « Des bancs à l'ombre »."),
    ({"kind": "reply"}, "Joël Martin vous a répondu sur « Des bancs à l'ombre »."),
    ({"kind": "mention"},
     "Joël Martin vous a mentionné·e dans un commentaire sur « Des bancs à l'ombre »."),
    ({"kind": "merge", "merged": True, "into": {"id": "i2", "title": "Ombre et bancs"}},
     "« Des bancs à l'ombre » a été fusionnée dans « Ombre et bancs » : ses soutiens l'ont "
     "suivie."),
    ({"kind": "merge", "merged": False, "into": {"id": "i2", "title": "Ombre et bancs"}},
     "La fusion de « Des bancs à l'ombre » dans « Ombre et bancs » est annulée : chaque idée "
     "retrouve ses soutiens."),
    ({"kind": "withdrawn"}, "« Des bancs à l'ombre » a été retirée par son auteur."),
    ({"kind": "milestone", "milestone": 1},
     "« Des bancs à l'ombre » a reçu son premier soutien."),
    ({"kind": "milestone", "milestone": 1000},
     "« Des bancs à l'ombre » a atteint 1\u202f000 soutiens."),
    ({"kind": "hidden", "note": "Données personnelles"},
     "La modération a masqué votre idée « Des bancs à l'ombre » : Données personnelles"),
    ({"kind": "a-kind-from-a-later-release"}, "Du nouveau sur « Des bancs à l'ombre »."),
    ({"kind": "comment", "actor": None}, "Quelqu'un a commenté « Des bancs à l'ombre »."),
]


@pytest.mark.parametrize("fields, expected", SENTENCES, ids=[
    f"{f['kind']}-{i}" for i, (f, _) in enumerate(SENTENCES)])
def test_each_kind_of_notification_is_one_french_sentence(app, fields, expected):
    with app.test_request_context("/"):
        assert sentence({**ITEM, **fields}) == expected


def test_the_sentences_speak_english_when_the_reader_does(app):
    with app.test_request_context("/?lang=en"):
        assert sentence({**ITEM, "kind": "status", "status": "accepted"}) == \
            "The moderators changed the status of “Des bancs à l'ombre”: accepted."
        assert sentence({**ITEM, "kind": "reply"}) == \
            "Joël Martin replied to you on “Des bancs à l'ombre”."


@pytest.mark.parametrize("link, expected", [
    ("/ideas/i1#commentaire-c7", "/ideas/i1#commentaire-c7"),
    ("javascript:alert(1)", "/ideas/i1"), ("//evil.example/x", "/ideas/i1"),
    ("https://evil.example/", "/ideas/i1"), (None, "/ideas/i1")])
def test_a_notification_leads_only_to_a_path_of_the_pages(app, link, expected):
    with app.test_request_context("/"):
        assert target({**ITEM, "link": link}) == expected


# ---- the header ----------------------------------------------------------------------------

def test_every_page_says_how_many_notifications_are_unread(browser, sign_in, fake, idea):
    sign_in("agnes")
    fake.notify("agnes")
    fake.notify("agnes", "reply")

    for path in ("/", "/me", f"/ideas/{idea['id']}", "/aide"):
        page = text(browser.get(path))
        assert ('href="/notifications" id="notifications-link">Notifications '
                '<span aria-hidden="true">(2)</span>'
                '<span class="visually-hidden">(2 non lues)</span></a>') in page, path


def test_the_header_asks_the_count_once_per_page(browser, sign_in, fake):
    sign_in("agnes")
    fake.calls.clear()

    browser.get("/")

    assert [c for c in fake.calls if c[0] == "list_notifications"] == [
        ("list_notifications", (), {"limit": 0})]


def test_no_unread_notification_is_said_plainly(browser, sign_in):
    sign_in("agnes")

    assert '<span class="visually-hidden">(0 non lue)</span>' in text(
        browser.get("/"))


def test_a_page_renders_without_the_count_when_the_notifications_api_fails(
        browser, sign_in, fake):
    sign_in("agnes")
    fake.refuse("list_notifications", 503, "Service indisponible.")

    page = browser.get("/")

    assert page.status_code == 200
    assert 'id="notifications-link">Notifications</a>' in text(page)


def test_nobody_signed_in_has_no_notifications_link(browser, fake):
    page = text(browser.get("/aide"))

    assert "notifications-link" not in page
    assert not [c for c in fake.calls if c[0] == "list_notifications"]


# ---- the centre ----------------------------------------------------------------------------

def test_the_centre_lists_the_notifications_newest_first_unread_ones_marked(
        browser, sign_in, fake, idea):
    sign_in("agnes")
    first = fake.notify("agnes", "comment", link=f"/ideas/{idea['id']}#commentaire-c1",
                        excerpt="Et des arbres, surtout.")
    second = fake.notify("agnes", "status", status="accepted", actor=None,
                         note="Nous installons trois bancs.")
    first["read"] = True

    page = text(browser.get("/notifications"))

    assert page.index("La modération a changé le statut") < page.index("a commenté")
    assert f'href="/ideas/{idea["id"]}#commentaire-c1"' in page
    assert "« Nous installons trois bancs. »" in page and "« Et des arbres, surtout. »" in page
    assert page.count(">Non lue</span>") == 1  # the word says it, not a colour alone
    assert page.count(">Marquer comme lue</button>") == 1
    assert f'aria-describedby="notification-{second["id"]}-texte"' in page
    assert "1 notification non lue." in page
    assert 'href="/notifications/preferences"' in page


def test_marking_one_as_read_comes_back_to_the_list(browser, sign_in, fake):
    fake.add_idea()
    sign_in("agnes")
    older, newer = fake.notify("agnes"), fake.notify("agnes")
    page = browser.get("/notifications?unread=1")

    answer = browser.post("/notifications/read", data={
        "csrf_token": csrf_of(page), "ids": older["id"], "next": "/notifications?unread=1"})

    assert answer.status_code == 303 and answer.location.endswith("/notifications?unread=1")
    assert older["read"] and not newer["read"]
    after = text(browser.get(answer.location))
    assert "Notification marquée comme lue." in after and "1 notification non lue." in after


def test_marking_all_as_read(browser, sign_in, fake):
    fake.add_idea()
    sign_in("agnes")
    for _ in range(3):
        fake.notify("agnes")
    page = browser.get("/notifications")
    assert ">Tout marquer comme lu</button>" in text(page)

    answer = browser.post("/notifications/read", data={"csrf_token": csrf_of(page), "all": "1"})

    assert all(n["read"] for n in fake.notifications["agnes"])
    after = text(browser.get(answer.location))
    assert "Toutes vos notifications sont marquées comme lues." in after
    assert ">Tout marquer comme lu</button>" not in after
    assert "(0 non lue)" in after


def test_marking_read_needs_the_forms_token(browser, sign_in, fake):
    fake.add_idea()
    sign_in("agnes")
    fake.notify("agnes")

    assert browser.post("/notifications/read", data={"all": "1"}).status_code == 400
    assert not fake.notifications["agnes"][0]["read"]


def test_the_unread_filter_and_the_empty_states(browser, sign_in, fake):
    fake.add_idea()
    sign_in("agnes")
    assert "Aucune notification pour l'instant." in text(browser.get("/notifications"))

    fake.notify("agnes")["read"] = True

    only_unread = text(browser.get("/notifications?unread=1"))
    assert "Aucune notification non lue : vous êtes à jour." in only_unread
    assert 'id="unread" name="unread" value="1" checked' in only_unread
    assert "a commenté" in text(browser.get("/notifications"))


def test_the_centre_pages_by_the_apis_cursor(browser, sign_in, fake):
    fake.add_idea()
    sign_in("agnes")
    for _ in range(25):
        fake.notify("agnes")

    first = text(browser.get("/notifications?unread=1"))
    assert first.count('class="notification unread"') == 20
    next_page = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "unread=1" in next_page and "cursor=20" in next_page

    second = text(browser.get(next_page))
    assert second.count('class="notification unread"') == 5
    assert ">Première page</a>" in second and 'rel="next"' not in second


def test_people_s_words_in_a_notification_stay_text(browser, sign_in, fake):
    idea = fake.add_idea(f"Titre {SCRIPT}")
    sign_in("agnes")
    fake.notify("agnes", "status", idea=idea, status="accepted", note=ATTRIBUTE,
                actor={"id": "x", "name": SCRIPT})
    fake.notify("agnes", "comment", idea=idea, actor={"id": "x", "name": SCRIPT})

    page = text(browser.get("/notifications"))

    assert SCRIPT not in page and ATTRIBUTE not in page


def test_the_centre_needs_a_sign_in(browser):
    answer = browser.get("/notifications")

    assert answer.status_code == 303 and "/signin" in answer.location


# ---- the preferences -----------------------------------------------------------------------

def test_the_preferences_show_what_the_api_holds(browser, sign_in):
    sign_in("agnes")

    page = text(browser.get("/notifications/preferences"))

    assert '<label for="mail-comment">Un nouveau commentaire sur une idée que je suis</label>' \
        in page
    assert re.search(r'id="mail-status".*?<option value="immediate" selected>immédiatement',
                     page, re.S)
    assert re.search(r'id="mail-comment".*?<option value="daily" selected>résumé quotidien',
                     page, re.S)
    assert 'id="follow_on_support" name="follow_on_support" value="1" checked' in page
    assert ">Enregistrer mes préférences</button>" in page


def test_saving_the_preferences_puts_them_and_says_so(browser, sign_in, fake):
    sign_in("agnes")
    page = browser.get("/notifications/preferences")

    answer = browser.post("/notifications/preferences", data={
        "csrf_token": csrf_of(page), "mail-comment": "never", "mail-status": "weekly",
        "mail-reply": "made-up", "follow_on_comment": "1", "language": "en"})

    assert answer.status_code == 303
    saved = [c for c in fake.calls if c[0] == "save_notification_preferences"][0][1][0]
    assert saved["mail"] == {"comment": "never", "status": "weekly"}  # the rest as they were
    assert saved["follow_on_support"] is False and saved["follow_on_comment"] is True
    assert saved["language"] == "en"
    after = text(browser.get(answer.location))
    assert "Vos préférences de notification sont enregistrées." in after
    assert re.search(r'id="mail-comment".*?<option value="never" selected>', after, re.S)


def test_a_refused_preference_is_shown_beside_the_form(browser, sign_in, fake):
    sign_in("agnes")
    page = browser.get("/notifications/preferences")
    fake.refuse("save_notification_preferences", 422, "Données invalides.",
                {"language": ["Langue inconnue."]})

    answer = browser.post("/notifications/preferences", data={
        "csrf_token": csrf_of(page), "language": "fr"})

    assert answer.status_code == 422 and "Langue inconnue." in text(answer)


def test_my_space_leads_to_the_notifications_and_their_preferences(browser, sign_in):
    sign_in("agnes")

    page = text(browser.get("/me"))

    assert 'href="/notifications"' in page and 'href="/notifications/preferences"' in page


# ---- following an idea ---------------------------------------------------------------------

def test_following_an_idea_from_its_page(browser, sign_in, fake, idea):
    sign_in("joel")
    page = browser.get(f"/ideas/{idea['id']}")
    assert "Vous ne suivez pas cette idée." in text(page)
    assert ">Suivre cette idée</button>" in text(page)

    answer = browser.post(f"/ideas/{idea['id']}/follow", data={
        "csrf_token": csrf_of(page), "next": f"/ideas/{idea['id']}#suivre"})

    assert answer.status_code == 303 and answer.location.endswith(f"/ideas/{idea['id']}#suivre")
    assert ("joel", idea["id"]) in fake.follows
    after = text(browser.get(f"/ideas/{idea['id']}"))
    assert "Vous suivez cette idée : vous serez averti·e de ce qui lui arrive." in after
    assert ">Ne plus suivre</button>" in after

    browser.post(f"/ideas/{idea['id']}/unfollow", data={"csrf_token": csrf_of(page)})

    assert ("joel", idea["id"]) not in fake.follows
    assert "Vous ne suivez plus cette idée." in text(browser.get(f"/ideas/{idea['id']}"))


def test_the_idea_page_renders_without_the_button_when_the_follow_api_fails(
        browser, sign_in, fake, idea):
    sign_in("joel")
    fake.refuse("get_follow", 503, "Service indisponible.")

    page = browser.get(f"/ideas/{idea['id']}")

    assert page.status_code == 200 and "Suivre cette idée" not in text(page)


def test_following_an_unknown_idea_says_so(browser, sign_in, fake, idea):
    sign_in("joel")
    page = browser.get(f"/ideas/{idea['id']}")

    answer = browser.post("/ideas/nope/follow", data={"csrf_token": csrf_of(page)})

    assert answer.status_code == 303
    assert "Idée introuvable." in text(browser.get("/"))


# ---- a mail's unsubscribe link -------------------------------------------------------------

def test_opening_the_unsubscribe_link_asks_and_changes_nothing(browser, fake):
    page = browser.get("/notifications/unsubscribe?token=genuine")

    assert page.status_code == 200
    assert re.search(r'<button type="submit"[^>]*>Ne plus recevoir ces messages</button>',
                     text(page))
    assert not [c for c in fake.calls if c[0] == "unsubscribe_from_notifications"]


def test_the_unsubscribe_button_confirms_in_words(browser, fake):
    page = browser.get("/notifications/unsubscribe?token=genuine")

    answer = browser.post("/notifications/unsubscribe",
                          data={"csrf_token": csrf_of(page), "token": "genuine"})

    assert answer.status_code == 200 and "Vous ne recevrez plus ces messages." in text(answer)
    assert 'href="/notifications/preferences"' in text(answer)
    assert ("unsubscribe_from_notifications", ("genuine",), {}) in fake.calls


def test_a_bad_unsubscribe_link_leads_to_the_preferences(browser):
    page = browser.get("/notifications/unsubscribe?token=forged")

    answer = browser.post("/notifications/unsubscribe",
                          data={"csrf_token": csrf_of(page), "token": "forged"})

    assert answer.status_code == 404 and "invalide" in text(answer)
    assert 'href="/notifications/preferences"' in text(answer)
    assert 'href="/digest"' not in text(answer)


def test_the_unsubscribe_page_speaks_english_when_the_mail_did(browser):
    page = text(browser.get("/notifications/unsubscribe?token=genuine&lang=en"))

    assert '<html lang="en">' in page and ">Stop these messages</button>" in page


def test_following_an_unread_notification_marks_it_read_and_leads_to_its_place(
        browser, sign_in, fake, idea):
    sign_in("agnes")
    item = fake.notify("agnes", link=f"/ideas/{idea['id']}#commentaire-c1")
    centre = text(browser.get("/notifications"))
    opening = re.search(r'href="([^"]*/ouvrir[^"]*)"', centre).group(1).replace("&amp;", "&")

    followed = browser.get(opening)

    assert followed.status_code == 303
    assert followed.headers["Location"] == f"/ideas/{idea['id']}#commentaire-c1"
    assert fake.notifications["agnes"][0]["read"] is True
    assert "Aucune notification non lue." in text(browser.get("/notifications"))
    assert item["id"] in opening


def test_a_notification_link_leads_nowhere_outside_the_pages(browser, sign_in, fake, idea):
    sign_in("agnes")
    fake.notify("agnes")
    away = browser.get("/notifications/n1/ouvrir?to=https://ailleurs.example/piege")
    assert away.status_code == 303 and away.headers["Location"] == "/notifications"
