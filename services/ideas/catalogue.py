"""The catalogue: every idea's listing fields, in memory, kept in each sort's order.

Why: the local stack's embedded engine uses no index but `_id`, so a filtered, sorted page
would read the whole collection (150 ms to 2 s at 100,000 ideas). Each process that serves
lists keeps instead, per idea, the few fields a list filters and sorts on, and one sorted key
list per sort; a page walks a sorted list from the cursor and fetches its ideas by `_id`.
The same rows serve search, similar ideas and the moderation queue.

Where the rows come from: the ideas consumer publishes an idea's row to the compacted topic
`idea-rows` (key: the idea's id) after each change it sees (listing.py); Kafka keeps the
latest row of every idea, so reading the topic from offset 0 is the snapshot, and reading on
is the change feed. A row carries the idea's `rev`: an older row never replaces a newer one.
"""
import logging
import threading
from collections import Counter, defaultdict

from sortedcontainers import SortedList

from services.ideas import duplicates, meaning, moderation, stats
from services.ideas.domain import SORTS
from services.ideas.similar_index import SimilarIndex
from shared.events import OPEN_FOR_VOTES
from shared.text import fold

log = logging.getLogger(__name__)

# Ideas no longer offered as possible duplicates of a draft.
NOT_SIMILAR = ("hidden", "withdrawn", "duplicate")
# A scope of `Catalogue.weeks` that any unit, or any call, falls in (None is a row's "no call").
ANY = object()


class Row:
    """What a list needs of an idea to filter and sort it, and `similar` to score it."""
    __slots__ = ("id", "title", "status", "unit", "tag_keys", "author_id", "created_at",
                 "vote_count", "trend", "comment_count", "terms", "pending_flags", "rev",
                 "contested", "tags", "meaning", "campaign_id", "first_answer_at",
                 "support_weeks", "words", "answer_wait")

    def __init__(self, values):
        # Rows published before contests existed, before ideas had a vector, before calls,
        # or before the figures (stats.py).
        self.contested, self.meaning, self.campaign_id = False, None, None
        self.first_answer_at, self.support_weeks = None, None
        self.words = None  # rows published before ideas had words: `similar` uses its terms
        for name, value in zip(self.__slots__, values):
            setattr(self, name, value)
        # Rows published before the tags' spellings were part of a row: their keys stand in
        # until the idea's next change publishes its row again.
        self.tags = tuple(values[14]) if len(values) > 14 else tuple(self.tag_keys)
        self.tag_keys = frozenset(self.tag_keys)
        # With what its abbreviations stand for: a search for "vélo électrique" finds "VAE".
        self.terms = meaning.expanded_terms(self.terms)
        # Worked out once per row, not at each figures' request (stats.py).
        self.answer_wait = stats.answer_wait(self.created_at, self.first_answer_at)

    @classmethod
    def of(cls, idea):
        return cls(values_of(idea))

    def key(self, sort):
        return tuple(getattr(self, "id" if name == "_id" else name) for name, _ in SORTS[sort])


# The fields of an idea a row is made of, for a projection.
ROW_FIELDS = ("title", "status", "unit", "tag_keys", "author", "created_at", "vote_count",
              "trend", "comment_count", "search", "pending_flags", "rev", "contest", "tags",
              "meaning", "campaign_id", "timeline", "support_weeks", "words")


def values_of(idea):
    """An idea's row as the topic carries it: values in Row's order."""
    return [idea["_id"], idea["title"], idea["status"], idea["unit"], idea["tag_keys"],
            idea["author"]["id"], idea["created_at"], idea["vote_count"], idea["trend"],
            idea["comment_count"], idea["search"], idea.get("pending_flags", 0),
            idea.get("rev", 0), moderation.contested(idea), idea["tags"], idea.get("meaning"),
            idea.get("campaign_id"), stats.first_answer(idea.get("timeline")),
            idea.get("support_weeks") or None, idea.get("words")]


class Catalogue:
    """The rows of every idea. `feed()` returns the rows published since its last call (a
    list of value lists; None for an idea removed), and `feed.caught_up()` whether it has
    read what the topic held when it started."""

    def __init__(self, feed):
        self.feed = feed
        self.lock = threading.RLock()
        self.rows = {}  # id -> Row
        self.orders = {sort: SortedList() for sort in SORTS}
        # Which ideas have a status, a unit, a tag (key): a count scans the smallest of the
        # sets its filters name, not every row.
        self.by_status, self.by_unit, self.by_tag = (defaultdict(set) for _ in range(3))
        # The units and tags of the ideas a list shows (all but hidden ones), for the filters;
        # a tag is shown in its most frequent spelling.
        self.listed_units, self.listed_tags = Counter(), Counter()
        self.spellings = defaultdict(Counter)
        # Supports per week by (unit, call), ANY standing for every one: the figures
        # (stats.py) read a scope's weeks here instead of summing every row's.
        self.weeks = defaultdict(Counter)
        self.similar_index = None  # built at the first `similar`
        # Moves when an idea's text, vector or status changes (not its counts): the
        # possible duplicates, computed again only then (latest_pairs.py).
        self.texts_version = 0

    def page(self, sort, after, accepts, count, ascending=False, inclusive=False):
        """Up to `count` rows in `sort` order (descending, unless `ascending`), after the sort
        key `after` (None: from the start; `inclusive`, ascending: from it), among those that
        `accepts(row)`."""
        self.sync()
        with self.lock:
            keys = self.orders[sort]
            if after is None:
                found = iter(keys) if ascending else reversed(keys)
            elif ascending:
                found = keys.irange(minimum=tuple(after), inclusive=(inclusive, True))
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

    def count(self, accepts, narrowed_by=(), all_but_hidden=False):
        """How many rows `accepts(row)`. `narrowed_by`: (index, value) pairs, index one of
        "status", "unit", "tag", that every accepted row has (only the smallest set is
        scanned); `all_but_hidden`: `accepts` takes every row that is not hidden, so the
        indexes answer alone. Counted as of the last `sync` (the page just read), not a
        newer one: a page and its count agree."""
        with self.lock:
            if all_but_hidden and not narrowed_by:
                return len(self.rows) - len(self.by_status.get("hidden", ()))
            indexes = {"status": self.by_status, "unit": self.by_unit, "tag": self.by_tag}
            sets = [indexes[index].get(value, ()) for index, value in narrowed_by]
            ids = min(sets, key=len) if sets else self.rows.keys()
            return sum(1 for idea_id in ids if accepts(self.rows[idea_id]))

    def facets(self, campaign_id=None):
        """The units and tags of the ideas a list shows (those of one call for ideas, with
        `campaign_id`), with how many ideas have each, in alphabetical order (accents and case
        aside). A hub's lists keep their counts up to date; a call's are counted from its
        rows, a few hundred at most."""
        self.sync()
        with self.lock:
            if campaign_id is None:
                listed_units, listed_tags = self.listed_units, self.listed_tags
            else:
                rows = [row for row in self.rows.values()
                        if row.campaign_id == campaign_id and row.status != "hidden"]
                listed_units = Counter(row.unit for row in rows)
                listed_tags = Counter(key for row in rows for key in row.tag_keys)
            units = [(unit, n) for unit, n in listed_units.items() if unit]
            tags = [(_usual(self.spellings[key]), n) for key, n in listed_tags.items()]
        return ([{"unit": unit, "count": n} for unit, n in sorted(units, key=_alphabetical)],
                [{"tag": tag, "count": n} for tag, n in sorted(tags, key=_alphabetical)])

    def spelling(self, key):
        """A tag (its key) in its most frequent spelling among the ideas lists show."""
        with self.lock:
            return _usual(self.spellings[key]) if key in self.spellings else key

    def support_weeks(self, unit=None, campaign_id=None):
        """{week: supports} of the ideas of `unit` in call `campaign_id` (None: any), as of
        the last sync (stats.figures' `weeks`)."""
        with self.lock:
            return Counter(self.weeks[(ANY if unit is None else unit,
                                       ANY if campaign_id is None else campaign_id)])

    def all(self):
        self.sync()
        with self.lock:
            return list(self.rows.values())

    def similar(self, text, limit):
        """Ideas close to a draft, among those still open to discussion (similar_index.py)."""
        self.sync()
        with self.lock:
            self._build_similar_index()
            return self.similar_index.most_similar(text, limit)

    def open_ideas(self):
        """(texts_version, duplicates.OpenIdeas): what the possible duplicates are computed
        from, copied under the lock (fast) so that their computation (slow) runs without it,
        in the background (latest_pairs.py)."""
        self.sync()
        with self.lock:
            self._build_similar_index()
            return self.texts_version, duplicates.OpenIdeas(self.similar_index, [
                row.id for row in self.rows.values() if row.status in OPEN_FOR_VOTES])

    def _build_similar_index(self):
        if self.similar_index is None:
            self.similar_index = SimilarIndex()
            for row in self.rows.values():
                self._index_similar(row)

    def _index_similar(self, row):
        if row.status in NOT_SIMILAR:
            self.similar_index.put(row.id)
        else:
            self.similar_index.put(row.id, row.title, row.terms, meaning.unpack(row.meaning),
                                   row.words)

    def sync(self):
        """Apply what the feed has brought since the last call."""
        rows = self.feed()
        if rows:
            with self.lock:
                for values in rows:
                    self.put(Row(values))

    def record(self, idea):
        """A change this process just wrote: listed here at once, before its row comes back
        from the topic (other processes list it when their feed brings it)."""
        with self.lock:
            self.put(Row.of(idea))

    def put(self, row):
        old = self.rows.get(row.id)
        if old is not None and old.rev > row.rev:
            return  # a row published late by a consumer that lost the partition
        for sort, keys in self.orders.items():
            if old is not None:
                keys.remove(old.key(sort))
            keys.add(row.key(sort))
        if old is not None:
            self._index(old, -1)
        self._index(row, 1)
        self.rows[row.id] = row
        if old is None or (old.title, old.terms, old.meaning, old.status) != (
                row.title, row.terms, row.meaning, row.status):
            self.texts_version += 1
        if self.similar_index is not None:
            self._index_similar(row)

    def _index(self, row, change):
        """Count `row` in (change 1) or out of (change -1) the indexes and the facets."""
        add = set.add if change > 0 else set.discard
        add(self.by_status[row.status], row.id)
        add(self.by_unit[row.unit], row.id)
        for key in row.tag_keys:
            add(self.by_tag[key], row.id)
        for week, n in (row.support_weeks or {}).items():
            for scope in ((ANY, ANY), (row.unit, ANY), (ANY, row.campaign_id),
                          (row.unit, row.campaign_id)):
                self.weeks[scope][week] += change * n
        if row.status == "hidden":
            return
        counts = [(self.listed_units, row.unit)] + [(self.listed_tags, key)
                                                      for key in row.tag_keys]
        counts += [(self.spellings[fold(tag)], tag) for tag in row.tags]
        for counter, key in counts:
            counter[key] += change
            if counter[key] <= 0:
                del counter[key]


def _usual(spellings):
    """The most frequent of a tag's spellings; between equally frequent ones, the first in
    code point order (capitals first), so that every process shows the same one whatever
    order its rows came in (the topic's partitions keep no order between ideas)."""
    return min(spellings.items(), key=lambda pair: (-pair[1], pair[0]))[0]


def _alphabetical(pair):
    return fold(pair[0]), pair[0]
