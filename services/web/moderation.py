"""Moderators: answer an idea with a status and a public note, hide, restore, merge and unmerge;
the queue of what waits for them, and the log of what was done."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web import forms
from services.web.browse import render_idea
from services.web.client import ApiError
from services.web.i18n import ANSWERS, LOG_ACTIONS, REPORT_REASONS, WAITING_LABELS
from services.web.session import api, requires

bp = Blueprint("moderation", __name__)


def idea_url(idea_id):
    return url_for("browse.idea_page", idea_id=idea_id)


@bp.post("/ideas/<idea_id>/status")
@requires("moderator")
def answer(idea_id):
    status, note = request.form.get("status", ""), forms.text("note")
    errors = {}
    if status not in ANSWERS:
        errors["status"] = [_("Choisissez le nouveau statut.")]
    forms.length(errors, "note", note, (0, forms.NOTE), _("Note publique"))
    if status == "rejected" and not note:
        errors["note"] = [_("Une idée non retenue appelle une explication pour son auteur.")]
    if not errors:
        try:
            api().answer(idea_id, status, note)
        except ApiError as error:
            errors = forms.refused(error, ("status", "note"))
        else:
            flash(_("Votre réponse est publiée."), "info")
            return redirect(idea_url(idea_id) + "#historique", 303)
    return render_idea(idea_id, 422, answer_status=status, answer_note=note,
                       answer_errors=errors)


def moderate(idea_id, action, done):
    """Hide or restore, with the reason written to the log: refused if too long, never cut."""
    reason, errors = forms.text("reason"), {}
    forms.length(errors, "reason", reason, (0, forms.REASON), _("Motif"))
    if errors:
        flash(errors["reason"][0], "error")
        return forms.back(idea_url(idea_id))
    return forms.attempt(lambda: api().moderate(idea_id, action, reason), done,
                         idea_url(idea_id))


@bp.post("/ideas/<idea_id>/hide")
@requires("moderator")
def hide(idea_id):
    return moderate(idea_id, "hide", _("L'idée est masquée."))


@bp.post("/ideas/<idea_id>/restore")
@requires("moderator")
def restore(idea_id):
    return moderate(idea_id, "restore", _("L'idée est rétablie."))


@bp.post("/ideas/<idea_id>/merge")
@requires("moderator")
def merge(idea_id):
    # The target's id, or its page's address pasted from the browser.
    into = forms.text("into", line=True).rstrip("/").rsplit("/", 1)[-1]
    if not into:
        flash(_("Indiquez l'idée qui reçoit la fusion."), "error")
        return redirect(idea_url(idea_id) + "#fusion", 303)
    return forms.attempt(lambda: api().merge(idea_id, into),
                         _("L'idée est fusionnée ; ses soutiens suivent."), idea_url(idea_id))


@bp.post("/ideas/<idea_id>/unmerge")
@requires("moderator")
def unmerge(idea_id):
    return forms.attempt(lambda: api().unmerge(idea_id), _("La fusion est annulée."),
                         idea_url(idea_id))


@bp.get("/moderation")
@requires("moderator")
def queue():
    why = request.args.get("why") if request.args.get("why") in WAITING_LABELS else None
    page = api().moderation_queue(why, request.args.get("cursor"))
    next_page = page["next_cursor"] and url_for("moderation.queue", why=why,
                                                cursor=page["next_cursor"])
    return render_template("moderation.html", items=page["items"], counts=page["counts"],
                           why=why, waiting=WAITING_LABELS, next_page=next_page,
                           reasons=REPORT_REASONS)


@bp.get("/moderation/log")
@requires("moderator")
def log():
    return render_template("moderation_log.html", entries=api().moderation_log(),
                           actions=LOG_ACTIONS)
