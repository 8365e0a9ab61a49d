"""shared.mongo.change on mongomock: an optimistic read-modify-write on `rev` never
overwrites what another writer did meanwhile."""
import pytest

from shared import mongo, outbox as outboxes
from shared.events import make_event
from tests.unit.builders import vote


def event():
    return make_event("vote.cast", "idea-1", vote("idea-1"), "/tests")


def test_a_change_writes_its_pushed_events_with_it(db):
    db.votes.insert_one({"_id": "v-1", "rev": 1, "active": False})
    sent = event()

    old, new = mongo.change(db.votes, "v-1", lambda doc: {**doc, "active": True},
                            extra=lambda new: outboxes.push([sent]))

    assert (old["rev"], new["rev"]) == (1, 2)
    assert [e["id"] for e in db.votes.find_one({"_id": "v-1"})[outboxes.FIELD]] == [sent["id"]]


def test_a_change_sets_only_the_fields_it_changed(db):
    db.ideas.insert_one({"_id": "i-1", "rev": 1, "title": "Avant", "vote_count": 0})

    def retitle(doc):
        # A writer that does not move `rev` (the consumer's count) writes meanwhile.
        db.ideas.update_one({"_id": "i-1"}, {"$set": {"vote_count": 4}})
        return {**doc, "title": "Après"}
    mongo.change(db.ideas, "i-1", retitle)

    stored = db.ideas.find_one({"_id": "i-1"})
    assert (stored["title"], stored["vote_count"], stored["rev"]) == ("Après", 4, 2)


def test_a_change_decided_against_writes_nothing(db):
    db.ideas.insert_one({"_id": "i-1", "rev": 1})

    assert mongo.change(db.ideas, "i-1", lambda doc: None)[1] is None
    assert db.ideas.find_one({"_id": "i-1"})["rev"] == 1


def test_a_change_decides_again_when_another_writer_moved_rev_meanwhile(db):
    db.ideas.insert_one({"_id": "i-1", "rev": 1, "n": 0})
    seen = []

    def increment(doc):
        seen.append(doc["n"])
        if len(seen) == 1:  # another writer, between this read and this write
            db.ideas.update_one({"_id": "i-1"}, {"$set": {"n": 10}, "$inc": {"rev": 1}})
        return {**doc, "n": doc["n"] + 1}
    mongo.change(db.ideas, "i-1", increment)

    assert seen == [0, 10]
    assert db.ideas.find_one({"_id": "i-1"})["n"] == 11


def test_a_change_of_an_absent_document_decides_nothing_and_writes_nothing(db):
    decided = []

    assert mongo.change(db.ideas, "i-1", lambda doc: decided.append(doc) or doc) == (None, None)
    assert decided == [] and db.ideas.find_one({"_id": "i-1"}) is None


def test_a_document_that_keeps_changing_is_a_conflict_after_the_attempts(db):
    db.ideas.insert_one({"_id": "i-1", "rev": 1})
    calls = []

    def always_overtaken(doc):
        calls.append(doc)
        db.ideas.update_one({"_id": "i-1"}, {"$inc": {"rev": 1}})
        return {**doc, "mine": True}

    with pytest.raises(mongo.Conflict):
        mongo.change(db.ideas, "i-1", always_overtaken)
    assert len(calls) == mongo.ATTEMPTS
    assert "mine" not in db.ideas.find_one({"_id": "i-1"})
    assert mongo.is_transient(mongo.Conflict("i-1"))  # the consumer tries the event again


def test_a_change_that_would_grow_a_document_past_the_limit_is_refused(db, monkeypatch):
    monkeypatch.setattr(mongo, "MAX_DOCUMENT_BYTES", 1000)
    db.docs.insert_one({"_id": "d", "rev": 1, "history": []})

    with pytest.raises(mongo.TooLarge):
        mongo.change(db.docs, "d", lambda doc: {**doc, "history": ["x" * 2000]})

    assert db.docs.find_one({"_id": "d"})["history"] == []
