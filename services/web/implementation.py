"""A chosen idea carried out: on its page, who carries it out, by when, how far along, and for
those who may, the forms to appoint its owner and to publish an update; a call's results page,
its chosen ideas and where each stands. Without JavaScript every form comes back (303) to the
idea's "Mise en œuvre" block, or shows its errors there (422) with what was typed."""
import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web import forms
from services.web.browse import render_idea
from services.web.client import ApiError
from services.web.session import api, has, person, readable, requires

bp = Blueprint("implementation", __name__)

# The statuses of an idea carried out (the ideas API refuses the forms for any other).
FOLLOWED = ("accepted", "in_progress", "implemented")
MILESTONE = (3, 140)
UPDATE = 1000
OWNER_NAME = (2, 120)
ANCHOR = "#mise-en-oeuvre"
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@bp.app_template_global()
def may_follow_up(idea, call):
    """{manage, report}: may the reader appoint the idea's owner, and publish its progress?
    Moderators and the owners of the idea's call (`call`, as the idea's page read it, or
    None) both; the person who carries it out, updates. The ideas API decides in the end:
    this only spares others useless forms."""
    me = person()
    if me is None or idea.get("status") not in FOLLOWED:
        return {"manage": False, "report": False}
    manage = has("moderator") or any(o["id"] == me.sub for o in (call or {}).get("owners", []))
    owner = (idea.get("implementation") or {}).get("owner") or {}
    carries = owner.get("kind") == "person" and owner.get("id") == me.sub
    return {"manage": manage, "report": manage or carries}


def idea_url(idea_id):
    return url_for("browse.idea_page", idea_id=idea_id) + ANCHOR


def owner_from_form():
    kind = request.form.get("owner_kind", "")
    return {"kind": kind, "name": forms.text("owner_name", line=True),
            "id": forms.text("owner_id", line=True) if kind == "person" else None}


@bp.post("/ideas/<idea_id>/implementation")
@requires("agent", "moderator")
def appoint(idea_id):
    owner, target = owner_from_form(), request.form.get("target_date", "").strip()
    errors = {}
    if owner["kind"] not in ("unit", "person"):
        errors["owner_kind"] = [_("Dites si un service ou une personne met l'idée en œuvre.")]
    forms.length(errors, "owner_name", owner["name"], OWNER_NAME,
                 _("Nom du service ou de la personne"))
    matches = []
    if owner["kind"] == "person" and not owner["id"] and not errors:
        matches = find_owner(owner, errors)
    if not DAY.match(target):
        errors["target_date"] = [_("Indiquez l'échéance visée, une date comme 30/06/2027.")]
    if not errors:
        try:
            api().set_implementation(idea_id, owner, target)
        except ApiError as error:
            errors = forms.refused(error, ("target_date",))
        else:
            flash(_("La mise en œuvre est confiée : elle s'affiche sur la page de l'idée."),
                  "info")
            return redirect(idea_url(idea_id), 303)
    return render_idea(idea_id, 422, owner_values={**owner, "target_date": target},
                       owner_errors=errors, owner_matches=matches)


def find_owner(owner, errors):
    """A person appointed by name: the one person of that name fills `owner`; several are
    returned for the form to offer (a radio each); none, or a reader who may not look people
    up (the people API lets moderators only), is an error that says what to do."""
    try:
        found = api().find_people(owner["name"])
    except ApiError as error:
        if error.status not in (401, 403):
            raise
        errors["owner_id"] = [_("Indiquez l'identifiant de la personne dans le hub.")]
        return []
    if len(found) == 1:
        owner.update(id=found[0]["id"], name=found[0]["name"])
    elif found:
        errors["owner_id"] = [_("Plusieurs personnes portent ce nom : choisissez-la.")]
    else:
        errors["owner_name"] = [_("Personne de ce nom dans le hub : vérifiez l'orthographe, ou "
                                  "indiquez son identifiant.")]
    return found[:20] if len(found) > 1 else []


@bp.post("/ideas/<idea_id>/progress")
@requires("agent", "moderator")
def report(idea_id):
    milestone, update = forms.text("milestone", line=True), forms.text("update")
    typed, errors = request.form.get("percent", "").strip(), {}
    forms.length(errors, "milestone", milestone, MILESTONE, _("Étape franchie"))
    forms.length(errors, "update", update, (0, UPDATE), _("Ce qui a été fait"))
    percent = int(typed) if typed.isdigit() else None
    if percent is None or percent > 100:
        errors["percent"] = [_("L'avancement est un nombre de 0 à 100.")]
    if not errors:
        try:
            api().report_progress(idea_id, milestone, percent, update)
        except ApiError as error:
            errors = forms.refused(error, ("milestone", "percent", "update"))
        else:
            flash(_("L'avancement est publié : les personnes qui suivent l'idée en sont "
                    "averties."), "info")
            return redirect(idea_url(idea_id), 303)
    return render_idea(idea_id, 422, progress_values={
        "milestone": milestone, "percent": typed, "update": update}, progress_errors=errors)


@bp.get("/appels/<campaign_id>/resultats")
@readable
def results(campaign_id):
    """The ideas a call chose, where each stands: done, under way (furthest first), chosen."""
    found = api().call_results(campaign_id)
    return render_template("call_results.html", campaign=found["campaign"],
                           items=found["items"])
