"""The catalogue: every idea's listing fields, in memory, kept in each sort's order.

Why: FerretDB v1 sorts and filters nothing but an `_id` lookup, so a page of GET /api/ideas
read every idea (about 0.3 ms each: 30 s at 100,000 ideas). Each process that serves lists
keeps instead, per idea, the few fields a list filters and sorts on, and one sorted key list
per sort; a page walks a sorted list from the cursor and fetches its ideas by `_id`.

How it stays true: each write of an idea, under the idea's lease, appends the idea's row to
the `catalogue_journal` (shared.journal), so rows come in the order of each idea's writes.
A process starts from the latest snapshot, then reads the journal from the snapshot's
position, before each list and every second in the background. The ideas consumer writes a
snapshot when the journal has grown (`keep_snapshot`) and trims the entries it covers.
A snapshot is a few documents of rows packed as JSON text: FerretDB reads one large document
far faster than many small ones (100,000 rows: about 1.3 s in 50 chunks, 25 s one by one).

On MongoDB itself, indexes would serve the same pages; this works on both.
"""
import json
import logging
import threading

from sortedcontainers import SortedList

from shared.journal import Journal
from services.ideas import domain, search
from services.ideas.domain import SORTS
from services.ideas.similar_index import SimilarIndex

log = logging.getLogger(__name__)

# Past this many journal entries behind a newer snapshot, a process reloads rather than
# reading the entries one by one (about 1 ms each on FerretDB).
RELOAD_ABOVE = 3000
# Ideas no longer offered as possible duplicates of a draft.
NOT_SIMILAR = ("hidden", "withdrawn", "duplicate")
# The consumer writes a snapshot once the journal has this many entries past the last one.
SNAPSHOT_AFTER = 1000
ROWS_PER_CHUNK = 2000
POINTER = "latest"


class Row:
    """What a list needs of an idea to filter and sort it, and `similar` to score it."""
    __slots__ = ("id", "title", "status", "unit", "tag_keys", "author_id", "created_at",
                 "vote_count", "trend", "comment_count", "terms", "pending_flags")

    def __init__(self, values):
        for name, value in zip(self.__slots__, values):
            setattr(self, name, value)
        self.tag_keys = frozenset(self.tag_keys)
        self.terms = frozenset(self.terms)

    @classmethod
    def of(cls, idea):
        return cls(values_of(idea))

    def values(self):
        return [sorted(value) if isinstance(value, frozenset) else value
                for value in map(self.__getattribute__, self.__slots__)]

    def key(self, sort):
        return tuple(getattr(self, "id" if name == "_id" else name) for name, _ in SORTS[sort])


def values_of(idea):
    """An idea's row, as the journal and snapshots store it: values in Row's order. Ideas
    stored by earlier versions may lack derived fields: they are derived again."""
    if not isinstance(idea.get("search"), list) or "tag_keys" not in idea or "trend" not in idea:
        idea = {"supporters": {}, "comment_heat": None, **idea}
        domain.reindex(idea)
        domain.rescore(idea)
    return [idea["_id"], idea["title"], idea["status"], idea["unit"], idea["tag_keys"],
            idea["author"]["id"], idea["created_at"], idea["vote_count"], idea["trend"],
            idea["comment_count"], idea["search"], idea.get("pending_flags", 0)]


class Catalogue:
    def __init__(self, db):
        self.journal = Journal(db.catalogue_journal)
        self.snapshots = db.catalogue_snapshots
        self.lock = threading.RLock()
        self.rows = None  # id -> Row, once loaded
        self.orders = {}
        self.similar_index = None  # built at the first `similar`
        self.position = 0  # the last journal entry applied

    # the writing side, under the idea's lease
    def record(self, idea):
        # As JSON text: FerretDB v1 stores no array inside an array.
        self.journal.append({"row": json.dumps(values_of(idea), ensure_ascii=False)})

    # the reading side
    def page(self, sort, after, accepts, count, ascending=False):
        """Up to `count` rows in `sort` order (descending, unless `ascending`), after the sort
        key `after` (None: from the start), among those that `accepts(row)`."""
        self.sync()
        with self.lock:
            keys = self.orders[sort]
            if after is None:
                found = iter(keys) if ascending else reversed(keys)
            elif ascending:
                found = keys.irange(minimum=tuple(after), inclusive=(False, True))
            else:
                found = keys.irange(maximum=tuple(after), inclusive=(True, False), reverse=True)
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

    def similar(self, text, limit):
        """Ideas close to a draft, among those still open to discussion (search.py)."""
        self.sync()
        with self.lock:
            if self.similar_index is None:
                self.similar_index = SimilarIndex()
                for row in self.rows.values():
                    self._index_similar(row)
            offered = [self.rows[idea_id] for idea_id in
                       self.similar_index.candidates(search.terms(text))]
        return search.most_similar(text, ({"id": row.id, "title": row.title, "terms": row.terms}
                                          for row in offered), limit=limit)

    def _index_similar(self, row):
        self.similar_index.put(row.id, () if row.status in NOT_SIMILAR else row.terms)

    def sync(self):
        with self.lock:
            if self.rows is None or self.journal.start() > self.position + 1:
                return self._load()
            end = self.journal.end(self.position)
            if end - self.position > RELOAD_ABOVE and self._latest()["position"] > self.position:
                return self._load()
            self._read_journal(end)

    def _read_journal(self, end):
        for number in range(self.position + 1, end + 1):
            entry = self.journal.get(number)
            if entry is None:  # trimmed meanwhile: this process was far behind
                return self._load()
            self._put(Row(json.loads(entry["row"])))
            self.position = number

    def _load(self):
        """The latest snapshot, then the journal after it."""
        while True:
            latest = self._latest()
            chunks = [self.snapshots.find_one({"_id": name}) for name in latest["chunks"]]
            if all(chunks):
                break  # else a newer snapshot replaced this one while it was read
        rows = (Row(values) for chunk in chunks for values in json.loads(chunk["rows"]))
        self.rows = {row.id: row for row in rows}
        # One sort per order rather than an insertion per row: several times faster.
        self.orders = {sort: SortedList(row.key(sort) for row in self.rows.values())
                       for sort in SORTS}
        self.similar_index = None
        self.position = latest["position"]
        # From the start if a newer snapshot has trimmed past this one meanwhile: the first
        # entry is then missing, and _read_journal loads that newer snapshot.
        self._read_journal(self.journal.end(max(self.position, self.journal.start() - 1)))
        log.info("catalogue loaded: %d ideas, journal at %d", len(self.rows), self.position)

    def _latest(self):
        return self.snapshots.find_one({"_id": POINTER}) or {"position": 0, "chunks": []}

    def _put(self, row):
        old = self.rows.get(row.id)
        for sort, keys in self.orders.items():
            if old is not None:
                keys.remove(old.key(sort))
            keys.add(row.key(sort))
        self.rows[row.id] = row
        if self.similar_index is not None:
            self._index_similar(row)

    def follow(self, stopping, interval=1.0):
        """Read the journal in the background, so a list rarely has entries to catch up on."""
        while not stopping.wait(interval):
            try:
                self.sync()
            except Exception:  # the store away: the next list or round tries again
                log.warning("catalogue: journal not read", exc_info=True)

    # snapshots, written by one process: the ideas consumer
    def snapshot_if_grown(self):
        """Write a snapshot if the journal grew by SNAPSHOT_AFTER since the last one, then
        trim the entries it covers. Returns the position of the latest snapshot."""
        self.sync()
        with self.lock:
            position = self._latest()["position"]
            if self.position - position >= SNAPSHOT_AFTER:
                position = self.write_snapshot([row.values() for row in self.rows.values()],
                                               self.position)
        self.journal.trim(position)
        return position

    def write_snapshot(self, rows, position):
        """`rows` (lists of values) are the catalogue as of journal entry `position`."""
        latest = self._latest()
        names = [f"{position}:{n}" for n in range(0, len(rows), ROWS_PER_CHUNK)]
        for name, n in zip(names, range(0, len(rows), ROWS_PER_CHUNK)):
            self.snapshots.replace_one({"_id": name}, {"_id": name, "rows": json.dumps(
                rows[n:n + ROWS_PER_CHUNK], ensure_ascii=False)}, upsert=True)
        self.snapshots.replace_one({"_id": POINTER}, {
            "_id": POINTER, "position": position, "chunks": names,
            "previous": latest["chunks"]}, upsert=True)
        # The previous snapshot's chunks may still be read by a process loading it.
        for name in latest.get("previous", []):
            self.snapshots.delete_one({"_id": name})
        return position
