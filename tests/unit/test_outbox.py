"""shared.outbox and shared.mongo.Leases on mongomock: no event lost, none sent for a change
that was never stored, one writer per document."""
import time

import pytest

from shared.events import make_event
from shared.mongo import Busy, Leases
from shared.outbox import REMEMBERED_IDS, AlreadyExists, Relay
from tests.unit.builders import vote


def event(voter_id="bob"):
    return make_event("vote.cast", "idea-1", vote("idea-1", voter_id), "/tests")


def write(outbox, doc_id, *events):
    """One change of document `doc_id` of `votes`, producing `events`."""
    return outbox.change("votes", doc_id, lambda current: ({"_id": doc_id}, list(events)))


def age(outbox, seconds):
    """Pretend everything in the outbox was staged `seconds` earlier."""
    outbox.collection.update_many({}, {"$inc": {"at": -seconds}})


def staged(outbox):
    return {doc["_id"]: doc for doc in outbox.collection.find()}


@pytest.fixture
def relay(outbox, publisher):
    return Relay(outbox, publisher, grace=3.0, abandon_after=15.0)


def test_a_change_stores_the_document_listing_its_events_and_marks_them_applied(outbox, db):
    first, second = event("bob"), event("carol")

    doc, events = write(outbox, "v-1", first, second)

    assert events == [first, second]
    assert db.votes.find_one({"_id": "v-1"})["outbox_ids"] == [first["id"], second["id"]]
    kept = staged(outbox)
    assert [kept[e["id"]]["applied"] for e in events] == [True, True]
    assert kept[first["id"]]["topic"] == "votes" and kept[first["id"]]["key"] == "idea-1"


def test_a_writer_dying_before_marking_leaves_its_events_staged_and_listed(outbox, db, monkeypatch):
    def crash(events):
        raise RuntimeError("worker killed")
    monkeypatch.setattr(outbox, "mark_applied", crash)

    with pytest.raises(RuntimeError):
        write(outbox, "v-1", event())

    assert db.votes.find_one({"_id": "v-1"})["outbox_ids"]
    assert [doc["applied"] for doc in staged(outbox).values()] == [False]


def test_a_change_decided_against_writes_and_stages_nothing(outbox, db):
    current, events = outbox.change("votes", "v-1", lambda current: None)

    assert (current, events) == (None, [])
    assert db.votes.count_documents({}) == 0 and staged(outbox) == {}


def test_a_document_remembers_only_its_latest_event_ids(outbox, db):
    events = [event(f"voter-{n}") for n in range(REMEMBERED_IDS + 5)]
    for one in events:
        write(outbox, "v-1", one)

    assert db.votes.find_one({"_id": "v-1"})["outbox_ids"] == [
        e["id"] for e in events[-REMEMBERED_IDS:]]


def test_adding_a_document_twice_keeps_only_the_first_and_its_events(outbox):
    first, second = event("bob"), event("carol")
    outbox.add("votes", {"_id": "v-1"}, [first])

    with pytest.raises(AlreadyExists):
        outbox.add("votes", {"_id": "v-1"}, [second])

    assert list(staged(outbox)) == [first["id"]]


def test_the_relay_keeps_events_while_kafka_is_away_then_sends_them_in_order(
        outbox, relay, publisher):
    events = [event(f"voter-{n}") for n in range(3)]
    for n, one in enumerate(events):
        write(outbox, f"v-{n}", one)
    age(outbox, 10)

    publisher.online = False
    assert relay.sweep() == 0
    assert len(staged(outbox)) == 3

    publisher.online = True
    assert relay.sweep() == 3
    assert [e["id"] for e in publisher.events] == [e["id"] for e in events]
    assert staged(outbox) == {}


def test_the_relay_leaves_fresh_events_to_the_request_path(outbox, relay, publisher):
    write(outbox, "v-1", event())

    assert relay.sweep() == 0
    assert publisher.events == [] and len(staged(outbox)) == 1


def test_settling_drops_an_event_whose_change_was_never_stored(outbox, db, relay, publisher):
    lost, kept = event("bob"), event("carol")
    outbox.stage([lost], "votes", "v-lost", "votes:v-lost")
    outbox.stage([kept], "votes", "v-kept", "votes:v-kept")
    db.votes.insert_one({"_id": "v-kept", "outbox_ids": [kept["id"]]})
    age(outbox, 60)

    assert relay.sweep() == 1

    assert [e["id"] for e in publisher.events] == [kept["id"]]
    assert staged(outbox) == {}


def test_settling_waits_for_a_writer_that_may_still_be_running(outbox):
    outbox.stage([event()], "votes", "v-1", "votes:v-1")

    outbox.settle_abandoned(older_than=15)

    assert [doc["applied"] for doc in staged(outbox).values()] == [False]


def test_a_lease_is_held_by_one_holder_at_a_time(db, leases):
    impatient = Leases(db["leases"], wait=0.05)

    with leases.hold("votes:v-1"):
        with pytest.raises(Busy):
            with impatient.hold("votes:v-1"):
                pass
        with impatient.hold("votes:v-2"):
            pass

    with impatient.hold("votes:v-1"):
        pass


def test_an_expired_lease_is_taken_over(db):
    db["leases"].insert_one({"_id": "votes:v-1", "token": "dead", "expires": time.time() - 1})

    with Leases(db["leases"], wait=0.05).hold("votes:v-1"):
        assert db["leases"].find_one({"_id": "votes:v-1"})["token"] != "dead"

    assert db["leases"].count_documents({}) == 0


def test_a_change_runs_under_its_documents_lease(outbox, db):
    seen = []

    def decide(current):
        seen.append(db["leases"].find_one({"_id": "votes:v-1"}))
        return None
    outbox.change("votes", "v-1", decide)

    assert seen[0] is not None
    assert db["leases"].count_documents({}) == 0
