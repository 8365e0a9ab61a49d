"""The consumer loop on the real broker: idempotent effects, dead letters, replays."""
import threading

from shared.events import encode, make_event
from shared.consumer import EventConsumer, group_is_active, replay
from services.ideas import consumer as ideas_consumer
from services.ideas import domain
from services.ideas.store import IdeaStore, ensure_indexes
from tests.helpers import eventually
from tests.integration.conftest import read_topic


def make_stored_idea(hub):
    idea = domain.new_idea(domain.new_idea_id(), "Un titre d'essai", "Un corps d'essai assez long",
                           [], {"id": "agent-a", "name": "Agnès"}, "Test", "2026-11-26T08:00:00.000Z")
    IdeaStore(hub.db, feed=lambda: []).add(idea, [])
    return idea["_id"]


def vote_event(idea_id, voter, seq, active=True):
    kind = "vote.cast" if active else "vote.retracted"
    return make_event(kind, idea_id, {"idea_id": idea_id, "voter_id": voter, "seq": seq,
                                      "active": active}, "/tests")


def vote_count(hub, idea_id):
    return IdeaStore(hub.db, feed=lambda: []).get(idea_id)["vote_count"]


def test_the_same_event_delivered_twice_is_applied_once(isolated, hub_for, producer, running):
    hub = hub_for("ideas", ensure_indexes)
    idea_id = make_stored_idea(hub)
    event = vote_event(idea_id, "agent-b", 1)
    for _ in range(2):
        producer.send(isolated.topic("votes"), key=idea_id.encode(), value=encode(event))
    marker = vote_event(idea_id, "agent-c", 1)  # sent last: once it counts, both copies were read
    producer.send(isolated.topic("votes"), key=idea_id.encode(), value=encode(marker)).get(10)

    running(ideas_consumer.build_consumer(hub))

    eventually(lambda: hub.db.supporters.count_documents({}) == 2,
               message="both supporters recorded")
    assert vote_count(hub, idea_id) == 2


def test_a_poison_message_goes_to_the_dlq_and_the_consumer_carries_on(
        isolated, hub_for, producer, running):
    hub = hub_for("ideas", ensure_indexes)
    idea_id = make_stored_idea(hub)
    producer.send(isolated.topic("votes"), key=idea_id.encode(), value=b"{not json")
    wrong_payload = {**vote_event(idea_id, "agent-x", 1), "data": {"idea_id": idea_id}}
    producer.send(isolated.topic("votes"), key=idea_id.encode(), value=encode(wrong_payload))
    producer.send(isolated.topic("votes"), key=idea_id.encode(),
                  value=encode(vote_event(idea_id, "agent-b", 1))).get(10)

    running(ideas_consumer.build_consumer(hub))

    eventually(lambda: vote_count(hub, idea_id) == 1, message="the good event after the bad")
    dead = eventually(lambda: read_topic(isolated, "votes.dlq"), message="dead letters")
    assert [r.value for r in dead][:1] == [b"{not json"]
    assert len(dead) == 2
    reasons = [dict(r.headers)["error"].decode() for r in dead]
    assert "not a CloudEvent" in reasons[0] and "payload is invalid" in reasons[1]


def test_replaying_from_offset_zero_rebuilds_the_same_counts(isolated, hub_for, producer):
    hub = hub_for("ideas", ensure_indexes)
    ideas = [make_stored_idea(hub) for _ in range(3)]
    changes = [(ideas[0], "a", 1, True), (ideas[0], "b", 1, True), (ideas[1], "a", 1, True),
               (ideas[0], "a", 2, False), (ideas[2], "c", 1, True), (ideas[0], "a", 3, True),
               (ideas[1], "a", 2, False)]
    for idea_id, voter, seq, active in changes:
        producer.send(isolated.topic("votes"), key=idea_id.encode(),
                      value=encode(vote_event(idea_id, voter, seq, active)))
    producer.flush()
    applied = replay(ideas_consumer.build_consumer(hub))  # as the live consumer would
    before = [vote_count(hub, i) for i in ideas]
    assert applied == len(changes) and before == [2, 0, 1]

    ideas_consumer.reset_projection(hub)
    assert [vote_count(hub, i) for i in ideas] == [0, 0, 0]
    replay(ideas_consumer.build_consumer(hub))

    assert [vote_count(hub, i) for i in ideas] == before


def test_a_running_consumer_makes_its_group_active_so_replay_refuses(isolated, hub_for, running):
    hub = hub_for("ideas", ensure_indexes)
    assert not group_is_active(isolated, ideas_consumer.GROUP)

    running(ideas_consumer.build_consumer(hub))

    eventually(lambda: group_is_active(isolated, ideas_consumer.GROUP), timeout=20,
               message="the group has a member")


def test_a_consumer_that_reads_one_more_topic_is_given_it(isolated, producer, running):
    """A release made the digest consumer read the people topic too: the group gave its
    static member back its old assignment, without that topic, until the member was named
    after its topics."""
    first_release = EventConsumer(isolated, "upgrade", ["ideas"], {})
    stopping = threading.Event()
    thread = threading.Thread(target=first_release.run, args=(stopping,), daemon=True)
    thread.start()
    eventually(lambda: group_is_active(isolated, "upgrade"), timeout=30,
               message="the first release in its group")
    stopping.set()
    thread.join(10)

    event = make_event("person.joined", "p1", {"person": {"id": "p1", "name": "Paul"},
                                               "joined_at": "2026-12-01T10:00:00.000Z"},
                       "/tests")
    producer.send(isolated.topic("people"), key=b"p1", value=encode(event)).get(10)
    seen = []
    running(EventConsumer(isolated, "upgrade", ["ideas", "people"],
                          {("person.joined", 1): lambda payload, envelope:
                           seen.append(envelope["id"])}))

    eventually(lambda: seen == [event["id"]], timeout=60,
               message="the next release applies the new topic's event")
