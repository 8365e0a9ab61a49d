"""Evaluation of a call's ideas: the evaluator's list of ideas to score with their progress,
the moderators' and owners' side-by-side table (sortable by links), and the form that scores
one idea 1–5 on each criterion of the call with a private note. Who may see what is the
ideas API's rule: the pages show what it answers, and a refusal as its page."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, gettext as _, lazy_gettext as _l

from services.web import forms
from services.web.client import ApiError
from services.web.session import api, has, person, requires

bp = Blueprint("evaluation", __name__)

NOTE = 2000
# What each score means, said beside its radio button.
SCORES = {1: _l("1 — faible"), 2: _l("2 — passable"), 3: _l("3 — assez bon"), 4: _l("4 — bon"),
          5: _l("5 — excellent")}
SORTS = {"mean": _l("meilleure moyenne"), "spread": _l("plus grand écart"),
         "missing": _l("évaluations manquantes"), "title": _l("titre")}


def table_url(campaign_id, sort=None):
    return url_for("evaluation.campaign_table", campaign_id=campaign_id,
                   **({"sort": sort} if sort else {}))


def call_url(campaign_id):
    return url_for("campaigns.call_page", campaign_id=campaign_id)


@bp.app_template_filter("score")
def score(value):
    """A mean or a spread as the reader writes numbers ("4,25" in French); "—" for none."""
    return "—" if value is None else format_decimal(value, format="0.0#")


@bp.app_template_global("evaluation_links")
def evaluation_links(idea, call):
    """For the idea page: where an evaluator, a moderator or an owner of the idea's call
    (`call`, as the page read it; None outside calls) goes to score or read its evaluation;
    None for anyone else. Only they ask the API (which has the last word): an agent's page
    asks nothing more."""
    me = person()
    if me is None or not call:
        return None
    appointed = {p["id"] for p in [*call.get("evaluators", []), *call.get("owners", [])]}
    if me.sub not in appointed and not has("moderator"):
        return None
    try:
        found = api().idea_evaluation(idea["id"])
    except ApiError as error:
        if error.status not in forms.REFUSALS + (403,):
            raise
        return None
    return {"idea": url_for("evaluation.idea_form", idea_id=idea["id"]),
            "table": table_url(idea["campaign_id"]), "roles": found["roles"],
            "done": bool(found.get("mine"))}


@bp.get("/appels/<campaign_id>/evaluation")
@requires()
def campaign_table(campaign_id):
    sort = request.args.get("sort", "mean")
    sort = sort if sort in SORTS else "mean"
    board = api().campaign_evaluation(campaign_id, sort)
    oversees = bool({"moderator", "owner"} & set(board["roles"]))
    return render_template("evaluation_call.html", board=board, oversees=oversees,
                           sorts={key: (label, table_url(campaign_id, key))
                                  for key, label in SORTS.items()},
                           call_url=call_url(campaign_id))


def render_form(idea_id, status=200, values=None, errors=None):
    found = api().idea_evaluation(idea_id)
    mine = found.get("mine") or {}
    values = values or {"scores": mine.get("scores", {}), "note": mine.get("note", "")}
    return render_template("evaluation_idea.html", found=found, values=values,
                           errors=errors or {}, scores=SCORES, note_limit=NOTE,
                           table_url=table_url(found["campaign"]["id"]),
                           evaluator="evaluator" in found["roles"]), status


@bp.get("/ideas/<idea_id>/evaluation")
@requires()
def idea_form(idea_id):
    return render_form(idea_id)


def scores_from_form(criteria, errors):
    """{key: 1–5} of the radio buttons; a criterion left out is named in plain words."""
    chosen = {}
    for criterion in criteria:
        value = request.form.get(f"score-{criterion['key']}", "")
        if value in ("1", "2", "3", "4", "5"):
            chosen[criterion["key"]] = int(value)
        else:
            errors[f"score-{criterion['key']}"] = [
                _("Choisissez une note de 1 à 5 pour « %(label)s ».", label=criterion["label"])]
    return chosen


@bp.post("/ideas/<idea_id>/evaluation")
@requires()
def evaluate(idea_id):
    found = api().idea_evaluation(idea_id)
    errors = {}
    chosen = scores_from_form(found["criteria"], errors)
    note = forms.text("note")
    forms.length(errors, "note", note, (0, NOTE), _("Remarque privée"))
    if not errors:
        try:
            api().evaluate(idea_id, chosen, note)
        except ApiError as error:
            errors = forms.refused(error, ("note",))
        else:
            flash(_("Votre évaluation de « %(title)s » est enregistrée.",
                    title=found["idea"]["title"]), "info")
            return redirect(table_url(found["campaign"]["id"]) + f"#idee-{idea_id}", 303)
    return render_form(idea_id, 422, {"scores": chosen, "note": note}, errors)
