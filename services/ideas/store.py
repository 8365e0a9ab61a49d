"""Where ideas live: the `ideas` collection of the ideas database."""
from pymongo import ASCENDING, DESCENDING

from services.ideas.domain import SORTS, IdeaNotFound

# Large or internal fields a list or a page never shows.
_HIDDEN = {"supporters": False, "search": False, "outbox_ids": False}


def ensure_indexes(db):
    db.comments.create_index([("idea_id", ASCENDING), ("created_at", ASCENDING)])
    db.ideas.create_index([("created_at", DESCENDING), ("_id", DESCENDING)])
    db.ideas.create_index([("vote_count", DESCENDING), ("created_at", DESCENDING)])
    db.ideas.create_index([("status", ASCENDING)])


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

    def ids(self):
        return [doc["_id"] for doc in self.collection.find({}, {"_id": True})]

    def set_votes(self, idea_id, apply):
        """Fold a vote event into an idea with `apply(idea)` (True if it changed it)."""
        self.outbox.change("ideas", idea_id,
                           lambda idea: (idea, []) if idea is not None and apply(idea) else None)

    def list(self, sort, limit, after=None, status=None):
        """One page in `sort` order, starting after the sort key `after` of the last item
        seen, and the key that starts the next page (None at the end). Keyset pagination:
        ideas arriving meanwhile neither shift nor repeat items."""
        keys = [(name, DESCENDING) for name, _ in SORTS[sort]]
        clauses = [{"status": status}] if status else []
        if after is not None:
            clauses.append(_after(keys, after))
        query = {"$and": clauses} if clauses else {}
        items = list(self.collection.find(query, _HIDDEN).sort(keys).limit(limit + 1))
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
