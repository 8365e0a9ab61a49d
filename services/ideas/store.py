"""Where ideas live: the ideas database.
- `ideas`: one document per idea, with its pending events (shared.outbox); the API writes its
  text and status, the consumer its counts and trend (fields apart, so neither overwrites
  the other's);
- `comments`, `flags` (one per person and idea, by a unique `_id`), `moderation_log` (one
  entry per event id);
- `supporters`: per (idea, person), the newest vote event counted (shared.tally);
- `dismissed_pairs`: the pairs of ideas a moderator said are not duplicates, one per pair by
  a unique `_id` (the sorted ids), so that two clicks or two moderators make one."""
from bisect import bisect_right
from collections import Counter

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from shared import mongo, outbox, tally
from shared.events import OPEN_FOR_VOTES
from services.ideas import moderation, stats
from services.ideas.catalogue import Catalogue, Row
from services.ideas.duplicates import pair_key
from services.ideas.latest_pairs import EVERY, LatestPairs
from services.ideas.domain import IdeaNotFound

# Large or internal fields a page never shows.
_HIDDEN = {"search": False, "meaning": False, "words": False, outbox.FIELD: False}
_LISTED = {"meaning": False, "words": False, outbox.FIELD: False}

# Each query and the index that serves it on MongoDB. The embedded engine of the local stack
# uses none but `_id` (README): lists, search and the queue come from the catalogue there.
INDEXES = {
    "ideas": [[("outbox.at", ASCENDING)]],
    "campaigns": [[("outbox.at", ASCENDING)]],
    "comments": [[("idea_id", ASCENDING), ("created_at", ASCENDING)],
                 [("idea_id", ASCENDING), ("hidden", ASCENDING)]],
    "flags": [[("idea_id", ASCENDING), ("at", ASCENDING)]],
    "moderation_log": [[("at", DESCENDING)]],
}
OUTBOX = ("ideas", "campaigns")
# What the consumer reads of an idea to compute its trend.
HEAT_FIELDS = ("created_at", "support_heat", "comment_heat")


def ensure_indexes(db):
    mongo.create_indexes(db, INDEXES)


def _open(row):
    return row is not None and row.status in OPEN_FOR_VOTES


class IdeaStore:
    def __init__(self, db, feed, duplicates_every=EVERY):
        """`feed`: where the catalogue's rows come from (listing.RowFeed in a process);
        `duplicates_every`: seconds between two computations of the possible duplicates."""
        self.db = db
        self.collection = db.ideas
        self.catalogue = Catalogue(feed)
        self.pairs = LatestPairs(self.catalogue, every=duplicates_every)

    def add(self, idea, events):
        """Insert a new idea with its events, in one write."""
        self.collection.insert_one({**idea, "rev": 1, outbox.FIELD: outbox.pending(events)})
        self.catalogue.record({**idea, "rev": 1})

    def get(self, idea_id, full=False):
        doc = self.collection.find_one({"_id": idea_id}, None if full else _HIDDEN)
        if doc is None:
            raise IdeaNotFound(idea_id)
        return doc

    def change(self, idea_id, decide, silent=False):
        """`decide(idea)` changes the idea in place and returns its events; [] leaves it.
        The change and its events are one conditional write (shared.mongo.change).
        `silent`: a change no other service needs to hear of; `decide` returns whether it
        changed anything."""
        produced = []

        def decision(idea):
            idea.pop(outbox.FIELD, None)
            changed = decide(idea)
            produced[:] = [] if silent else changed
            return idea if changed else None
        current, idea = mongo.change(self.collection, idea_id, decision,
                                     extra=lambda _: outbox.push(produced))
        if current is None:
            raise IdeaNotFound(idea_id)
        if idea is None:
            return self.get(idea_id), []
        self.catalogue.record(idea)
        return idea, produced

    def add_comment(self, comment):
        self.db.comments.insert_one(comment)

    def comment(self, idea_id, comment_id):
        return self.db.comments.find_one({"_id": comment_id, "idea_id": idea_id})

    def hide_comment(self, comment_id, reason, by):
        self.db.comments.update_one({"_id": comment_id}, {"$set": {
            "hidden": True, "hidden_reason": reason, "hidden_by": by}})

    def comments(self, idea_id):
        return list(self.db.comments.find({"idea_id": idea_id}).sort(
            [("created_at", ASCENDING), ("_id", ASCENDING)]))

    def visible_comments(self, idea_id):
        return self.db.comments.count_documents({"idea_id": idea_id, "hidden": False,
                                                 "deleted": {"$ne": True}})

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
            reason = moderation.waiting_for(row.status, row.pending_flags, row.contested)
            return reason is not None and why in (None, reason)
        rows = self.catalogue.page("new", after, accepts, limit + 1, ascending=True)
        ideas = self._by_ids([row.id for row in rows[:limit]])
        return ideas, (list(rows[limit - 1].key("new")) if len(rows) > limit else None)

    def waiting_counts(self):
        """How many ideas wait for a moderator, by reason."""
        reasons = Counter(moderation.waiting_for(row.status, row.pending_flags, row.contested)
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

    # possible duplicates: computed from the catalogue, less the pairs dismissed
    def possible_duplicates(self, limit, after=None):
        """A page of pairs of open ideas alike enough to be one, as (score, older row, newer
        row), best first, after the cursor `after` ([score, a, b] of the last pair seen); the
        cursor of the next page (None at the end); when the pairs were computed and whether a
        newer computation is under way (latest_pairs.py). Pairs come from the last computation,
        but are checked against the ideas as they are now: dismissed pairs, and those with an
        idea no longer open, are left out."""
        pairs, computed_at, pending = self.pairs.latest()
        dismissed = {doc["_id"] for doc in self.db.dismissed_pairs.find({}, {"_id": True})}
        start = 0 if after is None else bisect_right(
            pairs, (-after[0], after[1], after[2]), key=lambda p: (-p[0], p[1], p[2]))
        page, rows = [], self.catalogue.rows
        for score, a, b in pairs[start:]:
            if ":".join((a, b)) in dismissed or not (_open(rows.get(a)) and _open(rows.get(b))):
                continue
            if len(page) == limit:
                last = page[-1]
                return page, [last[0], *pair_key(last[1].id, last[2].id)], computed_at, pending
            older, newer = sorted((rows[a], rows[b]), key=lambda row: (row.created_at, row.id))
            page.append((score, older, newer))
        return page, None, computed_at, pending

    def dismiss_pair(self, a, b, by, now):
        """A moderator says ideas `a` and `b` (documents) are not duplicates: recorded once
        per pair, and once in the moderation log (by the pair, not an event: no other service
        needs to know). Returns the record, the first one if the pair was dismissed before."""
        a, b = sorted((a, b), key=lambda idea: idea["_id"])
        key = ":".join(pair_key(a["_id"], b["_id"]))
        record = {"_id": key, "a": a["_id"], "b": b["_id"], "by": by, "at": now}
        try:
            self.db.dismissed_pairs.insert_one(record)
        except DuplicateKeyError:
            record = self.db.dismissed_pairs.find_one({"_id": key}) or record
        self.log({"_id": f"not-duplicate:{key}", "at": record["at"], "action": "not_duplicate",
                  "idea_id": a["_id"], "title": a["title"], "by": record["by"], "why": "",
                  "status": a["status"], "other": b["_id"], "other_title": b["title"]})
        return record

    def list(self, sort, limit, after=None, accepts=lambda row: True):
        """One page in `sort` order, starting after the sort key `after` of the last item
        seen, and the key that starts the next page (None at the end). Keyset pagination:
        ideas arriving meanwhile neither shift nor repeat items. `accepts(row)` filters on
        the catalogue's rows (see domain.list_filter)."""
        rows = self.catalogue.page(sort, after, accepts, limit + 1)
        page = rows[:limit]
        # The ideas as they are now; one changed since its row was read is checked again.
        ideas = [idea for idea in self._by_ids([row.id for row in page])
                 if accepts(Row.of(idea))]
        return ideas, (list(page[-1].key(sort)) if len(rows) > limit else None)

    def previous(self, sort, limit, after, accepts):
        """The key that starts the page before the one starting after `after`: that page's
        ideas are the `limit` accepted ones from `after` up, so the key is of the accepted
        idea just above them; None when that page is the first."""
        rows = self.catalogue.page(sort, after, accepts, limit + 1, ascending=True,
                                   inclusive=True)
        return list(rows[limit].key(sort)) if len(rows) > limit else None

    def count(self, accepts, narrowed_by=(), all_but_hidden=False):
        """How many ideas a list's filter accepts (Catalogue.count)."""
        return self.catalogue.count(accepts, narrowed_by, all_but_hidden)

    def facets(self, campaign_id=None):
        """The units and tags in use, with their counts (Catalogue.facets)."""
        units, tags = self.catalogue.facets(campaign_id)
        return {"units": units, "tags": tags}

    def row(self, idea_id):
        """The idea's row in the catalogue (as of its last sync), or None."""
        return self.catalogue.rows.get(idea_id)

    def ideas_of(self, ids, fields=None):
        """The ideas of `ids`, in that order, in one round trip; only `fields` if given."""
        return self._by_ids(ids, dict.fromkeys(fields, True) if fields else _LISTED)

    def ideas_of_call(self, campaign_id, statuses):
        """The ideas of a call in `statuses`, found by the catalogue's rows and read in one
        round trip; a row behind its idea is checked against the idea as it is now."""
        ids = [row.id for row in self.catalogue.all()
               if row.campaign_id == campaign_id and row.status in statuses]
        return [idea for idea in self._by_ids(ids) if idea["status"] in statuses]

    def key_at(self, sort, accepts, position):
        """The sort key of the accepted idea at `position` (from 0) of a list."""
        rows = self.catalogue.page(sort, None, accepts, position + 1)
        return list(rows[position].key(sort)) if len(rows) > position else None

    def _by_ids(self, ids, projection=_LISTED):
        """The ideas of `ids`, in that order, in one round trip."""
        found = {doc["_id"]: doc for doc in self.collection.find({"_id": {"$in": ids}},
                                                                 projection)}
        return [found[i] for i in ids if i in found]

    # the consumer's side: counts and trend, each event counted once (shared.tally)
    def fold_votes(self, changes, counted):
        """Vote events of one partition. `counted(idea, moves)`: the fields that change with
        the idea's count. Returns the ids of the ideas whose count moved."""
        def also(idea, moves):
            if idea is None:
                return {}
            # The weeks of the supports move with the count, under the same fence.
            return {"$set": counted(idea, moves),
                    "$inc": {"rev": 1, **stats.support_week_moves(moves)}}
        return list(tally.fold_votes(self.db.supporters, self.collection, changes, also=also,
                                     fields=HEAT_FIELDS))

    def fold_comment(self, idea_id, envelope, counted):
        """A comment's heat, once per event: fenced by the comment event's offset."""
        idea = self.collection.find_one({"_id": idea_id}, dict.fromkeys(HEAT_FIELDS, True))
        if idea is None:
            return
        offset = envelope["position"]["offset"]
        self.collection.update_one(
            {"_id": idea_id, "comments_offset": {"$not": {"$gte": offset}}},
            {"$set": {**counted(idea, envelope["time"]), "comments_offset": offset},
             "$inc": {"rev": 1}})

    def forget_votes(self, forgotten):
        """Before a replay: every idea's counts as before any event."""
        self.db.supporters.drop()
        for idea in self.collection.find({}, {"created_at": True}):
            self.collection.update_one({"_id": idea["_id"]},
                                       {"$set": forgotten(idea), "$inc": {"rev": 1}})
