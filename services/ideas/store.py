"""Where ideas live: the `ideas` collection of the ideas database."""
import itertools

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from services.ideas import moderation, search

from services.ideas.domain import SORTS, IdeaNotFound

# Large or internal fields a list or a page never shows.
_HIDDEN = {"supporters": False, "search": False, "outbox_ids": False}


def ensure_indexes(db):
    db.flags.create_index([("idea_id", ASCENDING), ("at", ASCENDING)])
    db.moderation_log.create_index([("at", DESCENDING)])
    db.comments.create_index([("idea_id", ASCENDING), ("created_at", ASCENDING)])
    db.ideas.create_index([("created_at", DESCENDING), ("_id", DESCENDING)])
    db.ideas.create_index([("vote_count", DESCENDING), ("created_at", DESCENDING)])
    db.ideas.create_index([("status", ASCENDING)])
    db.ideas.create_index([("trend", DESCENDING), ("created_at", DESCENDING)])
    db.ideas.create_index([("comment_count", DESCENDING), ("created_at", DESCENDING)])
    db.ideas.create_index([("tag_keys", ASCENDING)])


class IdeaStore:
    def __init__(self, db, outbox):
        self.db = db
        self.collection = db.ideas
        self.outbox = outbox

    def add(self, idea, events):
        self.outbox.add("ideas", idea, events)

    def get(self, idea_id, full=False):
        doc = self.collection.find_one({"_id": idea_id}, None if full else _HIDDEN)
        if doc is None:
            raise IdeaNotFound(idea_id)
        return doc

    def change(self, idea_id, decide):
        """`decide(idea)` changes the idea in place and returns its events; [] leaves it."""
        def decision(idea):
            if idea is None:
                raise IdeaNotFound(idea_id)
            events = decide(idea)
            return (idea, events) if events else None
        return self.outbox.change("ideas", idea_id, decision)

    def add_comment(self, comment):
        self.db.comments.insert_one(comment)

    def comment(self, idea_id, comment_id):
        return self.db.comments.find_one({"_id": comment_id, "idea_id": idea_id})

    def hide_comment(self, comment_id, reason, by):
        self.db.comments.update_one({"_id": comment_id}, {"$set": {
            "hidden": True, "hidden_reason": reason, "hidden_by": by}})

    def comments(self, idea_id):
        return sorted(self.db.comments.find({"idea_id": idea_id}),
                      key=lambda c: (c["created_at"], c["_id"]))

    def visible_comments(self, idea_id):
        return self.db.comments.count_documents({"idea_id": idea_id, "hidden": False})

    def similar(self, text, limit=5):
        """Ideas close to a draft, among those still open to discussion."""
        candidates = ({"id": i["_id"], "title": i["title"], "terms": i.get("search", [])}
                      for i in self.collection.find(
                          {"status": {"$nin": ["hidden", "withdrawn", "duplicate"]}},
                          {"title": True, "search": True}))
        return search.most_similar(text, candidates, limit=limit)

    # reports: one per person and idea, by the unique _id
    def add_flag(self, idea_id, person, reason, note, now):
        try:
            self.db.flags.insert_one({"_id": f"{idea_id}:{person['id']}", "idea_id": idea_id,
                                      "by": person, "reason": reason, "note": note, "at": now})
            return True
        except DuplicateKeyError:
            return False

    def pending_flags(self, idea_id, since):
        """Reports made after the last review (all of them if none)."""
        query = {"idea_id": idea_id, **({"at": {"$gt": since}} if since else {})}
        return list(self.db.flags.find(query))

    def awaiting_moderation(self):
        ideas = self.collection.find({"status": {"$in": ["hidden", "submitted"]}}, _HIDDEN)
        reported = self.collection.find({"pending_flags": {"$gt": 0}}, _HIDDEN)
        unique = {i["_id"]: i for i in [*ideas, *reported] if moderation.awaits_moderation(i)}
        return sorted(unique.values(), key=lambda i: (i["created_at"], i["_id"]))

    # the moderation log: one entry per event, whoever writes it first
    def log(self, entry):
        try:
            self.db.moderation_log.insert_one(entry)
        except DuplicateKeyError:
            pass

    def log_entries(self, limit):
        return list(self.db.moderation_log.find({}).sort([("at", DESCENDING)]).limit(limit))

    def ids(self):
        return [doc["_id"] for doc in self.collection.find({}, {"_id": True})]

    def set_votes(self, idea_id, apply):
        """Fold a vote event into an idea with `apply(idea)` (True if it changed it)."""
        self.outbox.change("ideas", idea_id,
                           lambda idea: (idea, []) if idea is not None and apply(idea) else None)

    def list(self, sort, limit, after=None, status=None, q=None, where=None):
        """One page in `sort` order, starting after the sort key `after` of the last item
        seen, and the key that starts the next page (None at the end). Keyset pagination:
        ideas arriving meanwhile neither shift nor repeat items. `where`: more conditions."""
        keys = [(name, DESCENDING) for name, _ in SORTS[sort]]
        # Hidden ideas are listed only when asked for by status (moderators).
        clauses = [{"status": status} if status else {"status": {"$ne": "hidden"}},
                   *(where or [])]
        if after is not None:
            clauses.append(_after(keys, after))
        wanted = search.query_terms(q) if q else []
        if wanted[:-1]:  # the last term may be a prefix: it is checked below
            clauses.append({"search": {"$all": wanted[:-1]}})
        query = {"$and": clauses} if clauses else {}
        shown = {k: v for k, v in _HIDDEN.items() if k != "search"} if wanted else _HIDDEN
        found = self.collection.find(query, shown).sort(keys)
        if wanted:
            found = (idea for idea in found if search.matches(wanted, idea["search"]))
        else:
            found = found.limit(limit + 1)
        items = [{k: v for k, v in idea.items() if k != "search"}
                 for idea in itertools.islice(found, limit + 1)]
        page = items[:limit]
        more = len(items) > limit
        return page, ([page[-1][name] for name, _ in keys] if more else None)


def _after(keys, values):
    """Documents strictly after `values` in the order `keys` (all descending)."""
    alternatives = []
    for i, (name, _) in enumerate(keys):
        same = {keys[j][0]: values[j] for j in range(i)}
        alternatives.append({**same, name: {"$lt": values[i]}})
    return {"$or": alternatives}
