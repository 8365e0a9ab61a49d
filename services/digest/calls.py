"""What a manager's digest tells of calls for ideas and of accepted ideas being carried out.
Pure.

The digest keeps its own copy of each call (campaign.* events, newest version) and, in each
idea's view, its call (the snapshot's `campaign_id`), how many evaluators have scored it
(idea.evaluated) and its implementation updates (idea.progress_updated, once per event).
"""
from shared import phases
from shared.events import OPEN_FOR_VOTES, iso
from shared.text import fold
from services.digest import periods

LEADING = 3
NEW_SHOWN = 5
UPDATES_SHOWN = 20
# The date that ends each phase: what a section says the call is open until.
CLOSES = {"proposals": "proposals_until", "supports": "supports_until",
          "evaluation": "evaluation_until"}


def call_fields(payload):
    """What the digest keeps of a call: its title, scope, dates, and how many evaluators
    it appointed (an idea waits for evaluation until that many have scored it)."""
    call = payload["campaign"]
    return {"title": call["title"], "units": call["units"],
            "unit_keys": sorted({fold(u) for u in call["units"]}),
            "evaluators": len(call["evaluators"]),
            **{name: call[name] for name in phases.DATES}}


def call_in_scope(call, subscription):
    """A call for everyone (no units) is in every scope; one for some units, in the scopes
    of those units (any of them) and in those without units (everything)."""
    units = {fold(u) for u in subscription.get("units") or []}
    return not units or not call["unit_keys"] or bool(units & set(call["unit_keys"]))


def live_during(call, start, end):
    """The call took ideas, supports or evaluations at some moment of [start, end)."""
    return call["proposals_from"] < end and start < call["evaluation_until"]


def sections(calls, shown, subscription, period, count_at_end, item):
    """One section per call live during `period` and in the subscription's scope, from the
    views `shown` (the scope's ideas, already filtered), in closing order. `count_at_end`
    and `item` are the digest's (domain) ways of counting and showing an idea."""
    start, end = (iso(moment) for moment in periods.bounds(period))
    by_call = {}
    for view in shown:
        if view["idea"].get("campaign_id"):
            by_call.setdefault(view["idea"]["campaign_id"], []).append(view)
    live = [c for c in calls if live_during(c, start, end) and call_in_scope(c, subscription)]
    live.sort(key=lambda c: (c["evaluation_until"], c["_id"]))
    return [_section(call, by_call.get(call["_id"], []), start, end, period, count_at_end,
                     item) for call in live]


def _section(call, views, start, end, period, count_at_end, item):
    phase = phases.phase(call, end)  # where it stood when the week ended
    new = [v for v in views if start <= v["idea"]["created_at"] < end]
    new.sort(key=lambda v: (-count_at_end(v, period), v["idea"]["created_at"]))
    counted = [v for v in views if count_at_end(v, period) > 0]
    counted.sort(key=lambda v: (-count_at_end(v, period), v["_id"]))
    section = {"id": call["_id"], "title": call["title"], "phase": phase,
               "closes_at": call.get(CLOSES.get(phase)), "new_count": len(new),
               "new_top": [item(v, period) for v in new[:NEW_SHOWN]],
               "leading": [item(v, period) for v in counted[:LEADING]],
               "awaiting_evaluation": None}
    if call["evaluators"] and end > call["supports_from"]:
        section["awaiting_evaluation"] = sum(
            1 for v in views if v["idea"]["status"] in OPEN_FOR_VOTES
            and v.get("evaluations", 0) < call["evaluators"])
    return section


def updates(shown, period, item):
    """The implementation updates of `period` of the ideas `shown`, in time order."""
    start, end = (iso(moment) for moment in periods.bounds(period))
    found = [(u, v) for v in shown for u in v.get("progress", []) if start <= u["at"] < end]
    found.sort(key=lambda uv: (uv[0]["at"], uv[0]["event_id"]))
    return [{**item(v, period), "milestone": u["milestone"], "percent": u["percent"],
             "text": u["update"], "owner": u["owner"], "at": u["at"]} for u, v in found]
