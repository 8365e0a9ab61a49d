"""My notifications (the digest service keeps them, built from the ideas and votes events):
the unread count in every page's header, the list with "mark as read", my preferences (mail per
kind, whom I follow by default, the mails' language) and the page a mail's unsubscribe link
leads to. Without JavaScript every action is a form that comes back (303) to where it was."""
from flask import (Blueprint, current_app, flash, g, redirect, render_template, request,
                   url_for)
from flask_babel import format_number, gettext as _, lazy_gettext as _l, ngettext

from services.web import forms
from services.web.client import ApiError
from services.web.i18n import LANGUAGE_OPTIONS, LANGUAGES, STATUS_LABELS, percent as format_percent
from services.web.mail_links import link_page
from services.web.session import api, local_path, person, requires

bp = Blueprint("notifications", __name__)

PAGE_SIZE = 20
# The kinds in the order the preferences page asks about them, as it names them.
KINDS = {
    "status": _l("Une idée que je suis change de statut"),
    "comment": _l("Un nouveau commentaire sur une idée que je suis"),
    "reply": _l("Une réponse à mon commentaire"),
    "mention": _l("On me mentionne dans un commentaire"),
    "merge": _l("Une idée que je suis est fusionnée (ou la fusion annulée)"),
    "withdrawn": _l("Une idée que je suis est retirée par son auteur"),
    "milestone": _l("Une de mes idées atteint un palier de soutiens"),
    "progress": _l("Une idée que je suis avance dans sa mise en œuvre"),
    "hidden": _l("Une de mes idées est masquée par la modération"),
}
MAIL_MODES = {"immediate": _l("immédiatement"), "daily": _l("résumé quotidien"),
              "weekly": _l("résumé hebdomadaire"), "never": _l("jamais")}
FOLLOW_DEFAULTS = ("follow_on_support", "follow_on_comment")


def unread_count():
    """My unread count for the header, asked once per page; None when signed out or when
    the notifications API does not answer: the page goes on without it."""
    if "unread" not in g:
        g.unread = None
        if person() is not None:
            try:
                g.unread = api().list_notifications(limit=0)["unread"]
            except (ApiError, KeyError, TypeError) as error:
                current_app.logger.warning("unread count unavailable: %s", error)
    return g.unread


def unread_label(count):
    """What a screen reader hears after the header's count: "(3 non lues)". French says
    "0 non lue"; the French texts are the code's own, read with the English rule (n != 1)."""
    return ngettext("non lue", "non lues", count or 1)


def sentence(item):
    """A notification in one sentence of the reader's language."""
    kind, title = item.get("kind"), (item.get("idea") or {}).get("title", "")
    actor = (item.get("actor") or {}).get("name") or _("Quelqu'un")
    into = (item.get("into") or {}).get("title")
    if kind == "status":
        status = item.get("status")
        return _("La modération a changé le statut de « %(title)s » : %(status)s.", title=title,
                 status=STATUS_LABELS.get(status, status))
    if kind == "comment":
        return _("%(actor)s a commenté « %(title)s ».", actor=actor, title=title)
    if kind == "reply":
        return _("%(actor)s vous a répondu sur « %(title)s ».", actor=actor, title=title)
    if kind == "mention":
        return _("%(actor)s vous a mentionné·e dans un commentaire sur « %(title)s ».",
                 actor=actor, title=title)
    if kind == "merge" and item.get("merged") is False:
        if into:
            return _("La fusion de « %(title)s » dans « %(into)s » est annulée : chaque idée "
                     "retrouve ses soutiens.", title=title, into=into)
        return _("La fusion de « %(title)s » est annulée : elle retrouve ses soutiens.",
                 title=title)
    if kind == "merge":
        return _("« %(title)s » a été fusionnée dans « %(into)s » : ses soutiens l'ont "
                 "suivie.", title=title, into=into or _("une autre idée"))
    if kind == "withdrawn":
        return _("« %(title)s » a été retirée par son auteur.", title=title)
    if kind == "milestone":
        count = item.get("milestone") or 0
        if count == 1:
            return _("« %(title)s » a reçu son premier soutien.", title=title)
        return _("« %(title)s » a atteint %(count)s soutiens.", title=title,
                 count=format_number(count))
    if kind == "progress":
        progress = item.get("progress") or {}
        return _("« %(title)s » avance : %(milestone)s (%(percent)s).", title=title,
                 milestone=progress.get("milestone", ""),
                 percent=format_percent(progress.get("percent", 0)))
    if kind == "hidden":
        return _("La modération a masqué votre idée « %(title)s » : %(reason)s",
                 title=title, reason=item.get("note") or _("motif non précisé."))
    return _("Du nouveau sur « %(title)s ».", title=title)


def target(item):
    """Where a notification leads: its `link` if it is a path of the pages, else its idea."""
    idea = (item.get("idea") or {}).get("id")
    default = url_for("browse.idea_page", idea_id=idea) if idea else url_for(
        "notifications.inbox")
    return local_path(item.get("link"), default)


@bp.get("/notifications")
@requires()
def inbox():
    unread_only = request.args.get("unread") == "1"
    cursor = request.args.get("cursor") or None
    page = api().list_notifications(unread=unread_only, cursor=cursor, limit=PAGE_SIZE)
    g.unread = page["unread"]  # the header says the same as the page

    def page_link(at=None):
        return url_for("notifications.inbox", **({"unread": "1"} if unread_only else {}),
                       **({"cursor": at} if at else {}))
    items = [{**item, "sentence": sentence(item), "target": target(item)}
             for item in page["items"]]
    return render_template("notifications.html", items=items, unread=page["unread"],
                           unread_only=unread_only, here=request.full_path.rstrip("?"),
                           next_page=page.get("next_cursor") and page_link(page["next_cursor"]),
                           first_page=cursor and page_link())


@bp.get("/notifications/<notification_id>/ouvrir")
@requires()
def open_notification(notification_id):
    """An unread notification's link passes here: following it marks it read (what "read"
    means to people), then leads where it points. Marking read is harmless to repeat; `to`
    must be a path of the pages (no open redirect)."""
    try:
        api().mark_read([notification_id])
    except ApiError as error:
        if error.status >= 500:
            raise
    return redirect(local_path(request.args.get("to"), url_for("notifications.inbox")), 303)


@bp.post("/notifications/read")
@requires()
def mark_read():
    """One notification (`ids`), several, or all of mine (`all`)."""
    if request.form.get("all"):
        ids, done = None, _("Toutes vos notifications sont marquées comme lues.")
    else:
        ids = [i for i in request.form.getlist("ids") if i]
        if not ids:
            return forms.back(url_for("notifications.inbox"))
        done = ngettext("Notification marquée comme lue.", "%(num)s notifications marquées "
                        "comme lues.", len(ids))
    return forms.attempt(lambda: api().mark_read(ids), done, url_for("notifications.inbox"))


def preferences_from_form():
    mail = {kind: request.form.get(f"mail-{kind}") for kind in KINDS}
    language = request.form.get("language")
    return {"mail": {k: v for k, v in mail.items() if v in MAIL_MODES},
            **{name: request.form.get(name) == "1" for name in FOLLOW_DEFAULTS},
            "language": language if language in LANGUAGES else "fr"}


def render_preferences(values, errors=None, status=200):
    kinds = {**KINDS, **{k: k for k in values.get("mail", {}) if k not in KINDS}}
    return render_template("notification_preferences.html", values=values, kinds=kinds,
                           modes=MAIL_MODES, languages=LANGUAGE_OPTIONS,
                           errors=errors or {}), status


@bp.get("/notifications/preferences")
@requires()
def preferences():
    return render_preferences(api().notification_preferences())


@bp.post("/notifications/preferences")
@requires()
def save_preferences():
    values = preferences_from_form()
    try:
        api().save_notification_preferences(values)
    except ApiError as error:
        return render_preferences(values, forms.refused(error, ("mail", "language",
                                                                *FOLLOW_DEFAULTS)), 422)
    flash(_("Vos préférences de notification sont enregistrées."), "info")
    return redirect(url_for("notifications.preferences"), 303)


@bp.route("/notifications/unsubscribe", methods=("GET", "POST"))
def unsubscribe():
    """Where a notification mail's unsubscribe link leads (the API's GET sends people here)."""
    return link_page("notifications_unsubscribe.html",
                     lambda token: api().unsubscribe_from_notifications(token))
