"""The digest: what a manager learns of their scope for one week. Pure.

Its read model keeps one document per idea, built from the ideas and votes events only: the
idea's newest snapshot, its count, what each week added to the count (`gains`), and its
status changes. Supporters are counted once each by shared.tally.
"""
import hashlib
from datetime import datetime, timedelta

from shared.events import iso
from shared.text import fold
from services.digest import calls, periods

SOURCE = "/ideahub/digest"
TOP = 5
BACKLOG_DAYS = 14
BACKLOG_SHOWN = 10


def empty_view(idea_id):
    return {"_id": idea_id, "version": 0, "idea": None, "vote_count": 0, "gains": {},
            "status_changes": [], "evaluations": 0, "progress": []}


def idea_fields(payload):
    """The snapshot the view keeps, with its unit folded for the scope's query."""
    return {**payload["idea"], "unit_key": fold(payload["idea"]["unit"])}


def status_change(name, payload, envelope):
    """The status change an idea event tells, or None."""
    if name != "idea.status_changed":
        return None
    return {"at": envelope["time"], "status": payload["status"],
            "previous": payload["previous_status"], "note": payload["note"]}


def progress_update(name, payload, envelope):
    """The implementation update an idea event tells, or None; its event id makes a
    redelivered one the same entry (the store adds it to a set)."""
    if name != "idea.progress_updated":
        return None
    owner = payload.get("owner") or {}
    return {"event_id": envelope["id"], "at": payload["at"], "milestone": payload["milestone"],
            "percent": payload["percent"], "update": payload["update"],
            "owner": owner.get("name", "")}


def apply_idea_event(view, name, payload, envelope):
    """Fold an idea event in (view changed in place); False if it was not newer. The store
    does the same in one fenced update; evaluations and updates count whatever the order."""
    if name == "idea.evaluated":
        view["evaluations"] = max(view.get("evaluations", 0), payload["evaluations"])
    update = progress_update(name, payload, envelope)
    if update and update not in view["progress"]:
        view["progress"].append(update)
    if view["version"] >= payload["version"]:
        return False
    view["version"] = payload["version"]
    view["idea"] = idea_fields(payload)
    change = status_change(name, payload, envelope)
    if change:
        view["status_changes"].append(change)
    return True


def gained(moves):
    """The update that counts changes of supports in the weeks they happened. `moves`:
    (delta, supporter as recorded before, envelope), as shared.tally gives them."""
    weeks = {}
    for delta, _, envelope in moves:
        week = f"gains.{periods.period_of(envelope['time'])}"
        weeks[week] = weeks.get(week, 0) + delta
    return {"$inc": weeks}


def count_at_end(view, period):
    """Supports the idea had when `period` ended (week keys sort in time order)."""
    return sum(gain for week, gain in view["gains"].items() if week <= period)


def scope_key(subscription):
    """Subscriptions with the same key see the same digest content (`build`)."""
    return (tuple(sorted({fold(u) for u in subscription.get("units") or []})),
            tuple(sorted({fold(t) for t in subscription.get("tags") or []})))


def in_scope(idea, subscription):
    """Units and tags compare without case or accents, as ideas compare their tags."""
    units = {fold(u) for u in subscription.get("units") or []}
    tags = {fold(t) for t in subscription.get("tags") or []}
    if units and fold(idea["unit"]) not in units:
        return False
    return not tags or bool(tags & {fold(t) for t in idea["tags"]})


def week(scoped, period):
    """What happened in the scope during one period: new ideas, supports won, answers."""
    start, end = (iso(moment) for moment in periods.bounds(period))
    before = periods.previous(period)
    new = [v for v in scoped if start <= v["idea"]["created_at"] < end]
    new.sort(key=lambda v: (-count_at_end(v, period), v["idea"]["created_at"]))
    gains = [(count_at_end(v, period) - count_at_end(v, before), v) for v in scoped]
    gains = sorted((g for g in gains if g[0] > 0), key=lambda g: (-g[0], g[1]["_id"]))
    changes = [(c, v) for v in scoped for c in v["status_changes"] if start <= c["at"] < end]
    changes.sort(key=lambda cv: cv[0]["at"])
    return new, gains, changes


def waiting(scoped, period):
    """Ideas still unanswered BACKLOG_DAYS after they were proposed, oldest first, as the
    read model knows them now."""
    _, end = periods.bounds(period)
    cutoff = iso(end - timedelta(days=BACKLOG_DAYS))
    late = [v for v in scoped
            if v["idea"]["status"] == "submitted" and v["idea"]["created_at"] < cutoff]
    late.sort(key=lambda v: (v["idea"]["created_at"], v["_id"]))
    return [{**_item(v, period), "since": v["idea"]["created_at"][:10],
             "days": (end - _moment(v["idea"]["created_at"])).days} for v in late]


def build(subscription, period, views, calls_known=()):
    """The content of one digest, or None when nothing happened in the scope. `calls_known`:
    the calls for ideas the read model knows (all of them: a section each for those live
    during the period and in the scope)."""
    scoped = [v for v in views if v["idea"] and in_scope(v["idea"], subscription)]
    # A hidden idea is named to no one but moderators: it only counts as waiting for them.
    shown = [v for v in scoped if v["idea"]["status"] != "hidden"]
    new, gains, changes = week(shown, period)
    progress = calls.updates(shown, period, _item)
    if not new and not gains and not changes and not progress:
        return None
    last_new, last_gains, last_changes = week(shown, periods.previous(period))
    late = waiting(shown, period)
    return {
        "period": period,
        "new_count": len(new),
        "new_top": [_item(v, period) for v in new[:TOP]],
        "gains": [{**_item(v, period), "gain": gain} for gain, v in gains[:TOP]],
        "status_changes": [{**_item(v, period), **change} for change, v in changes],
        "calls": calls.sections(calls_known, shown, subscription, period, count_at_end,
                                _item),
        "progress": progress[:calls.UPDATES_SHOWN],
        "progress_count": len(progress),
        "backlog": late[:BACKLOG_SHOWN],
        "backlog_count": len(late),
        "moderation_waiting": sum(1 for v in scoped if v["idea"]["status"] == "hidden"
                                  or v["idea"].get("pending_flags", 0) > 0),
        "totals": {"new": len(new), "supports": sum(g for g, _ in gains),
                   "answers": len(changes)},
        "previous": {"new": len(last_new), "supports": sum(g for g, _ in last_gains),
                     "answers": len(last_changes)},
    }


def _moment(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _item(view, period):
    """An idea as the digest shows it: its supports when the period ended, whatever came
    after (a preview or a late run tells the week as it was)."""
    return {"id": view["_id"], "title": view["idea"]["title"], "unit": view["idea"]["unit"],
            "vote_count": count_at_end(view, period)}


def message_id(subscription_id, period, domain="ideahub.local"):
    """The same Message-ID for the same digest, so a resend is recognisable downstream."""
    digest = hashlib.sha256(f"{subscription_id}|{period}".encode()).hexdigest()[:32]
    return f"<digest.{period}.{digest}@{domain}>"
