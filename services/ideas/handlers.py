"""What the ideas service does, as functions of a command or event and their dependencies."""
from shared import phases
from shared.events import make_event
from services.ideas import campaigns, domain, lifecycle, moderation, search_pages


def _events(idea, produced):
    """The events of a change, each carrying the idea as it is after the change."""
    return [make_event(kind, idea["_id"], domain.event_data(idea, **extra), domain.SOURCE)
            for kind, extra in produced]


def submit_idea(cmd, author, unit, store, publish, now, calls=None):
    """`calls`: the calls for ideas (campaign_store), when the idea answers one: it must be
    taking proposals, from the agent's unit."""
    campaign_id = cmd.get("campaign_id")
    if campaign_id:
        campaign = calls.get(campaign_id)
        campaigns.check_scope(campaign, unit)
        phases.check_proposals(campaign, now)
    idea = domain.new_idea(domain.new_idea_id(), cmd["title"], cmd["body"], cmd["tags"],
                           author, unit, now, campaign_id)
    events = _events(idea, [("idea.submitted", {"body": idea["body"]})])
    store.add(idea, events)
    publish(events, "ideas", idea["_id"])
    return domain.public(idea)


def change_idea(idea_id, move, store, publish):
    """Apply `move(idea) -> [(type, extra)]` with its events in one conditional write,
    publish them, return the idea."""
    idea, events = store.change(idea_id, lambda idea: _events(idea, move(idea)))
    publish(events, "ideas", idea_id)
    return domain.public(idea)


def answer_idea(idea_id, cmd, by, store, publish, now):
    return change_idea(idea_id, lambda idea: lifecycle.answer(idea, cmd["status"], cmd["note"],
                                                              by, now), store, publish)


def edit_idea(idea_id, changes, moderator, by, store, publish, now):
    def edited(idea):
        events = lifecycle.edit(idea, changes, by, moderator, now)
        domain.reindex(idea)
        return events
    return change_idea(idea_id, edited, store, publish)


def withdraw_idea(idea_id, by, store, publish, now):
    return change_idea(idea_id, lambda idea: lifecycle.withdraw(idea, by, now), store, publish)


class UnknownTarget(Exception):
    pass


def merge_idea(idea_id, into, reason, by, store, publish, now):
    try:
        target = store.get(into)
    except domain.IdeaNotFound:
        raise UnknownTarget(into) from None
    return change_idea(idea_id, lambda idea: lifecycle.merge(idea, target, by, now, reason),
                       store, publish)


def unmerge_idea(idea_id, by, store, publish, now):
    return change_idea(idea_id, lambda idea: lifecycle.unmerge(idea, by, now), store, publish)


def get_idea(idea_id, store):
    return domain.public(store.get(idea_id))


def list_reports(idea_id, store):
    """The reports awaiting review, oldest first: what the moderator weighs on the idea's
    page. Who reported stays out: the reasons matter, not the reporters."""
    idea = store.get(idea_id)
    reports = sorted(store.pending_flags(idea_id, idea.get("reviewed_at")),
                     key=lambda r: r["at"])
    return [{k: r[k] for k in ("reason", "note", "at")} for r in reports]


def list_ideas(query, store, me=None):
    """`me`: the caller's id, for author=me. With the page, how many ideas the filter finds
    in all, and the cursor of the previous page (None when it is the first)."""
    if query.get("q"):  # the exact matches, then those close in meaning (search_pages.py)
        page, after, before, total = search_pages.search_ideas(query, store, me)
        return {"items": [{**domain.public(i), "match": i["match"]} for i in page],
                "next_cursor": after, "prev_cursor": before, "total": total}
    accepts, cursor = domain.list_filter(query, me), query.get("cursor")
    page, after = store.list(query["sort"], query["limit"], after=cursor, accepts=accepts)
    before = cursor and store.previous(query["sort"], query["limit"], cursor, accepts)
    narrowed, plain = domain.list_narrowing(query)
    return {"items": [domain.public(i) for i in page], "next_cursor": after,
            "prev_cursor": before, "total": store.count(accepts, narrowed, plain)}


def list_facets(store, campaign_id=None):
    return store.facets(campaign_id)


def similar_ideas(text, store):
    return {"items": [{"id": i, "title": t, "score": s} for i, t, s in store.similar(text)]}


def on_votes_changed(changes, store, rows):
    """vote.cast / vote.retracted, together: the ideas' counts and trends follow the votes
    events, each counted once; then the lists learn the ideas' new rows."""
    rows.publish_many(store.fold_votes(changes, domain.counted_votes))


def on_comment_added(payload, envelope, store, rows):
    """A comment warms the idea's trend, once per event."""
    store.fold_comment(payload["idea_id"], envelope, domain.counted_comment)
    rows.publish(payload["idea_id"])


def on_idea_changed(payload, envelope, store, rows):
    """Any other event of an idea: the lists learn its new row."""
    rows.publish(payload["idea_id"])


def add_comment(idea_id, body, by, store, publish, now, parent_id=None):
    """The comment is stored first, then counted in the idea with its event. A reply
    (`parent_id`) goes under a visible top-level comment of the same idea; its event names
    the parent's author, so a notifier needs no other lookup."""
    idea = store.get(idea_id)
    if idea["status"] in ("hidden", "withdrawn"):
        raise lifecycle.TransitionRefused("Cette idée n'accepte plus de commentaires.")
    parent = None
    if parent_id is not None:
        parent = store.comment(idea_id, parent_id)
        domain.check_parent(parent)
    comment = domain.new_comment(idea_id, body, by, now, parent_id)
    store.add_comment(comment)

    def counted(idea):
        domain.recount_comments(idea, store.visible_comments(idea_id), now)
        return [("comment.added", {"comment_id": comment["_id"], "author": by,
                                   "created_at": now, "body": body, "parent_id": parent_id,
                                   "parent_author": parent and parent["author"]})]
    change_idea(idea_id, counted, store, publish)
    return domain.public_comment(comment)


def list_comments(idea_id, store, moderator=False, me=None):
    """A hidden idea's comments are as hidden as the idea: 404 but for moderators and its
    author (`me`: the caller's id)."""
    idea = store.get(idea_id)
    if idea["status"] == "hidden" and not moderator and idea["author"]["id"] != me:
        raise domain.IdeaNotFound(idea_id)
    return {"items": [domain.public_comment(c, moderator) for c in store.comments(idea_id)]}


class AlreadyReported(Exception):
    pass


class OwnIdea(Exception):
    """An author withdraws or edits their idea; they do not report it."""


def report_idea(idea_id, cmd, by, store, publish, now, threshold):
    """One report per person; the idea is hidden once `threshold` await review."""
    idea = store.get(idea_id)
    if idea["author"]["id"] == by["id"]:
        raise OwnIdea()
    if not store.add_flag(idea_id, by, cmd["reason"], cmd["note"], now):
        raise AlreadyReported()

    def reported(idea):
        pending = len(store.pending_flags(idea_id, idea.get("reviewed_at")))
        return moderation.report(idea, cmd["reason"], pending, threshold, now)
    return change_idea(idea["_id"], reported, store, publish)


def hide_idea(idea_id, reason, by, store, publish, now):
    return change_idea(idea_id, lambda idea: moderation.hide(idea, reason, by, now), store, publish)


def restore_idea(idea_id, note, by, store, publish, now):
    return change_idea(idea_id, lambda idea: moderation.restore(idea, note, by, now), store,
                       publish)


def confirm_hidden(idea_id, note, by, store, publish, now):
    return change_idea(idea_id, lambda idea: moderation.confirm(idea, note, by, now), store,
                       publish)


def dismiss_reports(idea_id, note, by, store, publish, now):
    return change_idea(idea_id, lambda idea: moderation.dismiss(idea, note, by, now), store,
                       publish)


def contest_hiding(idea_id, text, by, store, publish, now):
    return change_idea(idea_id, lambda idea: moderation.contest(idea, text, by, now), store,
                       publish)


def moderation_queue(query, store):
    ideas, after = store.awaiting_moderation(query.get("why"), query["limit"],
                                             query.get("cursor"))
    items = []
    for idea in ideas:
        # Reports are looked up only where some await review: most waiting ideas have none.
        reports = (store.pending_flags(idea["_id"], idea.get("reviewed_at"))
                   if idea.get("pending_flags") else [])
        items.append({**domain.public(idea), "pending_flags": len(reports),
                      "hidden_reason": idea.get("hidden_reason", ""),
                      "reasons": sorted({r["reason"] for r in reports}),
                      "notes": [r["note"] for r in reports if r["note"]],
                      "contest": idea.get("contest") if moderation.contested(idea) else None})
    return {"items": items, "next_cursor": after, "counts": store.waiting_counts()}


def list_possible_duplicates(query, store):
    """Pairs of open ideas that may be one, best first, the older idea as `a`; as of
    `computed_at`, and `pending` while a newer computation runs (latest_pairs.py)."""
    pairs, after, computed_at, pending = store.possible_duplicates(query["limit"],
                                                                   query.get("cursor"))
    return {"items": [{"a": _pair_side(older), "b": _pair_side(newer), "score": score}
                      for score, older, newer in pairs], "next_cursor": after,
            "computed_at": computed_at, "pending": pending}


def _pair_side(row):
    return {"id": row.id, "title": row.title, "unit": row.unit, "vote_count": row.vote_count,
            "created_at": row.created_at}


def dismiss_duplicate(a, b, by, store, now):
    """Not a duplicate: the pair leaves the list for good (IdeaNotFound if either is unknown)."""
    record = store.dismiss_pair(store.get(a), store.get(b), by, now)
    return {k: record[k] for k in ("a", "b", "by", "at")}


def moderation_log(store, limit=100):
    return {"items": [{k: v for k, v in e.items() if k != "_id"} | {"event_id": e["_id"]}
                      for e in store.log_entries(limit)]}


# Acts of moderation, as the log tells them (from the ideas service's own events).
LOGGED = {"idea.status_changed": "answer", "idea.merged": "merge", "idea.unmerged": "unmerge",
          "idea.hidden": "hide", "idea.restored": "restore", "comment.hidden": "hide_comment",
          "idea.reports_dismissed": "dismiss", "idea.contested": "contest",
          "comment.reports_dismissed": "dismiss_comment"}


def on_moderation_event(name, payload, envelope, store, rows):
    """Every moderation act goes to the append-only log exactly once (keyed by event id)."""
    action = "confirm" if payload.get("confirmed") else LOGGED[name]
    entry = {"_id": envelope["id"], "at": envelope["time"], "action": action,
             "idea_id": payload["idea_id"], "title": payload["idea"]["title"],
             "by": payload.get("by"),
             "why": (payload.get("note") or payload.get("reason") or payload.get("text")
                     or ""),
             "status": payload["idea"]["status"]}
    if name == "idea.merged":
        entry |= {"into": payload["into"], "into_title": payload.get("into_title", "")}
    store.log(entry)
    rows.publish(payload["idea_id"])
