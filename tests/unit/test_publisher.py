"""shared.kafka.Publisher without a broker: what it does while Kafka is away."""
import time

from shared.events import make_event
from shared.kafka import Publisher
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
