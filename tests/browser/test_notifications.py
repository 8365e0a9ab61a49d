"""Notifications in Chromium, through the gateway (issue 13): Agnès's header counts what is
unread on every page, her centre lists a colleague's comment on her idea with a link to it,
she marks one read and all read; Joël follows an idea from its page and hears of its next
comment; Léa saves her preferences; a mail's unsubscribe link asks, then confirms. With
JavaScript and without it (every action is a form). The notifications are caused through the
real APIs and arrive from the events within seconds (`eventually`)."""
import email
import email.policy
import mailbox
import os
import re
import uuid
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.browser.axe import BLOCKING, describe, violations
from tests.helpers import eventually

HEADER_COUNT = re.compile(r"^Notifications \((\d+) non lues?\)$")
JS = pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])


def unique(title):
    return f"{title} {uuid.uuid4().hex[:6]}"


@pytest.fixture(scope="module")
def people(token):
    """The demo people's tokens, as the /signin page's people (same sub, name and e-mail)."""
    return {"agnes": token(sub="agnes", name="Agnès Müller", unit="Service urbanisme",
                           email="agnes@example.fr"),
            "joel": token(sub="joel", name="Joël N'Diaye", unit="CCAS", email="joel@example.fr"),
            "lea": token(sub="lea", name="Léa Garnier", unit="Direction du numérique",
                         email="lea@example.fr")}


def propose(http, author, title):
    created = http("POST", "/api/ideas", author, json={
        "title": title, "body": "Une idée pour essayer les notifications du hub.",
        "tags": ["notifications"]})
    assert created.status_code == 201, created.text
    return created.json()["id"]


def followed_by(http, token, follower, title):
    """An idea of a colleague's that `follower` follows: proposals are rate limited per
    person, so only the test about Agnès's own idea has her propose."""
    idea = propose(http, token(), title)
    # The notifications learn of a new idea from its event, a moment after.
    eventually(lambda: http("PUT", f"/api/ideas/{idea}/follow", follower).status_code == 200,
               message="the notifications know the idea")
    return idea


def comment(http, writer, idea_id, body="Bonne idée, je la soutiens."):
    posted = http("POST", f"/api/ideas/{idea_id}/comments", writer, json={"body": body})
    assert posted.status_code == 201, posted.text
    return posted.json()["id"]


def notification(http, who, idea_id, kind):
    """The notification of `kind` about the idea, once the events have made it."""
    def found():
        page = http("GET", "/api/notifications?limit=50", who)
        assert page.status_code == 200, page.text
        return next((n for n in page.json()["items"]
                     if n["idea"]["id"] == idea_id and n["kind"] == kind), None)
    return eventually(found, timeout=20, interval=0.3,
                      message=f"a {kind} notification about {idea_id}")


def header_count(page):
    """The header's count, from what a screen reader hears of the link: "(3 non lues)"."""
    link = page.get_by_role("link", name=HEADER_COUNT)
    expect(link).to_be_visible()
    return int(re.search(r"\((\d+)", link.locator(".visually-hidden").text_content()).group(1))


def item_of(page, text):
    return page.locator("li.notification").filter(has_text=text)


@JS
def test_the_header_counts_and_the_centre_leads_to_a_comment_on_my_idea(
        tab, http, people, js):
    title = unique("Des bancs à l'ombre devant la mairie annexe")
    idea = propose(http, people["agnes"], title)
    comment_id = comment(http, people["joel"], idea)
    expected = notification(http, people["agnes"], idea, "comment")
    agnes = tab("agnes", "fr", js)
    page = agnes.page

    agnes.goto(f"/ideas/{idea}")
    assert header_count(page) >= 1  # every page, this one too
    page.get_by_role("link", name=HEADER_COUNT).click()

    expect(page).to_have_url(re.compile(r"/notifications$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes notifications")
    item = item_of(page, f"Joël N'Diaye a commenté « {title} ».")
    expect(item).to_contain_text("Non lue")
    # Unread, its link passes by /ouvrir, which marks it read on the way to its place.
    expect(item.get_by_role("link")).to_have_attribute("href", re.compile(
        r"^/notifications/[^/]+/ouvrir\?to=" + re.escape(quote(expected["link"], safe="/"))))
    assert expected["link"] == f"/ideas/{idea}#commentaire-{comment_id}"

    item.get_by_role("button", name="Marquer comme lue").click()

    expect(page.get_by_role("status").filter(has_text="Notification marquée comme lue.")) \
        .to_be_visible()
    item = item_of(page, f"Joël N'Diaye a commenté « {title} ».")
    expect(item).not_to_contain_text("Non lue")
    expect(item.get_by_role("button", name="Marquer comme lue")).to_have_count(0)
    assert notification(http, people["agnes"], idea, "comment")["read"] is True

    page.get_by_label("Non lues seulement").check()
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(r"/notifications\?unread=1$"))
    expect(item_of(page, title)).to_have_count(0)

    agnes.goto("/notifications")
    item_of(page, f"Joël N'Diaye a commenté « {title} ».").get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/ideas/{idea}#commentaire-{comment_id}$"))
    expect(page.locator(f"#commentaire-{comment_id}")).to_contain_text(
        "Bonne idée, je la soutiens.")


@JS
def test_marking_all_as_read_empties_the_count(tab, http, people, token, js):
    title = unique("Un registre partagé des salles de réunion")
    idea = followed_by(http, token, people["agnes"], title)
    comment(http, people["joel"], idea)
    comment(http, people["lea"], idea, "Et les visios aussi, s'il vous plaît.")
    notification(http, people["agnes"], idea, "comment")
    eventually(lambda: len([n for n in http("GET", "/api/notifications?limit=50",
                                            people["agnes"]).json()["items"]
                            if n["idea"]["id"] == idea]) == 2, timeout=20,
               message="both comments notified")
    agnes = tab("agnes", "fr", js)
    page = agnes.page
    agnes.goto("/notifications")
    expect(item_of(page, title)).to_have_count(2)

    page.get_by_role("button", name="Tout marquer comme lu").click()

    expect(page.get_by_role("status").filter(
        has_text="Toutes vos notifications sont marquées comme lues.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications (0 non lue)")).to_be_visible()
    expect(page.get_by_role("button", name="Tout marquer comme lu")).to_have_count(0)
    expect(page.locator("li.notification.unread")).to_have_count(0)
    assert http("GET", "/api/notifications?limit=0", people["agnes"]).json()["unread"] == 0


@JS
def test_following_an_idea_from_its_page_brings_its_next_comment(tab, http, people, token,
                                                                js):
    title = unique("Des gourdes à la place des bouteilles en réunion")
    idea = propose(http, token(), title)
    joel = tab("joel", "fr", js)
    page = joel.page
    joel.goto(f"/ideas/{idea}")
    expect(page.get_by_text("Vous ne suivez pas cette idée.")).to_be_visible()

    page.get_by_role("button", name="Suivre cette idée").click()

    expect(page.get_by_role("status").filter(has_text="Vous suivez cette idée")) \
        .to_be_visible()
    expect(page.get_by_role("button", name="Ne plus suivre")).to_be_visible()
    assert http("GET", f"/api/ideas/{idea}/follow", people["joel"]).json() == {
        "following": True}
    comment(http, token(name="Sam Colin"), idea, "Et une fontaine à chaque étage.")
    notification(http, people["joel"], idea, "comment")
    joel.goto("/notifications")
    expect(item_of(page, f"Sam Colin a commenté « {title} ».")).to_contain_text("Non lue")

    joel.goto(f"/ideas/{idea}")
    page.get_by_role("button", name="Ne plus suivre").click()

    expect(page.get_by_role("status").filter(has_text="Vous ne suivez plus cette idée.")) \
        .to_be_visible()
    expect(page.get_by_role("button", name="Suivre cette idée")).to_be_visible()
    assert http("GET", f"/api/ideas/{idea}/follow", people["joel"]).json() == {
        "following": False}


@JS
def test_the_preferences_page_saves_what_is_chosen(tab, http, people, js):
    held = http("GET", "/api/notifications/preferences", people["lea"])
    assert held.status_code == 200, held.text
    lea = tab("lea", "fr", js)
    page = lea.page
    try:
        lea.goto("/me")
        page.get_by_role("link", name="Mes préférences de notification").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Mes préférences de notification")

        page.get_by_label("Un nouveau commentaire sur une idée que je suis").select_option(
            label="jamais")
        page.get_by_label("Une idée que je suis change de statut").select_option(
            label="résumé hebdomadaire")
        page.get_by_label("Suivre les idées que je soutiens").uncheck()
        page.get_by_label("Langue des courriels").select_option("en")
        page.get_by_role("button", name="Enregistrer mes préférences").click()

        expect(page.get_by_role("status").filter(
            has_text="Vos préférences de notification sont enregistrées.")).to_be_visible()
        expect(page.get_by_label("Un nouveau commentaire sur une idée que je suis")) \
            .to_have_value("never")
        expect(page.get_by_label("Suivre les idées que je soutiens")).not_to_be_checked()
        saved = http("GET", "/api/notifications/preferences", people["lea"]).json()
        assert saved["mail"]["comment"] == "never" and saved["mail"]["status"] == "weekly"
        assert saved["follow_on_support"] is False and saved["language"] == "en"
    finally:
        http("PUT", "/api/notifications/preferences", people["lea"], json=held.json())


def test_a_bad_unsubscribe_link_says_what_to_do(tab):
    nobody = tab(None, "fr", False)
    page = nobody.page

    response = nobody.goto("/notifications/unsubscribe?token=forged")
    assert response.status == 200  # asking changes nothing, whatever the token
    page.get_by_role("button", name="Ne plus recevoir ces messages").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Lien de désabonnement invalide")
    expect(page.get_by_role("link", name="Mes préférences de notification")).to_be_visible()


def mails_about(address, title):
    box = mailbox.Maildir(os.environ["HUB_MAILDIR"], factory=None, create=False)
    found = []
    for key in box.keys():
        message = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
        if address in str(message["To"]) and title in message.get_body(
                ("plain",)).get_content():
            found.append(message)
    return found


@JS
def test_a_mails_unsubscribe_link_asks_then_turns_that_kind_off(tab, http, token, js):
    """Maëlle signs in (so the hub knows her address), wants status changes at once, and
    proposes; another moderator answers; the mail's one-click link, opened in a browser,
    asks first, then turns status mails off."""
    tab("maelle", "fr", js)
    maelle = token(sub="maelle", name="Maëlle Le Goff", roles=("agent", "moderator"),
                   unit="Direction générale", email="maelle@example.fr")
    held = http("GET", "/api/notifications/preferences", maelle).json()
    try:
        set_mail = http("PUT", "/api/notifications/preferences", maelle,
                        json={"mail": {"status": "immediate"}})
        assert set_mail.status_code == 200, set_mail.text
        title = unique("Un affichage des horaires en braille")
        idea = propose(http, maelle, title)
        answered = http("POST", f"/api/ideas/{idea}/status", token(roles=("agent", "moderator")),
                        json={"status": "under_review", "note": "Nous regardons avec l'accueil."})
        assert answered.status_code < 300, answered.text
        [message] = eventually(lambda: mails_about("maelle@example.fr", title), timeout=30,
                               interval=0.5, message="the status mail to Maëlle")
        link = re.search(r"<(https?://[^>]+)>", str(message["List-Unsubscribe"])).group(1)
        reader = tab(None, "fr", js)
        page = reader.page

        reader.goto(link)  # the API's GET sends the browser on to the page, which only asks

        expect(page).to_have_url(re.compile(r"/notifications/unsubscribe\?token="))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Ne plus recevoir ces messages")
        assert http("GET", "/api/notifications/preferences", maelle).json()["mail"][
            "status"] == "immediate"
        page.get_by_role("button", name="Ne plus recevoir ces messages").click()

        expect(page.get_by_text("Vous ne recevrez plus ces messages.")).to_be_visible()
        expect(page.get_by_role("link", name="Mes préférences de notification")).to_be_visible()
        assert http("GET", "/api/notifications/preferences", maelle).json()["mail"][
            "status"] == "never"
    finally:
        http("PUT", "/api/notifications/preferences", maelle, json=held)


@pytest.mark.parametrize("theme", ["ideahub", "dsfr"])
def test_a_full_centre_is_axe_clean_and_fits_a_phone(request, http, people, token, axe_source,
                                                     screenshot, theme):
    """The axe run over every page (test_pages_axe.py) may find Agnès's centre empty: here it
    holds unread and read notifications, with their forms."""
    idea = followed_by(http, token, people["agnes"], unique("Une boîte à livres dans le hall"))
    comment(http, people["joel"], idea)
    item = notification(http, people["agnes"], idea, "comment")
    comment(http, people["lea"], idea, "Et un coin lecture pour les enfants.")
    http("POST", "/api/notifications/read", people["agnes"], json={"ids": [item["id"]]})
    reader = request.getfixturevalue("dsfr_tab" if theme == "dsfr" else "tab")("agnes", "fr")

    for path, name in (("/notifications", "notifications-full"),
                       ("/notifications/preferences", "notification-preferences"),
                       (f"/ideas/{idea}", "idea-follow")):
        assert reader.goto(path).status == 200
        blocking = [v for v in violations(reader.page, axe_source) if v["impact"] in BLOCKING]
        assert not blocking, f"axe on {path}:\n{describe(blocking)}"
        shots = screenshot(reader, name)
        assert shots[360][1] <= 360, f"{path} scrolls sideways on a phone: {shots[360][1]} px"
        assert not reader.csp_violations(), reader.csp_violations()
