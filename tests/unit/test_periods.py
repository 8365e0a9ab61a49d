"""services.digest.periods: ISO weeks of Paris time, as UTC bounds."""
from datetime import datetime, timedelta, timezone

import pytest

from services.digest.periods import InvalidPeriod, bounds, last_complete, period_of, previous


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def test_a_winter_week_starts_on_monday_midnight_in_paris():
    start, end = bounds("2026-W48")

    assert start == utc(2026, 11, 22, 23)  # Monday 23 November, 00:00 in Paris (UTC+1)
    assert end == utc(2026, 11, 29, 23)
    assert start.tzinfo == timezone.utc


def test_the_week_clocks_go_forward_lasts_167_hours():
    start, end = bounds("2026-W13")  # Sunday 29 March 2026, 02:00 -> 03:00

    assert start == utc(2026, 3, 22, 23)
    assert end == utc(2026, 3, 29, 22)
    assert end - start == timedelta(hours=167)


def test_the_week_clocks_go_back_lasts_169_hours():
    start, end = bounds("2026-W43")  # Sunday 25 October 2026, 03:00 -> 02:00

    assert start == utc(2026, 10, 18, 22)
    assert end == utc(2026, 10, 25, 23)
    assert end - start == timedelta(hours=169)


def test_consecutive_weeks_share_their_bound():
    assert bounds("2026-W13")[1] == bounds("2026-W14")[0]


@pytest.mark.parametrize("period", [
    "2026-48", "2026-w48", "26-W48", "2026-W4", " 2026-W48", "2026-W48 ", "", None,
    "2026-W00", "2026-W54", "2025-W53",  # 2025 has 52 ISO weeks
])
def test_a_malformed_or_nonexistent_week_is_refused(period):
    with pytest.raises(InvalidPeriod):
        bounds(period)


def test_a_period_followed_by_a_newline_is_refused():
    with pytest.raises(InvalidPeriod):
        bounds("2026-W48\n")


@pytest.mark.parametrize("moment, period", [
    (utc(2026, 11, 22, 22, 59), "2026-W47"),  # Sunday 23:59 in Paris
    (utc(2026, 11, 22, 23, 0), "2026-W48"),  # Monday 00:00 in Paris
    ("2026-11-29T22:59:59.999Z", "2026-W48"),
    ("2026-11-29T23:00:00.000Z", "2026-W49"),
    ("2026-12-31T12:00:00+00:00", "2026-W53"),
    ("2027-01-03T22:59:00.000Z", "2026-W53"),  # ISO year differs from calendar year
])
def test_period_of_a_moment_is_its_iso_week_in_paris(moment, period):
    assert period_of(moment) == period


def test_every_moment_of_a_week_belongs_to_it():
    start, end = bounds("2026-W43")

    assert period_of(start) == period_of(end - timedelta(microseconds=1)) == "2026-W43"


def test_2026_has_53_iso_weeks():
    assert period_of(bounds("2026-W53")[0]) == "2026-W53"


@pytest.mark.parametrize("period, before", [
    ("2026-W48", "2026-W47"),
    ("2026-W14", "2026-W13"),
    ("2027-W01", "2026-W53"),
    ("2026-W01", "2025-W52"),
])
def test_previous_is_the_week_before_even_across_a_year(period, before):
    assert previous(period) == before


@pytest.mark.parametrize("now, period", [
    (utc(2026, 11, 30, 8), "2026-W48"),  # Monday morning: last week is done
    (utc(2026, 11, 29, 23, 30), "2026-W48"),  # Monday 00:30 in Paris already
    (utc(2026, 11, 29, 22, 30), "2026-W47"),  # still Sunday 23:30 in Paris
    (utc(2027, 1, 4, 8), "2026-W53"),
])
def test_last_complete_is_the_week_that_ended_last_in_paris(now, period):
    assert last_complete(now) == period
