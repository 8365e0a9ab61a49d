"""The catalogue on the real FerretDB: journal numbers claimed by concurrent writers, and a
new process that starts from a snapshot and the journal after it."""
import threading

from shared.journal import Journal
from services.ideas import catalogue, domain, handlers
from services.ideas.store import IdeaStore, ensure_indexes
from tests.unit.builders import make_idea


def test_concurrent_writers_number_the_journal_without_hole_or_repeat(hub_for):
    db = hub_for("ideas", ensure_indexes).db
    writers, each = 4, 40
    claimed = []

    def write(n):
        journal = Journal(db.catalogue_journal)  # one per writer, as in separate processes
        claimed.extend(journal.append({"writer": n}) for _ in range(each))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(claimed) == list(range(1, writers * each + 1))
    assert Journal(db.catalogue_journal).end() == writers * each


def test_a_new_process_lists_from_the_snapshot_and_the_journal_after_it(hub_for, monkeypatch):
    monkeypatch.setattr(catalogue, "SNAPSHOT_AFTER", 3)
    hub = hub_for("ideas", ensure_indexes)
    consumer = IdeaStore(hub.db, hub.outbox)  # the process that writes snapshots
    ideas = [make_idea(title=f"Idée {n}", tags=["vélo", "cantine"],
                       created_at=f"2026-11-2{n}T10:00:00.000Z") for n in range(5)]
    for idea in ideas:
        domain.reindex(idea)  # tag keys and search terms of the tags given
    for idea in ideas[:4]:
        consumer.add(idea, [])
    assert consumer.catalogue.snapshot_if_grown() == 4
    consumer.add(ideas[4], [])
    handlers.on_vote_changed({"idea_id": ideas[0]["_id"], "voter_id": "bob", "seq": 1,
                              "active": True}, {"time": "2026-11-26T10:00:00.000Z"}, consumer)

    newcomer = IdeaStore(hub.db, hub.outbox)
    page, _ = newcomer.list("top", 10, accepts=domain.list_filter({"tag": "VELO"}, None))

    assert [idea["title"] for idea in page] == ["Idée 0", "Idée 4", "Idée 3", "Idée 2", "Idée 1"]
    assert newcomer.catalogue.position == 6 and newcomer.catalogue.journal.start() == 5
