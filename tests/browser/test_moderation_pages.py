"""The moderation pages a phone and a screen reader meet: the log says it scrolls sideways, and
the author of a hidden idea reads why on an accessible page."""
import time

from playwright.sync_api import expect

from tests.browser.axe import BLOCKING, describe, violations


def test_the_moderation_log_says_at_360_px_that_it_scrolls_sideways(tab, sample_idea,
                                                                    screenshot):
    moderator = tab("maelle")
    moderator.goto("/moderation/log")
    moderator.page.set_viewport_size({"width": 360, "height": 800})
    try:
        hint = moderator.page.get_by_text("Faites défiler le tableau de côté")
        expect(hint).to_be_visible()
        wrap = moderator.page.locator("#journal")
        widths = wrap.evaluate("e => [e.scrollWidth, e.clientWidth]")
        page_width = moderator.page.evaluate("() => document.documentElement.scrollWidth")
    finally:
        moderator.page.set_viewport_size({"width": 1280, "height": 800})
    assert widths[0] > widths[1], "the table fits: no hint needed, but then say so"
    assert page_width <= 360
    assert wrap.get_attribute("aria-describedby") == "journal-defiler"
    screenshot(moderator, "moderation-log-scroll")


def test_the_author_of_a_hidden_idea_reads_why_and_may_contest(tab, http, token, axe_source,
                                                              screenshot):
    author = token(sub="agnes", name="Agnès Müller")
    created = http("POST", "/api/ideas", author, json={
        "title": "Un annuaire des agents avec leurs numéros personnels",
        "body": "Pour joindre chacun le soir et le week-end.", "tags": []})
    idea = created.json()["id"]
    hidden = http("POST", f"/api/ideas/{idea}/hide", token(roles=("agent", "moderator")),
                  json={"reason": "Données personnelles d'agents"})
    assert hidden.status_code == 200, hidden.text
    agnes = tab("agnes")

    response = agnes.goto(f"/ideas/{idea}")

    assert response.status == 200
    expect(agnes.page.get_by_role("heading", name="Cette idée est masquée")).to_be_visible()
    expect(agnes.page.get_by_text("Données personnelles d'agents")).to_be_visible()
    expect(agnes.page.get_by_role("button", name="Contester le masquage")).to_be_visible()
    blocking = [v for v in violations(agnes.page, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    shots = screenshot(agnes, "idea-hidden-author")
    assert shots[360][1] <= 360


def test_the_list_filters_fit_a_phone_whatever_the_units_and_tags_in_use(tab, http, token):
    """The filters offer the units and tags in use as typed: the longest must not widen the
    page."""
    author = token(unit="Direction de la modernisation de l'action publique et de la "
                        "transformation numérique territoriale")
    created = http("POST", "/api/ideas", author, json={
        "title": "Une idée au mot-clé très long", "body": "Pour éprouver les filtres.",
        "tags": ["interopérabilitédesservicesnumériques"]})
    assert created.status_code == 201, created.text
    agent = tab("joel")
    agent.page.set_viewport_size({"width": 360, "height": 800})
    try:
        agent.goto_listing("/?sort=new", created.json()["id"])
        expect(agent.page.locator("#unit option", has_text="transformation numérique")
               ).to_have_count(1)
        width = agent.page.evaluate("() => document.documentElement.scrollWidth")
    finally:
        agent.page.set_viewport_size({"width": 1280, "height": 800})
    assert width <= 360


def test_a_moderator_sees_a_possible_duplicate_and_says_it_is_not_one(tab, http, token,
                                                                      axe_source, screenshot):
    """Two ideas worded differently side by side on the moderation page; « Pas un doublon »
    takes them off the list."""
    from tests.helpers import settled

    author = token(sub="agnes", name="Agnès Müller")
    ids = [http("POST", "/api/ideas", author, json={"title": title, "body": body, "tags": []})
           .json()["id"] for title, body in (
        ("Ouvrir la médiathèque le dimanche",
         "Beaucoup de familles ne peuvent venir qu'en fin de semaine."),
        ("Bibliothèque ouverte le week-end",
         "Les parents qui travaillent en semaine ne peuvent pas emprunter de livres."))]
    moderator = token(roles=("agent", "moderator"))

    def offered():
        cursor, found = None, set()
        while True:
            page = http("GET", "/api/moderation/duplicates?limit=100"
                        + (f"&cursor={cursor}" if cursor else ""), moderator).json()
            found |= {(i["a"]["id"], i["b"]["id"]) for i in page["items"]}
            cursor = page["next_cursor"]
            if cursor is None:
                return tuple(ids) in found
    settled(offered, timeout=30, message="pair offered")

    maelle = tab("maelle")
    maelle.goto("/moderation")
    maelle.page.get_by_role("link", name="Doublons possibles").click()
    pair = maelle.page.locator(f"#pair-{ids[0]}-{ids[1]}")
    following = maelle.page.get_by_role("link", name="Page suivante")
    deadline = time.monotonic() + 30
    while not pair.count():
        if following.count():  # other tests' ideas make pairs too: on a later page, maybe
            following.click()
        else:  # the page came from another ideas process, whose computation may still run
            assert time.monotonic() < deadline, "pair never shown"
            time.sleep(0.5)
            maelle.page.get_by_role("link", name="Doublons possibles").click()
    pair.scroll_into_view_if_needed()
    expect(pair.get_by_role("link", name="Ouvrir la médiathèque le dimanche")).to_be_visible()
    expect(pair.get_by_role("link", name="Bibliothèque ouverte le week-end")).to_be_visible()
    blocking = [v for v in violations(maelle.page, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    screenshot(maelle, "moderation-duplicates")

    pair.get_by_role("button", name="Pas un doublon").click()

    expect(maelle.page.get_by_text("ne seront plus proposées comme doublons")).to_be_visible()
    expect(maelle.page.locator(f"#pair-{ids[0]}-{ids[1]}")).to_have_count(0)


def test_the_status_menu_starts_on_the_current_status_and_offers_only_its_next_steps(
        tab, http, token):
    """A note added to a "retenue" idea moved it back to "à l'étude" (issue 17): the menu now
    starts on the current status, offers only what the API allows from it, and a note alone
    or a "non retenue" without one is refused, the idea unmoved."""
    moderator = token(roles=("agent", "moderator"))
    idea = http("POST", "/api/ideas", token(), json={
        "title": "Un composteur pour la cantine", "body": "Les restes nourriraient le jardin.",
        "tags": []}).json()["id"]
    accepted = http("POST", f"/api/ideas/{idea}/status", moderator,
                    json={"status": "accepted", "note": "Retenue pour un essai."})
    assert accepted.status_code == 200, accepted.text
    maelle = tab("maelle")
    maelle.goto(f"/ideas/{idea}")
    menu = maelle.page.get_by_label("Nouveau statut")

    expect(menu.locator("option:checked")).to_have_text("retenue (statut actuel)")
    assert menu.locator("option").all_inner_texts() == [
        "retenue (statut actuel)", "à l'étude", "en cours", "non retenue"]
    maelle.page.get_by_label("Note publique").fill("Le jardin est prêt.")
    maelle.page.get_by_role("button", name="Répondre", exact=True).click()
    expect(maelle.page.locator("#status-erreur")).to_have_text("Choisissez le nouveau statut.")
    maelle.page.get_by_label("Nouveau statut").select_option("rejected")
    maelle.page.get_by_label("Note publique").fill("")
    maelle.page.get_by_role("button", name="Répondre", exact=True).click()
    expect(maelle.page.locator("#note-erreur")).to_contain_text("appelle une explication")
    assert http("GET", f"/api/ideas/{idea}", moderator).json()["status"] == "accepted"
