"""Real Chromium against the test stack's gateway: one browser for this folder, one tab per
(person, language, JavaScript on/off) signed in through the /signin page and reused, axe-core
and screenshots at desktop and phone widths.

The fixtures live as long as this package, not the session: Playwright's sync API leaves its
event loop marked as running in the main thread, which would break any later test calling
asyncio.run().

Debian's Chromium and axe-core are installed by `make test` (deploy/local/stack.py,
provision_browser_tests); Playwright never downloads a browser here."""
import json
import re
import time
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import ROOT
from tests.browser.labels import LABELS, PEOPLE
from tests.helpers import call_dates

DESKTOP = {"width": 1280, "height": 800}
WIDTHS = (1280, 360)
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking"]

expect.set_options(timeout=10_000)


@pytest.fixture(scope="package")
def chromium(stack):
    module, _ = stack
    if not module.CHROMIUM.exists():
        pytest.fail(f"{module.CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(module.CHROMIUM),
                                             headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def axe_source(stack):
    module, _ = stack
    if not module.AXE_JS.exists():
        pytest.fail(f"{module.AXE_JS} is missing: `make test` fetches axe-core from npm")
    return module.AXE_JS.read_text(encoding="utf-8")


@dataclass
class Tab:
    """A browser context with its one page, as one person (or nobody) reading one language."""
    page: object
    person: object
    lang: str
    js: bool
    theme: str = "ideahub"
    console_errors: list = field(default_factory=list)

    @property
    def text(self):
        return LABELS[self.lang]

    def goto(self, path):
        self.console_errors.clear()
        return self.page.goto(path)

    def goto_listing(self, path, idea_id, timeout=15.0):
        """A list page, once it shows the idea: lists follow Kafka, a new idea or count
        reaches every process within moments."""
        deadline = time.monotonic() + timeout
        while True:
            self.goto(path)
            if self.page.locator(f"#idea-{idea_id}").count():
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"idea {idea_id} not listed on {path} after {timeout} s")
            time.sleep(0.2)

    def csp_violations(self):
        return [m for m in self.console_errors if "Content Security Policy" in m]


def sign_in(page, person, lang):
    """Through the /signin page, as a person would: their radio button, then "Se connecter"."""
    text = LABELS[lang]
    page.goto(f"/signin?lang={lang}")
    radio = page.get_by_role("radio", name=re.compile(re.escape(PEOPLE[person])))
    # By its label, as a person does: the DSFR draws the box in the label, over the input.
    page.locator(f'label[for="{radio.get_attribute("id")}"]').click()
    expect(radio).to_be_checked()
    page.get_by_role("button", name=text["sign_in"], exact=True).click()
    expect(page.get_by_role("button", name=text["sign_out"])).to_be_visible()


def open_tabs(chromium, base_url, theme):
    """open_tab(person=None, lang="fr", js=True) -> a Tab on the web app at `base_url`, signed
    in once and reused; and the tabs opened, to close. The language is chosen by `?lang=` on the
    first visit, which sets the `lang` cookie for the others."""
    tabs = {}

    def open_tab(person=None, lang="fr", js=True):
        key = (person, lang, js)
        if key not in tabs:
            # A French browser whatever the language asked: the page must follow the choice.
            context = chromium.new_context(base_url=base_url, java_script_enabled=js,
                                           locale="fr-FR", timezone_id="Europe/Paris",
                                           viewport=DESKTOP)
            context.set_default_timeout(15_000)
            tab = Tab(context.new_page(), person, lang, js, theme)
            tab.page.on("console", lambda message, tab=tab: message.type == "error"
                        and tab.console_errors.append(message.text))
            if person:
                sign_in(tab.page, person, lang)
            else:
                tab.page.goto(f"/?lang={lang}")
            tabs[key] = tab
        return tabs[key]
    return open_tab, tabs


@pytest.fixture(scope="package")
def tab(chromium, gateway):
    """tab(person=None, lang="fr", js=True) -> a Tab through the gateway (the default theme)."""
    open_tab, tabs = open_tabs(chromium, gateway, "ideahub")
    yield open_tab
    for opened in tabs.values():
        opened.page.context.close()


@pytest.fixture(scope="package")
def dsfr_tab(chromium, stack):
    """The same, on the test stack's second web app, the one with HUB_THEME=dsfr: it calls
    the APIs through the gateway, the browser reaches it on its own port."""
    _, profile = stack
    if not profile.dsfr_web:
        pytest.fail("the test profile runs a web app with HUB_THEME=dsfr (deploy/local/stack.py)")
    open_tab, tabs = open_tabs(chromium, f"http://127.0.0.1:{profile.dsfr_web}", "dsfr")
    yield open_tab
    for opened in tabs.values():
        opened.page.context.close()


@pytest.fixture(scope="package")
def screenshot():
    """screenshot(tab, name) -> {width: (path, scroll width)}: full-page PNGs at desktop and
    phone widths in test-artifacts/screenshots/<theme>/<name>-<lang>-<width>.png."""
    def shoot(tab, name):
        shots = {}
        folder = ARTIFACTS / "screenshots" / tab.theme
        folder.mkdir(parents=True, exist_ok=True)
        try:
            for width in WIDTHS:
                tab.page.set_viewport_size({"width": width, "height": DESKTOP["height"]})
                path = folder / f"{name}-{tab.lang}-{width}.png"
                tab.page.screenshot(path=path, full_page=True)
                shots[width] = (path, tab.page.evaluate(
                    "() => document.documentElement.scrollWidth"))
        finally:
            tab.page.set_viewport_size(DESKTOP)
        return shots
    return shoot


@pytest.fixture(scope="package")
def axe_report():
    """Counts of axe violations by impact per page and language, written for the issue's note
    to test-artifacts/axe-results.json."""
    results = {}
    yield results
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe-results.json").write_text(
        json.dumps(dict(sorted(results.items())), indent=2, ensure_ascii=False) + "\n")


@pytest.fixture(scope="package")
def sample_idea(http, token):
    """An idea with something in every section of its page (an answer in the timeline, a
    comment and a reply to it) and a report, so the moderation queue and log are not empty."""
    author, moderator = token(), token(roles=("agent", "moderator"))
    created = http("POST", "/api/ideas", author, json={
        "title": "Des casiers sécurisés pour les agents venant à vélo",
        "body": "Un local fermé près de l'entrée de l'hôtel de ville.\n"
                "Une vingtaine de places suffirait.", "tags": ["mobilité", "vélo"]})
    assert created.status_code == 201, created.text
    idea = created.json()["id"]
    steps = [
        (f"/api/ideas/{idea}/comments", token(),
         {"body": "Oui, et des prises pour les vélos électriques."}),
        (f"/api/ideas/{idea}/status", moderator,
         {"status": "under_review", "note": "Étude du local avec les services techniques."}),
        (f"/api/ideas/{idea}/flags", token(),
         {"reason": "off_topic", "note": "Pas une idée de service ?"}),
    ]
    for path, who, body in steps:
        response = http("POST", path, who, json=body)
        assert response.status_code < 300, (path, response.text)
    first = http("GET", f"/api/ideas/{idea}/comments", author).json()["items"][0]["id"]
    reply = http("POST", f"/api/ideas/{idea}/comments", token(),
                 json={"body": "Le local vélo du sous-sol est libre.", "parent_id": first})
    assert reply.status_code == 201, reply.text
    # A reported comment, so the moderators' list of them is not empty either.
    reported = http("POST", f"/api/ideas/{idea}/comments/{first}/flags", token(),
                    json={"reason": "spam", "note": "Publicité pour un vélociste ?"})
    assert reported.status_code == 201, reported.text
    return idea


def open_call(http, token, title, evaluators, owners=()):
    """A call for ideas open for proposals now, with these evaluators and owners
    ({id, name}): its id."""
    created = http("POST", "/api/campaigns", token(roles=("agent", "moderator")), json={
        "title": title, "question": "Comment les données sur les crues servent-elles ?",
        "evaluators": list(evaluators), "owners": list(owners), **call_dates()})
    assert created.status_code == 201, created.text
    return created.json()["id"]


@pytest.fixture(scope="package")
def sample_call(http, token):
    """An open call with something in each part of its page: a description of two
    paragraphs, evaluators, an owner, and an idea proposed into it."""
    moderator = token(sub="maelle", name="Maëlle Le Goff", roles=("agent", "moderator"))
    created = http("POST", "/api/campaigns", moderator, json={
        "title": "Données et risques d'inondation", "colour": "vert",
        "question": "Comment les données sur les risques d'inondation peuvent-elles servir "
                    "à d'autres services ?",
        "description": "Les cartes des zones inondables servent aujourd'hui à l'urbanisme.\n"
                       "Trois semaines pour proposer, puis trois pour soutenir.",
        "units": [], **call_dates(proposals_until=10, supports_until=24,
                                  evaluation_until=38), "support_cap": 3,
        "owners": [{"id": "aurelie", "name": "Aurélie Dupont"}],
        "evaluators": [{"id": "maelle", "name": "Maëlle Le Goff"}]})
    assert created.status_code == 201, created.text
    call = created.json()["id"]
    idea = http("POST", "/api/ideas", token(), json={
        "title": "Croiser les relevés de crue avec les routes communales",
        "body": "Les capteurs de crue diraient aux services techniques quelles routes fermer.",
        "tags": ["données"], "campaign_id": call})
    assert idea.status_code == 201, idea.text
    return call


@pytest.fixture(scope="package")
def sample_results(http, token):
    """A call with a chosen idea carried out (an owner, a target date, two updates) and
    another chosen but not started, so its results page and the idea's implementation block
    show every part: {"campaign": its id, "followed": the idea carried out}."""
    moderator = token(roles=("agent", "moderator"))
    call = http("POST", "/api/campaigns", moderator, json={
        "title": "Un accueil sans papier", "question": "Comment accueillir le public sans "
        "formulaire papier ?", **call_dates()})
    assert call.status_code == 201, call.text
    ideas = []
    for title in ("Des formulaires sur tablette à l'accueil",
                  "Prendre rendez-vous en ligne pour les démarches d'urbanisme"):
        created = http("POST", "/api/ideas", token(), json={
            "title": title, "body": "Moins de papier, moins d'attente au guichet.",
            "campaign_id": call.json()["id"]})
        assert created.status_code == 201, created.text
        ideas.append(created.json()["id"])
        answered = http("POST", f"/api/ideas/{ideas[-1]}/status", moderator,
                        json={"status": "accepted", "note": "Retenue pour un essai."})
        assert answered.status_code == 200, answered.text
    steps = [("PUT", "implementation", {"owner": {"kind": "unit", "name": "Service accueil"},
                                        "target_date": "2027-06-30"}),
             ("POST", "progress", {"milestone": "Tablettes commandées", "percent": 30,
                                   "update": "Six tablettes, livrées en janvier."}),
             ("POST", "progress", {"milestone": "Essai à l'accueil", "percent": 60,
                                   "update": "Deux semaines d'essai avec les usagers."})]
    for method, action, body in steps:
        response = http(method, f"/api/ideas/{ideas[0]}/{action}", moderator, json=body)
        assert response.status_code == 200, response.text
    return {"campaign": call.json()["id"], "followed": ideas[0]}


@pytest.fixture(scope="package")
def sample_evaluation(http, token):
    """A call that Joël evaluates with Agnès, who has scored its first idea: {evaluated,
    called} for the evaluation pages."""
    call = open_call(http, token, "Données et risques d'inondation", [
        {"id": "joel", "name": PEOPLE["joel"]}, {"id": "agnes", "name": PEOPLE["agnes"]}])
    ideas = []
    for title in ("Partager la carte des crues avec la voirie", "Un capteur sous chaque pont"):
        created = http("POST", "/api/ideas", token(), json={
            "title": title, "body": "Pour prévenir les services avant la montée des eaux.",
            "campaign_id": call})
        assert created.status_code == 201, created.text
        ideas.append(created.json()["id"])
    scored = http("PUT", f"/api/ideas/{ideas[0]}/evaluation", token(sub="agnes"), json={
        "scores": {"impact": 5, "faisabilite": 3, "cout": 4, "alignement": 4},
        "note": "Les relevés existent déjà."})
    assert scored.status_code == 200, scored.text
    return {"evaluated": call, "called": ideas[0]}


@pytest.fixture(scope="package")
def agnes_ideas(http, token):
    """Two ideas of Agnès (a demo person): {"own": one awaiting an answer, "hidden": one a
    moderator hid with a reason after a report, so both the author's and the moderator's
    views of it have something to show}."""
    agnes = token(sub="agnes", name=PEOPLE["agnes"], unit="Service urbanisme")
    ids = {}
    for key, title in (("own", "Des fontaines à eau dans le hall d'accueil"),
                       ("hidden", "Le planning des congés de chaque agent affiché au hall")):
        created = http("POST", "/api/ideas", agnes, json={
            "title": title, "body": "Pour que chacun y ait accès sans demander.", "tags": []})
        assert created.status_code == 201, created.text
        ids[key] = created.json()["id"]
    reported = http("POST", f"/api/ideas/{ids['hidden']}/flags", token(),
                    json={"reason": "other", "note": "Des données personnelles ?"})
    assert reported.status_code == 201, reported.text
    hidden = http("POST", f"/api/ideas/{ids['hidden']}/hide", token(roles=("agent", "moderator")),
                  json={"reason": "Les congés des agents sont des données personnelles."})
    assert hidden.status_code == 200, hidden.text
    return ids
