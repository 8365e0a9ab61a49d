"""shared.kafka.Publisher without a broker: what it does while Kafka is away."""
import time

from shared import kafka
from shared.events import make_event
from shared.kafka import Publisher
from shared.outbox import RELAY_GRACE
from tests.unit.builders import vote


class CountingOutbox:
    def __init__(self):
        self.alerts = 0

    def raise_alert(self):
        self.alerts += 1


def test_while_kafka_is_away_requests_leave_events_to_the_relay_with_one_alert_a_second(
        config):
    outbox = CountingOutbox()
    publisher = Publisher(config, outbox)
    publisher._failed_at = time.monotonic()  # a send failed a moment ago
    event = make_event("vote.cast", "idea-1", vote("idea-1"), "/tests")

    for _ in range(50):  # fifty supports during the outage
        publisher.publish([event], "votes", "idea-1:bob")

    assert outbox.alerts == 1  # not one store write per request
    assert publisher._inbox.qsize() == 0  # nothing queued for a broker that is away


class SlowProducer:
    """Each send waits for metadata (Kafka away) as long as the producer may: MAX_BLOCK."""

    def __init__(self, clock):
        self.clock, self.sent = clock, []

    def send(self, topic, key, value):
        self.clock[0] += kafka.MAX_BLOCK
        self.sent.append(key)
        return NeverSettled()


class NeverSettled:
    def add_callback(self, _):
        pass

    def add_errback(self, _):
        pass


def test_an_event_that_went_stale_behind_slow_sends_is_left_to_the_relay(config, monkeypatch):
    """A request's events each wait up to MAX_BLOCK in `send`: once the next is older than
    FRESH, it is the relay's, which takes it only after RELAY_GRACE, when nothing the
    producer holds can still reach Kafka: never sent twice."""
    clock = [1000.0]
    monkeypatch.setattr(kafka.time, "monotonic", lambda: clock[0])
    outbox = CountingOutbox()
    publisher = Publisher(config, outbox, keyring=object())
    publisher._producer = SlowProducer(clock)
    monkeypatch.setattr(publisher, "_sealed", lambda event: event)
    events = [make_event("vote.cast", f"idea-{n}", vote(f"idea-{n}"), "/tests")
              for n in range(3)]

    publisher._send_all(clock[0], events, "votes", "doc")

    assert publisher._producer.sent == [b"idea-0", b"idea-1"]  # at 0 s and 3 s; not at 6 s
    assert outbox.alerts == 1
    assert RELAY_GRACE > kafka.FRESH + kafka.MAX_BLOCK + kafka.DELIVERY_TIMEOUT


class Sender:
    def __init__(self):
        self.forced = False

    def force_close(self):
        self.forced = True


class HeldProducer:
    """A producer still holding records: close() cannot flush them at once."""

    def __init__(self):
        self._sender = Sender()

    def close(self, timeout=None):
        from kafka.errors import KafkaTimeoutError
        raise KafkaTimeoutError("Timeout waiting for future")


def test_a_failed_send_drops_the_producer_and_what_it_holds(config):
    """Left to its own delivery timeout (enforced late by kafka-python), what the producer
    holds could reach Kafka after the relay sent it again: it is dropped at once."""
    publisher = Publisher(config, CountingOutbox())
    held = publisher._producer = HeldProducer()

    publisher._failure(RuntimeError("Expiring 41 record(s): 17858 ms has passed"))

    assert held._sender.forced and publisher._producer is None  # the next send makes one
