"""What the ideas service does, as functions of a command or event and their dependencies."""
from shared.events import make_event
from services.ideas import domain


def submit_idea(cmd, author, unit, store, publish, now):
    idea = domain.new_idea(domain.new_idea_id(), cmd["title"], cmd["body"], cmd["tags"],
                           author, unit, now)
    event = make_event("idea.submitted", idea["_id"], domain.event_data(idea, body=idea["body"]), domain.SOURCE)
    store.add(idea, [event])
    publish([event])
    return domain.public(idea)


def get_idea(idea_id, store):
    return domain.public(store.get(idea_id))


def list_ideas(query, store):
    page, after = store.list(query["sort"], query["limit"], after=query.get("cursor"),
                             status=query.get("status"))
    return {"items": [domain.public(i) for i in page], "next_cursor": after}


def on_vote_changed(payload, envelope, store):
    """vote.cast / vote.retracted: the idea's count follows the votes service's events."""
    store.set_votes(payload["idea_id"], lambda idea: domain.apply_vote(
        idea, payload["voter_id"], payload["seq"], payload["active"]))
