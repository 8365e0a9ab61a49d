"""A call's figures (its ideas, the units they come from, its supporters counted once) are
read from the read models the events build: replayed from offset 0, they come out the same."""
import uuid

import pytest

from tests.helpers import call_dates, eventually


def open_call(http, moderator):
    response = http("POST", "/api/campaigns", moderator, json={
        "title": f"Crues et données {uuid.uuid4().hex[:6]}",
        "question": "Comment les données sur les crues peuvent-elles servir ailleurs ?",
        **call_dates()})
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.mark.outage
def test_replaying_the_ideas_projection_gives_every_call_the_same_figures(
        http, token, support, stack, reader):
    module, profile = stack
    call = open_call(http, token(roles=("agent", "moderator")))
    ideas = []
    for n, unit in enumerate(("Service urbanisme", "Service urbanisme", "Direction des eaux")):
        response = http("POST", "/api/ideas", token(unit=unit), json={
            "title": f"Partager la carte des crues, piste {n}",
            "body": "Avec la voirie et les écoles.", "campaign_id": call})
        assert response.status_code == 201, response.text
        ideas.append(response.json()["id"])
    both, one, gone = token(), token(), token()
    support(ideas[0], both)
    support(ideas[1], both)
    support(ideas[0], one)
    support(ideas[2], gone)
    assert http("DELETE", f"/api/votes/{ideas[2]}", gone).status_code == 200
    expected = {"ideas": 3, "units": 2, "supporters": 2}

    def figures():
        return http("GET", f"/api/campaigns/{call}", reader).json()["figures"]
    eventually(lambda: figures() == expected, timeout=60,
               message="the call's figures count its ideas and supporters")

    module.replay(profile, "ideas")

    assert figures() == expected
