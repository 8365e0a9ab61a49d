"""Erasure by crypto-shredding: personal fields sealed with their person's keys
(shared.sealing, shared.keyring), anonymised read models (shared.erasure), and the people
service's erasure (services.people.handlers.erase)."""
import mongomock
import pytest

from shared import sealing
from shared.erasure import ERASED_NAME, TEXTS, anonymise
from shared.events import CommentAdded, IdeaProgressUpdated, IdeaSubmitted, PersonJoined
from shared.keyring import Keyring
from shared.outbox import Outbox
from services.people import domain, handlers
from services.people.store import PeopleStore
from tests.unit.conftest import FakePublisher

pytestmark = pytest.mark.unit

ZOE = {"id": "agent-zoe", "name": "Zoé Étiennette"}
LEA = {"id": "moderator-lea", "name": "Léa Garnier"}
SUBMITTED = {"idea_id": "i1", "version": 1, "body": "Des bornes à vélo devant la mairie.",
             "idea": {"title": "Garer son vélo à la mairie", "tags": ["vélo"],
                      "unit": "Service urbanisme", "status": "submitted", "author": ZOE,
                      "created_at": "2026-11-30T07:00:00.000Z"}}


@pytest.fixture
def ring():
    return Keyring(mongomock.MongoClient().keys)


def test_personal_fields_leave_sealed_and_open_as_they_were(ring):
    sealed = sealing.seal(IdeaSubmitted, SUBMITTED, ring)

    assert sealing.is_sealed(sealed["body"]) and sealing.is_sealed(sealed["idea"]["title"])
    assert sealing.is_sealed(sealed["idea"]["author"]["name"])
    assert "Zoé" not in str(sealed) and "vélo devant" not in str(sealed)
    assert sealed["idea"]["unit"] == "Service urbanisme" and sealed["idea"]["tags"] == ["vélo"]
    assert sealing.open_sealed(sealed, ring) == SUBMITTED


def test_an_erased_identity_opens_as_agent_anonymise_and_kept_texts_still_read(ring):
    sealed = sealing.seal(IdeaSubmitted, SUBMITTED, ring)
    ring.erase(ZOE["id"], texts=True)

    opened = sealing.open_sealed(sealed, ring)
    assert opened["idea"]["author"] == {"id": ZOE["id"], "name": ERASED_NAME}
    assert opened["body"] == SUBMITTED["body"]
    assert opened["idea"]["title"] == SUBMITTED["idea"]["title"]


def test_removed_texts_open_as_their_replacement_and_the_key_never_comes_back(ring):
    sealed = sealing.seal(IdeaSubmitted, SUBMITTED, ring)
    ring.erase(ZOE["id"], texts=False)
    ring.erase(ZOE["id"], texts=True)  # a later erasure cannot bring the texts back

    opened = sealing.open_sealed(sealed, ring)
    assert opened["body"] == sealing.ERASED["text"]
    assert opened["idea"]["title"] == sealing.ERASED["title"]
    # Sealed after the erasure: written as already anonymised, no key made again.
    again = sealing.seal(IdeaSubmitted, SUBMITTED, ring)
    assert again["idea"]["author"]["name"] == ERASED_NAME
    assert again["body"] == sealing.ERASED["text"]
    assert ring.key(ZOE["id"], "identity", create=True) is None


def test_another_persons_fields_stay_readable_when_one_is_erased(ring):
    reply = {"idea_id": "i1", "version": 2, "idea": SUBMITTED["idea"], "comment_id": "c1",
             "author": LEA, "created_at": "2026-11-30T08:00:00.000Z",
             "body": "Bonne idée, Zoé.", "parent_id": None, "parent_author": ZOE}
    sealed = sealing.seal(CommentAdded, reply, ring)
    ring.erase(ZOE["id"], texts=False)

    opened = sealing.open_sealed(sealed, ring)
    assert opened["author"] == LEA and opened["body"] == "Bonne idée, Zoé."
    assert opened["parent_author"]["name"] == ERASED_NAME


def test_addresses_are_sealed_and_a_units_name_is_not(ring):
    joined = sealing.seal(PersonJoined, {"person": ZOE, "email": "zoe@ville-demo.fr",
                                         "unit": "", "joined_at": "x"}, ring)
    progress = sealing.seal(IdeaProgressUpdated, {
        **SUBMITTED, "milestone": "started", "percent": 10, "by": LEA, "at": "x",
        "owner": {"kind": "unit", "name": "Direction des mobilités", "id": None}}, ring)

    assert sealing.is_sealed(joined["email"])
    assert progress["owner"]["name"] == "Direction des mobilités"


def test_a_tampered_or_foreign_sealed_field_opens_as_erased_not_as_an_error(ring):
    sealed = sealing.seal(IdeaSubmitted, SUBMITTED, ring)
    name = sealed["idea"]["author"]["name"]
    tampered = name[:-4] + ("AAAA" if not name.endswith("AAAA") else "BBBB")

    assert sealing.open_sealed(tampered, ring) == ERASED_NAME
    assert sealing.open_sealed("sealed.v1.not ours", ring) == "sealed.v1.not ours"


def test_anonymise_replaces_the_persons_name_everywhere_and_their_texts_when_removed():
    db = mongomock.MongoClient().ideas
    db.ideas.insert_one({"_id": "i1", "rev": 4, "title": "Garer son vélo", "body": "Long texte",
                         "author": dict(ZOE), "history": [{"by": dict(LEA), "note": "Vu"},
                                                          {"by": dict(ZOE), "text": "Je conteste"}]})
    db.comments.insert_one({"_id": "c1", "author": dict(LEA), "body": "Merci Zoé"})
    db.flags.insert_one({"_id": "f1", "person": dict(ZOE), "reason": "spam"})

    anonymise(db, ZOE["id"], texts_removed=False)
    idea = db.ideas.find_one()
    assert idea["author"]["name"] == ERASED_NAME and idea["title"] == "Garer son vélo"
    assert idea["history"][0]["by"] == LEA and idea["rev"] == 5
    assert db.flags.find_one()["person"]["name"] == ERASED_NAME

    anonymise(db, ZOE["id"], texts_removed=True)
    idea = db.ideas.find_one()
    assert (idea["title"], idea["body"]) == (TEXTS["title"], TEXTS["body"])
    assert idea["history"][1]["text"] == TEXTS["text"] and idea["history"][0]["note"] == "Vu"
    assert db.comments.find_one()["body"] == "Merci Zoé"  # someone else's words


@pytest.fixture
def people(db):
    return PeopleStore(db)


@pytest.fixture
def kafka(db):
    return FakePublisher(Outbox(db, ("people",)))


JOEL = {"sub": "agent-joel", "name": "Joël N'Diaye", "email": "joel@ville-demo.fr",
        "unit": "Service urbanisme"}


def test_erasing_an_account_destroys_its_keys_anonymises_it_and_says_nothing_of_it(
        people, kafka, ring):
    session, _ = handlers.sign_in(JOEL, people, kafka.publish, ())
    ring.key("agent-joel", "identity", create=True)

    done = handlers.erase("agent-joel", True, {"id": "agent-joel", "name": "Joël N'Diaye"},
                          people, kafka.publish, ring)
    handlers.erase("agent-joel", True, {"id": "agent-joel", "name": "Joël N'Diaye"},
                   people, kafka.publish, ring)  # again, as after a crash: nothing more

    record = people.person("agent-joel")
    assert done["texts"] == "kept" and record["erased_at"]
    assert "Joël" not in str(record) and "joel@" not in str(record)
    erased = [e for e in kafka.events if e["type"] == "person.erased.v1"]
    assert len(erased) == 1 and erased[0]["data"]["person_id"] == "agent-joel"
    assert ring.key("agent-joel", "identity") is None
    assert ring.key("agent-joel", "texts") is not None
    assert people.session(session) is None


def test_signing_in_after_erasing_opens_a_new_empty_account(people, kafka, ring):
    handlers.sign_in(JOEL, people, kafka.publish, ())
    handlers.erase("agent-joel", False, {"id": "agent-joel", "name": ""}, people, kafka.publish,
                   ring)

    _, again = handlers.sign_in(JOEL, people, kafka.publish, ())
    _, later = handlers.sign_in(JOEL, people, kafka.publish, ())

    assert again["_id"] != "agent-joel" and again["_id"] == later["_id"]
    assert again["name"] == "Joël N'Diaye"
    assert people.person("agent-joel")["name"] == ERASED_NAME


def test_erasing_someone_the_hub_never_knew_touches_no_key(people, kafka, ring):
    with pytest.raises(domain.PersonUnknown):
        handlers.erase("nobody", True, {"id": "admin", "name": ""}, people, kafka.publish, ring)

    assert ring.collection.find_one({"_id": "nobody"}) is None
    assert kafka.events == []
