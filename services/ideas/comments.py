"""What an author and the other agents may do to a comment once it is published: its author
edits or deletes it, anyone else reports it. Pure: no Flask, pymongo or Kafka here.

The rule for editing: a comment stays editable by its author while its idea takes comments
(neither hidden nor withdrawn: the same rule as adding one) and while the comment is neither
hidden by a moderator nor deleted. Every edit shows: the comment says "modifié" with its time,
and a comment reported before the edit keeps, in the moderation queue, the text as reported.
Deleting is the author's at any time, but on a hidden idea (which they no longer see): the
text goes for good, the comment keeps its place so that its replies stay readable."""

# Ideas whose comments can no longer be added or edited.
CLOSED = ("hidden", "withdrawn")


class NotCommentAuthor(Exception):
    """Only its author edits or deletes a comment (HTTP 403)."""


class CommentRefused(Exception):
    """A change the comment's state forbids (HTTP 409); the message says why."""


class OwnComment(Exception):
    """One does not report one's own comment: one edits or deletes it (HTTP 409)."""


class AlreadyReportedComment(Exception):
    """One report per person per comment (HTTP 409)."""


def is_gone(comment):
    """Hidden by a moderator or deleted by its author: no longer visible, counted, editable,
    reportable or answerable."""
    return comment["hidden"] or comment.get("deleted", False)


def _check_own(comment, by):
    if comment["author"]["id"] != by["id"]:
        raise NotCommentAuthor("Seul l'auteur d'un commentaire peut le modifier ou le "
                               "supprimer.")
    if comment.get("deleted"):
        raise CommentRefused("Ce commentaire a déjà été supprimé.")
    if comment["hidden"]:
        raise CommentRefused("Ce commentaire a été masqué par la modération : il ne peut plus "
                             "être modifié ni supprimé.")


def edit(comment, idea, body, by, now):
    """The comment with its new text (changed in place), or None if the text is the same;
    refused outside the rule above."""
    _check_own(comment, by)
    if idea["status"] in CLOSED:
        raise CommentRefused("Cette idée n'accepte plus de commentaires : les siens ne peuvent "
                             "plus être modifiés.")
    if comment["body"] == body:
        return None
    comment.update(body=body, edited_at=now, edits=comment.get("edits", 0) + 1)
    return comment


def delete(comment, idea, by, now):
    """The comment without its text (changed in place), refused outside the rule above."""
    _check_own(comment, by)
    if idea["status"] == "hidden":
        raise CommentRefused("Cette idée est masquée : ses commentaires ne peuvent plus être "
                             "supprimés.")
    comment.update(body="", deleted=True, deleted_at=now)
    return comment


def check_report(comment, by):
    """May `by` report `comment` (as stored)?"""
    if comment["author"]["id"] == by["id"]:
        raise OwnComment()
    if is_gone(comment):
        raise CommentRefused("Ce commentaire n'est plus visible : il n'y a plus rien à "
                             "signaler.")


def check_hide(comment):
    if comment.get("deleted"):
        raise CommentRefused("Ce commentaire a été supprimé par son auteur : il n'y a plus "
                             "rien à masquer.")
    if comment["hidden"]:
        raise CommentRefused("Ce commentaire est déjà masqué.")


def flag(idea_id, comment, by, reason, note, now):
    """A report: one per person and comment, by its `_id`."""
    return {"_id": f"{comment['_id']}:{by['id']}", "idea_id": idea_id,
            "comment_id": comment["_id"], "by": by, "reason": reason, "note": note, "at": now}


def queue_entry(comment, idea, now):
    """What the moderation queue keeps of a reported comment, one entry per comment (its
    `_id`), from its first report: later reports add their reason and note to it. It goes
    once a moderator hides the comment or dismisses its reports, or its author deletes it.
    The text as first reported stays beside the comment, should its author edit it."""
    return {"idea_id": idea["_id"], "idea_title": idea["title"], "author": comment["author"],
            "reported_body": comment["body"], "first_at": now}
