"""What happens to a comment after it is published: its author edits or deletes it, others
report it, moderators hide it or dismiss its reports. Each change is written to the comment
first, then goes out as an event of its idea, with the idea's count of visible comments
(handlers.change_idea: the event and the idea's new version are one write)."""
from services.ideas import comments as C
from services.ideas import domain
from services.ideas.handlers import change_idea


def _comment(idea_id, comment_id, store):
    comment = store.comment(idea_id, comment_id)
    if comment is None:
        raise domain.CommentNotFound(comment_id)
    return comment


def _publish(idea_id, name, extra, store, publish, now):
    def counted(idea):
        domain.recount_comments(idea, store.visible_comments(idea_id), now)
        return [(name, extra)]
    change_idea(idea_id, counted, store, publish)


def edit_comment(idea_id, comment_id, body, by, store, comments, publish, now):
    """Its author's new text; the same text again changes nothing and tells no one."""
    idea = store.get(idea_id)
    current = _comment(idea_id, comment_id, store)
    written = comments.change(comment_id, lambda c: C.edit(c, idea, body, by, now))
    if written is None:
        return domain.public_comment(current)
    _publish(idea_id, "comment.edited", {"comment_id": comment_id, "body": body, "by": by,
                                         "at": now, "edits": written["edits"]},
             store, publish, now)
    return domain.public_comment(written)


def delete_comment(idea_id, comment_id, by, store, comments, publish, now):
    """Its author deletes it: its text goes, its place and its replies stay; it leaves the
    moderation queue (nothing is left to judge)."""
    idea = store.get(idea_id)
    _comment(idea_id, comment_id, store)
    written = comments.change(comment_id, lambda c: C.delete(c, idea, by, now))
    comments.unqueue(comment_id)
    _publish(idea_id, "comment.deleted", {"comment_id": comment_id, "by": by, "at": now},
             store, publish, now)
    return domain.public_comment(written)


def report_comment(idea_id, comment_id, cmd, by, store, comments, now):
    """One report per person and comment, never one's own: the comment joins the moderation
    queue (no event: the queue is the ideas service's own, and no one else needs to know)."""
    idea = store.get(idea_id)
    if idea["status"] == "hidden":
        raise domain.IdeaNotFound(idea_id)
    comment = _comment(idea_id, comment_id, store)
    C.check_report(comment, by)
    flag = C.flag(idea_id, comment, by, cmd["reason"], cmd["note"], now)
    if not comments.add_flag(flag):
        raise C.AlreadyReportedComment()
    comments.queue(comment_id, C.queue_entry(comment, idea, now), cmd["reason"], cmd["note"],
                   now)
    return {"comment_id": comment_id, "reason": cmd["reason"], "at": now}


def hide_comment(idea_id, comment_id, reason, by, store, comments, publish, now):
    """A moderator hides it, with the reason the log keeps; it leaves the queue."""
    _comment(idea_id, comment_id, store)
    written = comments.change(comment_id, lambda c: _hidden(c, reason, by))
    comments.unqueue(comment_id)
    _publish(idea_id, "comment.hidden", {"comment_id": comment_id, "reason": reason, "by": by},
             store, publish, now)
    return domain.public_comment(written, moderator=True)


def _hidden(comment, reason, by):
    C.check_hide(comment)
    comment.update(hidden=True, hidden_reason=reason, hidden_by=by)
    return comment


def dismiss_comment_reports(idea_id, comment_id, note, by, store, comments, publish, now):
    """A moderator finds the reports unfounded: the comment leaves the queue, visible; a
    second click finds nothing to dismiss (409)."""
    comment = _comment(idea_id, comment_id, store)
    entry = comments.unqueue(comment_id)
    if entry is None:
        raise C.CommentRefused("Aucun signalement n'attend d'examen sur ce commentaire.")
    _publish(idea_id, "comment.reports_dismissed",
             {"comment_id": comment_id, "note": note, "by": by, "dismissed": entry["reports"]},
             store, publish, now)
    return domain.public_comment(comment, moderator=True)


def reported_comments(comments, limit):
    """The moderation queue's reported comments, oldest first: the comment's text as it was
    reported, the reasons and notes (not who reported)."""
    entries, total = comments.waiting(limit)
    return {"items": [{"comment_id": e["_id"], "idea_id": e["idea_id"],
                       "idea_title": e["idea_title"], "author": e["author"],
                       "reported_body": e["reported_body"], "reports": e["reports"],
                       "reasons": sorted(e["reasons"]), "notes": e.get("notes", []),
                       "first_at": e["first_at"], "last_at": e["last_at"]}
                      for e in entries], "total": total}
