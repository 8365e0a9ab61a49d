"""A search's pages (GET /api/ideas?q=): the ideas holding the words typed, then those close
in meaning, so that "vélo électrique" finds the idea about "VAE".

The rule, which keeps pages and counts coherent:
- the exact matches (search.matches) come first, in the list's sort, paged by that sort's
  cursor, exactly as without meaning;
- after the last of them come up to MEANING_MATCHES ideas close in meaning to the query
  (similar_index.py, at its threshold) that the list's other filters accept and that do not
  hold the words, the closest first; their pages' cursor is [MEANING, score, id] of the last
  one seen, and a page may hold the last exact matches and the first close ones;
- `total` counts both.
Only ideas still open to discussion are close in meaning (not hidden, withdrawn or merged).
"""
from bisect import bisect_right

from services.ideas import domain

# What each idea of a search's page is: one holding the words, or one close in meaning.
WORDS, MEANING = "words", "meaning"
MEANING_MATCHES = 50
# The cursor before the first idea close in meaning: a score above any (they end at 1).
FIRST = [MEANING, 2, ""]


def is_meaning_cursor(after):
    return (len(after) == 3 and after[0] == MEANING and isinstance(after[1], (int, float))
            and not isinstance(after[1], bool) and isinstance(after[2], str))


def search_ideas(query, store, me=None):
    """One page of a q= list, as handlers.list_ideas returns it, and the page's ideas."""
    sort, limit, cursor = query["sort"], query["limit"], query.get("cursor")
    exact = domain.list_filter(query, me)
    others = domain.list_filter({**query, "q": None}, me)
    close = [(score, idea_id) for idea_id, _, score in store.similar(query["q"], MEANING_MATCHES)
             if _accepted(store.row(idea_id), others, exact)]
    exact_total = store.count(exact, *domain.list_narrowing(query))
    total = exact_total + len(close)
    if cursor is not None and is_meaning_cursor(cursor):
        start = bisect_right(close, (-cursor[1], cursor[2]), key=lambda c: (-c[0], c[1]))
        page = []
        before = _before_close(store, sort, exact, exact_total, close, start, limit)
    else:
        page, after = store.list(sort, limit, after=cursor, accepts=exact)
        page = [{**idea, "match": WORDS} for idea in page]
        before = cursor and store.previous(sort, limit, cursor, exact)
        if after is not None or not close:
            return page, after, before, total
        start = 0
    room = limit - len(page)
    if not room:  # the last exact matches filled the page: the close ones start the next
        return page, FIRST, before, total
    page += [{**idea, "match": MEANING}
             for idea in store.ideas_of([idea_id for _, idea_id in close[start:start + room]])]
    return page, _close_after(close, start, room), before, total


def _accepted(row, others, exact):
    return row is not None and others(row) and not exact(row)


def _close_after(close, start, count):
    """The cursor after close[start:start + count], None if nothing close follows."""
    end = start + count
    if end >= len(close):
        return None
    score, idea_id = close[end - 1]
    return [MEANING, score, idea_id]


def _before_close(store, sort, exact, exact_total, close, start, limit):
    """The cursor of the page before the one starting at close[start]: `limit` ideas back,
    counting the exact matches before the close ones; None when that page is the first."""
    back = start - limit
    if back > 0:
        return [MEANING, *close[back - 1]]
    if back == 0:
        return FIRST if exact_total else None
    first_exact = exact_total + back  # that page starts among the exact matches
    if first_exact <= 0:
        return None
    return store.key_at(sort, exact, first_exact - 1)
