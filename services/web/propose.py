"""Proposing an idea, and what its author does with it after: edit it while it awaits an
answer, withdraw it. Close ideas are shown before the idea is created: while the title is
typed (static/similar.js), or without JavaScript after a first submit, which then only shows
them; the next submit proposes."""
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web import forms
from services.web.browse import answered_call
from services.web.campaigns import moment, phase_label
from services.web.client import ApiError
from services.web.session import api, person, requires

bp = Blueprint("propose", __name__)

SIMILAR_MIN_TEXT = 3


def similar_to(text):
    if len(text) < SIMILAR_MIN_TEXT:
        return []
    try:
        return api().similar_ideas(text[:200])
    except ApiError as error:  # a hint, not worth failing the page for
        if error.status not in forms.REFUSALS:
            raise
        return []


@bp.get("/ideas/new")
@requires("agent")
def new_idea():
    """`?appel=<id>`: an idea for that call for ideas (an unknown call: its 404 page)."""
    call = None
    if request.args.get("appel"):
        call = api().get_campaign(request.args["appel"])
    return render_template("propose.html", values={}, errors={}, similar=[], checked=False,
                           call=call)


@bp.post("/ideas")
@requires("agent")
def propose():
    values = {"title": forms.text("title", line=True), "body": forms.text("body"),
              "tags": forms.text("tags", line=True)}
    tags = forms.split_tags(values["tags"])
    errors = forms.check_idea(values["title"], values["body"], tags)
    # "Propose it outside the call": the button offered when the call refused it.
    outside = request.form.get("outside") == "1"
    call = None if outside else answered_call(request.form.get("campaign_id"))
    similar = similar_to(values["title"])
    checked = request.form.get("similar_checked") == "1"
    if not errors and (checked or not similar):
        try:
            idea = api().propose(values["title"], values["body"], tags,
                                 call and call["id"])
        except ApiError as error:
            errors = refused_by_call(error, call) or forms.refused(error, tuple(values))
        else:
            flash(_("Votre idée est publiée : vos collègues peuvent maintenant la lire, la "
                    "soutenir et la commenter."), "info")
            return redirect(url_for("browse.idea_page", idea_id=idea["id"]), 303)
    status = 422 if errors else 200
    return render_template("propose.html", values=values, errors=errors, similar=similar,
                           checked=True, call=call, call_refused="call" in errors), status


def refused_by_call(error, call):
    """The call's refusal in the reader's words: its phase (409) or its units (403); None
    for any other refusal. The text stays in the form, with the choice to propose it
    outside the call."""
    if call is None or error.status not in (403, 409):
        return None
    if error.status == 403:
        return {"call": [_("Cet appel s'adresse aux agents de : %(units)s ; votre service "
                           "n'en fait pas partie.", units=", ".join(call["units"]))]}
    return {"call": [_("L'appel « %(title)s » ne reçoit pas de propositions en ce moment "
                       "(%(phase)s) : elles sont ouvertes du %(start)s au %(end)s.",
                       title=call["title"], phase=phase_label(call["phase"]),
                       start=moment(call["proposals_from"]),
                       end=moment(call["proposals_until"]))]}


# For the agent drafting an idea only: the gateway counts the calls of a signed-out visitor by
# the web service's address, which every visitor shares.
@bp.get("/ideas/similar")
@requires("agent")
def similar():
    items = similar_to(request.args.get("text", "").strip())[:5]
    if request.accept_mimetypes.best == "application/json":
        return jsonify(items=[{"id": i["id"], "title": i["title"],
                               "url": url_for("browse.idea_page", idea_id=i["id"])}
                              for i in items])
    return render_template("similar.html", similar=items)


def own_idea(idea_id):
    """The signed-in person's idea, else a 403 page: only its author edits or withdraws it."""
    idea = api().get_idea(idea_id)
    if idea["author"]["id"] != person().sub:
        abort(403)
    return idea


@bp.route("/ideas/<idea_id>/edit", methods=("GET", "POST"))
@requires("agent")
def edit_idea(idea_id):
    idea = own_idea(idea_id)
    values = {"title": idea["title"], "body": idea["body"], "tags": ", ".join(idea["tags"])}
    errors = {}
    if request.method == "POST":
        values = {"title": forms.text("title", line=True), "body": forms.text("body"),
                  "tags": forms.text("tags", line=True)}
        tags = forms.split_tags(values["tags"])
        errors = forms.check_idea(values["title"], values["body"], tags)
        if not errors:
            try:
                api().edit_idea(idea_id, {"title": values["title"], "body": values["body"],
                                          "tags": tags})
            except ApiError as error:
                errors = forms.refused(error, tuple(values))
            else:
                flash(_("Votre idée est modifiée."), "info")
                return redirect(url_for("browse.idea_page", idea_id=idea_id), 303)
    return render_template("edit_idea.html", idea=idea, values=values, errors=errors), \
        422 if errors else 200


@bp.route("/ideas/<idea_id>/withdraw", methods=("GET", "POST"))
@requires("agent")
def withdraw(idea_id):
    """A page that asks first: a withdrawn idea takes no more support, for good."""
    idea = own_idea(idea_id)
    if request.method == "GET":
        return render_template("withdraw_idea.html", idea=idea)
    return forms.attempt(lambda: api().withdraw(idea_id),
                         _("Votre idée est retirée : elle ne reçoit plus de soutien."),
                         url_for("browse.idea_page", idea_id=idea_id))
