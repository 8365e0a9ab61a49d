"""Supports are counted exactly once: under concurrency, consumer crashes, replays and a
Kafka outage. Counts are checked against the votes store itself."""
import json
import random
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pymongo
import pytest

from tests.helpers import eventually
from tests.integration.conftest import read_topic


@pytest.fixture(scope="module")
def votes_db(config):
    client = pymongo.MongoClient(config.mongo_url)
    yield client[config.database_name("votes")]
    client.close()


# Supports and withdrawals sent while consumers are killed; the test's time grows with it
# (about 14 a second on the 2-core machine, with the consumers restarting every 1-4 s).
REQUESTS = 3000


def active_supports(votes_db, idea_id):
    return votes_db.votes.count_documents({"idea_id": idea_id, "active": True})


def vote_events(config, idea_ids):
    events = [json.loads(r.value) for r in read_topic(config, "votes")]
    return [e for e in events if e["subject"] in idea_ids]


def vote_count(http, idea_id, reader):
    return http("GET", f"/api/ideas/{idea_id}", reader).json()["vote_count"]


@pytest.fixture
def known_ideas(propose, support, token):
    """known_ideas(n): n ideas the votes service already knows (each supported by a warm-up
    agent, so the first support below is not the one that waits)."""
    def make(n):
        ideas = [propose(title=f"Idée {uuid.uuid4().hex[:6]} pour compter")["id"] for _ in range(n)]
        warm_up = token()
        for idea_id in ideas:
            support(idea_id, warm_up)
        return ideas
    return make


def test_fifty_identical_requests_at_once_leave_one_support_and_one_event(
        http, known_ideas, token, votes_db, config, reader):
    [idea_id] = known_ideas(1)
    me = f"agent-{uuid.uuid4().hex[:8]}"
    bearer = token(sub=me)
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: http("PUT", f"/api/votes/{idea_id}", bearer),
                                range(50)))

    # The gateway lets a burst of 20 (and one) through and slows the rest; those 21 still
    # reach the votes service at once.
    assert {a.status_code for a in answers} <= {200, 429}
    assert sum(a.status_code == 200 for a in answers) >= 21
    assert active_supports(votes_db, idea_id) == 2  # the warm-up agent's and mine
    mine = eventually(lambda: [e for e in vote_events(config, {idea_id})
                               if e["data"]["voter_id"] == me], message="my vote.cast")
    assert [e["type"] for e in mine] == ["vote.cast.v1"]
    eventually(lambda: vote_count(http, idea_id, reader) == 2)


def test_two_people_supporting_at_the_same_instant_count_two(
        http, known_ideas, token, votes_db, reader):
    [idea_id] = known_ideas(1)
    people = [token(), token()]
    barrier = threading.Barrier(2)

    def at_once(tok):
        barrier.wait()
        return http("PUT", f"/api/votes/{idea_id}", tok)

    with ThreadPoolExecutor(2) as pool:
        assert {r.status_code for r in pool.map(at_once, people)} == {200}
    assert active_supports(votes_db, idea_id) == 3
    eventually(lambda: vote_count(http, idea_id, reader) == 3)


def test_support_then_withdraw_quickly_ends_withdrawn(
        http, known_ideas, token, votes_db, reader):
    [idea_id] = known_ideas(1)
    me = token()
    for _ in range(5):
        http("PUT", f"/api/votes/{idea_id}", me)
        last = http("DELETE", f"/api/votes/{idea_id}", me)

    assert last.json()["voted"] is False
    assert active_supports(votes_db, idea_id) == 1
    eventually(lambda: vote_count(http, idea_id, reader) == 1)


@pytest.mark.outage
def test_replaying_the_digest_projection_from_offset_zero_gives_the_same_counts(
        http, known_ideas, token, stack, config):
    module, profile = stack
    ideas = known_ideas(3)
    for idea_id in ideas[:2]:
        for _ in range(3):
            http("PUT", f"/api/votes/{idea_id}", token())
    digest_db = pymongo.MongoClient(config.mongo_url)[config.database_name("digest")]

    def counts():
        return {i: (digest_db.ideas.find_one({"_id": i}) or {}).get("vote_count") for i in ideas}
    before = {ideas[0]: 4, ideas[1]: 4, ideas[2]: 1}
    eventually(lambda: counts() == before, timeout=60, message="the digest read the supports")

    module.replay(profile, "digest")

    assert counts() == before


@pytest.fixture
def consumers(stack):
    """The consumer processes of the test stack, to kill and restart like a crash would."""
    module, profile = stack

    def crash_and_restart(name):
        module.kill(profile, name)
        module.start(profile, name)
    yield crash_and_restart
    for name in ("ideas-consumer", "digest-consumer", "votes-consumer"):
        module.start(profile, name)


@pytest.mark.outage
def test_counts_stay_exact_while_consumers_are_killed_at_random(
        http, known_ideas, token, votes_db, consumers, config, reader):
    ideas = known_ideas(12)
    people = [token() for _ in range(80)]
    rng = random.Random(48)
    requests_to_make = [(rng.choice(("PUT", "PUT", "DELETE")), rng.choice(ideas),
                         rng.choice(people)) for _ in range(REQUESTS)]
    done = threading.Event()

    def kill_at_random():
        while not done.wait(rng.uniform(1.0, 4.0)):
            consumers(rng.choice(("ideas-consumer", "digest-consumer")))

    killer = threading.Thread(target=kill_at_random)
    killer.start()
    try:
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda r: http(r[0], f"/api/votes/{r[1]}", r[2]).status_code,
                                     requests_to_make))
    finally:
        done.set()
        killer.join()
    assert set(statuses) == {200}

    expected = {idea_id: active_supports(votes_db, idea_id) for idea_id in ideas}
    eventually(lambda: {i: vote_count(http, i, reader) for i in ideas} == expected,
               timeout=90,
               message="every idea's vote_count equals the votes store")
    digest_db = pymongo.MongoClient(config.mongo_url)[config.database_name("digest")]
    eventually(lambda: {i: digest_db.ideas.find_one({"_id": i})["vote_count"]
                        for i in ideas} == expected, timeout=90,
               message="the digest's read model agrees with the votes store")


@pytest.mark.outage
def test_supports_during_a_kafka_outage_are_each_published_once(
        http, known_ideas, token, stack, votes_db, config, reader):
    module, profile = stack
    if profile.external_kafka:
        pytest.skip("Kafka is external")
    ideas = known_ideas(3)
    module.stop(profile, "kafka")
    try:
        people = [token() for _ in range(40)]
        answers = [http("PUT", f"/api/votes/{idea_id}", p) for p in people for idea_id in ideas]
        assert {a.status_code for a in answers} == {200}
    finally:
        module.start(profile, "kafka")
        module.wait_ready(profile, "kafka")

    expected = sum(active_supports(votes_db, i) for i in ideas)  # 40 x 3 + warm-up 3
    events = eventually(lambda: (lambda found: found if len(found) >= expected else None)(
        [e for e in vote_events(config, set(ideas)) if e["type"] == "vote.cast.v1"]),
        timeout=90, message="every support published after the outage")
    keys = [(e["data"]["idea_id"], e["data"]["voter_id"], e["data"]["seq"]) for e in events]
    assert len(keys) == len(set(keys)) == expected
    eventually(lambda: [vote_count(http, i, reader) for i in ideas] == [41, 41, 41], timeout=90,
               message="the ideas service counts each support once after the outage")
