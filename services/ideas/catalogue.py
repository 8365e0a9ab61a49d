"""The catalogue: every idea's listing fields, in memory, kept in each sort's order.

Why: FerretDB v1 sorts and filters nothing but an `_id` lookup, so a page of GET /api/ideas
read every idea (about 0.3 ms each: 30 s at 100,000 ideas). Each process that serves lists
keeps instead, per idea, the few fields a list filters and sorts on, and one sorted key list
per sort; a page walks a sorted list from the cursor and fetches its ideas by `_id`.

How it stays true: each write of an idea, under the idea's lease, also writes the idea's row
to the `catalogue` collection and appends it to the `catalogue_journal` (shared.journal).
A process loads the collection once, then reads the journal from where it was, before each
list and every second in the background. Rows come in the order of the ideas' writes, as the
journal is appended under the same lease.

On MongoDB itself, indexes would serve the same pages; this works on both.
"""
import logging
import threading

from sortedcontainers import SortedList

from shared.journal import Journal
from services.ideas import domain
from services.ideas.domain import SORTS

log = logging.getLogger(__name__)

# Past this many journal entries behind, a process reloads the collection rather than
# reading the entries one by one (about 1 ms each on FerretDB).
RELOAD_ABOVE = 3000
# Journal entries kept for processes that were away (trimmed by the ideas consumer).
KEEP = 100_000


class Row:
    """What a list needs of an idea to filter and sort it, and `similar` to score it."""
    __slots__ = ("id", "title", "status", "unit", "tag_keys", "author_id", "created_at",
                 "vote_count", "trend", "comment_count", "terms", "pending_flags")

    def __init__(self, doc):
        self.id = doc["_id"]
        for name in self.__slots__[1:]:
            setattr(self, name, doc[name])
        self.tag_keys = frozenset(self.tag_keys)
        self.terms = frozenset(self.terms)

    def key(self, sort):
        return tuple(getattr(self, "id" if name == "_id" else name) for name, _ in SORTS[sort])


def row_of(idea):
    """The row of an idea document, as the catalogue collection and journal store it. Ideas
    stored by earlier versions may lack derived fields: they are derived again."""
    if not isinstance(idea.get("search"), list) or "tag_keys" not in idea or "trend" not in idea:
        idea = {"supporters": {}, "comment_heat": None, **idea}
        domain.reindex(idea)
        domain.rescore(idea)
    return {"_id": idea["_id"], "title": idea["title"], "status": idea["status"],
            "unit": idea["unit"], "tag_keys": idea["tag_keys"],
            "author_id": idea["author"]["id"], "created_at": idea["created_at"],
            "vote_count": idea["vote_count"], "trend": idea["trend"],
            "comment_count": idea["comment_count"], "terms": idea["search"],
            "pending_flags": idea.get("pending_flags", 0)}


class Catalogue:
    def __init__(self, db):
        self.db = db
        self.collection = db.catalogue
        self.journal = Journal(db.catalogue_journal)
        self.lock = threading.RLock()
        self.rows = None  # id -> Row, once loaded
        self.orders = {}
        self.position = 0  # the last journal entry applied

    # the writing side, under the idea's lease
    def record(self, idea):
        row = row_of(idea)
        self.collection.replace_one({"_id": row["_id"]}, row, upsert=True)
        self.journal.append({"row": row})

    # the reading side
    def page(self, sort, after, accepts, count):
        """Up to `count` rows in `sort` order, after the sort key `after` (None: from the
        top), among those that `accepts(row)`."""
        self.sync()
        with self.lock:
            keys = self.orders[sort]
            found = (keys.irange(maximum=tuple(after), inclusive=(True, False), reverse=True)
                     if after is not None else reversed(keys))
            rows = []
            for key in found:
                row = self.rows[key[-1]]
                if accepts(row):
                    rows.append(row)
                    if len(rows) == count:
                        break
            return rows

    def all(self):
        self.sync()
        with self.lock:
            return list(self.rows.values())

    def sync(self):
        with self.lock:
            if self.rows is None or self.journal.start() > self.position + 1:
                return self._load()
            end = self.journal.end(self.position)
            if end - self.position > RELOAD_ABOVE:
                return self._load()
            for number in range(self.position + 1, end + 1):
                entry = self.journal.get(number)
                if entry is None:  # trimmed meanwhile: this process was far behind
                    return self._load()
                self._put(Row(entry["row"]))
                self.position = number

    def _load(self):
        position = self.journal.end()  # before the scan: later entries are read after it
        if self.collection.estimated_document_count() == 0:
            self._backfill()
        self.rows, self.orders = {}, {sort: SortedList() for sort in SORTS}
        for doc in self.collection.find({}):
            self._put(Row(doc))
        self.position = position
        log.info("catalogue loaded: %d ideas, journal at %d", len(self.rows), position)

    def _backfill(self):
        """Ideas stored before the catalogue existed get their rows, once."""
        for idea in self.db.ideas.find({}, {"timeline": False, "history": False}):
            self.collection.replace_one({"_id": idea["_id"]}, row_of(idea), upsert=True)

    def _put(self, row):
        old = self.rows.get(row.id)
        for sort, keys in self.orders.items():
            if old is not None:
                keys.remove(old.key(sort))
            keys.add(row.key(sort))
        self.rows[row.id] = row

    def follow(self, stopping, interval=1.0):
        """Read the journal in the background, so a list rarely has entries to catch up on."""
        while not stopping.wait(interval):
            try:
                self.sync()
            except Exception:  # the store away: the next list or round tries again
                log.warning("catalogue: journal not read", exc_info=True)
