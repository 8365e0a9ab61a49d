"""Reports and hiding: agents report an idea once each; at the threshold it is hidden pending
review; moderators hide, restore or confirm. Pure, like lifecycle.py."""
from services.ideas.lifecycle import LABELS, TransitionRefused, _move

REASONS = ("spam", "offensive", "off_topic", "duplicate", "other")
DEFAULT_THRESHOLD = 3


def report(idea, reason, pending, threshold, now):
    """A report was stored; `pending` reports now await review. Hidden at the threshold."""
    idea["flag_count"] = idea.get("flag_count", 0) + 1
    idea["pending_flags"] = pending
    idea["updated_at"], idea["version"] = now, idea["version"] + 1
    events = [("idea.flagged", {"reason": reason, "flag_count": idea["flag_count"]})]
    if pending >= threshold and idea["status"] != "hidden":
        events += _hide(idea, f"{pending} signalements", None, now)
    return events


def hide(idea, reason, by, now):
    if idea["status"] == "hidden":
        raise TransitionRefused("Cette idée est déjà masquée.")
    return _hide(idea, reason, by, now)


def _hide(idea, reason, by, now):
    idea["hidden_from"] = idea["status"]
    _move(idea, "hidden", now, {"kind": "hidden", "previous": idea["status"], "by": by})
    idea["hidden_reason"] = reason
    return [("idea.hidden", {"reason": reason, "by": by})]


def restore(idea, note, by, now):
    """The reports were unfounded: the idea is back as it was, and they are reviewed."""
    if idea["status"] != "hidden":
        raise TransitionRefused(f"Une idée {LABELS[idea['status']]} n'est pas masquée.")
    status = idea.pop("hidden_from", "submitted")
    idea["pending_flags"] = 0
    idea["reviewed_at"] = now
    _move(idea, status, now, {"kind": "restored", "status": status, "note": note, "by": by})
    return [("idea.restored", {"status": status, "note": note, "by": by})]


def confirm(idea, note, by, now):
    """The reports were founded: the idea stays hidden, and they are reviewed."""
    if idea["status"] != "hidden":
        raise TransitionRefused(f"Une idée {LABELS[idea['status']]} n'est pas masquée.")
    idea["pending_flags"] = 0
    idea["reviewed_at"] = now
    idea["hidden_reason"] = note or idea.get("hidden_reason", "")
    idea["updated_at"], idea["version"] = now, idea["version"] + 1
    return [("idea.hidden", {"reason": idea["hidden_reason"], "by": by})]


# Why an idea waits in the moderation queue, in the order the queue shows counts.
WAITING = ("hidden", "reported", "unanswered")


def waiting_for(status, pending_flags):
    """Why an idea waits for a moderator (one of WAITING), or None: hidden, reported since
    the last review, or never answered."""
    if status == "hidden":
        return "hidden"
    if pending_flags > 0:
        return "reported"
    return "unanswered" if status == "submitted" else None
