"""services.ideas.erasure: the ideas of a person whose texts go lose every field derived from
their text (search terms, meaning, words), and the lists get their rows anew."""
import mongomock
import pytest

from shared.erasure import ERASED_NAME, TEXTS
from shared.keyring import Keyring
from services.ideas import domain, erasure

pytestmark = pytest.mark.unit

ZOE = {"id": "agent-zoe", "name": "Zoé Étiennette"}


class Rows:
    def __init__(self):
        self.published = []

    def publish_many(self, ids):
        self.published += list(ids)


@pytest.mark.parametrize("texts", ["kept", "removed"])
def test_an_erased_authors_idea_is_anonymised_and_reindexed_when_its_texts_go(texts):
    db = mongomock.MongoClient().ideas
    idea = domain.new_idea("i1", "Une médiathèque ouverte le dimanche",
                           "Pour les familles qui travaillent en semaine.", ["culture"], ZOE,
                           "Culture", "2026-12-02T09:00:00.000Z")
    db.ideas.insert_one({**idea, "rev": 1})
    rows = Rows()

    erasure.on_person_erased({"person_id": ZOE["id"], "texts": texts}, {}, db, rows,
                             Keyring(mongomock.MongoClient().keys))

    stored = db.ideas.find_one({"_id": "i1"})
    assert stored["author"] == {"id": ZOE["id"], "name": ERASED_NAME}
    if texts == "kept":
        assert stored["title"] == idea["title"] and stored["search"] == idea["search"]
        assert rows.published == []
    else:
        assert (stored["title"], stored["body"]) == (TEXTS["title"], TEXTS["body"])
        derived = " ".join(stored["search"] + stored["words"])
        assert "mediatheque" not in derived and "médiathèque" not in derived
        assert stored["meaning"] != idea["meaning"]
        assert rows.published == ["i1"]
