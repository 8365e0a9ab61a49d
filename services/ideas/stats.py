"""The hub's figures for moderators and managers (GET /api/stats), from the catalogue's rows.
Pure: no Flask, pymongo or Kafka here.

Why from the rows: the embedded store scans any query not on `_id` and blocks writes
meanwhile; every API process already holds each idea's row in memory (catalogue.py). A row
carries what the figures need: its creation time, status, unit, tags, call, the time of its
first answer and its supports per week.

Periods are Paris time: a month or a week starts at midnight in Paris, whatever the
daylight-saving offset; `from` and `to` are Paris dates, both included.

Supports: the ideas consumer keeps, per (idea, person), the latest support and when
(shared.tally). Each change of a count also moves, in the same fenced update, the count of
the week the support was given (a retraction takes back the week of the support it
retracts). So a week's figure is exactly the supports still standing that were given (last
given, for someone who retracted and supported again) that week; retracted ones are not
counted, nor the supports of a week before the retraction.
"""
import bisect
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from shared.text import fold

PARIS = ZoneInfo("Europe/Paris")
# The timeline entries that answer an idea: a moderator's status change or merge.
ANSWER_KINDS = ("status", "merged")
# Ideas no one needs to answer unless someone did: withdrawn by their author, or hidden.
NEED_NO_ANSWER = ("withdrawn", "hidden")
ANSWER_WITHIN = timedelta(days=30)
BUSIEST_TAGS = 10


def first_answer(timeline):
    """When a moderator first answered the idea (the first status change or merge of its
    timeline), or None."""
    return next((entry["at"] for entry in timeline or () if entry.get("kind") in ANSWER_KINDS),
                None)


def moment(stamp):
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def stamp(moment_):
    return moment_.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def week_of(at):
    """The ISO week ("2026-W09") of a UTC stamp, in Paris."""
    year, week, _ = moment(at).astimezone(PARIS).isocalendar()
    return f"{year}-W{week:02d}"


def support_week_moves(moves):
    """The `$inc` of a support count's change on the idea's weeks: (delta, supporter as
    recorded before, envelope) moves, as shared.tally gives them."""
    inc = Counter()
    for delta, known, envelope in moves:
        given = envelope["time"] if delta > 0 else (known or {}).get("at") or envelope["time"]
        inc[f"support_weeks.{week_of(given)}"] += delta
    return {field: n for field, n in inc.items() if n}


def _midnight(day):
    """The UTC stamp of midnight in Paris at the start of `day`."""
    return stamp(datetime(day.year, day.month, day.day, tzinfo=PARIS))


def _paris_day(at):
    return moment(at).astimezone(PARIS).date()


def _months(first, last):
    """The months from the one of `first` to the one of `last` (dates), as (key, start date)."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((f"{year}-{month:02d}", date(year, month, 1)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _weeks(first, last):
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        year, week, _ = monday.isocalendar()
        weeks.append(f"{year}-W{week:02d}")
        monday += timedelta(days=7)
    return weeks


def _median_hours(seconds):
    return round(statistics.median(seconds) / 3600, 2) if seconds else None


def answer_wait(created_at, answered_at):
    """Seconds from an idea's submission to its first answer (None: not answered)."""
    return (moment(answered_at) - moment(created_at)).total_seconds() if answered_at else None


def figures(rows, now, unit=None, campaign=None, from_day=None, to_day=None,
            spelling=lambda key: key, weeks=None):
    """The figures of the ideas of `rows` (catalogue rows) in `unit` and `campaign` (None:
    all), submitted from `from_day` to `to_day` (Paris dates, included; None: since the first
    idea, until today). `spelling(tag key)`: how a tag is shown. `weeks(unit, campaign)`:
    the supports per week of those ideas, if kept as rows come (catalogue.py); else summed
    from the rows."""
    in_scope = [row for row in rows if (unit is None or row.unit == unit)
                and (campaign is None or row.campaign_id == campaign)]
    today = _paris_day(now)
    to_day = to_day or today
    if from_day is None:
        first = min((row.created_at for row in in_scope), default=None)
        from_day = min(_paris_day(first), to_day) if first else to_day
    start, end = _midnight(from_day), _midnight(to_day + timedelta(days=1))
    ideas = [row for row in in_scope if start <= row.created_at < end]
    months = _months(from_day, to_day)
    # A month's ideas by bisecting its Paris midnight in UTC: no date parsing per idea.
    starts = [_midnight(first_day) for _, first_day in months]
    month_of = [bisect.bisect_right(starts, row.created_at) - 1 for row in ideas]
    per_month = Counter(month_of)
    return {
        "period": {"from": from_day.isoformat(), "to": to_day.isoformat(),
                   "timezone": "Europe/Paris"},
        "filters": {"unit": unit, "campaign": campaign},
        "ideas": {
            "total": len(ideas),
            "per_month": [{"month": key, "count": per_month[i]}
                          for i, (key, _) in enumerate(months)],
            "per_status": [{"status": status, "count": n} for status, n in sorted(
                Counter(row.status for row in ideas).items(), key=lambda p: (-p[1], p[0]))]},
        "supports": _supports(weeks(unit, campaign) if weeks else support_weeks(in_scope),
                              from_day, to_day),
        "first_answer": _first_answers(ideas, month_of, months, now),
        "units": _units(ideas),
        "tags": _tags(ideas, spelling),
    }


def support_weeks(rows):
    """{week: supports} of `rows`, every idea counted whatever its status."""
    per_week = Counter()
    for row in rows:
        per_week.update(row.support_weeks or {})
    return per_week


def _supports(per_week, from_day, to_day):
    weeks = _weeks(from_day, to_day)
    counts = [per_week.get(week, 0) for week in weeks]
    return {"total": sum(counts),
            "per_week": [{"week": week, "count": n} for week, n in zip(weeks, counts)]}


def _first_answers(ideas, month_of, months, now):
    """`month_of`: the index in `months` of each idea's month."""
    waits, per_month = [], defaultdict(list)
    eligible = in_time = 0
    closed_before = stamp(moment(now) - ANSWER_WITHIN)
    within = ANSWER_WITHIN.total_seconds()
    for row, month in zip(ideas, month_of):
        wait = row.answer_wait
        if wait is not None:
            waits.append(wait)
            per_month[month].append(wait)
        elif row.status in NEED_NO_ANSWER:
            continue
        # Only ideas whose 30 days are over count: a recent one may still be answered in time.
        if row.created_at <= closed_before:
            eligible += 1
            in_time += wait is not None and wait <= within
    return {
        "answered": len(waits),
        "median_hours": _median_hours(waits),
        "per_month": [{"month": key, "answered": len(per_month[i]),
                       "median_hours": _median_hours(per_month[i])}
                      for i, (key, _) in enumerate(months)],
        "within_30_days": {"eligible": eligible, "answered": in_time,
                           "share": round(in_time / eligible, 4) if eligible else None}}


def _units(ideas):
    counts = Counter(row.unit for row in ideas if row.unit)
    return {"count": len(counts), "items": [{"unit": unit, "ideas": n} for unit, n in sorted(
        counts.items(), key=lambda p: (-p[1], fold(p[0]), p[0]))]}


def _tags(ideas, spelling):
    counts = Counter(key for row in ideas for key in row.tag_keys)
    busiest = sorted(counts.items(), key=lambda p: (-p[1], p[0]))[:BUSIEST_TAGS]
    return [{"tag": spelling(key), "ideas": n} for key, n in busiest]
