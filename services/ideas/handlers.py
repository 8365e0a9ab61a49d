"""What the ideas service does, as functions of a command or event and their dependencies."""
from shared.events import make_event
from services.ideas import domain, lifecycle


def _events(idea, produced):
    """The events of a change, each carrying the idea as it is after the change."""
    return [make_event(kind, idea["_id"], domain.event_data(idea, **extra), domain.SOURCE)
            for kind, extra in produced]


def submit_idea(cmd, author, unit, store, publish, now):
    idea = domain.new_idea(domain.new_idea_id(), cmd["title"], cmd["body"], cmd["tags"],
                           author, unit, now)
    events = _events(idea, [("idea.submitted", {"body": idea["body"]})])
    store.add(idea, events)
    publish(events)
    return domain.public(idea)


def _change(idea_id, move, store, publish):
    """Apply `move(idea) -> [(type, extra)]` under the idea's lease, publish, return it."""
    idea, events = store.change(idea_id, lambda idea: _events(idea, move(idea)))
    publish(events)
    return domain.public(idea)


def answer_idea(idea_id, cmd, by, store, publish, now):
    return _change(idea_id, lambda idea: lifecycle.answer(idea, cmd["status"], cmd["note"], by,
                                                          now), store, publish)


def withdraw_idea(idea_id, by, store, publish, now):
    return _change(idea_id, lambda idea: lifecycle.withdraw(idea, by, now), store, publish)


class UnknownTarget(Exception):
    pass


def merge_idea(idea_id, into, by, store, publish, now):
    try:
        target = store.get(into)
    except domain.IdeaNotFound:
        raise UnknownTarget(into) from None
    return _change(idea_id, lambda idea: lifecycle.merge(idea, target, by, now), store, publish)


def unmerge_idea(idea_id, by, store, publish, now):
    return _change(idea_id, lambda idea: lifecycle.unmerge(idea, by, now), store, publish)


def get_idea(idea_id, store):
    return domain.public(store.get(idea_id))


def list_ideas(query, store):
    page, after = store.list(query["sort"], query["limit"], after=query.get("cursor"),
                             status=query.get("status"), q=query.get("q"))
    return {"items": [domain.public(i) for i in page], "next_cursor": after}


def similar_ideas(text, store):
    return {"items": [{"id": i, "title": t, "score": s} for i, t, s in store.similar(text)]}


def on_vote_changed(payload, envelope, store):
    """vote.cast / vote.retracted: the idea's count follows the votes service's events."""
    store.set_votes(payload["idea_id"], lambda idea: domain.apply_vote(
        idea, payload["voter_id"], payload["seq"], payload["active"]))


def add_comment(idea_id, body, by, store, publish, now):
    """The comment is stored first, then counted under the idea's lease with its event."""
    idea = store.get(idea_id)
    if idea["status"] in ("hidden", "withdrawn"):
        raise lifecycle.TransitionRefused("Cette idée n'accepte plus de commentaires.")
    comment = domain.new_comment(idea_id, body, by, now)
    store.add_comment(comment)

    def counted(idea):
        domain.recount_comments(idea, store.visible_comments(idea_id), now)
        return [("comment.added", {"comment_id": comment["_id"], "author": by,
                                   "created_at": now})]
    _change(idea_id, counted, store, publish)
    return domain.public_comment(comment)


def hide_comment(idea_id, comment_id, reason, by, store, publish, now):
    comment = store.comment(idea_id, comment_id)
    if comment is None:
        raise domain.CommentNotFound(comment_id)
    store.hide_comment(comment_id, reason, by)

    def counted(idea):
        domain.recount_comments(idea, store.visible_comments(idea_id), now)
        return [("comment.hidden", {"comment_id": comment_id, "reason": reason, "by": by})]
    _change(idea_id, counted, store, publish)
    return domain.public_comment(store.comment(idea_id, comment_id), moderator=True)


def list_comments(idea_id, store, moderator=False):
    store.get(idea_id)  # 404 for an unknown idea
    return {"items": [domain.public_comment(c, moderator) for c in store.comments(idea_id)]}
