"""Calls for ideas (campaigns): a question put to agents for a few weeks, with phases
(shared.phases), a scope, an optional support cap, a grid of criteria for its evaluators, and
the people it appoints (owners, evaluators). Pure: no Flask, pymongo or Kafka here."""
import uuid

from shared import phases

SOURCE = "/ideahub/ideas"

# The grid a call gets unless its moderator sets another: what programme teams weigh.
DEFAULT_CRITERIA = [
    {"key": "impact", "label": "Impact pour le public"},
    {"key": "faisabilite", "label": "Faisabilité"},
    {"key": "cout", "label": "Coût raisonnable"},
    {"key": "alignement", "label": "Alignement avec les priorités"},
]
# Banner colours, by name: each theme maps them to colours that keep their text readable.
COLOURS = ("bleu", "vert", "orange", "violet", "rouge", "gris")
# What a PATCH may change.
EDITABLE = ("title", "question", "description", "colour", "units", *phases.DATES,
            "support_cap", "criteria", "owners", "evaluators")


class CampaignNotFound(Exception):
    pass


class OutOfScope(Exception):
    """The agent's unit is not among those the call asks."""

    def __init__(self, units):
        super().__init__(units)
        self.units = units


class InvalidDates(Exception):
    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


def new_campaign_id():
    return uuid.uuid4().hex


def new_campaign(campaign_id, fields, by, now):
    campaign = {"_id": campaign_id, "title": "", "question": "", "description": "",
                "colour": "bleu", "units": [], "support_cap": 0,
                "criteria": DEFAULT_CRITERIA, "owners": [], "evaluators": [],
                "created_by": by, "created_at": now, "updated_at": now, "version": 1}
    campaign.update(fields)
    _check_dates(campaign)
    return campaign


def update(campaign, changes, now):
    """Apply a PATCH; False when it changes nothing."""
    changed = {k: v for k, v in changes.items() if campaign.get(k) != v}
    if not changed:
        return False
    candidate = {**campaign, **changed}
    _check_dates(candidate)
    campaign.update(changed, updated_at=now, version=campaign["version"] + 1)
    return True


def _check_dates(campaign):
    problems = phases.dates_problems(campaign)
    if problems:
        raise InvalidDates(problems)


def check_scope(campaign, unit):
    """A call with units asks those units' agents; one without asks everyone."""
    if campaign["units"] and unit not in campaign["units"]:
        raise OutOfScope(campaign["units"])


def snapshot(campaign):
    return {name: campaign[name] for name in (
        "title", "units", *phases.DATES, "support_cap", "owners", "evaluators")}


def event_data(campaign, by, now):
    return {"campaign_id": campaign["_id"], "version": campaign["version"],
            "campaign": snapshot(campaign), "by": by, "at": now}


def role_of(campaign, person_id):
    """The roles the call gives a person: 'owner', 'evaluator' (one may hold both)."""
    return {role for role, people in (("owner", campaign["owners"]),
                                      ("evaluator", campaign["evaluators"]))
            if any(p["id"] == person_id for p in people)}


def public(campaign, now, figures=None):
    view = {k: v for k, v in campaign.items() if k not in ("_id", "outbox", "rev")}
    view.update(id=campaign["_id"], phase=phases.phase(campaign, now),
                state=phases.state(campaign, now),
                next_change=phases.next_change(campaign, now))
    if figures is not None:
        view["figures"] = figures
    return view
