"""The journey of issue 6 in Chromium, through the gateway: an agent proposes an idea after
the similar-idea hint, a second agent supports it from the list, a moderator answers it with
a public note, a manager previews this week's digest and finds it. Once with JavaScript (the
hint while typing, the support without a reload) and once without it for the agents' part
(plain forms that come back where they were)."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.helpers import eventually



def existing_idea(http, token, title):
    response = http("POST", "/api/ideas", token(), json={
        "title": title, "body": "Proposée avant le parcours, pour que l'indice la trouve.",
        "tags": ["parcours"]})
    assert response.status_code == 201, response.text
    return response.json()


def similar_hint(page, text):
    """The live region the hint lives in (the contract: aria-live, under its heading)."""
    return page.locator("[aria-live='polite']").filter(
        has=page.get_by_role("heading", name=text["similar_heading"]))


def idea_id_of(page):
    expect(page).to_have_url(re.compile(r"/ideas/[^/?#]+$"))
    return page.url.rsplit("/", 1)[-1]


def this_week():
    """The current ISO week in Paris, the digest's calendar: 2026-W48."""
    year, week, _ = datetime.now(ZoneInfo("Europe/Paris")).isocalendar()
    return f"{year}-W{week:02d}"


def propose(agent, body, tags):
    page, text = agent.page, agent.text
    page.get_by_label(text["description"]).fill(body)
    page.get_by_label(text["tags"]).fill(tags)
    page.get_by_role("button", name=text["propose_submit"]).click()


def answer_as_moderator(moderator, idea_id, note):
    page, text = moderator.page, moderator.text
    moderator.goto(f"/ideas/{idea_id}")
    page.get_by_label(text["new_status"]).select_option("accepted")
    page.get_by_label(text["public_note"]).fill(note)
    page.get_by_role("button", name=text["answer"]).click()
    timeline = page.locator("section").filter(
        has=page.get_by_role("heading", name=text["timeline"]))
    expect(timeline.get_by_role("listitem").filter(has_text=note)).to_be_visible()


def digest_preview_shows(manager, title):
    """The manager follows Agnès's unit, then previews this week: the idea is there. The
    digest service learns of ideas from their events, so the manager previews again until it
    has (polling, not sleeping)."""
    page, text = manager.page, manager.text
    manager.goto("/digest")
    # The subscription form's labels are the web service's own (the contract names none);
    # units are ticked among those in use.
    page.get_by_label("Service urbanisme", exact=True).check()
    page.get_by_role("button", name="Enregistrer mon abonnement").click()
    expect(page.get_by_role("status")).to_contain_text("abonnement est enregistré")
    # The preview starts on the week in progress, what the next digest holds so far.
    expect(page.get_by_label(text["week"]).locator("option:checked")).to_have_attribute(
        "value", this_week())
    preview = page.locator("section").filter(
        has=page.get_by_role("heading", name=text["digest_preview"]))

    def previewed():
        with page.expect_navigation():
            page.get_by_role("button", name=text["preview"]).click()
        return title in preview.inner_text()
    eventually(previewed, timeout=20, interval=0.5, message="the preview lists the idea")


def test_the_journey_with_javascript(tab, http, token):
    existing = existing_idea(http, token, "Installer des fontaines à eau dans chaque service")
    title = "Des fontaines à eau dans les services municipaux"
    agnes, joel = tab("agnes"), tab("joel")
    note = "Retenue : les services techniques posent les fontaines au printemps."

    agnes.goto("/")
    agnes.page.get_by_role("navigation").get_by_role("link", name=agnes.text["nav_propose"]).click()
    expect(agnes.page.get_by_role("heading", name=agnes.text["propose_heading"])).to_be_visible()
    agnes.page.get_by_label(agnes.text["title"]).press_sequentially(title)
    hint = similar_hint(agnes.page, agnes.text)
    expect(hint.get_by_role("link", name=existing["title"])).to_be_visible()
    propose(agnes, "Une fontaine par étage éviterait les bouteilles en plastique.",
            "eau, environnement")
    idea_id = idea_id_of(agnes.page)
    expect(agnes.page.get_by_role("heading", level=1)).to_have_text(title)

    joel.goto_listing("/?sort=new", idea_id)
    joel.page.evaluate("() => { window.stillTheSamePage = true; }")
    item = joel.page.locator(f"#idea-{idea_id}")
    expect(item.locator(".support-count")).to_have_text(joel.text["no_supports"])
    item.get_by_role("button", name=joel.text["support"], exact=True).click()
    expect(item.get_by_role("button", name=joel.text["unsupport"])).to_have_attribute(
        "aria-pressed", "true")
    expect(item.locator(".support-count")).to_have_text(re.compile(r"\b1\b"))
    assert joel.page.evaluate("() => window.stillTheSamePage === true"), "the page reloaded"

    answer_as_moderator(tab("maelle"), idea_id, note)
    digest_preview_shows(tab("aurelie"), title)


def test_the_journey_without_javascript_for_the_agents(tab, http, token):
    existing = existing_idea(http, token, "Une boîte à livres dans la salle de pause")
    title = "Boîte à livres partagée en salle de pause"
    agnes, joel = tab("agnes", js=False), tab("joel", js=False)
    comment = "J'apporte une étagère et mes romans policiers."

    agnes.goto("/ideas/new")
    agnes.page.get_by_label(agnes.text["title"]).fill(title)
    propose(agnes, "Chacun dépose un livre lu, en prend un autre : rien à gérer.", "culture")
    # Without JavaScript the hint comes after a first submit, which keeps what was typed.
    hint = similar_hint(agnes.page, agnes.text)
    expect(hint.get_by_role("link", name=existing["title"])).to_be_visible()
    expect(agnes.page.get_by_label(agnes.text["title"])).to_have_value(title)
    agnes.page.get_by_role("button", name=agnes.text["propose_submit"]).click()
    idea_id = idea_id_of(agnes.page)

    joel.goto_listing("/?sort=new", idea_id)
    item = joel.page.locator(f"#idea-{idea_id}")
    item.get_by_role("button", name=joel.text["support"], exact=True).click()
    # Back in the list, at the idea: the form's 303 names its anchor.
    expect(joel.page).to_have_url(re.compile(rf"/\?sort=new#idea-{idea_id}$"))
    expect(item.get_by_role("button", name=joel.text["unsupport"])).to_have_attribute(
        "aria-pressed", "true")
    expect(item.locator(".support-count")).to_have_text(re.compile(r"\b1\b"))

    joel.goto(f"/ideas/{idea_id}")
    joel.page.get_by_label(joel.text["comment_field"]).fill(comment)
    joel.page.get_by_role("button", name=joel.text["comment_submit"]).click()
    # As a paragraph: the text is also in its (closed) edit form's field.
    expect(joel.page.get_by_role("paragraph").filter(has_text=comment)).to_be_visible()

    answer_as_moderator(tab("maelle"), idea_id, "Retenue : l'étagère arrive lundi.")
    digest_preview_shows(tab("aurelie"), title)
