"""People and roles live in the hub (services/people), through the gateway: an admin grants
and revokes, the person's next page has the change, each change is audited from its event;
sessions are the people service's, so signing out or an admin's closing ends them at once."""
import json
import subprocess
import sys
import uuid

import requests

from shared.auth import SESSIONS, TokenIssuer
from shared import sealing
from tests.e2e.hub_state import events_of, records_of
from tests.helpers import call_dates, eventually


def someone():
    return f"agent-{uuid.uuid4().hex[:8]}"


def test_an_admin_grants_moderator_on_the_page_and_the_agents_next_page_has_it(
        browser, token, http):
    sub = someone()
    agent = browser(token=token(sub=sub))
    admin = browser(token=token(roles=("agent", "admin")))
    assert agent.get("/moderation").status_code == 403

    page = admin.get(f"/admin/personnes/{sub}")
    saved = admin.post(f"/admin/personnes/{sub}", {"roles": "moderator", "unit": "CCAS",
                                                   "scope": ""})

    assert page.status_code == 200 and saved.status_code == 303
    assert agent.get("/moderation").status_code == 200
    revoked = http("PUT", f"/api/people/{sub}/roles", token(roles=("admin",)),
                   json={"roles": []})
    assert revoked.status_code == 200 and revoked.json()["roles"] == ["agent"]
    assert agent.get("/moderation").status_code == 403  # at once, not at the token's end


def test_every_change_is_audited_with_who_whom_what_and_when(browser, token, http):
    sub = someone()
    browser(token=token(sub=sub))
    admin = token(sub="admin-audit", name="Léa Garnier", roles=("admin",))

    http("PUT", f"/api/people/{sub}/roles", admin, json={"roles": ["manager"],
                                                          "scope": ["Service urbanisme"]})
    http("PUT", f"/api/people/{sub}/roles", admin, json={"roles": []})

    def audited():
        rows = http("GET", f"/api/people/{sub}/changes", admin).json()["items"]
        return len(rows) == 2 and rows
    newest, oldest = eventually(audited, message="both changes in the audit")
    assert oldest["by"] == {"id": "admin-audit", "name": "Léa Garnier"}
    assert oldest["person"]["id"] == sub and oldest["granted"] == ["manager"]
    assert oldest["scope"] == ["Service urbanisme"] and oldest["at"] <= newest["at"]
    assert newest["revoked"] == ["manager"]


def test_an_admin_closing_a_persons_sessions_signs_them_out_at_once(browser, token, http):
    sub = someone()
    agent = browser(token=token(sub=sub))
    assert agent.get("/me").status_code == 200

    closed = http("DELETE", f"/api/people/{sub}/sessions", token(roles=("admin",)))

    assert closed.status_code == 200 and closed.json()["ended"] == 1
    assert agent.get("/me").status_code == 303


def test_a_cookie_copied_before_signing_out_opens_nothing_after(browser, token, gateway):
    agent = browser(token=token())
    copied = agent.session.cookies.get("ideahub_session")
    agent.get("/me")

    assert agent.post("/signout").status_code == 303

    thief = requests.Session()
    thief.cookies.set("ideahub_session", copied)
    assert thief.get(f"{gateway}/me", allow_redirects=False, timeout=10).status_code == 303


def test_an_admin_cannot_take_their_own_admin_role(browser, token, http):
    sub = someone()
    mine = token(sub=sub, roles=("agent", "admin"))
    browser(token=mine)

    answer = http("PUT", f"/api/people/{sub}/roles", mine, json={"roles": ["moderator"]})

    assert answer.status_code == 409 and "propre rôle" in answer.json()["message"]


def test_an_agent_reaches_neither_the_admin_pages_nor_the_people_api(browser, token, http):
    agent = token()
    assert browser(token=agent).get("/admin/personnes").status_code == 403
    assert http("GET", "/api/people", agent).status_code == 403


def test_a_moderator_finds_people_to_appoint_seeing_only_their_name_and_unit(browser, token,
                                                                            http):
    """Moderators appoint a call's owners and evaluators: they look people up, but an
    address, roles or sign-ins stay the admins' to see."""
    sub, word = someone(), uuid.uuid4().hex[:10]
    browser(token=token(sub=sub, name=f"Gwenaëlle Nommée{word}", unit="CCAS"))

    found = http("GET", f"/api/people?q=nommee{word}", token(roles=("agent", "moderator")))
    seen_by_admin = http("GET", f"/api/people?q=nommee{word}", token(roles=("admin",)))

    assert found.status_code == 200, found.text
    assert found.json()["items"] == [{"id": sub, "name": f"Gwenaëlle Nommée{word}",
                                      "unit": "CCAS"}]
    assert {"email", "roles", "joined_at"} <= set(seen_by_admin.json()["items"][0])


def test_a_calls_owner_finds_people_to_appoint_and_loses_the_search_with_the_call(
        browser, token, http):
    """A call's owners appoint its evaluators: the people service learns who owns a call from
    the campaign events, and opens the search (names and units only) to them alone."""
    owner_sub, word = someone(), uuid.uuid4().hex[:10]
    owner = token(sub=owner_sub, name="Agent Responsable")
    browser(token=token(sub=someone(), name=f"Yannick Trouvé{word}", unit="CCAS"))
    assert http("GET", f"/api/people?q=trouve{word}", owner).status_code == 403
    moderator = token(roles=("agent", "moderator"))
    created = http("POST", "/api/campaigns", moderator, json={
        "title": f"Appel {word}", "question": "Que changer à l'accueil ?", **call_dates(),
        "owners": [{"id": owner_sub, "name": "Agent Responsable"}]})
    assert created.status_code == 201, created.text

    found = eventually(lambda: http("GET", f"/api/people?q=trouve{word}", owner),
                       message="the owner's search opened (the campaign event read)")
    assert [(p["name"], set(p)) for p in found.json()["items"]] == [
        (f"Yannick Trouvé{word}", {"id", "name", "unit"})]
    assert http("GET", f"/api/people?q=trouve{word}", token()).status_code == 403

    changed = http("PATCH", f"/api/campaigns/{created.json()['id']}", moderator,
                   json={"owners": []})
    assert changed.status_code == 200, changed.text
    eventually(lambda: http("GET", f"/api/people?q=trouve{word}", owner).status_code == 403,
               message="the search closed with the ownership")


def test_the_first_admin_comes_from_the_command_line_before_their_first_sign_in(config, http):
    email = f"{someone()}@admins.test"
    command = [sys.executable, "-m", "services.cli", "admin", "grant", "--email", email]

    waiting = subprocess.run(command, capture_output=True, text=True, timeout=60)
    opened = open_session(config, http, someone(), email)

    assert waiting.returncode == 0 and "first sign-in" in waiting.stdout
    assert opened["person"]["roles"] == ["agent", "admin"]


def test_the_configured_admin_addresses_are_admins_at_sign_in(config, http):
    # The test stack names Léa's address in HUB_ADMIN_EMAILS (deploy/local/stack.py).
    opened = open_session(config, http, someone(), "lea@demo.ideahub.local")

    assert "admin" in opened["person"]["roles"]


def test_a_person_chooses_their_unit_and_their_tokens_carry_it(browser, token, http, reader):
    sub = someone()
    agent = browser(token=token(sub=sub, unit=""))
    agent.get("/me")

    assert agent.post("/me/unit", {"unit": "Direction des mobilités"}).status_code == 303
    assert "Direction des mobilités" in agent.get("/me").text
    proposed = agent.post("/ideas", {"title": f"Un parking à vélos couvert {uuid.uuid4().hex}",
                                     "body": "Pour les agents qui viennent à vélo.",
                                     "similar_checked": "1"})
    assert proposed.status_code == 303, proposed.text
    idea_id = proposed.headers["Location"].rsplit("/", 1)[-1]
    assert http("GET", f"/api/ideas/{idea_id}", reader).json()["unit"] == "Direction des mobilités"


def test_a_sign_in_under_a_new_name_tells_who_the_person_is_now_with_their_address(
        config, http):
    sub = someone()
    open_session(config, http, sub, f"{sub}@old.test")
    open_session(config, http, sub, f"{sub}@old.test")
    open_session(config, http, sub, f"{sub}@new.test", name="Quelqu'un d'autre")

    def told():
        return [(e["type"], e["data"]) for e in events_of(config, ("people",))
                if e["subject"] == sub]
    events = eventually(lambda: len(found := told()) == 2 and found,
                        message="joined, then updated")
    (joined, said), (updated, now) = events
    assert (joined, said["email"]) == ("person.joined.v1", f"{sub}@old.test")
    assert updated == "person.updated.v1" and now["email"] == f"{sub}@new.test"
    assert now["person"] == {"id": sub, "name": "Quelqu'un d'autre"} and now["at"]
    # In the topic itself, the name and the address are sealed.
    raw = [e for e in map(json.loads, records_of(config, ("people",))) if e["subject"] == sub]
    assert all(sealing.is_sealed(e["data"]["email"]) for e in raw)
    assert all(sealing.is_sealed(e["data"]["person"]["name"]) for e in raw)


def open_session(config, http, sub, email, name="Quelqu'un"):
    pages = TokenIssuer(config).mint("ideahub-web", "Pages du hub", [SESSIONS], "")
    answer = http("POST", "/api/people/sessions", pages,
                  json={"sub": sub, "name": name, "email": email})
    assert answer.status_code == 201, answer.text
    return answer.json()
