"""Evaluation of a call's ideas through the gateway: two appointed evaluators score, the
moderator reads the means side by side, the events say who scored and never what; an agent
is refused every evaluation endpoint and finds no score in the idea; an evaluator of another
call may not score it."""
import json
from datetime import datetime

import pytest
from kafka import KafkaConsumer

from shared.kafka import API_VERSION
from tests.helpers import call_dates, eventually

CRITERIA = [{"key": "impact", "label": "Impact pour le public"},
            {"key": "faisabilite", "label": "Faisabilité"}]


@pytest.fixture
def moderator(token):
    return token(roles=("agent", "moderator"), name="Inès Bouchard")


@pytest.fixture
def launch(http, moderator):
    """launch(evaluators, title=...) -> a call open for proposals, with those evaluators."""
    def make(evaluators, title="Données et risques d'inondation", owners=()):
        created = http("POST", "/api/campaigns", moderator, json={
            "title": title, "question": "Comment les données sur les crues servent-elles ?",
            "criteria": CRITERIA, "evaluators": evaluators, "owners": list(owners),
            **call_dates()})
        assert created.status_code == 201, created.text
        return created.json()["id"]
    return make


def person(token, first_name):
    sub = f"{first_name.lower()}-{datetime.now().strftime('%H%M%S%f')}"
    return {"id": sub, "name": f"{first_name} Évaluatrice"}, token(sub=sub, name=first_name)


def idea_events(config, idea_id, kind):
    """The events of one idea on the ideas topic, read from offset 0 outside any group."""
    consumer = KafkaConsumer(config.topic("ideas"), bootstrap_servers=config.kafka_bootstrap,
                             api_version=API_VERSION, auto_offset_reset="earliest",
                             enable_auto_commit=False, consumer_timeout_ms=2000)
    try:
        found = [json.loads(record.value) for record in consumer]
    finally:
        consumer.close()
    return [e for e in found if e["subject"] == idea_id and e["type"] == kind]


def test_two_evaluators_score_and_the_moderator_reads_the_means_agents_read_nothing(
        http, token, launch, moderator, agent, config):
    (eva, eva_token), (yves, yves_token) = person(token, "Éva"), person(token, "Yves")
    call = launch([eva, yves])
    ideas = []
    for title in ("Partager la carte des crues", "Un capteur par pont"):
        proposed = http("POST", "/api/ideas", agent, json={
            "title": title, "body": "Avec les services de voirie et l'urbanisme.",
            "campaign_id": call})
        assert proposed.status_code == 201, proposed.text
        ideas.append(proposed.json()["id"])
    first, second = ideas

    for who, scores, note in ((eva_token, {"impact": 5, "faisabilite": 4}, "Très utile."),
                              (yves_token, {"impact": 3, "faisabilite": 4}, "Coût à voir.")):
        scored = http("PUT", f"/api/ideas/{first}/evaluation", who,
                      json={"scores": scores, "note": note})
        assert scored.status_code == 200, scored.text
    again = http("PUT", f"/api/ideas/{first}/evaluation", eva_token,
                 json={"scores": {"impact": 5, "faisabilite": 4}, "note": "Très utile."})
    assert again.status_code == 200  # a double submit: one evaluation, no event

    def both_listed():  # the table lists the call's ideas as lists do: once their rows came
        response = http("GET", f"/api/campaigns/{call}/evaluation", moderator)
        assert response.status_code == 200, response.text
        return response.json() if len(response.json()["items"]) == 2 else None
    table = eventually(both_listed, message="the table lists both ideas")
    rows = {row["id"]: row for row in table["items"]}
    assert [row["id"] for row in table["items"]] == [first, second]
    assert rows[first]["means"] == {"impact": 4.0, "faisabilite": 4.0}
    assert (rows[first]["mean"], rows[first]["spread"], rows[first]["scored"]) == (4.0, 0.5, 2)
    assert rows[second]["mean"] is None and len(rows[second]["missing"]) == 2
    detail = http("GET", f"/api/ideas/{first}/evaluation", moderator).json()
    assert {e["note"] for e in detail["evaluations"]} == {"Très utile.", "Coût à voir."}
    own = http("GET", f"/api/ideas/{first}/evaluation", yves_token).json()
    assert own["mine"]["note"] == "Coût à voir." and "evaluations" not in own
    progress = http("GET", f"/api/campaigns/{call}/evaluation", yves_token).json()["progress"]
    assert progress == {"done": 1, "total": 2}

    for method, path in (("PUT", f"/api/ideas/{first}/evaluation"),
                         ("GET", f"/api/ideas/{first}/evaluation"),
                         ("GET", f"/api/campaigns/{call}/evaluation")):
        refused = http(method, path, agent, json={"scores": {"impact": 1, "faisabilite": 1}}
                       if method == "PUT" else None)
        assert refused.status_code == 403, (method, path, refused.text)
    shown = http("GET", f"/api/ideas/{first}", agent).text
    listed = http("GET", f"/api/ideas?campaign={call}", agent).text
    for text in (shown, listed):
        assert "Très utile" not in text and "scores" not in text and "evaluated_by" not in text

    def both():
        found = idea_events(config, first, "idea.evaluated.v1")
        return found if len(found) >= 2 else None
    events = eventually(both, message="both evaluations reach the ideas topic")
    assert [e["data"]["evaluations"] for e in events] == [1, 2]  # the double submit: none
    assert [e["data"]["version"] for e in events] == [2, 3]
    assert "Très utile" not in json.dumps(events) and "scores" not in json.dumps(events)


def test_an_evaluator_of_another_call_may_not_score_it(http, token, launch, agent):
    (eva, _), (zoe, zoe_token) = person(token, "Éva"), person(token, "Zoé")
    call = launch([eva])
    launch([zoe], title="Un autre appel à idées")
    idea = http("POST", "/api/ideas", agent, json={
        "title": "Partager la carte des crues", "body": "Avec les services de voirie.",
        "campaign_id": call}).json()["id"]

    refused = http("PUT", f"/api/ideas/{idea}/evaluation", zoe_token,
                   json={"scores": {"impact": 5, "faisabilite": 5}})

    assert refused.status_code == 403, refused.text
    assert "évaluateurs désignés" in refused.json()["message"]
    assert http("GET", f"/api/campaigns/{call}/evaluation", zoe_token).status_code == 403
