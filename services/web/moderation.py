"""Moderators: answer an idea with a status and a public note, hide, restore, confirm a hiding,
dismiss reports, merge and unmerge (hiding and merging ask for a reason and a confirmation);
the author contests a hiding; the queue of what waits for them, the possible duplicates, and
the log of what was done."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.web import forms
from services.web.browse import render_idea
from services.web.client import ApiError
from services.web.i18n import LOG_ACTIONS, REPORT_REASONS, WAITING_LABELS
from services.web.session import api, requires
from shared.answers import EXPLAINED, ORDER as ANSWERS

bp = Blueprint("moderation", __name__)


def idea_url(idea_id):
    return url_for("browse.idea_page", idea_id=idea_id)


# Why an answer that closes an idea needs its note (shared.answers.EXPLAINED).
UNEXPLAINED = {
    "rejected": _l("Une idée non retenue appelle une explication pour son auteur."),
    "implemented": _l("Une idée réalisée appelle quelques mots pour son auteur : ce qui a été "
                      "fait, où le voir."),
}


@bp.post("/ideas/<idea_id>/status")
@requires("moderator")
def answer(idea_id):
    status, note = request.form.get("status", ""), forms.text("note")
    errors = {}
    if status not in ANSWERS:
        errors["status"] = [_("Choisissez le nouveau statut.")]
    forms.length(errors, "note", note, (0, forms.NOTE), _("Note publique"))
    if status in EXPLAINED and not note:
        errors["note"] = [str(UNEXPLAINED[status])]
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


def moderate(idea_id, action, done, required=False):
    """Hide, restore, confirm a hiding or dismiss reports, with the reason written to the log:
    refused if too long, never cut; hiding refuses an empty one."""
    reason, errors = forms.text("reason"), {}
    forms.length(errors, "reason", reason, (1 if required else 0, forms.REASON), _("Motif"))
    if errors:
        flash(errors["reason"][0], "error")
        return forms.back(idea_url(idea_id))
    return forms.attempt(lambda: api().moderate(idea_id, action, reason), done,
                         idea_url(idea_id))


def confirmed():
    """A change that cannot be seen undone asks twice: the second form says it is meant."""
    return request.form.get("confirmed") == "1"


def confirmation(idea, action, question, consequence, fields, button, target=None):
    """The page that asks a moderator to confirm `action` on `idea`, carrying `fields`."""
    return render_template("moderate_confirm.html", idea=idea, question=question,
                           consequence=consequence, fields=fields, label=button,
                           target=target,
                           action=url_for(f"moderation.{action}", idea_id=idea["id"]))


@bp.post("/ideas/<idea_id>/hide")
@requires("moderator")
def hide(idea_id):
    reason, errors = forms.text("reason"), {}
    forms.length(errors, "reason", reason, (1, forms.REASON), _("Motif du masquage"))
    if not reason:
        errors["reason"] = [_("Indiquez le motif du masquage : il est inscrit au journal et "
                              "montré à l'auteur.")]
    if errors:
        flash(errors["reason"][0], "error")
        return redirect(idea_url(idea_id) + "#moderer", 303)
    if confirmed():
        return moderate(idea_id, "hide", _("L'idée est masquée."), required=True)
    return confirmation(
        api().get_idea(idea_id), "hide", _("Masquer cette idée ?"),
        _("Elle disparaîtra des listes et de sa page ; son auteur verra le motif et pourra "
          "contester une fois."), {"reason": reason}, _("Confirmer le masquage"))


@bp.post("/ideas/<idea_id>/restore")
@requires("moderator")
def restore(idea_id):
    return moderate(idea_id, "restore", _("L'idée est rétablie."))


@bp.post("/ideas/<idea_id>/confirm")
@requires("moderator")
def confirm(idea_id):
    return moderate(idea_id, "confirm", _("Le masquage est confirmé ; l'idée quitte la file."))


@bp.post("/ideas/<idea_id>/dismiss")
@requires("moderator")
def dismiss(idea_id):
    return moderate(idea_id, "dismiss", _("Les signalements sont classés sans suite."))


# The longest search the ideas API takes (its `q`): the first words of a longer paste.
SEARCH = 200
# Statuses that cannot receive a merge (the API refuses them too).
NOT_A_TARGET = ("duplicate", "hidden", "withdrawn")


def found_by_words(idea, words):
    """Open ideas whose title or text holds `words`, but the idea itself; none if the
    search refuses the words: the page then says nothing matched."""
    try:
        found = api().list_ideas(q=words[:SEARCH], sort="top", limit=10)["items"]
    except ApiError as error:
        if error.status >= 500:
            raise
        return []
    return [(i["id"], i["title"]) for i in found
            if i["status"] not in NOT_A_TARGET and i["id"] != idea["id"]]


def suggested(idea, already):
    """The duplicate finder's suggestions for the idea itself, beside what a search found."""
    seen = {idea["id"], *(id_ for id_, _ in already)}
    return [(s["id"], s["title"]) for s in api().similar_ideas(idea["title"])
            if s["id"] not in seen]


def named_idea(wanted):
    """The idea `wanted` names by its id or its page's address, or None (words of a title)."""
    key = wanted.rstrip("/").rsplit("/", 1)[-1]
    if not key or any(c.isspace() for c in key):
        return None
    try:
        return api().get_idea(key)
    except ApiError as error:
        if error.status not in forms.REFUSALS:
            raise
        return None


@bp.post("/ideas/<idea_id>/merge")
@requires("moderator")
def merge(idea_id):
    """Type words of the target's title (or paste its id or address), choose among the ideas
    found, give a reason, then confirm with both titles in view."""
    wanted, reason, errors = forms.text("into", line=True), forms.text("reason"), {}
    if not wanted:
        errors["into"] = [_("Indiquez l'idée qui reçoit la fusion : des mots de son titre, "
                            "son identifiant ou l'adresse de sa page.")]
    forms.length(errors, "reason", reason, (1, forms.REASON), _("Motif de la fusion"))
    idea = api().get_idea(idea_id)
    target = None if errors else named_idea(wanted)
    if target is not None and target["id"] != idea_id:
        if confirmed():
            return forms.attempt(lambda: api().merge(idea_id, target["id"], reason),
                                 _("L'idée est fusionnée ; ses soutiens suivent."),
                                 idea_url(idea_id))
        # From the duplicate finder: back there once merged.
        back = {"next": request.form["next"]} if request.form.get("next") else {}
        return confirmation(
            idea, "merge", _("Fusionner ces deux idées ?"),
            _("Ses soutiens suivront ; la fusion peut être annulée."),
            {"into": target["id"], "reason": reason, **back}, _("Confirmer la fusion"), target)
    found = [] if errors.get("into") else found_by_words(idea, wanted)
    if wanted and not found:
        errors["into"] = [_("Aucune idée ouverte ne correspond à « %(words)s » : essayez "
                            "d'autres mots du titre.", words=wanted)]
    choices = (found + suggested(idea, found))[:10]
    return render_template("moderate_merge.html", idea=idea, found_ideas=choices, wanted=wanted,
                           reason=reason, errors=errors), 422 if errors else 200


@bp.post("/ideas/<idea_id>/unmerge")
@requires("moderator")
def unmerge(idea_id):
    return forms.attempt(lambda: api().unmerge(idea_id), _("La fusion est annulée."),
                         idea_url(idea_id))


@bp.post("/ideas/<idea_id>/contest")
@requires("agent")
def contest(idea_id):
    text, errors = forms.text("text"), {}
    forms.length(errors, "text", text, (3, forms.REASON), _("Votre contestation"))
    if errors:
        flash(errors["text"][0], "error")
        return redirect(idea_url(idea_id) + "#masquage", 303)
    return forms.attempt(lambda: api().contest(idea_id, text),
                         _("Votre contestation est transmise à la modération."),
                         idea_url(idea_id))


@bp.get("/moderation")
@requires("moderator")
def queue():
    why = request.args.get("why") if request.args.get("why") in WAITING_LABELS else None
    page = api().moderation_queue(why, request.args.get("cursor"))
    next_page = page["next_cursor"] and url_for("moderation.queue", why=why,
                                                cursor=page["next_cursor"])
    # Read by cursor, the queue knows its first page, not the one before.
    first_page = request.args.get("cursor") and url_for("moderation.queue", why=why)
    return render_template("moderation.html", items=page["items"], counts=page["counts"],
                           why=why, waiting=WAITING_LABELS, next_page=next_page,
                           first_page=first_page, reasons=REPORT_REASONS)


@bp.get("/moderation/log")
@requires("moderator")
def log():
    return render_template("moderation_log.html", entries=api().moderation_log(),
                           actions=LOG_ACTIONS)


# How alike a pair reads to a moderator, rather than a score: bands above the threshold under
# which the finder proposes nothing (0.51, services/ideas/similar_index.py), at about a fifth
# and a third of the way from it to 1.
LIKENESS = ((0.67, _l("Très ressemblantes")), (0.6, _l("Ressemblantes")),
            (0.0, _l("Peut-être ressemblantes")))


def likeness(score):
    return next(label for floor, label in LIKENESS if score >= floor)


@bp.get("/moderation/duplicates")
@requires("moderator")
def duplicates():
    """Pairs of open ideas that may be one, the closest first: merge the newer into the older
    (or the other way), through the merge's confirmation, or say they are not duplicates."""
    page = api().possible_duplicates(request.args.get("cursor"))
    next_page = page["next_cursor"] and url_for("moderation.duplicates",
                                                cursor=page["next_cursor"])
    # `pending`: computed in the background (services/ideas/latest_pairs.py), newer pairs
    # are on their way.
    return render_template("moderation_duplicates.html", pairs=page["items"],
                           pending=page.get("pending"), likeness=likeness, next_page=next_page)


@bp.post("/moderation/duplicates/dismiss")
@requires("moderator")
def dismiss_duplicate():
    a, b = request.form.get("a", ""), request.form.get("b", "")
    return forms.attempt(lambda: api().dismiss_duplicate(a, b),
                         _("Ces deux idées ne seront plus proposées comme doublons."),
                         url_for("moderation.duplicates"))
