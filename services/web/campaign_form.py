"""Launching and changing a call for ideas: /appels/nouveau (moderators) and
/appels/<id>/modifier (moderators and the call's owners, who do not appoint owners). Dates are
typed as a date and a time in Paris time, as the ideas API reads a time without an offset.
People are appointed without JavaScript: a search (the people API, open to moderators and to
a call's owners) adds checkboxes to the form, which comes back with everything typed kept."""
from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from shared.text import clean_line, fold
from services.web import forms
from services.web.campaigns import call_roles
from services.web.client import ApiError
from services.web.i18n import PARIS, parse_time
from services.web.session import api, has, requires

bp = Blueprint("campaign_form", __name__)

COLOURS = {"bleu": _l("bleu"), "vert": _l("vert"), "orange": _l("orange"),
           "violet": _l("violet"), "rouge": _l("rouge"), "gris": _l("gris")}
DATES = {"proposals_from": _l("Ouverture des propositions"),
         "proposals_until": _l("Clôture des propositions"),
         "supports_from": _l("Ouverture des soutiens"),
         "supports_until": _l("Clôture des soutiens"),
         "evaluation_until": _l("Fin de l'évaluation (publication des résultats)")}
# The ideas API's limits (services/ideas/campaign_schemas.py); its 422 stays the authority.
TITLE, QUESTION, DESCRIPTION = (5, 140), (10, 300), (0, 5000)
CRITERIA, CRITERION, SUPPORT_CAP = 8, (2, 80), 100
# The ideas API's words for dates out of order, in the reader's language.
DATE_PROBLEMS = {
    "Doit tomber après l'ouverture des propositions.":
        _l("Doit tomber après l'ouverture des propositions."),
    "Doit tomber au plus tôt à l'ouverture des propositions.":
        _l("Doit tomber au plus tôt à l'ouverture des propositions."),
    "Doit tomber au plus tard à la clôture des propositions (pas de creux entre les phases).":
        _l("Doit tomber au plus tard à la clôture des propositions (pas de creux entre les "
           "phases)."),
    "Doit tomber après l'ouverture des soutiens.": _l("Doit tomber après l'ouverture des "
                                                      "soutiens."),
    "Doit tomber au plus tôt à la clôture des propositions.":
        _l("Doit tomber au plus tôt à la clôture des propositions."),
    "Doit tomber au plus tôt à la clôture des soutiens.":
        _l("Doit tomber au plus tôt à la clôture des soutiens."),
}
FIELDS = ("title", "question", "description", "colour", "units", *DATES, "support_cap",
          "criteria", "owners", "evaluators")


def criterion_key(label, taken):
    """A criterion's key from its label ("Coût raisonnable" -> "cout_raisonnable"), unique."""
    key = "".join(c if c.isalnum() and c.isascii() else "_" for c in fold(label).lower())
    key = "_".join(part for part in key.split("_") if part)[:28] or "critere"
    key = key if key[0].isalpha() else f"c_{key}"[:28]
    unique, n = key, 2
    while unique in taken:
        unique, n = f"{key}_{n}", n + 1
    return unique


def local_parts(stamp):
    """A stored UTC time as the (date, time) a person in Paris types."""
    local = parse_time(stamp).astimezone(PARIS)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M")


def values_of(call):
    """The form's values for a call (None: a new one)."""
    if call is None:
        return {"colour": "bleu", "all_units": True, "units": [], "support_cap": "0",
                "dates": {name: ("", "") for name in DATES}, "criteria": "", "owners": [],
                "evaluators": [], "criteria_held": []}
    return {**{name: call[name] for name in ("title", "question", "description", "colour")},
            "all_units": not call["units"], "units": list(call["units"]),
            "support_cap": str(call["support_cap"]),
            "dates": {name: local_parts(call[name]) for name in DATES},
            "criteria": "\n".join(c["label"] for c in call["criteria"]),
            "criteria_held": call["criteria"],
            "owners": call["owners"], "evaluators": call["evaluators"]}


def posted_people(role):
    """The people ticked for `role`, with the names the form carried for them."""
    return [{"id": pid, "name": clean_line(request.form.get(f"nom-{pid}", ""))[:120] or pid}
            for pid in dict.fromkeys(request.form.getlist(role)) if pid]


def posted(held_criteria):
    """The form's values as typed."""
    return {"title": forms.text("title", line=True), "question": forms.text("question", line=True),
            "description": forms.text("description"), "colour": request.form.get("colour", ""),
            "all_units": request.form.get("all_units") == "1",
            "units": [clean_line(u) for u in request.form.getlist("units") if clean_line(u)],
            "support_cap": request.form.get("support_cap", "").strip(),
            "dates": {name: (request.form.get(f"{name}-date", "").strip(),
                             request.form.get(f"{name}-heure", "").strip()) for name in DATES},
            "criteria": forms.text("criteria"), "criteria_held": held_criteria,
            "owners": posted_people("owners"), "evaluators": posted_people("evaluators")}


def checked(values):
    """(the API's fields, errors by field) from the form's values."""
    errors, body = {}, {}
    for name, bounds, label in (("title", TITLE, _("Titre")), ("question", QUESTION,
                                _("Question posée")), ("description", DESCRIPTION,
                                                       _("Présentation"))):
        forms.length(errors, name, values[name], bounds, label)
        body[name] = values[name]
    if values["colour"] not in COLOURS:
        errors["colour"] = [_("Choisissez une couleur.")]
    body["colour"] = values["colour"]
    if not values["all_units"] and not values["units"]:
        errors["units"] = [_("Cochez les services invités, ou « Tous les services ».")]
    body["units"] = [] if values["all_units"] else values["units"]
    for name, (day, time) in values["dates"].items():
        try:
            moment = datetime.strptime(f"{day} {time}", "%Y-%m-%d %H:%M")
        except ValueError:
            errors[name] = [_("Indiquez la date (jj/mm/aaaa) et l'heure (hh:mm).")]
        else:
            body[name] = moment.strftime("%Y-%m-%dT%H:%M:00")  # no offset: Paris time
    if not values["support_cap"].isdigit() or int(values["support_cap"]) > SUPPORT_CAP:
        errors["support_cap"] = [_("Un nombre de 0 (sans limite) à %(n)s.", n=SUPPORT_CAP)]
    else:
        body["support_cap"] = int(values["support_cap"])
    labels = [clean_line(line) for line in values["criteria"].splitlines() if clean_line(line)]
    if len(labels) > CRITERIA or any(not CRITERION[0] <= len(x) <= CRITERION[1] for x in labels):
        errors["criteria"] = [_("Au plus %(n)s critères, un par ligne, de %(low)s à %(high)s "
                                "caractères chacun.", n=CRITERIA, low=CRITERION[0],
                                high=CRITERION[1])]
    elif labels:
        held = {c["label"]: c["key"] for c in values["criteria_held"]}
        taken, body["criteria"] = set(), []
        for label in labels:  # a criterion kept keeps its key, and the scores given on it
            key = held.get(label) if held.get(label) not in taken else None
            key = key or criterion_key(label, taken | set(held.values()))
            taken.add(key)
            body["criteria"].append({"key": key, "label": label})
    body["owners"], body["evaluators"] = values["owners"], values["evaluators"]
    return body, errors


def api_refusal(error):
    """An API refusal as errors beside the fields, its date words in the reader's language."""
    errors = forms.refused(error, FIELDS)
    return {field: [str(DATE_PROBLEMS.get(m, m)) if isinstance(m, str) else str(m)
                    for m in messages] for field, messages in errors.items()}


def searches_people(call):
    """Moderators appoint a call's owners and evaluators; its owners, its evaluators."""
    return has("moderator") or (call is not None and "owner" in call_roles(call))


def found_people(call, values):
    """The people searched for, but those already listed."""
    q = clean_line(request.form.get("people_q", ""))[:100]
    if not q or not searches_people(call):
        return q, []
    listed = {p["id"] for p in values["owners"] + values["evaluators"]}
    return q, [p for p in api().find_people(q) if p["id"] not in listed]


def offered_units(values):
    units = [u["unit"] for u in api().idea_facets()["units"]]
    return [*units, *(u for u in values["units"] if u not in units)]


def render(call, values, errors, found=(), q="", status=200):
    return render_template("call_form.html", call=call, values=values, errors=errors,
                           found=list(found), people_q=q, colours=COLOURS, dates=DATES,
                           units=offered_units(values), appoints_owners=has("moderator"),
                           searches_people=searches_people(call),
                           limits_call={"title": TITLE, "question": QUESTION,
                                        "description": DESCRIPTION}), status


def wants_search():
    """The people search, asked by its button, or by Enter (the form's hidden first button,
    "enter") while a query is typed that was not searched yet; Enter elsewhere saves."""
    action, q = request.form.get("action"), request.form.get("people_q", "").strip()
    return action == "search" or (
        action == "enter" and q and q != request.form.get("people_searched", ""))


def handle(call):
    """GET: the form; POST: search people, or save (then the call's page)."""
    if request.method == "GET":
        return render(call, values_of(call), {})
    values = posted(call["criteria"] if call else [])
    if call and not has("moderator"):
        values["owners"] = call["owners"]  # shown, never changed by an owner
    if wants_search():
        q, found = found_people(call, values)
        return render(call, values, {}, found, q)
    body, errors = checked(values)
    if not errors:
        if call and not has("moderator"):
            body.pop("owners")
        try:
            saved = api().change_campaign(call["id"], body) if call \
                else api().create_campaign(body)
        except ApiError as error:
            errors = api_refusal(error)
        else:
            flash(_("L'appel est enregistré.") if call else _("L'appel est lancé."), "info")
            return redirect(url_for("campaigns.call_page", campaign_id=saved["id"]), 303)
    return render(call, values, errors, status=422)


@bp.route("/appels/nouveau", methods=("GET", "POST"))
@requires("moderator")
def new_call():
    return handle(None)


@bp.route("/appels/<campaign_id>/modifier", methods=("GET", "POST"))
@requires("agent", "moderator")
def change_call(campaign_id):
    call = api().get_campaign(campaign_id)
    if not has("moderator") and "owner" not in call_roles(call):
        abort(403)
    return handle(call)
