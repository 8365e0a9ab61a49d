"""The lists' rows through the real compacted topic: a process that starts reads every idea's
latest row from offset 0, then follows the changes."""
from services.ideas import domain
from services.ideas.catalogue import Catalogue
from services.ideas.listing import RowFeed, RowPublisher
from services.ideas.store import IdeaStore, ensure_indexes
from tests.helpers import eventually

AUTHOR = {"id": "agent-a", "name": "Agnès"}


def stored_ideas(hub, titles):
    store = IdeaStore(hub.db, feed=lambda: [])
    ids = []
    for n, title in enumerate(titles):
        idea = domain.new_idea(domain.new_idea_id(), title, "Un corps d'essai assez long", [],
                               AUTHOR, "Test", f"2026-11-26T08:00:0{n}.000Z")
        store.add(idea, [])
        ids.append(idea["_id"])
    return store, ids


def test_a_new_process_lists_every_idea_the_topic_holds_then_follows(isolated, hub_for):
    hub = hub_for("ideas", ensure_indexes)
    store, ids = stored_ideas(hub, ["Première idée", "Deuxième idée", "Troisième idée"])
    rows = RowPublisher(isolated, hub.db)
    rows.publish_many(ids)
    rows.flush()

    catalogue = Catalogue(RowFeed(isolated))  # a process starting now
    listed = [row.id for row in catalogue.page("new", None, lambda row: True, 10)]
    assert listed == ids[::-1]

    hub.db.ideas.update_one({"_id": ids[0]}, {"$set": {"vote_count": 7}, "$inc": {"rev": 1}})
    rows.publish(ids[0])
    rows.flush()
    eventually(lambda: catalogue.page("top", None, lambda row: True, 1)[0].id == ids[0],
               message="the new count read from the topic")
