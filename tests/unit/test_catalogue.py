"""The catalogue: each process's in-memory rows of the ideas, fed by the `idea-rows` topic
(here a list), in every sort's order."""
import pytest

from services.ideas import domain, handlers, stats
from services.ideas.catalogue import Catalogue, values_of
from services.ideas.domain import SORTS
from services.ideas.store import IdeaStore
from tests.unit.builders import DURING, MODERATOR, make_idea


class Feed:
    """The topic as the catalogue reads it: each call returns the rows sent since the last."""

    def __init__(self):
        self.pending = []

    def send(self, *ideas):
        self.pending += [values_of(idea) for idea in ideas]

    def __call__(self):
        rows, self.pending = self.pending, []
        return rows


@pytest.fixture
def feed():
    return Feed()


@pytest.fixture
def catalogue(feed):
    return Catalogue(feed)


def every(row):
    return True


def titles(rows):
    return [row.title for row in rows]


def idea(n, **overrides):
    """The n-th of a few ideas, each sort ordering them differently."""
    return make_idea(**{"title": f"Idée {n}", "created_at": f"2026-11-2{n}T10:00:00.000Z",
                        "vote_count": (3 * n) % 5, "comment_count": (2 * n) % 5,
                        "trend": float(-n), **overrides})


def test_rows_sent_on_the_feed_are_listed(feed, catalogue):
    feed.send(idea(0), idea(1))

    assert titles(catalogue.page("new", None, every, 10)) == ["Idée 1", "Idée 0"]


def test_a_row_with_an_older_rev_never_replaces_a_newer_one(feed, catalogue):
    first = idea(0, rev=3, vote_count=5)
    feed.send(first)
    catalogue.sync()

    feed.send({**first, "rev": 2, "vote_count": 0})  # published late by a former owner

    [row] = catalogue.page("top", None, every, 10)
    assert (row.rev, row.vote_count) == (3, 5)


def test_a_newer_row_moves_its_idea_without_leaving_a_copy(feed, catalogue):
    low, high = idea(0, rev=1, vote_count=1), idea(1, rev=1, vote_count=2)
    feed.send(low, high)
    catalogue.sync()

    feed.send({**low, "rev": 2, "vote_count": 9})

    assert titles(catalogue.page("top", None, every, 10)) == ["Idée 0", "Idée 1"]


def expected_order(ideas, sort):
    """Descending on the sort's fields, the id breaking ties: what a list promises."""
    def key(idea):
        return tuple(idea[name] for name, _ in SORTS[sort])
    return [i["title"] for i in sorted(ideas, key=key, reverse=True)]


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_pages_follow_the_cursor_in_each_sort(feed, catalogue, sort):
    ideas = [idea(n) for n in range(5)]
    feed.send(*ideas)
    seen, after = [], None
    while True:
        page = catalogue.page(sort, after, every, 2)
        seen += titles(page)
        if len(page) < 2:
            break
        after = page[-1].key(sort)

    assert seen == expected_order(ideas, sort)


def test_an_idea_arriving_between_pages_neither_shifts_nor_repeats_the_next(feed, catalogue):
    feed.send(*(idea(n) for n in range(4)))
    first = catalogue.page("new", None, every, 2)

    feed.send(idea(9))  # newest of all: belongs before the first page
    second = catalogue.page("new", first[-1].key("new"), every, 2)

    assert titles(first) + titles(second) == ["Idée 3", "Idée 2", "Idée 1", "Idée 0"]


def test_ascending_pages_start_from_the_oldest(feed, catalogue):
    feed.send(*(idea(n) for n in range(3)))
    first = catalogue.page("new", None, every, 2, ascending=True)
    rest = catalogue.page("new", first[-1].key("new"), every, 2, ascending=True)

    assert titles(first) + titles(rest) == ["Idée 0", "Idée 1", "Idée 2"]


@pytest.mark.parametrize("query, listed", [
    ({}, ["Voirie", "Vélo"]),  # hidden ideas only when asked for by status
    ({"status": "hidden"}, ["Masquée"]),
    ({"tag": "VELO"}, ["Vélo"]),  # any case or accent
    ({"unit": "Service voirie"}, ["Voirie"]),
    ({"author": "me"}, ["Vélo"]),
    ({"q": "pistes cyclables"}, ["Vélo"]),
])
def test_lists_filter_with_the_domains_conditions(feed, catalogue, query, listed):
    bike = make_idea(title="Vélo", body="Des pistes cyclables partout.", tags=["Vélo"],
                     author={"id": "me-id", "name": "Moi"}, created_at="2026-11-21T10:00:00.000Z")
    domain.reindex(bike)  # its tags and search terms, from the text above
    feed.send(bike,
              make_idea(title="Voirie", unit="Service voirie",
                        created_at="2026-11-22T10:00:00.000Z"),
              make_idea(title="Masquée", status="hidden"))

    found = catalogue.page("new", None, domain.list_filter(query, "me-id"), 10)

    assert titles(found) == listed


def draft_like(status):
    idea = make_idea(title="Généraliser le télétravail le vendredi", status=status)
    domain.reindex(idea)  # its search terms, from the title
    return idea


@pytest.mark.parametrize("status", ["hidden", "withdrawn", "duplicate"])
def test_similar_ideas_leave_out_those_no_longer_open(feed, catalogue, status):
    feed.send(draft_like(status))

    assert catalogue.similar("Télétravail le vendredi", 5) == []


def test_an_idea_withdrawn_after_the_first_search_is_no_longer_similar(feed, catalogue):
    open_idea = draft_like("submitted")
    feed.send(open_idea)
    assert [found[0] for found in catalogue.similar("Télétravail le vendredi", 5)] == [
        open_idea["_id"]]

    feed.send({**open_idea, "status": "withdrawn", "rev": 2})

    assert catalogue.similar("Télétravail le vendredi", 5) == []


def test_the_store_lists_an_idea_as_it_is_now_not_as_its_row_was(db):
    # The row of an idea hidden a moment ago may not have reached this process yet.
    feed = Feed()
    store = IdeaStore(db, feed)
    hidden = make_idea(title="Masquée")
    store.add(hidden, [])
    feed.send(store.get(hidden["_id"], full=True))
    handlers.hide_idea(hidden["_id"], "hors sujet", MODERATOR, store,
                       lambda *args: None, DURING)

    ideas, _ = store.list("new", 10, accepts=domain.list_filter({}, None))

    assert ideas == []


def test_facets_count_the_units_and_tags_of_listed_ideas_and_follow_their_changes(feed,
                                                                                 catalogue):
    moving = idea(0, unit="Service urbanisme", tags=["Mobilité"], tag_keys=["mobilite"], rev=1)
    feed.send(moving, idea(1, unit="Service urbanisme", tags=["mobilité", "vélo"],
                           tag_keys=["mobilite", "velo"]),
              idea(2, unit="Direction des solidarités", tags=["Mobilité"],
                   tag_keys=["mobilite"]),
              idea(3, unit="Cabinet", tags=["secret"], tag_keys=["secret"], status="hidden"))

    units, tags = catalogue.facets()

    assert units == [{"unit": "Direction des solidarités", "count": 1},
                     {"unit": "Service urbanisme", "count": 2}]
    assert tags == [{"tag": "Mobilité", "count": 3}, {"tag": "vélo", "count": 1}]

    feed.send({**moving, "rev": 2, "unit": "Cabinet", "tags": [], "tag_keys": []})

    units, tags = catalogue.facets()
    assert units == [{"unit": "Cabinet", "count": 1},
                     {"unit": "Direction des solidarités", "count": 1},
                     {"unit": "Service urbanisme", "count": 1}]
    assert tags == [{"tag": "Mobilité", "count": 2}, {"tag": "vélo", "count": 1}]


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_every_process_shows_a_tag_in_the_same_spelling_whatever_order_its_rows_came_in(
        feed, catalogue, order):
    # Two spellings used once each, rows from two partitions arriving in either order, and
    # the first one published again (a support): one spelling, on every process, every time.
    spelled = [idea(0, tags=["vélo"], tag_keys=["velo"], rev=1),
               idea(1, tags=["Vélo"], tag_keys=["velo"], rev=1)]
    feed.send(*[spelled[n] for n in order])
    catalogue.sync()
    feed.send({**spelled[order[0]], "rev": 2, "vote_count": 7})

    assert catalogue.facets()[1] == [{"tag": "Vélo", "count": 2}]
    assert catalogue.spelling("velo") == "Vélo"


def test_a_count_scans_the_narrowest_index_and_agrees_with_a_full_scan(feed, catalogue):
    feed.send(*[idea(n, unit=f"Service {n % 2}", status="hidden" if n == 4 else "submitted",
                     tags=["vélo"] if n % 3 == 0 else [], tag_keys=["velo"] if n % 3 == 0
                     else []) for n in range(8)])
    catalogue.sync()  # as the page a count goes with does
    checked = []

    def accepts(row):
        checked.append(row.id)
        return row.status != "hidden" and row.unit == "Service 0" and "velo" in row.tag_keys

    count = catalogue.count(accepts, [("unit", "Service 0"), ("tag", "velo")])

    assert count == 2  # ideas 0 and 6; idea 3 is of Service 1
    assert len(checked) == 3  # the three ideas tagged "vélo", not the eight
    assert catalogue.count(lambda row: row.status != "hidden", all_but_hidden=True) == 7


def test_the_supports_per_week_kept_by_scope_equal_the_sum_over_the_rows(feed, catalogue):
    weeks = [{"2026-W47": 2, "2026-W48": 1}, {"2026-W48": 3}, {"2026-W46": 1}, {}]
    ideas = [idea(n, unit=f"Service {n % 2}", campaign_id="call" if n % 3 else None,
                  support_weeks=weeks[n], rev=1) for n in range(4)]
    feed.send(*ideas)
    catalogue.sync()
    # A support more, an idea moved to another unit, another hidden: each row published again.
    feed.send({**ideas[0], "rev": 2, "support_weeks": {"2026-W47": 2, "2026-W48": 2}},
              {**ideas[1], "rev": 2, "unit": "Service 0"},
              {**ideas[2], "rev": 2, "status": "hidden"})
    rows = catalogue.all()

    for unit in (None, "Service 0", "Service 1"):
        for call in (None, "call"):
            expected = stats.support_weeks(
                r for r in rows if unit in (None, r.unit) and call in (None, r.campaign_id))
            kept = catalogue.support_weeks(unit, call)
            assert +kept == +expected, (unit, call)
    assert catalogue.support_weeks()["2026-W48"] == 5
