"""Calls for ideas (campaigns), as agents meet them: listed on the home page and on /appels,
each with its page (banner, question, phases and their dates, countdown, figures, its ideas
with the list's sorts and filters) and the way to propose an idea into it. Launching and
changing a call is campaign_form.py's."""
from datetime import datetime, timedelta, timezone

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import format_number, gettext as _, lazy_gettext as _l, ngettext
from flask_babel import to_user_timezone

from services.web.listing import idea_listing
from services.web.client import ApiError
from services.web.i18n import calendar_day, clock, parse_time
from services.web.session import api, has, person, readable

bp = Blueprint("campaigns", __name__)

PHASE_LABELS = {"upcoming": _l("À venir"), "proposals": _l("Propositions ouvertes"),
                "supports": _l("Soutiens ouverts"), "evaluation": _l("En évaluation"),
                "results": _l("Résultats")}
STATE_LABELS = {"open": _l("En cours"), "upcoming": _l("À venir"), "closed": _l("Clos")}
# Closed calls the home page names before linking to /appels.
CLOSED_ON_HOME = 3


def now_utc():
    return datetime.now(timezone.utc)


def duration(until):
    """"5 jours", "3 heures", "12 minutes": what is left until `until`, in its largest unit
    (whole days from two days on, so "plus que 1 jour" never hides 47 hours)."""
    left = max(parse_time(until) - now_utc(), timedelta(0))
    days, hours, minutes = left.days, left.seconds // 3600 + left.days * 24, left.seconds // 60
    if days >= 2:
        return ngettext("%(count)s jour", "%(count)s jours", days, count=format_number(days))
    if hours >= 1:
        return ngettext("%(count)s heure", "%(count)s heures", hours, count=format_number(hours))
    minutes = max(minutes, 1)
    return ngettext("%(count)s minute", "%(count)s minutes", minutes,
                    count=format_number(minutes))


def countdown(call):
    """What the call's phase leaves, in words; "" once its results are out."""
    phase = call["phase"]
    if phase == "upcoming":
        return _("Les propositions ouvrent dans %(left)s", left=duration(call["proposals_from"]))
    if phase == "proposals":
        return _("Plus que %(left)s pour proposer", left=duration(call["proposals_until"]))
    if phase == "supports":
        return _("Les soutiens ferment dans %(left)s", left=duration(call["supports_until"]))
    if phase == "evaluation":
        return _("Résultats attendus dans %(left)s", left=duration(call["evaluation_until"]))
    return ""


def moment(value):
    """"1er décembre 2026 à 9 h 00", Paris time: a date of the call's calendar."""
    local = to_user_timezone(parse_time(value))
    return _("%(date)s à %(time)s", date=calendar_day(local), time=clock(local))


def phase_steps(call):
    """The phases as the call's page lists them: (key, name, dates in words)."""
    at = {name: moment(call[name]) for name in (
        "proposals_from", "proposals_until", "supports_from", "supports_until",
        "evaluation_until")}
    return [
        ("proposals", _("Propositions"), _("du %(start)s au %(end)s", start=at["proposals_from"],
                                          end=at["proposals_until"])),
        ("supports", _("Soutiens"), _("du %(start)s au %(end)s", start=at["supports_from"],
                                      end=at["supports_until"])),
        ("evaluation", _("Évaluation"), _("jusqu'au %(end)s", end=at["evaluation_until"])),
        ("results", _("Résultats"), _("à partir du %(start)s", start=at["evaluation_until"])),
    ]


def call_roles(call):
    """The roles the call gives the signed-in person: 'owner', 'evaluator'."""
    me = person()
    if me is None:
        return set()
    return {role for role, people in (("owner", call.get("owners", [])),
                                      ("evaluator", call.get("evaluators", [])))
            if any(p["id"] == me.sub for p in people)}


def may_propose(call):
    """Whether the page offers to propose into the call: an agent of its units, while it
    takes proposals (the ideas API decides, and says why it refuses)."""
    return call["phase"] == "proposals" and has("agent") and in_scope(call)


def in_scope(call):
    return not call["units"] or (person() is not None and person().unit in call["units"])


def may_change(call):
    return has("moderator") or "owner" in call_roles(call)


@bp.app_template_global()
def listed_calls():
    """The calls by state for the home page; empty when the calls API does not answer:
    the page goes on with its ideas."""
    try:
        calls = api().list_campaigns()
    except ApiError as error:
        current_app.logger.warning("calls for ideas unavailable: %s", error.message)
        calls = []
    grouped = {"open": [], "upcoming": [], "closed": []}
    for call in calls:
        grouped.setdefault(call["state"], []).append(call)
    return grouped


@bp.app_template_filter()
def phase_label(phase):
    return PHASE_LABELS.get(phase, phase)


bp.add_app_template_filter(countdown, "countdown")
bp.add_app_template_filter(moment, "moment")


@bp.get("/appels")
@readable
def calls():
    grouped = listed_calls()
    return render_template("calls.html", grouped=grouped, states=STATE_LABELS,
                           may_launch=has("moderator"))


@bp.get("/appels/<campaign_id>")
@readable
def call_page(campaign_id):
    call = api().get_campaign(campaign_id)
    listing = idea_listing("campaigns.call_page", {"campaign_id": campaign_id},
                           campaign=campaign_id)
    here = url_for("campaigns.call_page", campaign_id=campaign_id)
    roles = call_roles(call)
    return render_template(
        "call.html", call=call, steps=phase_steps(call), may_propose=may_propose(call),
        in_scope=in_scope(call), may_change=may_change(call),
        evaluation_url=here + "/evaluation"
        if has("moderator") or roles & {"owner", "evaluator"} else None,
        results_url=here + "/resultats" if call["phase"] in ("evaluation", "results") else None,
        **listing)

