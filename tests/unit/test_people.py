"""services.people: people made at their first sign-in, roles granted by the hub (audited,
told by events), sessions found by the hash of their id and ended at once."""
import pytest

from shared.outbox import Outbox
from services.people import domain, handlers
from services.people.store import PeopleStore
from tests.unit.builders import campaign_changed, envelope, make_campaign
from tests.unit.conftest import FakePublisher

pytestmark = pytest.mark.unit

ADMIN = {"id": "admin-lea", "name": "Léa Garnier"}
JOEL = {"sub": "agent-joel", "name": "Joël N'Diaye", "email": "joel@ville-demo.fr",
        "unit": "Service urbanisme"}


@pytest.fixture
def store(db):
    return PeopleStore(db)


@pytest.fixture
def kafka(db):
    return FakePublisher(Outbox(db, ("people",)))


def sign_in(store, kafka, claims=JOEL, admin_emails=()):
    return handlers.sign_in(claims, store, kafka.publish, admin_emails)


def kinds(kafka):
    return [e["type"] for e in kafka.events]


def test_a_person_joins_at_their_first_sign_in_and_only_then(store, kafka):
    _, first = sign_in(store, kafka)
    _, again = sign_in(store, kafka)

    assert first["roles"] == ["agent"] and first["unit"] == "Service urbanisme"
    assert again["name"] == "Joël N'Diaye"
    assert kinds(kafka) == ["person.joined.v1"]
    assert kafka.events[0]["data"]["email"] == "joel@ville-demo.fr"
    assert store.db.people.find_one({"_id": "agent-joel"})["outbox"] == []  # sent, pulled


def test_a_new_name_or_address_at_sign_in_is_told_once_by_person_updated(store, kafka):
    sign_in(store, kafka)
    _, renamed = sign_in(store, kafka, {**JOEL, "name": "Joël N'Diaye-Martin"})
    sign_in(store, kafka, {**JOEL, "name": "Joël N'Diaye-Martin"})
    sign_in(store, kafka, {**JOEL, "name": "Joël N'Diaye-Martin", "email": "jnm@ville-demo.fr"})

    assert renamed["name"] == "Joël N'Diaye-Martin"  # the provider's word on who they are
    assert kinds(kafka) == ["person.joined.v1", "person.updated.v1", "person.updated.v1"]
    first, second = (e["data"] for e in kafka.events[1:])
    assert first["person"] == {"id": "agent-joel", "name": "Joël N'Diaye-Martin"}
    assert (first["email"], second["email"]) == ("joel@ville-demo.fr", "jnm@ville-demo.fr")
    assert first["at"] and kafka.events[1]["subject"] == "agent-joel"


def test_a_person_who_joined_before_the_address_was_told_is_told_at_their_next_sign_in(
        store, kafka):
    sign_in(store, kafka)
    store.db.people.update_one({"_id": "agent-joel"}, {"$unset": {"told": ""}})

    sign_in(store, kafka)
    sign_in(store, kafka)

    assert kinds(kafka) == ["person.joined.v1", "person.updated.v1"]
    assert kafka.events[1]["data"]["email"] == "joel@ville-demo.fr"


def test_person_updated_rides_in_the_outbox_with_what_it_tells(store, db):
    offline = FakePublisher(Outbox(db, ("people",)))
    sign_in(store, offline)
    offline.online = False

    sign_in(store, offline, {**JOEL, "email": "joel.ndiaye@ville-demo.fr"})

    person = db.people.find_one({"_id": "agent-joel"})
    assert person["told"] == {"name": "Joël N'Diaye", "email": "joel.ndiaye@ville-demo.fr"}
    assert [e["event"]["type"] for e in person["outbox"]] == ["person.updated.v1"]


def test_whether_to_tell_who_a_person_is_depends_on_what_was_last_told():
    person = {"_id": "agent-joel", "name": "Joël", "email": "joel@ville-demo.fr"}

    assert domain.retold(person)["told"] == {"name": "Joël", "email": "joel@ville-demo.fr"}
    assert domain.retold({**person, "told": domain.told(person)}) is None
    assert domain.retold({**person, "told": {"name": "Joël", "email": "old@ville-demo.fr"}})


def test_the_unit_a_person_chose_outlives_their_providers(store, kafka):
    sign_in(store, kafka)
    handlers.change_person("agent-joel", store, kafka.publish, {"id": "agent-joel", "name": "J"},
                           unit="Direction des mobilités")

    _, person = sign_in(store, kafka, {**JOEL, "unit": "Service urbanisme"})

    assert person["unit"] == "Direction des mobilités"


def test_a_grant_is_told_by_an_event_with_who_whom_what_and_when(store, kafka):
    sign_in(store, kafka)

    person = handlers.change_person("agent-joel", store, kafka.publish, ADMIN,
                                    roles=["moderator", "agent"], scope=["CCAS", "Accueil"])

    assert person["roles"] == ["agent", "moderator"] and person["scope"] == ["Accueil", "CCAS"]
    change = kafka.events[-1]
    assert change["type"] == "person.changed.v1" and change["subject"] == "agent-joel"
    assert change["data"]["by"] == ADMIN and change["data"]["granted"] == ["moderator"]
    assert change["data"]["revoked"] == [] and change["data"]["at"]


def test_a_change_that_changes_nothing_is_neither_written_nor_told(store, kafka):
    sign_in(store, kafka)
    handlers.change_person("agent-joel", store, kafka.publish, ADMIN, roles=["moderator"])
    told = len(kafka.events)

    handlers.change_person("agent-joel", store, kafka.publish, ADMIN, roles=["moderator"])

    assert len(kafka.events) == told


def test_an_admin_cannot_take_their_own_admin_role_but_another_can(store, kafka):
    sign_in(store, kafka, {**JOEL, "sub": "admin-lea", "email": "lea@ville-demo.fr"},
            admin_emails=("lea@ville-demo.fr",))

    with pytest.raises(domain.LastAdmin):
        handlers.change_person("admin-lea", store, kafka.publish, ADMIN, roles=["moderator"])
    person = handlers.change_person("admin-lea", store, kafka.publish,
                                    {"id": "admin-paul", "name": "Paul"}, roles=[])

    assert person["roles"] == ["agent"]


def test_the_configured_admin_addresses_are_admins_at_sign_in(store, kafka):
    _, lea = sign_in(store, kafka, {**JOEL, "sub": "admin-lea", "email": "Lea@Ville-Demo.fr"},
                     admin_emails=("lea@ville-demo.fr",))

    assert lea["roles"] == ["agent", "admin"]
    assert kafka.events[-1]["data"]["by"] == handlers.CONFIGURATION


def test_a_grant_by_address_waits_for_the_first_sign_in_and_is_taken_once(store, kafka):
    assert handlers.grant_by_email("JOEL@ville-demo.fr", {"manager"}, store, kafka.publish) is None

    _, joel = sign_in(store, kafka)

    assert joel["roles"] == ["agent", "manager"]
    assert store.grants_for("joel@ville-demo.fr") == []
    # Given to a person already known, it takes effect at once.
    now = handlers.grant_by_email("joel@ville-demo.fr", {"moderator"}, store, kafka.publish)
    assert now["roles"] == ["agent", "manager", "moderator"]


def test_a_session_is_found_by_the_hash_of_its_id_and_lasts_twelve_hours(store, kafka):
    session_id, _ = sign_in(store, kafka)
    opened = store.db.sessions.find_one()

    assert session_id not in str(opened)  # a copy of the database opens no session
    assert store.session(session_id)["_id"] == "agent-joel"
    assert store.session(session_id, now=opened["since"] + 12 * 3600 - 1) is not None
    assert store.session(session_id, now=opened["since"] + 12 * 3600) is None
    assert store.session(session_id + "x") is None


def test_signing_out_or_an_admin_ends_sessions_at_once(store, kafka):
    first, _ = sign_in(store, kafka)
    second, _ = sign_in(store, kafka)

    store.end_session(first)
    assert store.session(first) is None and store.session(second) is not None
    assert store.end_sessions("agent-joel") == 1
    assert store.session(second) is None


def test_a_role_change_reaches_an_open_session(store, kafka):
    session_id, _ = sign_in(store, kafka)

    handlers.change_person("agent-joel", store, kafka.publish, ADMIN, roles=["moderator"])

    assert handlers.get_session(session_id, store)["roles"] == ["agent", "moderator"]


def test_a_redelivered_change_is_audited_once(store, kafka):
    sign_in(store, kafka)
    handlers.change_person("agent-joel", store, kafka.publish, ADMIN, roles=["moderator"])
    change = kafka.events[-1]

    for _ in range(2):
        handlers.on_person_changed(change["data"], change, store)

    assert [row["granted"] for row in store.changes_of("agent-joel")] == [["moderator"]]


def test_people_are_found_by_any_word_of_their_name_or_address_without_accents(store, kafka):
    sign_in(store, kafka)
    sign_in(store, kafka, {**JOEL, "sub": "agent-maelle", "name": "Maëlle Le Goff",
                           "email": "maelle@ville-demo.fr"})

    assert [p["_id"] for p in store.find("maelle goff")] == ["agent-maelle"]
    assert [p["_id"] for p in store.find("VILLE-DEMO")] == ["agent-joel", "agent-maelle"]
    assert store.find("(.*") == []  # words, not patterns


def test_a_calls_owners_are_learnt_at_its_newest_version_whatever_the_order(store):
    call = {**make_campaign(), "owners": [{"id": "agent-joel", "name": "Joël N'Diaye"}]}
    later = {**call, "version": call["version"] + 1,
             "owners": [{"id": "agent-ines", "name": "Inès Haddad"}]}

    def read(campaign):
        payload = campaign_changed(campaign)
        handlers.on_call_changed(payload, envelope("campaign.updated", payload), store)
    read(later)
    read(call)  # the older version, delivered late, changes nothing

    assert store.owns_a_call("agent-ines") and not store.owns_a_call("agent-joel")
