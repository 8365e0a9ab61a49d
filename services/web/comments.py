"""What is done to a published comment from the idea's page, without JavaScript: its author
edits or deletes it, another agent reports it (each behind a <details>, closed until asked),
a moderator hides it (a reason, then a confirmation) or dismisses its reports; and the
moderators' list of reported comments."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web import forms
from services.web.browse import render_idea
from services.web.client import ApiError
from services.web.i18n import REPORT_REASONS
from services.web.session import api, local_path, requires

bp = Blueprint("comments", __name__)


def at_comment(idea_id, comment_id):
    return url_for("browse.idea_page", idea_id=idea_id) + f"#commentaire-{comment_id}"


@bp.post("/ideas/<idea_id>/comments/<comment_id>/edit")
@requires("agent")
def edit(idea_id, comment_id):
    """A refused edit comes back in its own form, opened, with what was typed (its field is
    named after the comment: several comments of mine may be on the page)."""
    body, errors, field = forms.text("body"), {}, f"edit-{comment_id}"
    forms.length(errors, field, body, (1, forms.COMMENT),
                 _("Nouveau texte de votre commentaire"))
    if not errors:
        try:
            api().edit_comment(idea_id, comment_id, body)
        except ApiError as error:
            errors = {field if k == "body" else k: v
                      for k, v in forms.refused(error, ("body",)).items()}
        else:
            flash(_("Votre commentaire est modifié."), "info")
            return redirect(at_comment(idea_id, comment_id), 303)
    return render_idea(idea_id, 422, edit_of=comment_id, edit_body=body, edit_errors=errors)


@bp.post("/ideas/<idea_id>/comments/<comment_id>/delete")
@requires("agent")
def delete(idea_id, comment_id):
    return forms.attempt(lambda: api().delete_comment(idea_id, comment_id),
                         _("Votre commentaire est supprimé ; les réponses restent."),
                         at_comment(idea_id, comment_id))


@bp.post("/ideas/<idea_id>/comments/<comment_id>/flags")
@requires("agent")
def report(idea_id, comment_id):
    reason, note, errors = request.form.get("reason", ""), forms.text("note"), {}
    if reason not in REPORT_REASONS:
        errors["reason"] = [_("Choisissez un motif de signalement.")]
    forms.length(errors, "note", note, (0, forms.REASON), _("Précisions"))
    if errors:
        flash(next(iter(errors.values()))[0], "error")
        return redirect(at_comment(idea_id, comment_id), 303)
    return forms.attempt(lambda: api().report_comment(idea_id, comment_id, reason, note),
                         _("Merci : votre signalement est transmis à la modération."),
                         at_comment(idea_id, comment_id))


def shown_comment(idea_id, comment_id):
    """The comment as a moderator reads it, or None if it is not (or no longer) there."""
    return next((c for c in api().list_comments(idea_id) if c["id"] == comment_id), None)


@bp.post("/ideas/<idea_id>/comments/<comment_id>/hide")
@requires("moderator")
def hide(idea_id, comment_id):
    """A reason, then a confirmation page with the comment in view; the second post hides it
    (the log keeps the reason; its text then shows to moderators only)."""
    reason, errors = forms.text("reason"), {}
    forms.length(errors, "reason", reason, forms.COMMENT_REASON, _("Motif"))
    back = local_path(request.form.get("next"), at_comment(idea_id, comment_id))
    if errors:
        flash(errors["reason"][0], "error")
        return redirect(back, 303)
    if request.form.get("confirmed") == "1":
        return forms.attempt(lambda: api().hide_comment(idea_id, comment_id, reason),
                             _("Le commentaire est masqué."), back)
    comment = shown_comment(idea_id, comment_id)
    if comment is None:
        flash(_("Ce commentaire n'existe plus."), "error")
        return redirect(back, 303)
    return render_template(
        "moderate_confirm.html", idea=api().get_idea(idea_id), comment=comment,
        question=_("Masquer ce commentaire ?"),
        consequence=_("Son texte ne sera plus visible que des modérateurs ; ses réponses "
                      "restent. Le motif est inscrit au journal de modération."),
        fields={"reason": reason, "next": back}, label=_("Confirmer le masquage"),
        action=url_for("comments.hide", idea_id=idea_id, comment_id=comment_id),
        cancel=back)


@bp.post("/ideas/<idea_id>/comments/<comment_id>/dismiss")
@requires("moderator")
def dismiss(idea_id, comment_id):
    reason, errors = forms.text("reason"), {}
    forms.length(errors, "reason", reason, (0, forms.COMMENT_REASON[1]), _("Motif"))
    back = local_path(request.form.get("next"), at_comment(idea_id, comment_id))
    if errors:
        flash(errors["reason"][0], "error")
        return redirect(back, 303)
    return forms.attempt(lambda: api().dismiss_comment(idea_id, comment_id, reason),
                         _("Les signalements du commentaire sont classés sans suite."), back)


@bp.get("/moderation/commentaires")
@requires("moderator")
def reported():
    page = api().reported_comments()
    return render_template("moderation_comments.html", items=page["items"],
                           total=page["total"], reasons=REPORT_REASONS)
