"""One agent hammering the hub is slowed by the gateway with 429 and Retry-After, in the
error shape; another agent asking at the same time is served. (How long each waits is measured
by bench/abuse.py, not here.)"""
from concurrent.futures import ThreadPoolExecutor

import pytest

HAMMERING = 60


def hammer(http, method, path, bearer, **kwargs):
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda _: http(method, path, bearer, **kwargs), range(HAMMERING)))


def assert_slowed(answers):
    refused = [a for a in answers if a.status_code == 429]
    assert refused, f"no 429 in {sorted({a.status_code for a in answers})}"
    for answer in refused:
        # The gateway asks for a second; a service's own limit, for longer.
        assert int(answer.headers.get("Retry-After", 0)) >= 1, (answer.headers, answer.text)
        assert answer.json()["code"] == 429 and answer.json()["message"]


def test_an_agent_hammering_supports_is_slowed_and_another_is_served(http, propose, support,
                                                                       token):
    idea_id = propose()["id"]
    support(idea_id, token())  # the votes service knows the idea
    hammerer, other = token(), token()

    answers = hammer(http, "PUT", f"/api/votes/{idea_id}", hammerer)

    assert_slowed(answers)
    assert {a.status_code for a in answers} <= {200, 429}
    assert http("PUT", f"/api/votes/{idea_id}", other).status_code == 200


def test_an_agent_hammering_comments_is_slowed_and_another_is_served(http, propose, token):
    idea_id = propose()["id"]
    hammerer, other = token(), token()

    answers = hammer(http, "POST", f"/api/ideas/{idea_id}/comments", hammerer,
                     json={"body": "Encore et encore le même commentaire."})

    assert_slowed(answers)
    reply = http("POST", f"/api/ideas/{idea_id}/comments", other,
                 json={"body": "Un commentaire posé, une fois."})
    assert reply.status_code == 201, reply.text


def test_an_agent_hammering_similar_ideas_is_slowed_and_another_is_served(http, token):
    hammerer, other = token(), token()

    answers = hammer(http, "GET", "/api/ideas/similar", hammerer,
                     params={"text": "des bancs à l'ombre"})

    assert_slowed(answers)
    assert http("GET", "/api/ideas/similar", other,
                params={"text": "des bancs à l'ombre"}).status_code == 200


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_reading_is_not_slowed(http, method, reader):
    answers = hammer(http, method, "/api/ideas", reader)

    assert {a.status_code for a in answers} == {200}
