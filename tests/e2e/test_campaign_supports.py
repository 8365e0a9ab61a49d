"""Supports of a call's ideas through the gateway: taken in the call's supports phase only,
as the votes service learns it from the campaign events, and within the call's cap even when
one person's requests arrive together."""
import uuid
from concurrent.futures import ThreadPoolExecutor

from tests.helpers import call_dates, eventually

OPEN = {"proposals_from": -1, "proposals_until": 7, "supports_from": -1, "supports_until": 14,
        "evaluation_until": 21}
SUPPORTS_CLOSED = {"proposals_from": -10, "proposals_until": -3, "supports_from": -10,
                   "supports_until": -1, "evaluation_until": 5}


def launch(http, token, **fields):
    moderator = token(roles=("agent", "moderator"))
    created = http("POST", "/api/campaigns", moderator, json={
        "title": f"Appel d'essai {uuid.uuid4().hex[:6]}",
        "question": "Comment les données sur les crues peuvent-elles servir ailleurs ?",
        **call_dates(**OPEN), **fields})
    assert created.status_code == 201, created.text
    return created.json(), moderator


def propose_into(http, token, call, title="Partager la carte des crues avec la voirie"):
    proposed = http("POST", "/api/ideas", token(), json={
        "title": title, "body": "Les services de voirie en ont besoin pour leurs chantiers.",
        "campaign_id": call["id"]})
    assert proposed.status_code == 201, proposed.text
    return proposed.json()["id"]


def known(http, tok, idea_id):
    """Once the votes service has read the idea and its call."""
    eventually(lambda: http("GET", f"/api/votes/{idea_id}", tok).status_code == 200,
               message="the votes service knows the idea")


def test_supports_are_taken_in_the_supports_phase_only(http, token, support):
    call, moderator = launch(http, token)
    idea_id = propose_into(http, token, call)
    supporter = token()
    assert support(idea_id, supporter)["voted"] is True

    closed = http("PATCH", f"/api/campaigns/{call['id']}", moderator,
                  json=call_dates(**SUPPORTS_CLOSED))
    assert closed.status_code == 200 and closed.json()["phase"] == "evaluation", closed.text

    def refusal():
        answer = http("PUT", f"/api/votes/{idea_id}", token())
        return answer.json()["message"] if answer.status_code == 409 else None
    message = eventually(refusal, message="the votes service saw the call's new dates")
    assert "ne reçoit plus de soutiens" in message
    assert "phase actuelle : évaluation" in message
    withdrawing = http("DELETE", f"/api/votes/{idea_id}", supporter)
    assert withdrawing.status_code == 409  # the call's results stay as they were
    assert http("GET", f"/api/votes/{idea_id}", supporter).json()["voted"] is True


def test_a_call_with_a_cap_of_one_takes_one_support_per_person(http, token, support):
    call, _ = launch(http, token, support_cap=1)
    first = propose_into(http, token, call)
    second = propose_into(http, token, call, title="Ouvrir les relevés de hauteur d'eau")
    supporter = token()
    known(http, supporter, second)

    support(first, supporter)
    refused = http("PUT", f"/api/votes/{second}", supporter)
    assert refused.status_code == 409
    assert "Vous soutenez déjà 1 idée de cet appel" in refused.json()["message"]

    assert http("DELETE", f"/api/votes/{first}", supporter).status_code == 200
    assert http("PUT", f"/api/votes/{second}", supporter).status_code == 200


def test_requests_arriving_together_never_pass_a_calls_cap(http, token):
    call, _ = launch(http, token, support_cap=1)
    ideas = [propose_into(http, token, call, title=f"Idée simultanée numéro {n}")
             for n in range(4)]
    supporter = token()
    for idea_id in ideas:
        known(http, supporter, idea_id)

    # Each idea twice (a double click), all at once.
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda i: http("PUT", f"/api/votes/{i}", supporter),
                                ideas * 2))

    assert {a.status_code for a in answers} <= {200, 409}
    accepted = {i for i, a in zip(ideas * 2, answers) if a.status_code == 200}
    assert len(accepted) == 1, [a.text for a in answers]
    mine = http("GET", "/api/votes/mine", supporter).json()["items"]
    assert [m["idea_id"] for m in mine if m["idea_id"] in ideas] == list(accepted)
