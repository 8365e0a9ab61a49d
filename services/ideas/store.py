"""Where ideas live: the `ideas` collection of the ideas database."""
from collections import Counter

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from services.ideas import moderation
from services.ideas.catalogue import Catalogue, Row
from services.ideas.domain import IdeaNotFound

# Large or internal fields a list or a page never shows.
_HIDDEN = {"supporters": False, "search": False, "outbox_ids": False}
_LISTED = {"supporters": False, "outbox_ids": False}


def ensure_indexes(db):
    db.flags.create_index([("idea_id", ASCENDING), ("at", ASCENDING)])
    db.moderation_log.create_index([("at", DESCENDING)])
    db.comments.create_index([("idea_id", ASCENDING), ("created_at", ASCENDING)])


class IdeaStore:
    def __init__(self, db, outbox):
        self.db = db
        self.collection = db.ideas
        self.outbox = outbox
        self.catalogue = Catalogue(db)

    def add(self, idea, events):
        self.outbox.add("ideas", idea, events)
        self.catalogue.record(idea)

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
        return self.outbox.change("ideas", idea_id, decision, written=self.catalogue.record)

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
        return self.catalogue.similar(text, limit)

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

    def awaiting_moderation(self, why=None, limit=50, after=None):
        """A page of the ideas waiting for a moderator (for `why`, one of
        moderation.WAITING, or any reason), oldest first, after the key `after` of the "new"
        order; and the key that starts the next page (None at the end)."""
        def accepts(row):
            reason = moderation.waiting_for(row.status, row.pending_flags)
            return reason is not None and why in (None, reason)
        rows = self.catalogue.page("new", after, accepts, limit + 1, ascending=True)
        ideas = [self.get(row.id) for row in rows[:limit]]
        return ideas, (list(rows[limit - 1].key("new")) if len(rows) > limit else None)

    def waiting_counts(self):
        """How many ideas wait for a moderator, by reason."""
        reasons = Counter(moderation.waiting_for(row.status, row.pending_flags)
                          for row in self.catalogue.all())
        return {reason: reasons[reason] for reason in moderation.WAITING}

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
                           lambda idea: (idea, []) if idea is not None and apply(idea) else None,
                           written=self.catalogue.record)

    def record_row(self, idea_id):
        """Write the idea's catalogue row again, from the idea as stored."""
        self.outbox.change("ideas", idea_id, lambda idea: (idea, []) if idea else None,
                           written=self.catalogue.record)

    def backfill_catalogue(self):
        """Ideas stored before the catalogue existed get their rows, once."""
        if self.catalogue.journal.end() == 0 and self.collection.find_one({}, {"_id": True}):
            for idea_id in self.ids():
                self.record_row(idea_id)

    def list(self, sort, limit, after=None, accepts=lambda row: True):
        """One page in `sort` order, starting after the sort key `after` of the last item
        seen, and the key that starts the next page (None at the end). Keyset pagination:
        ideas arriving meanwhile neither shift nor repeat items. `accepts(row)` filters on
        the catalogue's rows (see domain.list_filter)."""
        rows = self.catalogue.page(sort, after, accepts, limit + 1)
        page = rows[:limit]
        # The ideas as they are now; one changed since its row was read is checked again.
        found = (self.collection.find_one({"_id": row.id}, _LISTED) for row in page)
        ideas = [idea for idea in found if idea and accepts(Row.of(idea))]
        return ideas, (list(page[-1].key(sort)) if len(rows) > limit else None)
