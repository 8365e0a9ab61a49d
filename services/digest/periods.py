"""Digest periods: ISO weeks in Europe/Paris ("2026-W48"), as UTC bounds."""
import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
_PERIOD = re.compile(r"(\d{4})-W(\d{2})")


class InvalidPeriod(ValueError):
    pass


def bounds(period):
    """[start, end) of the week in UTC; a week with a daylight-saving change lasts 167 or 169 h."""
    match = _PERIOD.fullmatch(period or "")
    if not match:
        raise InvalidPeriod(f"période invalide : {period!r} (attendu : 2026-W48)")
    year, week = int(match[1]), int(match[2])
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InvalidPeriod(f"la semaine {week} n'existe pas en {year}") from None
    start = datetime.combine(monday, time(0), PARIS)
    end = datetime.combine(monday + timedelta(days=7), time(0), PARIS)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def period_of(moment):
    """The ISO week, in Paris, of an aware datetime or an ISO 8601 string."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    year, week, _ = moment.astimezone(PARIS).isocalendar()
    return f"{year}-W{week:02d}"


def previous(period):
    start, _ = bounds(period)
    return period_of(start - timedelta(hours=12))


def last_complete(now):
    """The week that ended most recently before `now`."""
    return previous(period_of(now))


def due(weekday, hour, now):
    """The period a subscription sending on `weekday` (0 = Monday) at `hour` (Paris) is due
    for at `now`, and the moment it fell due: the week that ended before that moment's week."""
    local = now.astimezone(PARIS)
    days_back = (local.weekday() - weekday) % 7
    moment = datetime.combine(local.date() - timedelta(days=days_back), time(hour), PARIS)
    if moment > local:
        moment = datetime.combine(moment.date() - timedelta(days=7), time(hour), PARIS)
    return previous(period_of(moment)), moment.astimezone(timezone.utc)
