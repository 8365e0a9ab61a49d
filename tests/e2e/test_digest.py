"""A manager subscribes, ideas arrive in their unit (one into a call for ideas of the unit),
the digest goes out over real SMTP."""
import html
import os
import re
import subprocess
import sys
import uuid
from datetime import datetime, timezone
from urllib.parse import urljoin

import requests

from services.digest.periods import period_of
from tests.helpers import call_dates, eventually, received


def test_a_managers_digest_is_delivered_with_both_parts(http, propose, support, token):
    unit = f"Service test {uuid.uuid4().hex[:6]}"
    address = f"manager-{uuid.uuid4().hex[:6]}@test.ideahub.local"
    manager = token(roles=("manager",), unit=unit, email=address)
    subscribed = http("PUT", "/api/digest/subscription", manager, json={"units": [unit]})
    assert subscribed.status_code == 200, subscribed.text
    assert subscribed.json()["email"] == address

    idea = propose(title="Un composteur partagé près de la cantine <b>bio</b>",
                   as_=token(unit=unit))
    support(idea["id"], token())
    call, call_idea = call_with_an_idea(http, token, unit)
    period = period_of(datetime.now(timezone.utc))
    eventually(lambda: call["title"] in (http("GET", f"/api/digest/preview?period={period}",
                                              manager).json()["text"] or ""),
               message="the digest consumer has read the idea and the call")

    run = subprocess.run([sys.executable, "-m", "services.cli", "digest", "run",
                          "--period", period], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr

    [message] = received(os.environ["HUB_MAILDIR"], address)
    assert period in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Un composteur partagé près de la cantine <b>bio</b>" in text
    assert "&lt;b&gt;bio&lt;/b&gt;" in html and "<b>bio</b>" not in html
    assert f"/ideas/{idea['id']}" in text
    section = text[text.index(f"APPEL À IDÉES « {call['title']} »"):]
    assert section.index(call_idea["title"]) < section.index("PAR RAPPORT")
    assert "Phase : propositions, jusqu'au " in section
    assert "Idées en attente d'évaluation : 1" in section  # one evaluator, no score yet
    assert html.count("&lt;i&gt;crues&lt;/i&gt;") == 1 and "<i>crues</i>" not in html

    link = message["List-Unsubscribe"].strip("<>")
    assert requests.get(link, timeout=10).status_code == 200  # a page, nothing done yet
    assert http("GET", "/api/digest/subscription", manager).status_code == 200
    assert requests.post(link, data="List-Unsubscribe=One-Click", timeout=10).status_code == 204
    assert http("GET", "/api/digest/subscription", manager).status_code == 404


def call_with_an_idea(http, token, unit):
    """A call for ideas of `unit` (proposals and supports open), launched by a moderator with
    an evaluator, and an idea of the unit proposed into it: (call, idea)."""
    launched = http("POST", "/api/campaigns", token(roles=("agent", "moderator")), json={
        "title": f"Les données des <i>crues</i> {uuid.uuid4().hex[:6]}",
        "question": "Comment les données sur les crues peuvent-elles servir ailleurs ?",
        "units": [unit], "evaluators": [{"id": "eva-test", "name": "Eva Luatrice"}],
        **call_dates()})
    assert launched.status_code == 201, launched.text
    proposed = http("POST", "/api/ideas", token(unit=unit), json={
        "title": "Partager la carte des crues avec la voirie",
        "body": "Les services de voirie en ont besoin pour leurs chantiers.",
        "campaign_id": launched.json()["id"]})
    assert proposed.status_code == 201, proposed.text
    return launched.json(), proposed.json()


def test_a_second_run_of_the_same_period_sends_nothing_again(http, token):
    manager = token(roles=("manager",), unit="Nulle part", email="rien@test.ideahub.local")
    http("PUT", "/api/digest/subscription", manager, json={"units": ["Nulle part"]})
    period = period_of(datetime.now(timezone.utc))
    command = [sys.executable, "-m", "services.cli", "digest", "run", "--period", period]

    first = subprocess.run(command, capture_output=True, text=True, timeout=120)
    second = subprocess.run(command, capture_output=True, text=True, timeout=120)

    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "sent 0" in second.stdout and "skipped 0" in second.stdout, second.stdout


def digest_delivered(http, propose, support, token, address, manager=None):
    """A digest of this week sent to `address` by a manager of a unit of their own: the mail."""
    unit = f"Service test {uuid.uuid4().hex[:6]}"
    manager = manager or token(roles=("manager",), unit=unit, email=address)
    subscribed = http("PUT", "/api/digest/subscription", manager, json={"units": [unit]})
    assert subscribed.status_code == 200, subscribed.text
    this_weeks_digests_with_an_idea(http, propose, support, token, manager, unit)
    [message] = received(os.environ["HUB_MAILDIR"], address)
    return message, manager


def this_weeks_digests_with_an_idea(http, propose, support, token, manager, unit):
    """An idea of `unit`, supported, in this week's digest of `manager`: then the run. The
    week."""
    idea = propose(as_=token(unit=unit))
    support(idea["id"], token())
    period = period_of(datetime.now(timezone.utc))
    eventually(lambda: http("GET", f"/api/digest/preview?period={period}",
                            manager).json()["would_send"],
               message="the digest consumer has read the idea")
    run_digests(period)
    return period


def run_digests(period):
    run = subprocess.run([sys.executable, "-m", "services.cli", "digest", "run",
                          "--period", period], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout


def link_in(message, path):
    """The link of the mail's text part to `path` on the hub."""
    text = message.get_body(("plain",)).get_content()
    found = re.search(rf"https?://\S+{re.escape(path)}\?token=\S+", text)
    assert found, f"no link to {path} in:\n{text}"
    return found.group()


def press_the_pages_button(link):
    """What a person does with a link of a mail: open its page in a browser, then press the
    page's one button. (page opened, page answered)"""
    browser = requests.Session()
    page = browser.get(link, timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    form = re.search(r'<form method="post"(?: action="([^"]*)")?[^>]*>(.*?)</form>', page.text,
                     re.S)
    assert form, page.text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"',
                             form.group(2)))
    target = urljoin(link, html.unescape(form.group(1) or link))
    return page, browser.post(target, data=fields, timeout=10)


def test_the_unsubscribe_link_of_a_digest_ends_on_a_page_that_confirms_in_french(
        http, propose, support, token):
    address = f"manager-{uuid.uuid4().hex[:6]}@test.ideahub.local"
    message, manager = digest_delivered(http, propose, support, token, address)

    page, answer = press_the_pages_button(link_in(message, "/unsubscribe"))

    assert "Me désabonner" in page.text
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/html")
    assert "Vous ne recevrez plus la synthèse" in answer.text
    assert '<html lang="fr">' in answer.text
    assert http("GET", "/api/digest/subscription", manager).status_code == 404


def test_an_address_that_is_not_the_managers_own_gets_digests_once_confirmed(
        http, propose, support, token):
    unit = f"Service test {uuid.uuid4().hex[:6]}"
    own = f"own-{uuid.uuid4().hex[:6]}@test.ideahub.local"
    other = f"other-{uuid.uuid4().hex[:6]}@test.ideahub.local"
    manager = token(roles=("manager",), unit=unit, email=own)
    subscribed = http("PUT", "/api/digest/subscription", manager,
                      json={"units": [unit], "email": other})
    assert subscribed.status_code == 200, subscribed.text
    assert subscribed.json()["email_verified"] is False

    confirmation = eventually(lambda: received(os.environ["HUB_MAILDIR"], other),
                              message="the confirmation message is delivered")[0]
    assert "Confirmez" in confirmation["Subject"]
    period = this_weeks_digests_with_an_idea(http, propose, support, token, manager, unit)
    assert len(received(os.environ["HUB_MAILDIR"], other)) == 1  # no digest yet

    page, answer = press_the_pages_button(link_in(confirmation, "/confirm-address"))
    assert http("GET", "/api/digest/subscription", manager).json()["email_verified"] is True
    assert "Confirmer mon adresse" in page.text
    assert answer.status_code == 200 and "Adresse confirmée" in answer.text

    run_digests(period)
    mails = received(os.environ["HUB_MAILDIR"], other)
    assert len(mails) == 2 and len([m for m in mails if period in m["Subject"]]) == 1
    assert received(os.environ["HUB_MAILDIR"], own) == []


def test_a_manager_previews_a_scope_before_subscribing(http, propose, support, token, browser):
    unit = f"Service test {uuid.uuid4().hex[:6]}"
    manager = token(roles=("manager",), unit=unit)
    idea = propose(title=f"Une navette pour le marché {unit}", as_=token(unit=unit))
    period = period_of(datetime.now(timezone.utc))

    def preview(**scope):
        return http("GET", "/api/digest/preview", manager,
                    params={"period": period, **scope})

    eventually(lambda: preview(scope="query", units=[unit]).json()["would_send"],
               message="the digest consumer has read the idea")
    assert preview().status_code == 404  # nothing saved: only a scope in the query previews
    assert idea["title"] in preview(scope="query", units=[unit]).json()["text"]
    assert not preview(scope="query", units=["Nulle part"]).json()["would_send"]

    pages = browser(token=manager)
    page = pages.get("/digest")
    assert f'value="{unit}"' in page.text  # a unit in use, to tick
    shown = pages.post("/digest", {"units": unit, "period": period, "action": "preview"})
    assert shown.status_code == 200 and html.escape(idea["title"]) in shown.text
    assert http("GET", "/api/digest/subscription", manager).status_code == 404
