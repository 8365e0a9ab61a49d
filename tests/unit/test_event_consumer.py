"""shared.consumer.EventConsumer.apply on fake records: events of a batch handler go
together, a bad one is parked alone, a store away is waited for, never dead-lettered."""
from collections import namedtuple

import pymongo
import pytest

from shared.consumer import EventConsumer
from shared.events import encode, make_event
from tests.unit.builders import vote

Record = namedtuple("Record", "topic partition offset key value")


def records(*voters):
    return [Record("ideahub.votes", 0, n, b"idea-1", encode(make_event(
        "vote.cast", "idea-1", vote("idea-1", voter), "/tests"))) for n, voter in enumerate(voters)]


@pytest.fixture
def parked(monkeypatch):
    dead = []
    monkeypatch.setattr(EventConsumer, "_dead_letter",
                        lambda self, record, reason, outcome: dead.append(record.offset))
    return dead


def consumer_with(batch_handler, config):
    return EventConsumer(config, "tests", ["votes"], {}, batch_handlers={
        ("vote.cast", 1): batch_handler})


def test_consecutive_events_of_a_batch_handler_are_applied_in_one_call(config, parked):
    calls = []
    consumer = consumer_with(lambda events: calls.append(
        [(p["voter_id"], e["position"]["offset"]) for p, e in events]), config)

    assert consumer.apply(records("a", "b", "c")) == ["applied"] * 3
    assert calls == [[("a", 0), ("b", 1), ("c", 2)]] and parked == []


def test_a_bad_event_in_a_batch_is_parked_alone_and_the_others_applied(config, parked):
    applied = []

    def handler(events):
        if any(p["voter_id"] == "poison" for p, _ in events):
            raise ValueError("cannot apply")
        applied.extend(p["voter_id"] for p, _ in events)
    outcomes = consumer_with(handler, config).apply(records("a", "poison", "c"))

    assert outcomes == ["applied", "dead-lettered", "applied"]
    assert applied == ["a", "c"] and parked == [1]


def test_a_store_away_is_retried_in_place_never_dead_lettered(config, parked, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    attempts = []

    def handler(events):
        attempts.append(len(events))
        if len(attempts) < 3:
            raise pymongo.errors.AutoReconnect("store restarting")

    assert consumer_with(handler, config).apply(records("a", "b")) == ["applied"] * 2
    assert attempts == [2, 2, 2] and parked == []
