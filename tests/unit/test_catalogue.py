"""The catalogue: each process's in-memory listing of ideas, kept true by the journal of
writes, whichever process wrote."""
import pytest

from services.ideas import catalogue, domain, handlers
from services.ideas.store import IdeaStore
from tests.unit.builders import DURING, MODERATOR, envelope, make_idea, vote, vote_name


def listed(store, sort="top", limit=20, after=None, **query):
    ideas, cursor = store.list(sort, limit, after=after,
                               accepts=domain.list_filter(query, None))
    return [idea["title"] for idea in ideas], cursor


def read_vote(store, idea_id, voter, seq=1, active=True):
    payload = vote(idea_id, voter, seq=seq, active=active)
    handlers.on_vote_changed(payload, envelope(vote_name(payload), payload), store)


@pytest.fixture
def writer(db, outbox):
    return IdeaStore(db, outbox)


@pytest.fixture
def reader(db, outbox):
    """Another process on the same database: its own catalogue in memory."""
    return IdeaStore(db, outbox)


def test_a_write_in_one_process_is_listed_by_another(writer, reader):
    writer.add(make_idea(title="Première"), [])
    assert listed(reader, "new")[0] == ["Première"]

    second = make_idea(title="Seconde")
    writer.add(second, [])
    read_vote(writer, second["_id"], "bob")
    assert listed(reader, "top")[0] == ["Seconde", "Première"]


def test_withdrawn_supports_move_an_idea_back_down(writer, reader):
    ideas = [make_idea(title=title) for title in ("A", "B")]
    for idea in ideas:
        writer.add(idea, [])
    read_vote(writer, ideas[0]["_id"], "bob")
    assert listed(reader)[0] == ["A", "B"]
    read_vote(writer, ideas[1]["_id"], "carol")
    read_vote(writer, ideas[1]["_id"], "dan")
    read_vote(writer, ideas[0]["_id"], "bob", seq=2, active=False)
    assert listed(reader)[0] == ["B", "A"]


def test_a_hidden_idea_leaves_the_list_but_stays_listed_by_status(writer, reader):
    idea = make_idea(title="Masquée")
    writer.add(idea, [])
    assert listed(reader)[0] == ["Masquée"]
    handlers.hide_idea(idea["_id"], "hors sujet", MODERATOR, writer, lambda events: None, DURING)
    assert listed(reader)[0] == []
    assert listed(reader, status="hidden")[0] == ["Masquée"]


def test_pages_follow_the_cursor(writer, reader):
    for n in range(5):
        writer.add(make_idea(title=f"Idée {n}", created_at=f"2026-11-2{n}T10:00:00.000Z"), [])
    first, cursor = listed(reader, "new", limit=2)
    second, cursor = listed(reader, "new", limit=2, after=cursor)
    third, cursor = listed(reader, "new", limit=2, after=cursor)
    assert (first, second, third) == (["Idée 4", "Idée 3"], ["Idée 2", "Idée 1"], ["Idée 0"])
    assert cursor is None


def test_a_new_process_starts_from_the_snapshot_then_reads_the_journal(writer, db, outbox,
                                                                      monkeypatch):
    monkeypatch.setattr(catalogue, "SNAPSHOT_AFTER", 2)
    monkeypatch.setattr(catalogue, "ROWS_PER_CHUNK", 2)  # the rows span several chunks
    ideas = [make_idea(title=f"Idée {n}", created_at=f"2026-11-2{n}T10:00:00.000Z")
             for n in range(4)]
    for idea in ideas[:3]:
        writer.add(idea, [])
    assert writer.catalogue.snapshot_if_grown() == 3
    assert writer.catalogue.journal.start() == 4  # the entries it covers are trimmed
    writer.add(ideas[3], [])
    read_vote(writer, ideas[1]["_id"], "bob")

    newcomer = IdeaStore(db, outbox)
    assert listed(newcomer, "top")[0] == ["Idée 1", "Idée 3", "Idée 2", "Idée 0"]
    assert newcomer.catalogue.position == 5


def test_no_snapshot_is_written_before_the_journal_has_grown(writer, monkeypatch):
    monkeypatch.setattr(catalogue, "SNAPSHOT_AFTER", 3)
    writer.add(make_idea(), [])
    assert writer.catalogue.snapshot_if_grown() == 0
    assert writer.catalogue.journal.start() == 1


def test_a_process_whose_entries_were_trimmed_reloads(writer, reader, monkeypatch):
    monkeypatch.setattr(catalogue, "SNAPSHOT_AFTER", 1)
    writer.add(make_idea(title="Un"), [])
    assert listed(reader, "new")[0] == ["Un"]
    for title in ("Deux", "Trois"):
        writer.add(make_idea(title=title), [])
    writer.catalogue.snapshot_if_grown()
    assert reader.catalogue.journal.get(2) is None
    assert sorted(listed(reader, "new")[0]) == ["Deux", "Trois", "Un"]


def test_a_process_that_last_wrote_before_a_snapshot_is_still_read(writer, db, outbox,
                                                                    monkeypatch):
    monkeypatch.setattr(catalogue, "SNAPSHOT_AFTER", 2)
    busy = IdeaStore(db, outbox)
    writer.add(make_idea(title="Un"), [])
    for title in ("Deux", "Trois"):
        busy.add(make_idea(title=title), [])
    busy.catalogue.snapshot_if_grown()  # trims 1 to 3
    writer.add(make_idea(title="Quatre"), [])

    assert sorted(listed(IdeaStore(db, outbox), "new")[0]) == ["Deux", "Quatre", "Trois", "Un"]


def test_ideas_stored_before_the_catalogue_get_their_rows(db, writer, reader):
    db.ideas.insert_one(make_idea(title="Ancienne"))
    writer.backfill_catalogue()
    writer.backfill_catalogue()  # once only
    assert listed(reader, "new")[0] == ["Ancienne"]
    assert writer.catalogue.journal.end() == 1


def test_similar_ideas_follow_the_journal(writer, reader):
    idea = make_idea(title="Généraliser le télétravail le vendredi")
    domain.reindex(idea)  # its search terms, from the title
    writer.add(idea, [])
    assert [found[0] for found in reader.similar("Télétravail le vendredi")] == [idea["_id"]]
    handlers.withdraw_idea(idea["_id"], idea["author"], writer, lambda events: None, DURING)
    assert reader.similar("Télétravail le vendredi") == []
