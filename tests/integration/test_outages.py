"""Kafka or MongoDB goes away under the running stack, then comes back."""
import json

import pytest
import requests

from tests.helpers import eventually
from tests.integration.conftest import read_topic

pytestmark = pytest.mark.outage

IDEA = {"title": "Proposée pendant la panne de Kafka",
        "body": "Cette idée doit partir quand Kafka revient, une seule fois."}


@pytest.fixture
def engine(stack):
    """engine(name) stops a process of the test stack; it is started again at the end."""
    module, profile = stack
    stopped = []

    def stop(name):
        if name == "kafka" and profile.external_kafka or name == "mongo" and profile.external_mongo:
            pytest.skip(f"{name} is external (HUB_KAFKA_BOOTSTRAP / HUB_MONGO_URL)")
        module.stop(profile, name)
        stopped.append(name)

    def start(name):
        module.start(profile, name)
        module.wait_ready(profile, name)
        stopped.remove(name)
    stop.start = start
    yield stop
    for name in list(stopped):
        start(name)


def submitted_events(config, idea_id):
    return [r for r in read_topic(config, "ideas")
            if json.loads(r.value)["subject"] == idea_id
            and json.loads(r.value)["type"] == "idea.submitted.v1"]


def test_an_idea_proposed_while_kafka_is_down_is_published_once_when_it_is_back(
        engine, gateway, token, config):
    engine("kafka")

    response = requests.post(f"{gateway}/api/ideas", json=IDEA, timeout=10,
                             headers={"Authorization": f"Bearer {token()}"})
    assert response.status_code == 201, response.text
    idea_id = response.json()["id"]

    engine.start("kafka")
    voter = {"Authorization": f"Bearer {token()}"}
    eventually(lambda: requests.put(f"{gateway}/api/votes/{idea_id}", headers=voter,
                                    timeout=10).status_code == 200,
               timeout=60, message="the votes service learns the idea from the outbox")
    assert len(submitted_events(config, idea_id)) == 1


def test_mongodb_down_answers_503_then_recovers_without_a_restart(engine, gateway, token,
                                                                    stack):
    agent = {"Authorization": f"Bearer {token()}"}
    # The ideas service's own readiness: the gateway's /readyz is the pages' (no MongoDB).
    readyz = f"http://127.0.0.1:{stack[1].services['ideas']}/readyz"
    engine("mongo")

    ready = requests.get(readyz, timeout=10)
    write = requests.post(f"{gateway}/api/ideas", json=IDEA, headers=agent, timeout=10)

    assert ready.status_code == 503 and ready.json()["checks"]["mongodb"] == "indisponible"
    assert write.status_code == 503
    assert "base de données" in write.json()["message"]

    engine.start("mongo")
    eventually(lambda: requests.get(readyz, timeout=10).status_code == 200,
               timeout=30, message="ready again")
    again = requests.post(f"{gateway}/api/ideas", json=IDEA, headers=agent, timeout=10)
    assert again.status_code == 201, again.text


def test_a_service_that_does_not_answer_is_503_in_the_error_shape(engine, gateway, token):
    engine("votes-api")

    response = requests.put(f"{gateway}/api/votes/0000000000000000", timeout=10,
                            headers={"Authorization": f"Bearer {token()}"})

    assert response.status_code == 503
    assert response.json()["code"] == 503 and response.json()["message"]


def test_a_browser_finds_a_french_page_while_the_pages_restart(engine, gateway):
    engine("web-api")

    response = requests.get(f"{gateway}/", headers={"Accept": "text/html"}, timeout=10)

    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Service momentanément indisponible" in response.text
