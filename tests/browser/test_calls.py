"""A call for ideas from the pages alone: a moderator launches it (dates typed in Paris time),
an agent proposes an idea into it from the call's page, another supports it, and the call's
page lists the idea with its figures moved."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.helpers import eventually

PARIS = ZoneInfo("Europe/Paris")


def typed(days):
    """A date and time as a person in Paris types them, `days` from now."""
    moment = datetime.now(PARIS) + timedelta(days=days)
    return moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M")


def figure(tab, name):
    return int(tab.page.locator(f"#chiffre-{name}").inner_text())


def test_a_moderator_launches_a_call_and_an_agent_answers_it_from_its_page(tab, screenshot):
    moderator = tab("maelle", js=False)
    moderator.goto("/appels")
    moderator.page.get_by_role("link", name="Lancer un appel à idées").click()
    form = moderator.page
    form.get_by_label("Titre").fill("Mieux partager les cartes des crues")
    form.get_by_label("Question posée").fill(
        "Quelles données sur les crues serviraient à vos services ?")
    form.get_by_label("Présentation").fill("Deux semaines pour proposer.\nPuis on soutient.")
    form.get_by_role("radio", name="orange").check()
    for name, days in (("proposals_from", -1), ("proposals_until", 14), ("supports_from", -1),
                       ("supports_until", 28), ("evaluation_until", 42)):
        day, time = typed(days)
        form.locator(f"#{name}").fill(day)
        form.locator(f"#{name}-heure").fill(time)
    form.get_by_role("button", name="Lancer l'appel").click()

    expect(form.get_by_text("L'appel est lancé.")).to_be_visible()
    expect(form.get_by_role("heading", level=1)).to_have_text("Mieux partager les cartes des crues")
    call_path = re.sub(r"^https?://[^/]+", "", form.url)
    assert re.fullmatch(r"/appels/[0-9a-f]+", call_path), call_path

    agent = tab("agnes", js=False)
    agent.goto(call_path)
    expect(agent.page.get_by_text("Plus que 13 jours pour proposer")).to_be_visible()
    assert (figure(agent, "idees"), figure(agent, "soutiens")) == (0, 0)
    agent.page.get_by_role("link", name="Proposer une idée pour cet appel").click()
    expect(agent.page.get_by_text("Vous répondez à l'appel « Mieux partager les cartes des "
                                  "crues »")).to_be_visible()
    agent.page.get_by_label("Titre").fill("Un calque des crues centennales pour la voirie")
    agent.page.get_by_label("Description").fill(
        "La voirie saurait d'avance quelles rues barrer quand la rivière monte.")
    agent.page.get_by_role("button", name="Proposer l'idée").click()
    if agent.page.get_by_role("heading", name="Une idée proche existe peut-être").count():
        agent.page.get_by_role("button", name="Proposer l'idée").click()
    expect(agent.page.get_by_text("Proposée pour l'appel")).to_be_visible()
    idea_id = agent.page.url.rstrip("/").rsplit("/", 1)[-1]

    supporter = tab("joel", js=False)
    supporter.goto_listing(call_path, idea_id)
    supporter.page.locator(f"#idea-{idea_id}").get_by_role("button", name="Soutenir").click()

    def moved():
        agent.goto(call_path)
        return agent.page.locator(f"#idea-{idea_id}").count() and \
            (figure(agent, "idees"), figure(agent, "soutiens"), figure(agent, "services")) \
            == (1, 1, 1)
    eventually(moved, timeout=20, message="the call's page lists the idea and its figures")
    expect(agent.page.locator(f"#idea-{idea_id}")).to_contain_text("Un calque des crues")
    screenshot(agent, "call-answered")
