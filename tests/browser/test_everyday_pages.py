"""Issue 17's everyday frictions, in Chromium through the gateway: what proposing says (too
long, too short, published), where one is (breadcrumb, status badge), what the idea page
offers its author and the others (the report form closed, no support or report of one's own
idea), dates the French way, and the moderator's status menu."""
import re
import uuid

from playwright.sync_api import expect


def propose_without_javascript(agent, title, body):
    """Fill and send the form; once more if the similar-idea hint came first."""
    page = agent.page
    agent.goto("/ideas/new")
    page.get_by_label("Titre").fill(title)
    page.get_by_label("Description").fill(body)
    page.get_by_role("button", name="Proposer l'idée").click()
    if page.get_by_role("heading", name="Une idée proche existe peut-être").is_visible():
        page.get_by_role("button", name="Proposer l'idée").click()


def test_a_title_too_long_or_too_short_is_said_in_plain_french_with_the_text_kept(tab):
    agnes = tab("agnes", js=False)
    long_title = ("Un très long titre " * 264).strip()  # 5,015 characters

    propose_without_javascript(agnes, long_title, "Une description assez longue.")

    error = agnes.page.locator("#title-erreur")
    expect(error).to_have_text("Titre : entre 5 et 140 caractères (5\u202f015 saisis).")
    expect(agnes.page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
    expect(agnes.page.get_by_label("Titre")).to_have_value(long_title)
    assert "Données invalides" not in agnes.page.content()

    propose_without_javascript(agnes, "Vél", "Une description assez longue.")
    expect(agnes.page.locator("#title-erreur")).to_have_text(
        "Titre : entre 5 et 140 caractères (3 saisis).")


def test_a_published_idea_says_so_with_a_breadcrumb_and_a_status_badge(tab):
    agnes = tab("agnes", js=False)
    title = f"Des plantes vertes dans le hall {uuid.uuid4().hex[:6]}"

    propose_without_javascript(agnes, title, "Le hall d'accueil est triste et sans air.")

    expect(agnes.page).to_have_url(re.compile(r"/ideas/[^/?#]+$"))
    expect(agnes.page.get_by_role("status")).to_contain_text("Votre idée est publiée")
    trail = agnes.page.get_by_role("navigation", name="Vous êtes ici :")
    expect(trail.get_by_role("link", name="Idées")).to_have_attribute("href", "/")
    expect(trail.locator("[aria-current='page']")).to_have_text(title)
    badge = agnes.page.locator("article .meta").get_by_text("proposée", exact=True)
    expect(badge).to_have_class(re.compile(r"\bbadge\b"))
    # Its author: edit and withdraw, never support or report.
    expect(agnes.page.get_by_role("link", name="Modifier mon idée")).to_be_visible()
    expect(agnes.page.get_by_role("link", name="Retirer mon idée")).to_be_visible()
    expect(agnes.page.get_by_role("button", name="Soutenir")).to_have_count(0)
    expect(agnes.page.get_by_text("Signaler cette idée à la modération")).to_have_count(0)


def test_the_report_form_waits_closed_until_asked_for(tab, sample_idea):
    joel = tab("joel")
    joel.goto(f"/ideas/{sample_idea}")

    summary = joel.page.get_by_text("Signaler cette idée à la modération")
    reason = joel.page.locator("#reason")
    expect(summary).to_be_visible()
    expect(reason).to_be_hidden()
    summary.click()
    expect(reason).to_be_visible()


def test_a_calls_dates_read_the_french_way(tab, sample_call):
    joel = tab("joel")
    joel.goto(f"/appels/{sample_call}")

    text = joel.page.locator("main").inner_text()
    # "1er décembre 2026 à 9 h 00", its spaces unbreakable.
    assert re.search(r"\b(1er|[12]?\d|3[01])\s(janvier|février|mars|avril|mai|juin|juillet|"
                     r"août|septembre|octobre|novembre|décembre)\s\d{4}\sà\s\d{1,2}\sh\s\d{2}\b",
                     text), text
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}", text), text
