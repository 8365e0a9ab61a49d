"""The digest consumer's notifications: follows and notifications made from the ideas, votes
and people events (services.digest.notifications decides, NotificationStore keeps).

Each effect is once per (event, person) by the `_id` of what it writes, so redeliveries and
replays change nothing. An idea's events share a partition, but two API processes write them:
a comment made by one process just after the idea by another may reach Kafka before the
idea.submitted (measured in CI: 58 ms apart, swapped). So nothing here waits for an event of
the same idea to have come first: the author's follow, dated from the submission, is made by
whichever of the idea's events comes first.
"""
from services.digest import notifications as N

# What the ideas events do here: who follows, who hears, what is hidden.
TELLING = ("idea.status_changed", "idea.merged", "idea.unmerged", "idea.withdrawn",
           "idea.progress_updated")


def on_idea_event(name, payload, envelope, notes):
    idea_id, at = payload["idea_id"], envelope["time"]
    if name == "idea.submitted" or name in TELLING:  # not on the events that tell no one
        _author_follows(payload, notes)
    if name == "idea.hidden":
        notes.hide(idea_id=idea_id)
        deliver(N.notices(name, payload, envelope, []).values(), notes)
    elif name == "idea.restored":
        notes.hide(idea_id=idea_id, hidden=False)
    elif name in TELLING:
        followers = notes.followers(idea_id, at)
        deliver(N.notices(name, payload, envelope, followers).values(), notes)
        if name == "idea.merged":  # their support moved: they follow where it went
            notes.follow_unless_chosen([N.follow(payload["into"], person, "merge", at)
                                        for person in followers])


def on_comment_added(payload, envelope, notes):
    _author_follows(payload, notes)
    idea_id, at, writer = payload["idea_id"], envelope["time"], payload["author"]["id"]
    mentions = N.mention_keys(payload.get("body"))
    mentioned = N.resolve_mentions(mentions, notes.mention_candidates(mentions)) \
        if mentions else set()
    deliver(N.notices("comment.added", payload, envelope, notes.followers(idea_id, at),
                      mentioned).values(), notes)
    if notes.preferences(writer)["follow_on_comment"]:
        notes.follow_unless_chosen([N.follow(idea_id, writer, "comment", at)])


def on_comment_hidden(payload, envelope, notes):
    """Hidden by a moderator or deleted by its author (comment.hidden, comment.deleted): its
    notifications leave the centres and are not mailed."""
    notes.hide(comment_id=payload["comment_id"])


def on_comment_edited(payload, envelope, notes):
    notes.reword(payload["comment_id"], N.excerpt(payload["body"]), payload["edits"])


def _author_follows(payload, notes):
    """The author follows their idea from its submission, unless they chose otherwise."""
    idea = payload["idea"]
    notes.follow_unless_chosen([N.follow(payload["idea_id"], idea["author"]["id"], "author",
                                         idea["created_at"])])


def on_votes_changed(changes, notes, digest):
    """After the digest's read model (`digest`, a DigestStore) folded the supports:
    supporters follow, authors hear of milestones. Both are inserts of fixed `_id`s,
    so a batch redelivered after a crash makes nothing twice, and a milestone is told even if
    the crash came after the count moved."""
    prefs = notes.preferences_of({p["voter_id"] for p, _ in changes if p["active"]})
    notes.follow_unless_chosen([
        N.follow(p["idea_id"], p["voter_id"], "support", envelope["time"])
        for p, envelope in changes if p["active"] and prefs[p["voter_id"]]["follow_on_support"]])
    last = {p["idea_id"]: envelope["time"] for p, envelope in changes}
    reached = (N.milestone_notice(view["_id"], view["idea"], view["vote_count"],
                                  last[view["_id"]]) for view in digest.counts(sorted(last)))
    deliver([notice for notice in reached if notice], notes)


def on_person(payload, envelope, notes):
    """person.joined and person.updated: who may be mentioned, and their address."""
    notes.know_person(payload["person"]["id"], payload["person"]["name"],
                      payload.get("email", ""))


def deliver(notices, notes):
    """Keep the notifications, each with its mail channel as its person chose."""
    notices = list(notices)
    prefs = notes.preferences_of({n["person_id"] for n in notices})
    for notice in notices:
        channel = N.mail_channel(notice["kind"], prefs[notice["person_id"]])
        if channel:
            notice["mail"] = channel
    notes.add(notices)
