"""A change feed that FerretDB v1 can serve fast: numbered entries read one `_id` at a time.

FerretDB v1 pushes down to SQLite only an equality on a string `_id`; any other filter or sort
reads the whole collection. So the entries are numbered 1, 2, 3... and stored under the
zero-padded number as `_id`, and a reader asks for the next number until it is missing.

Numbers are claimed by the unique insert itself: a writer tries the number after the last one
it knows, and after a duplicate-key error finds the end again. A number is only ever tried
once its predecessor has been written, so the entries have no holes: a reader that finds n
missing has read everything written so far (but what `trim` removed, see `start`). A writer
whose last number was trimmed since finds the next one free too: it checks the start after
each insert, and writes again at the end an entry that landed below it.
"""
from pymongo.errors import DuplicateKeyError

START = "start"  # the document that holds the first number not yet trimmed


def key(number):
    return f"{number:012d}"


class Journal:
    def __init__(self, collection):
        self.collection = collection
        self._last = None  # the last number this process knows to exist

    def append(self, data):
        number = self.end() + 1 if self._last is None else self._last + 1
        while True:
            try:
                self.collection.insert_one({"_id": key(number), **data})
            except DuplicateKeyError:
                number = self.end(number) + 1
                continue
            if number >= self.start():
                self._last = number
                return number
            # The number was free because `trim` had removed it (this process last wrote
            # long ago): below the start, no reader would ever see the entry.
            self.collection.delete_one({"_id": key(number)})
            number = self.end() + 1

    def get(self, number):
        return self.collection.find_one({"_id": key(number)})

    def start(self):
        doc = self.collection.find_one({"_id": START})
        return doc["n"] if doc else 1

    def end(self, after=None):
        """The last number written (start - 1 if none), searched by doubling steps then
        halving from `after`, a number no smaller than start - 1 that was written (default:
        start - 1): O(log n) lookups of one `_id` each."""
        low = self.start() - 1 if after is None else after
        step = 1
        while self.get(low + step):
            low, step = low + step, step * 2
        high = low + step  # missing; everything up to `low` exists
        while high - low > 1:
            middle = (low + high) // 2
            if self.get(middle):
                low = middle
            else:
                high = middle
        return low

    def trim(self, through, most=5000):
        """Remove the entries up to number `through`, at most `most` at a time (the oldest).
        The start moves first, so a reader never mistakes a removed entry for the end."""
        first = self.start()
        until = min(through, first + most - 1)
        if until < first:
            return 0
        self.collection.replace_one({"_id": START}, {"_id": START, "n": until + 1}, upsert=True)
        for number in range(first, until + 1):
            self.collection.delete_one({"_id": key(number)})
        return until + 1 - first
