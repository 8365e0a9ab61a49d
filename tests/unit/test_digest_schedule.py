"""Scheduling: each subscription's digest for the week just ended, at its weekday and hour
in Paris, caught up after downtime, never twice."""
from datetime import datetime, timezone

import pytest

from services.digest import jobs
from services.digest.periods import due
from services.digest.store import DigestStore
from tests.unit.builders import DURING, digest_view, make_idea, make_subscription


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize("weekday, hour, now, period, fell_due", [
    # Monday 30 Nov 2026, 08:00 in Paris is 07:00 UTC: week 48 has just ended
    (0, 8, utc(2026, 11, 30, 7, 0), "2026-W48", utc(2026, 11, 30, 7, 0)),
    (0, 8, utc(2026, 11, 30, 6, 59), "2026-W47", utc(2026, 11, 23, 7, 0)),
    (0, 8, utc(2026, 12, 2, 12, 0), "2026-W48", utc(2026, 11, 30, 7, 0)),  # caught up Wed
    (4, 17, utc(2026, 12, 4, 16, 30), "2026-W48", utc(2026, 12, 4, 16, 0)),  # Friday 17:00
    # summer time: Monday 30 March 2026, 08:00 in Paris is 06:00 UTC
    (0, 8, utc(2026, 3, 30, 6, 0), "2026-W13", utc(2026, 3, 30, 6, 0)),
])
def test_the_period_due_is_the_week_ended_before_the_last_scheduled_moment(
        weekday, hour, now, period, fell_due):
    assert due(weekday, hour, now) == (period, fell_due)


@pytest.fixture
def store(db):
    db.ideas.insert_one(digest_view(make_idea(unit="Service urbanisme", created_at=DURING)))
    return DigestStore(db)


def send_due(store, mailer, publisher, config, now):
    return jobs.send_due(now, store, mailer, publisher.publish, config)


def test_a_due_digest_is_sent_once_however_often_the_scheduler_runs(
        store, mailer, publisher, config):
    store.save_subscription(make_subscription(created_at="2026-11-01T00:00:00.000Z"))

    assert send_due(store, mailer, publisher, config, utc(2026, 11, 30, 7, 1)) == {"sent": 1}
    assert send_due(store, mailer, publisher, config, utc(2026, 11, 30, 7, 2)) == {}
    assert send_due(store, mailer, publisher, config, utc(2026, 12, 1, 9, 0)) == {}
    assert len(mailer.sent) == 1 and "2026-W48" in mailer.sent[0]["Subject"]


def test_a_day_of_downtime_is_caught_up(store, mailer, publisher, config):
    store.save_subscription(make_subscription(created_at="2026-11-01T00:00:00.000Z"))

    assert send_due(store, mailer, publisher, config, utc(2026, 12, 1, 10, 0)) == {"sent": 1}


def test_a_subscription_made_after_the_moment_waits_for_the_next_one(
        store, mailer, publisher, config):
    store.save_subscription(make_subscription(created_at="2026-12-01T00:00:00.000Z"))

    assert send_due(store, mailer, publisher, config, utc(2026, 12, 1, 10, 0)) == {}
    assert mailer.sent == []


def test_a_failed_send_is_tried_again_at_the_next_round(store, mailer, publisher, config):
    store.save_subscription(make_subscription(created_at="2026-11-01T00:00:00.000Z"))
    mailer.down = True
    assert send_due(store, mailer, publisher, config, utc(2026, 11, 30, 7, 1)) == {"failed": 1}

    mailer.down = False
    assert send_due(store, mailer, publisher, config, utc(2026, 11, 30, 7, 2)) == {"sent": 1}


def test_a_send_left_claimed_by_a_dead_runner_is_sent_once_stale(
        store, mailer, publisher, config):
    store.save_subscription(make_subscription(created_at="2026-11-01T00:00:00.000Z"))
    died_at = utc(2026, 11, 30, 7, 1)
    store.claim_send("manager-1", "2026-W48", "schedule:2026-W48:dead", died_at.timestamp())

    assert send_due(store, mailer, publisher, config, utc(2026, 11, 30, 7, 10)) == {}
    later = died_at.timestamp() + jobs.STALE_CLAIM + 60
    assert send_due(store, mailer, publisher, config,
                    datetime.fromtimestamp(later, timezone.utc)) == {"sent": 1}
    assert len(mailer.sent) == 1


def test_a_failing_send_is_tried_again_less_and_less_often_then_left_to_an_admin(
        store, mailer, publisher, config):
    store.save_subscription(make_subscription(created_at="2026-11-01T00:00:00.000Z"))
    mailer.down = True
    start = utc(2026, 11, 30, 7, 1).timestamp()
    tries = []
    for minute in range(0, 24 * 60, 1):  # the scheduler's round, every minute for a day
        outcome = send_due(store, mailer, publisher, config,
                           datetime.fromtimestamp(start + 60 * minute, timezone.utc))
        if outcome:
            tries.append(minute)

    assert tries == [0, 1, 6, 36, 216, 936]  # after 1 min, 5 min, 30 min, 3 h, 12 h
    assert store.send("manager-1:2026-W48")["attempts"] == 6


def test_an_unconfirmed_address_waits_and_the_round_after_its_confirmation_sends(
        store, mailer, publisher, config):
    store.save_subscription(make_subscription(created_at="2026-11-01T00:00:00.000Z",
                                              email="autre@ville.test", email_verified=False))

    assert send_due(store, mailer, publisher, config, utc(2026, 11, 30, 7, 1)) == {}
    assert store.confirm_address("manager-1", "autre@ville.test")
    assert send_due(store, mailer, publisher, config, utc(2026, 11, 30, 9, 0)) == {"sent": 1}
    assert [m["To"] for m in mailer.sent] == ["autre@ville.test"]
