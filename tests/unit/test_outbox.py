"""shared.outbox on mongomock: an event rides in the document whose change it tells, leaves
it once Kafka has it, and the relay sends what the request path could not."""
import time

from shared import outbox as outboxes
from shared.events import make_event
from shared.outbox import ALERT, Relay
from tests.unit.builders import vote

GRACE, SAFETY = 15.0, 60.0


def event(voter_id="bob"):
    return make_event("vote.cast", "idea-1", vote("idea-1", voter_id), "/tests")


def store(db, collection, doc_id, *events, age=0.0):
    """A document holding `events` in its outbox, written `age` seconds ago."""
    db[collection].insert_one({"_id": doc_id, outboxes.FIELD: outboxes.pending(
        events, now=time.time() - age)})


def held(db, collection, doc_id):
    return [entry["id"] for entry in db[collection].find_one({"_id": doc_id})[outboxes.FIELD]]


# the outbox in the document

def test_pending_entries_carry_each_event_with_its_id_and_time():
    first, second = event("bob"), event("carol")

    entries = outboxes.pending([first, second], now=12.5)

    assert entries == [{"id": first["id"], "at": 12.5, "event": first},
                       {"id": second["id"], "at": 12.5, "event": second}]


def test_push_adds_events_to_the_outbox_of_the_document_it_updates(db):
    earlier, later = event("bob"), event("carol")
    store(db, "votes", "v-1", earlier)

    db.votes.update_one({"_id": "v-1"}, {"$set": {"active": True}, **outboxes.push([later])})

    assert held(db, "votes", "v-1") == [earlier["id"], later["id"]]


def test_push_of_no_event_is_no_operator_at_all():
    # An empty $push would be refused by MongoDB alongside a $set of the same write.
    assert outboxes.push([]) == {}


def test_sent_pulls_only_the_acknowledged_events(db, outbox):
    acked, kept, elsewhere = event("bob"), event("carol"), event("dan")
    store(db, "votes", "v-1", acked, kept)
    store(db, "ideas", "i-1", elsewhere)

    outbox.sent([("votes", "v-1", acked["id"])])

    assert held(db, "votes", "v-1") == [kept["id"]]
    assert held(db, "ideas", "i-1") == [elsewhere["id"]]


# the relay

class Kafka:
    """The relay's publisher: keeps what it accepts, refuses every send after the first
    `refuse`, and runs `then()` after each accepted one."""

    def __init__(self, refuse=None, then=None):
        self.refuse, self.then, self.sent = refuse, then, []

    def send_now(self, events):
        for done, event in enumerate(events):
            if self.refuse is not None and len(self.sent) >= self.refuse:
                return done
            self.sent.append(event["id"])
            if self.then:
                self.then()
        return len(events)


def relay_of(outbox, kafka):
    relay = Relay(outbox, kafka, grace=GRACE, safety=SAFETY)
    relay.round(now=0.0)  # the first round sweeps: nothing is left yet
    return relay


def test_without_an_alert_the_relay_waits_for_the_safety_interval(db, outbox):
    kafka = Kafka()
    relay = relay_of(outbox, kafka)
    left = event()
    store(db, "votes", "v-1", left, age=GRACE + 1)  # its process died before Kafka had it

    assert relay.round(now=SAFETY - 1) is False
    assert kafka.sent == []
    assert relay.round(now=SAFETY) is True
    assert kafka.sent == [left["id"]]
    assert held(db, "votes", "v-1") == []


def test_an_alert_sends_at_once_the_events_past_the_grace_oldest_first(db, outbox):
    kafka = Kafka()
    relay = relay_of(outbox, kafka)
    oldest, older, fresh = event("bob"), event("carol"), event("dan")
    store(db, "ideas", "i-1", older, age=GRACE + 5)
    store(db, "votes", "v-1", oldest, age=GRACE + 9)
    store(db, "votes", "v-2", fresh, age=1)  # the request path may still be sending it
    outbox.raise_alert()

    assert relay.round(now=1.0) is True
    assert kafka.sent == [oldest["id"], older["id"]]
    assert held(db, "votes", "v-2") == [fresh["id"]]


def test_a_failed_send_stops_the_sweep_and_keeps_the_rest_in_order(db, outbox):
    kafka = Kafka(refuse=1)
    relay = relay_of(outbox, kafka)
    events = [event(f"voter-{n}") for n in range(3)]
    for n, one in enumerate(events):
        store(db, "votes", f"v-{n}", one, age=GRACE + 10 - n)
    outbox.raise_alert()

    relay.round(now=1.0)

    assert kafka.sent == [events[0]["id"]]
    assert outbox.unsent(GRACE) == [("votes", f"v-{n}", events[n]) for n in (1, 2)]
    assert outbox.alert()


def raised_ago(outbox, seconds):
    outbox.raise_alert()
    raised = time.time() - seconds
    outbox.db.outbox_alerts.update_one({}, {"$set": {"at": raised}})
    return raised


def past_grace(outbox):
    """The alert as raised long enough ago for a sweep now to take every event it covers."""
    return raised_ago(outbox, GRACE + outboxes.ALERT_EVERY + 1)


def test_a_clean_sweep_within_the_grace_keeps_the_alert(outbox):
    # The events that made a publisher fail are not yet old enough to be swept.
    relay = relay_of(outbox, Kafka())
    outbox.raise_alert()

    relay.round(now=1.0)

    assert outbox.alert()


def test_a_clean_sweep_past_the_grace_clears_the_alert(outbox):
    relay = relay_of(outbox, Kafka())
    past_grace(outbox)

    relay.round(now=1.0)

    assert not outbox.alert()


def test_the_alert_stays_until_a_sweep_took_the_events_left_just_after_it(db, outbox):
    # A publisher raises the alert at most once a second: an event it left to the relay
    # half a second after the alert is not yet past the grace when the alert is.
    relay = relay_of(outbox, Kafka())
    raised_ago(outbox, GRACE + 0.5)
    store(db, "votes", "v-1", event(), age=GRACE - 0.5)

    relay.round(now=1.0)

    assert outbox.alert()
    assert len(outbox.unsent(0)) == 1


def test_a_failed_sweep_past_the_grace_keeps_the_alert(db, outbox):
    relay = relay_of(outbox, Kafka(refuse=0))
    store(db, "votes", "v-1", event(), age=GRACE + 1)
    past_grace(outbox)

    relay.round(now=1.0)

    assert outbox.alert()


def test_an_alert_raised_again_during_the_sweep_is_kept(db, outbox):
    relay = relay_of(outbox, Kafka(then=outbox.raise_alert))  # a request failed meanwhile
    store(db, "votes", "v-1", event(), age=GRACE + 1)
    raised = past_grace(outbox)

    relay.round(now=1.0)

    assert outbox.alert() > raised


def test_a_process_that_starts_raises_the_alert_for_what_a_killed_one_left(make_app, db):
    """Events a killed process left raised no alert: a process that starts raises it, so the
    relay sends them after its grace rather than at its next safety sweep."""
    make_app("ideas")

    assert db.outbox_alerts.find_one({"_id": ALERT}) is not None
