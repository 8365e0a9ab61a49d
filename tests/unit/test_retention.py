"""services.people.retention: inactive accounts warned once, then anonymised; sign-ins and
audit rows purged after their period; a replay does not bring purged rows back."""
from datetime import datetime, timedelta, timezone

import mongomock
import pytest

from shared.events import iso
from shared.keyring import Keyring
from shared.outbox import Outbox
from services.people import handlers, retention
from services.people.domain import months_before
from services.people.store import PeopleStore
from tests.unit.conftest import FakePublisher

pytestmark = pytest.mark.unit

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


class Mailbox:
    def __init__(self):
        self.sent, self.failing = [], False

    def send(self, message):
        if self.failing:
            raise OSError("SMTP away")
        self.sent.append(message)


@pytest.fixture
def people(db):
    return PeopleStore(db)


@pytest.fixture
def kafka(db):
    return FakePublisher(Outbox(db, ("people",)))


@pytest.fixture
def ring():
    return Keyring(mongomock.MongoClient().keys)


def joined(people, kafka, sub, last_seen):
    handlers.sign_in({"sub": sub, "name": f"Agent {sub}", "email": f"{sub}@ville-demo.fr"},
                     people, kafka.publish, ())
    people.db.people.update_one({"_id": sub}, {"$set": {"seen_at": iso(last_seen)}})


def round_at(moment, people, mailbox, kafka, ring, config):
    return retention.run_round(people, mailbox, kafka.publish, ring, config, now=moment)


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(NOW, 24) == datetime(2024, 12, 2, 9, 0, tzinfo=timezone.utc)
    assert months_before(datetime(2026, 3, 31, tzinfo=timezone.utc), 1).day == 28


def test_an_inactive_account_is_warned_once_then_anonymised_after_the_warning(
        people, kafka, ring, config):
    mailbox = Mailbox()
    joined(people, kafka, "ancien", months_before(NOW, 24) + timedelta(days=10))
    joined(people, kafka, "actif", NOW - timedelta(days=200))

    first = round_at(NOW, people, mailbox, kafka, ring, config)
    again = round_at(NOW + timedelta(hours=1), people, mailbox, kafka, ring, config)

    assert (first["warned"], again["warned"]) == (1, 0)
    assert [m["To"] for m in mailbox.sent] == ["ancien@ville-demo.fr"]
    assert "anonymisé" in mailbox.sent[0].get_content()
    # Not yet: the warning is 30 days before, and the account's 24 months are not over.
    assert round_at(NOW + timedelta(days=20), people, mailbox, kafka, ring, config)[
        "erased"] == 0
    later = round_at(NOW + timedelta(days=31), people, mailbox, kafka, ring, config)
    assert later["erased"] == 1
    assert people.person("ancien")["erased_at"] and people.person("actif").get("name")
    erased = [e for e in kafka.events if e["type"] == "person.erased.v1"]
    assert [e["data"]["person_id"] for e in erased] == ["ancien"]
    assert erased[0]["data"]["texts"] == "kept"
    assert round_at(NOW + timedelta(days=32), people, mailbox, kafka, ring, config) == {
        "warned": 0, "erased": 0, "purged": 0}


def test_signing_in_after_the_warning_keeps_the_account(people, kafka, ring, config):
    mailbox = Mailbox()
    joined(people, kafka, "revenu", months_before(NOW, 24) + timedelta(days=5))
    round_at(NOW, people, mailbox, kafka, ring, config)
    handlers.sign_in({"sub": "revenu", "name": "Agent revenu", "email": "revenu@ville-demo.fr"},
                     people, kafka.publish, ())

    assert round_at(NOW + timedelta(days=40), people, mailbox, kafka, ring, config)[
        "erased"] == 0
    assert not people.person("revenu").get("erased_at")


def test_a_warning_that_smtp_refused_is_tried_again_at_the_next_round(
        people, kafka, ring, config):
    mailbox = Mailbox()
    joined(people, kafka, "ancien", months_before(NOW, 24))
    mailbox.failing = True
    assert round_at(NOW, people, mailbox, kafka, ring, config)["warned"] == 0
    mailbox.failing = False
    assert round_at(NOW, people, mailbox, kafka, ring, config)["warned"] == 1


def test_old_sign_ins_and_audit_rows_are_purged_and_a_replay_keeps_them_out(
        people, kafka, ring, config):
    people.db.sessions.insert_many([
        {"_id": "old", "person": "p", "since": (NOW - timedelta(days=400)).timestamp(),
         "until": 0},
        {"_id": "new", "person": "p", "since": (NOW - timedelta(days=10)).timestamp(),
         "until": 0}])
    people.db.audit.insert_many([{"_id": "a1", "at": iso(NOW - timedelta(days=400))},
                                 {"_id": "a2", "at": iso(NOW - timedelta(days=10))}])

    done = round_at(NOW, people, Mailbox(), kafka, ring, config)

    assert done["purged"] == 2
    assert [s["_id"] for s in people.db.sessions.find()] == ["new"]
    assert [a["_id"] for a in people.db.audit.find()] == ["a2"]
    old = {"at": iso(datetime.now(timezone.utc) - timedelta(days=400)), "person": {"id": "p"}}
    handlers.on_person_changed(old, {"id": "e-old"}, people, kept_months=12)
    handlers.on_person_changed({**old, "at": iso(datetime.now(timezone.utc))}, {"id": "e-new"},
                               people, kept_months=12)
    assert people.db.audit.find_one({"_id": "e-old"}) is None
    assert people.db.audit.find_one({"_id": "e-new"}) is not None


def test_the_rounds_go_on_after_a_failed_one_until_the_consumer_stops(monkeypatch, config):
    """The people consumer's background thread: a round that fails (the store away) is
    logged and the next one runs; stopping ends the loop."""
    import threading

    from pymongo.errors import PyMongoError

    stopping, rounds = threading.Event(), []

    def a_round(*args):
        rounds.append(args)
        if len(rounds) == 1:
            raise PyMongoError("the store is away")
        stopping.set()
        return {"warned": 1}
    monkeypatch.setattr(retention, "run_round", a_round)

    retention.run_forever(stopping, "store", "publish", "ring", config, every=0)

    assert len(rounds) == 2 and rounds[1][0] == "store"
