"""Reports and hiding: agents report an idea once each; at the threshold it is hidden pending
review; moderators hide, restore, confirm, or dismiss the reports of an idea that stays
visible; the author of a hidden idea may contest its hiding once. Pure, like lifecycle.py."""
from services.ideas.lifecycle import LABELS, NotAuthor, TransitionRefused, _move

REASONS = ("spam", "offensive", "off_topic", "duplicate", "other")
DEFAULT_THRESHOLD = 3


def report(idea, reason, pending, threshold, now):
    """A report was stored; `pending` reports now await review. Hidden at the threshold."""
    idea["flag_count"] = idea.get("flag_count", 0) + 1
    idea["pending_flags"] = pending
    idea["updated_at"], idea["version"] = now, idea["version"] + 1
    events = [("idea.flagged", {"reason": reason, "flag_count": idea["flag_count"]})]
    if pending >= threshold and idea["status"] != "hidden":
        # No one hid it (by: None): its history and the log say the threshold did.
        events += _hide(idea, f"{pending} signalements", None, now)
    return events


def hide(idea, reason, by, now):
    """A moderator hides an idea: the reports it had are reviewed by that very act."""
    if idea["status"] == "hidden":
        raise TransitionRefused("Cette idée est déjà masquée.")
    _reviewed(idea, now)
    return _hide(idea, reason, by, now)


def _hide(idea, reason, by, now):
    idea["hidden_from"] = idea["status"]
    # A new hiding may be contested anew.
    idea.pop("contest", None)
    _move(idea, "hidden", now, {"kind": "hidden", "previous": idea["status"], "by": by,
                                "threshold": by is None})
    idea["hidden_reason"] = reason
    return [("idea.hidden", {"reason": reason, "by": by})]


def _reviewed(idea, now):
    idea["pending_flags"] = 0
    idea["reviewed_at"] = now


def restore(idea, note, by, now):
    """The reports were unfounded: the idea is back as it was, and they are reviewed."""
    if idea["status"] != "hidden":
        raise TransitionRefused(f"Une idée {LABELS[idea['status']]} n'est pas masquée.")
    status = idea.pop("hidden_from", "submitted")
    _reviewed(idea, now)
    idea.pop("contest", None)
    _move(idea, status, now, {"kind": "restored", "status": status, "note": note, "by": by})
    return [("idea.restored", {"status": status, "note": note, "by": by})]


def confirm(idea, note, by, now):
    """The reports (or the contest) were unfounded: the idea stays hidden, and they are
    reviewed; it leaves the queue."""
    if idea["status"] != "hidden":
        raise TransitionRefused(f"Une idée {LABELS[idea['status']]} n'est pas masquée.")
    _reviewed(idea, now)
    if idea.get("contest"):
        idea["contest"] = {**idea["contest"], "open": False}
    idea["hidden_reason"] = note or idea.get("hidden_reason", "")
    idea["updated_at"], idea["version"] = now, idea["version"] + 1
    return [("idea.hidden", {"reason": idea["hidden_reason"], "by": by, "confirmed": True})]


def dismiss(idea, note, by, now):
    """The reports of a visible idea are unfounded ("classées sans suite"): they stop
    counting and the idea leaves the queue, with nothing in its public history."""
    if idea["status"] == "hidden":
        raise TransitionRefused("Cette idée est masquée : rétablissez-la ou confirmez le "
                                "masquage.")
    if not idea.get("pending_flags"):
        raise TransitionRefused("Aucun signalement de cette idée n'attend d'examen.")
    dismissed = idea["pending_flags"]
    _reviewed(idea, now)
    idea["updated_at"], idea["version"] = now, idea["version"] + 1
    return [("idea.reports_dismissed", {"note": note, "by": by, "dismissed": dismissed})]


def contest(idea, text, by, now):
    """The author of a hidden idea asks for another look, once per hiding: the idea waits
    in the queue again, marked as contested."""
    if idea["author"]["id"] != by["id"]:
        raise NotAuthor("Seul l'auteur d'une idée peut contester son masquage.")
    if idea["status"] != "hidden":
        raise TransitionRefused("Cette idée n'est pas masquée : il n'y a rien à contester.")
    if idea.get("contest"):
        raise TransitionRefused("Vous avez déjà contesté ce masquage ; la modération "
                                "l'a examiné ou va l'examiner.")
    idea["contest"] = {"at": now, "text": text, "open": True}
    idea["updated_at"], idea["version"] = now, idea["version"] + 1
    return [("idea.contested", {"text": text, "by": by})]


def contested(idea):
    """Does the idea's contest await a moderator?"""
    return bool((idea.get("contest") or {}).get("open")) and idea["status"] == "hidden"


# Why an idea waits in the moderation queue, in the order the queue shows counts.
WAITING = ("hidden", "reported", "unanswered")


def waiting_for(status, pending_flags, contested=False):
    """Why an idea waits for a moderator (one of WAITING), or None: hidden by the reports
    or contested by its author and not yet reviewed, reported since the last review, or
    never answered. An idea a moderator hid, or whose hiding was confirmed, waits no more."""
    if status == "hidden":
        return "hidden" if pending_flags > 0 or contested else None
    if pending_flags > 0:
        return "reported"
    return "unanswered" if status == "submitted" else None
