"""The list of ideas and an idea's page, and what an agent does there: support, comment,
report. Without JavaScript every action is a form that comes back (303) to where it was."""
from flask import (Blueprint, current_app, flash, jsonify, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _

from services.web import forms
from services.web.client import ApiError
from services.web.i18n import REPORT_REASONS, supports
from services.web.listing import FRESH, idea_listing, with_fresh_counts
from services.web.session import api, has, local_path, person, readable, requires

bp = Blueprint("browse", __name__)


@bp.get("/")
@readable
def home():
    return render_template("home.html", **idea_listing("browse.home"))


def threads(comments):
    """Top-level comments in the API's order, each with its replies (one level) in theirs. A
    reply whose parent is not listed stays at the top level rather than vanish."""
    tops = {c["id"] for c in comments if not c.get("parent_id")}
    replies = {}
    for c in comments:
        if c.get("parent_id") in tops:
            replies.setdefault(c["parent_id"], []).append(c)
    return [{**c, "replies": replies.get(c["id"], [])} for c in comments
            if c.get("parent_id") not in tops]


def render_idea(idea_id, status=200, **form):
    idea = api().get_idea(idea_id)
    listed = api().list_comments(idea_id)
    supported = False
    if has("agent"):
        try:
            supported = api().get_support(idea_id)["voted"]
        except ApiError as error:  # the votes service has not heard of the idea yet
            if error.status != 404:
                raise
    with_fresh_counts([idea])
    return render_template("idea.html", idea=idea, call=answered_call(idea.get("campaign_id")),
                           comments=threads(listed),
                           comment_total=sum(not (c["hidden"] or c.get("deleted"))
                                             for c in listed),
                           supported=supported, following=following(idea_id),
                           reasons=REPORT_REASONS, **form), status


def answered_call(campaign_id):
    """The call for ideas an idea answers, for its page and its form; None when it is gone
    or cannot be read (the idea stays readable without it)."""
    if not campaign_id:
        return None
    try:
        return api().get_campaign(campaign_id)
    except ApiError as error:
        if error.status not in (*forms.REFUSALS, 403):
            raise
        return None


def following(idea_id):
    """Whether I follow the idea; None when signed out or when the notifications API does
    not answer: the page goes on without its follow button."""
    if person() is None:
        return None
    try:
        return api().get_follow(idea_id)
    except ApiError as error:
        current_app.logger.warning("follow state unavailable: %s", error.message)
        return None


@bp.get("/ideas/<idea_id>")
@readable
def idea_page(idea_id):
    return render_idea(idea_id)


def support_labels(voted, count):
    return {"voted": voted, "count": count,
            "button": _("Retirer mon soutien") if voted else _("Soutenir"),
            "count_text": supports(count),
            "action": url_for("browse.unsupport" if voted else "browse.support",
                              idea_id=request.view_args["idea_id"])}


def set_support(idea_id, supported):
    wants_json = request.accept_mimetypes.best == "application/json"
    try:
        result = api().support(idea_id, supported)
    except ApiError as error:
        if error.status not in forms.REFUSALS:
            raise
        if wants_json:
            return jsonify(code=error.status, message=error.message), error.status
        flash(error.message, "error")
        return forms.back(url_for("browse.home"))
    if wants_json:
        return jsonify(idea_id=idea_id, **support_labels(result["voted"], result["count"]))
    session[FRESH] = {idea_id: result["count"]}
    target = local_path(request.form.get("next"), url_for("browse.idea_page", idea_id=idea_id))
    return redirect(f"{target.split('#')[0]}#idea-{idea_id}", 303)


@bp.post("/ideas/<idea_id>/support")
@requires("agent")
def support(idea_id):
    return set_support(idea_id, True)


@bp.post("/ideas/<idea_id>/unsupport")
@requires("agent")
def unsupport(idea_id):
    return set_support(idea_id, False)


@bp.post("/ideas/<idea_id>/follow")
@requires()
def follow(idea_id):
    return forms.attempt(lambda: api().follow(idea_id, True),
                         _("Vous suivez cette idée : vous serez averti·e de ce qui lui arrive."),
                         url_for("browse.idea_page", idea_id=idea_id) + "#suivre")


@bp.post("/ideas/<idea_id>/unfollow")
@requires()
def unfollow(idea_id):
    return forms.attempt(lambda: api().follow(idea_id, False),
                         _("Vous ne suivez plus cette idée."),
                         url_for("browse.idea_page", idea_id=idea_id) + "#suivre")


@bp.post("/ideas/<idea_id>/comments")
@requires("agent")
def comment(idea_id):
    """A comment, or a reply to one (`parent_id`, from the reply form under it): a refused
    reply comes back in its own form, opened, with what was typed."""
    body, parent_id = forms.text("body"), request.form.get("parent_id") or None
    field = f"reply-{parent_id}" if parent_id else "body"
    errors = {}
    forms.length(errors, field, body, (1, forms.COMMENT),
                 _("Votre réponse") if parent_id else _("Votre commentaire"))
    if not errors:
        try:
            added = api().comment(idea_id, body, parent_id)
        except ApiError as error:
            errors = {field if k in ("body", "parent_id") else k: v
                      for k, v in forms.refused(error, ("body", "parent_id")).items()}
        else:
            flash(_("Votre réponse au commentaire est publiée.") if parent_id
                  else _("Votre commentaire est publié."), "info")
            anchor = f"commentaire-{added['id']}" if parent_id and added.get("id") \
                else "commentaires"
            return redirect(url_for("browse.idea_page", idea_id=idea_id) + "#" + anchor, 303)
    if parent_id:
        return render_idea(idea_id, 422, reply_to=parent_id, reply_body=body,
                           reply_errors=errors)
    return render_idea(idea_id, 422, comment_body=body, comment_errors=errors)


@bp.post("/ideas/<idea_id>/flags")
@requires("agent")
def report(idea_id):
    reason, note, errors = request.form.get("reason", ""), forms.text("note"), {}
    if reason not in REPORT_REASONS:
        errors["reason"] = [_("Choisissez un motif de signalement.")]
    forms.length(errors, "note", note, (0, forms.REASON), _("Précisions"))
    if not errors:
        try:
            idea = api().report(idea_id, reason, note)
        except ApiError as error:
            errors["form"] = [forms.message(error)]
    if errors:
        for messages in errors.values():
            flash(messages[0], "error")
        return redirect(url_for("browse.idea_page", idea_id=idea_id) + "#signaler", 303)
    flash(_("Merci : votre signalement est transmis à la modération."), "info")
    if idea["status"] == "hidden" and not has("moderator"):
        return redirect(url_for("browse.home"), 303)
    return redirect(url_for("browse.idea_page", idea_id=idea_id), 303)
