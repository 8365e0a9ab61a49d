"""Ideas: what an idea is, how it moves between statuses, and the events it produces.
Pure: no Flask, pymongo or Kafka here."""
import uuid

from shared.text import fold
from services.ideas import implementation, meaning, search, trending

SOURCE = "/ideahub/ideas"

# Public fields of an idea, in the order of the API contract.
PUBLIC_FIELDS = ("id", "title", "body", "tags", "unit", "author", "status", "status_note",
                 "merged_into", "vote_count", "comment_count", "created_at", "updated_at",
                 "campaign_id")


# The orders a list can take: the fields of each, all descending; the id breaks ties.
SORTS = {
    "new": (("created_at", str), ("_id", str)),
    "top": (("vote_count", int), ("created_at", str), ("_id", str)),
    "trending": (("trend", float), ("created_at", str), ("_id", str)),
    "discussed": (("comment_count", int), ("created_at", str), ("_id", str)),
}


class IdeaNotFound(Exception):
    pass


class CommentNotFound(Exception):
    pass


class ReplyRefused(Exception):
    """A reply whose parent cannot take one (HTTP 422 on `parent_id`)."""


def new_comment(idea_id, body, author, now, parent_id=None):
    return {"_id": uuid.uuid4().hex, "idea_id": idea_id, "author": author, "body": body,
            "created_at": now, "hidden": False, "hidden_reason": "", "hidden_by": None,
            "parent_id": parent_id}


def check_parent(parent):
    """May a reply go under `parent` (the comment of the same idea that `parent_id` names, as
    stored, or None)? Replies go one level deep: a reply to a reply is refused, so a thread
    stays readable on a phone."""
    if parent is None:
        raise ReplyRefused("Le commentaire auquel vous répondez n'existe pas sur cette idée.")
    if parent["hidden"]:
        raise ReplyRefused("Ce commentaire a été masqué par la modération : on ne peut plus "
                           "y répondre.")
    if parent.get("deleted"):
        raise ReplyRefused("Ce commentaire a été supprimé par son auteur : on ne peut plus "
                           "y répondre.")
    if parent.get("parent_id"):
        raise ReplyRefused("On ne peut pas répondre à une réponse : répondez au commentaire "
                           "qu'elle suit.")


def public_comment(comment, moderator=False):
    """A comment as shown: a hidden one keeps its place but not its text (but for moderators);
    a deleted one keeps its place, its text gone for everyone; an edited one says when."""
    deleted = comment.get("deleted", False)
    shown = {"id": comment["_id"], "author": comment["author"], "created_at": comment["created_at"],
             "hidden": comment["hidden"], "parent_id": comment.get("parent_id"),
             "deleted": deleted, "edited_at": comment.get("edited_at")}
    if not deleted and (not comment["hidden"] or moderator):
        shown["body"] = comment["body"]
    if comment["hidden"] and moderator:
        shown["hidden_reason"] = comment["hidden_reason"]
    return shown


def recount_comments(idea, visible, now):
    """The idea's comment_count is the number of visible comments, counted, not added up:
    a change that died half-way is put right by the next one."""
    idea.update(comment_count=visible, updated_at=now, version=idea["version"] + 1)


def list_filter(query, me):
    """The conditions of GET /api/ideas, as a test of a catalogue row: status (hidden ideas
    only when asked for by status, i.e. by moderators, or among one's own ideas: an author
    sees theirs hidden), tag (any case or accent), unit, author=me, call for ideas, and the
    search terms of `q`."""
    status, unit = query.get("status"), query.get("unit")
    tag = fold(query["tag"]) if query.get("tag") else None
    mine = query.get("author") == "me"
    campaign = query.get("campaign")
    wanted = search.query_terms(query["q"]) if query.get("q") else []

    def accepts(row):
        return ((row.status == status) if status else (mine or row.status != "hidden")) \
            and (tag is None or tag in row.tag_keys) \
            and (unit is None or row.unit == unit) \
            and (not mine or row.author_id == me) \
            and (campaign is None or row.campaign_id == campaign) \
            and (not wanted or search.matches(wanted, row.terms))
    return accepts


def list_narrowing(query):
    """What the catalogue's indexes know of a list's filter, so that counting its ideas scans
    the fewest rows: the (index, value) pairs it names (status, unit, tag key), and whether
    it is the default filter alone (every idea but hidden ones)."""
    narrowed = [(name, fold(query[name]) if name == "tag" else query[name])
                for name in ("status", "unit", "tag") if query.get(name)]
    return narrowed, not narrowed and not query.get("q") and query.get("author") != "me" \
        and not query.get("campaign")


def is_cursor_of(sort, after):
    """A page cursor holds the sort key of the last idea seen, for this very sort."""
    fields = SORTS[sort]
    return len(after) == len(fields) and all(
        isinstance(value, kind) and not isinstance(value, bool)
        for value, (_, kind) in zip(after, fields))


def new_idea_id():
    return uuid.uuid4().hex


def new_idea(idea_id, title, body, tags, author, unit, now, campaign_id=None):
    return {
        "_id": idea_id,
        "campaign_id": campaign_id,
        "title": title,
        "body": body,
        "tags": unique_tags(tags),
        "unit": unit,
        "author": author,
        "status": "submitted",
        "status_note": "",
        "merged_into": None,
        "vote_count": 0,
        "comment_count": 0,
        "created_at": now,
        "updated_at": now,
        "version": 1,
        "search": search.search_field(title, body, tags).split(),
        "meaning": meaning.pack(meaning.of_idea(title, body)),
        "words": meaning.words_of_idea(title, body),
        "tag_keys": [fold(t) for t in unique_tags(tags)],
        "trend": trending.trend(now, None, None),
        "support_heat": None,
        "comment_heat": None,
        # The offsets of the last vote event and comment event counted (shared.tally).
        "votes_offset": -1,
        "comments_offset": -1,
        "timeline": [],
    }


def reindex(idea):
    """The fields derived from the text, after it changed."""
    idea["tags"] = unique_tags(idea["tags"])
    idea["search"] = search.search_field(idea["title"], idea["body"], idea["tags"]).split()
    idea["meaning"] = meaning.pack(meaning.of_idea(idea["title"], idea["body"]))
    idea["words"] = meaning.words_of_idea(idea["title"], idea["body"])
    idea["tag_keys"] = [fold(t) for t in idea["tags"]]


def unique_tags(tags):
    """Tags compare without case or accents; the first spelling given is kept."""
    seen, kept = set(), []
    for tag in tags:
        if fold(tag) not in seen:
            seen.add(fold(tag))
            kept.append(tag)
    return kept


def snapshot(idea):
    """What every idea event carries of the idea, so readers never depend on event order."""
    return {
        "title": idea["title"],
        "tags": idea["tags"],
        "unit": idea["unit"],
        "status": idea["status"],
        "author": idea["author"],
        "created_at": idea["created_at"],
        "pending_flags": idea.get("pending_flags", 0),
        "campaign_id": idea.get("campaign_id"),
    }


def event_data(idea, **fields):
    """The payload of an idea event: the idea's id, version and snapshot, plus `fields`."""
    return {"idea_id": idea["_id"], "version": idea["version"], "idea": snapshot(idea),
            **fields}


def counted_votes(idea, moves):
    """The fields the ideas consumer sets with changes of the count (shared.tally): the
    supports' heat and the trend. `moves`: (delta, supporter as recorded before, envelope)."""
    heat = idea.get("support_heat")
    for delta, known, envelope in moves:
        if delta > 0:
            heat = trending.add_support(heat, envelope["time"])
        elif known is not None and known.get("at"):
            heat = trending.remove_support(heat, known["at"])
    return {"support_heat": heat,
            "trend": trending.trend(idea["created_at"], heat, idea.get("comment_heat"))}


def counted_comment(idea, at):
    """The fields the ideas consumer sets when a comment adds to the idea's heat."""
    heat = trending.add_comment(idea.get("comment_heat"), at)
    return {"comment_heat": heat,
            "trend": trending.trend(idea["created_at"], idea.get("support_heat"), heat)}


def forgotten_votes(idea):
    """The fields of an idea before any vote event (a replay starts from there)."""
    return {"vote_count": 0, "support_heat": None, "votes_offset": -1, "comments_offset": -1,
            "comment_heat": None, "trend": trending.trend(idea["created_at"], None, None),
            "support_weeks": {}}


def public(idea):
    """An idea as its readers may see it; a hidden one also says why, and whether its
    author contested (the API shows a hidden idea to moderators and its author only)."""
    view = {name: idea.get(name) for name in PUBLIC_FIELDS if name != "id"}
    hiding = ({"hidden_reason": idea.get("hidden_reason", ""), "contest": idea.get("contest")}
              if idea["status"] == "hidden" else {})
    return {"id": idea["_id"], **view, "timeline": idea.get("timeline", []),
            "history": idea.get("history", []),
            "implementation": implementation.public(idea.get("implementation")), **hiding}
