"""Every page of the web contract, in French and in English, in both themes (ours through
the gateway, the State design system's on the test stack's HUB_THEME=dsfr web app, in French
only: its texts are the same templates'): axe-core finds no serious or critical violation, the
page fits a 360-pixel phone without sideways scrolling, the CSP refuses nothing the page needs
(the DSFR's CSS and fonts included), and a screenshot at each width is kept as an artefact."""
import pytest
from playwright.sync_api import expect

from tests.browser.axe import BLOCKING, count_by_impact, describe, violations


# (name of the screenshot, path, who is signed in, expected status)
PAGES = [
    ("signin", "/signin", None, 200),
    ("home-signed-out", "/", None, 200),  # the sign-in page: reading needs a sign-in
    ("home-agent", "/", "joel", 200),
    ("home-manager-export", "/?sort=top", "aurelie", 200),  # with the Exporter block
    ("propose", "/ideas/new", "agnes", 200),
    ("idea", "/ideas/{idea}", "joel", 200),
    ("idea-moderator", "/ideas/{idea}", "maelle", 200),
    ("idea-implementation", "/ideas/{followed}", "joel", 200),
    ("idea-implementation-moderator", "/ideas/{followed}", "maelle", 200),
    ("call-results", "/appels/{campaign}/resultats", "joel", 200),
    ("moderation", "/moderation", "maelle", 200),
    ("moderation-comments", "/moderation/commentaires", "maelle", 200),
    ("moderation-log", "/moderation/log", "maelle", 200),
    ("moderation-duplicates", "/moderation/duplicates", "maelle", 200),
    ("digest", "/digest", "aurelie", 200),
    ("stats", "/statistiques", "aurelie", 200),
    ("digest-unsubscribe", "/digest/unsubscribe?token=from-a-mail", None, 200),
    ("digest-confirm-address", "/digest/confirm-address?token=from-a-mail", None, 200),
    ("me", "/me", "agnes", 200),
    ("erase-account", "/me/supprimer", "agnes", 200),
    ("notifications", "/notifications", "agnes", 200),
    ("notification-preferences", "/notifications/preferences", "agnes", 200),
    ("notifications-unsubscribe", "/notifications/unsubscribe?token=from-a-mail", None, 200),
    ("admin-people", "/admin/personnes", "lea", 200),
    ("admin-person", "/admin/personnes/lea", "lea", 200),
    # Calls for ideas: the list, a call's page (as an agent; as its evaluator, with the
    # evaluation link), proposing into it, launching and changing one.
    ("calls", "/appels", "joel", 200),
    ("call", "/appels/{call}", "joel", 200),
    ("call-evaluator", "/appels/{call}", "maelle", 200),
    ("propose-into-call", "/ideas/new?appel={call}", "agnes", 200),
    ("call-new", "/appels/nouveau", "maelle", 200),
    ("call-edit", "/appels/{call}/modifier", "maelle", 200),
    # Evaluation of a call's ideas: Joël evaluates, Maëlle moderates.
    ("evaluation-evaluator", "/appels/{evaluated}/evaluation", "joel", 200),
    ("evaluation-table", "/appels/{evaluated}/evaluation", "maelle", 200),
    ("evaluation-form", "/ideas/{called}/evaluation", "joel", 200),
    ("evaluation-idea-moderator", "/ideas/{called}/evaluation", "maelle", 200),
    ("not-found", "/ideas/0000", "joel", 404),
    ("forbidden", "/moderation", "joel", 403),
    ("signin-refused", "/auth/callback?state=forged&code=forged", None, 400),
    # An author's own idea: edited, withdrawn (each asks first), hidden (why, and contest);
    # the hidden idea as the moderator who may restore it or confirm its hiding.
    ("idea-edit", "/ideas/{own}/edit", "agnes", 200),
    ("idea-withdraw", "/ideas/{own}/withdraw", "agnes", 200),
    ("idea-hidden-author", "/ideas/{hidden}", "agnes", 200),
    ("idea-hidden-moderator", "/ideas/{hidden}", "maelle", 200),
    # The mentions every footer links to, readable before signing in.
    ("accessibility", "/accessibilite", None, 200),
    ("legal-notice", "/mentions-legales", None, 200),
    ("personal-data", "/donnees-personnelles", None, 200),
    ("terms", "/conditions-utilisation", None, 200),
    ("help", "/aide", None, 200),
]
THEMES = [("ideahub", "fr"), ("ideahub", "en"), ("dsfr", "fr")]
# Every page's footer states the conformity level the stack declares (HUB_ACCESSIBILITY).
LEVEL = {"fr": "Accessibilité : partiellement conforme",
         "en": "Accessibility: partially compliant"}


@pytest.mark.parametrize("theme, lang", THEMES, ids=[f"{t}-{l}" for t, l in THEMES])
@pytest.mark.parametrize("name, path, person, status", PAGES, ids=[p[0] for p in PAGES])
def test_page_is_accessible_and_fits_a_phone(name, path, person, status, theme, lang, request,
                                             sample_idea, sample_call, sample_results,
                                             sample_evaluation, agnes_ideas,
                                             axe_source, axe_report, screenshot):
    reader = request.getfixturevalue("dsfr_tab" if theme == "dsfr" else "tab")(person, lang)

    response = reader.goto(path.format(idea=sample_idea, call=sample_call, **sample_results,
                                       **sample_evaluation, **agnes_ideas))

    assert response.status == status, f"{path} answered {response.status}"
    expect(reader.page.locator("html")).to_have_attribute("lang", lang)
    expect(reader.page.locator("footer")).to_contain_text(LEVEL[lang])
    found = violations(reader.page, axe_source)
    axe_report[f"{theme}/{name}-{lang}"] = count_by_impact(found)
    shots = screenshot(reader, name)
    blocking = [violation for violation in found if violation["impact"] in BLOCKING]
    assert not blocking, f"axe on {path} ({lang}):\n{describe(blocking)}"
    assert shots[360][1] <= 360, f"{path} scrolls sideways on a phone: {shots[360][1]} px wide"
    assert not reader.csp_violations(), reader.csp_violations()


FAILING_PAGE = ('<html lang="fr"><head><title>Essai</title></head><body><main><h1>Essai</h1>'
                '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
                '<p style="color:#ccc;background:#fff">Texte trop pâle</p></main></body></html>')


def test_axe_finds_what_it_must_in_this_harness(chromium, axe_source):
    """The check above proves something only if axe runs and reports: on a page made to fail,
    it must name the missing alternative text and the pale text."""
    page = chromium.new_page()
    try:
        page.set_content(FAILING_PAGE)
        found = {v["id"]: v["impact"] for v in violations(page, axe_source)}
    finally:
        page.close()
    assert found.get("image-alt") == "critical" and found.get("color-contrast") == "serious", found


def test_each_theme_loads_its_own_look(tab, dsfr_tab):
    """The themes differ in the browser, not only in the markup: ours on warm paper in the
    system's font, the DSFR's in Marianne, its font files served by the hub itself."""
    ours, state = tab(None, "fr"), dsfr_tab(None, "fr")
    ours.goto("/aide")
    state.goto("/aide")
    state.page.evaluate("() => document.fonts.ready")

    style = "() => [getComputedStyle(document.body).fontFamily, getComputedStyle(document.body).backgroundColor]"
    our_font, our_background = ours.page.evaluate(style)
    state_font, _ = state.page.evaluate(style)
    assert our_background == "rgb(251, 248, 243)" and "Marianne" not in our_font
    assert state_font.startswith("Marianne"), state_font
    assert state.page.evaluate("() => [...document.fonts].some(f => f.family.includes("
                               "'Marianne') && f.status === 'loaded')")
    assert not ours.csp_violations() and not state.csp_violations()
