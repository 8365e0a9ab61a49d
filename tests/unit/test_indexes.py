"""Each store declares the index that serves each of its queries on MongoDB, and
ensure_indexes creates exactly those."""
import importlib

import pytest

SERVICES = ("ideas", "votes", "digest", "people")


def store_of(service):
    return importlib.import_module(f"services.{service}.store")


def starts_with(service, collection, *fields):
    """Whether some declared index of `collection` has keys starting with `fields`
    (ascending or descending alike)."""
    return any([name for name, _ in keys[:len(fields)]] == list(fields)
               for keys in store_of(service).INDEXES.get(collection, []))


@pytest.mark.parametrize("service", SERVICES)
def test_every_outbox_collection_has_an_index_on_the_time_of_its_events(service):
    # The relay's query (shared.outbox.Outbox.unsent) must not scan the collection.
    store = store_of(service)
    for collection in store.OUTBOX:
        assert [("outbox.at", 1)] in [keys[:1] for keys in store.INDEXES.get(collection, [])], \
            collection


def test_a_persons_supports_newest_first_are_served_by_one_index():
    # VoteStore.supported_by: find(voter_id, active).sort(changed_at)
    assert starts_with("votes", "votes", "voter_id", "active", "changed_at")


def test_an_ideas_votes_are_found_by_its_id():
    # VoteStore.active_votes_on and votes_via
    assert starts_with("votes", "votes", "idea_id")


def test_an_ideas_comments_come_in_the_order_they_were_written():
    assert starts_with("ideas", "comments", "idea_id", "created_at")


def test_a_digest_scope_finds_its_units_ideas():
    assert starts_with("digest", "ideas", "idea.unit_key")


def test_a_periods_sends_are_found_by_status():
    assert starts_with("digest", "sends", "period", "status")


@pytest.mark.parametrize("service", SERVICES)
def test_ensure_indexes_creates_exactly_the_declared_indexes(db, service):
    store = store_of(service)

    store.ensure_indexes(db)
    store.ensure_indexes(db)  # every process runs it at start: no duplicate, no error

    created = {collection: sorted(tuple(info["key"]) for name, info in
                                  db[collection].index_information().items() if name != "_id_")
               for collection in db.list_collection_names()}
    declared = {collection: sorted(tuple(map(tuple, keys)) for keys in indexes)
                for collection, indexes in store.INDEXES.items()}
    assert created == declared


def test_people_are_listed_by_name_within_a_role():
    # PeopleStore.find: find(roles, search regex).sort(search)
    assert starts_with("people", "people", "roles", "search")
    assert starts_with("people", "people", "search")


def test_a_persons_sessions_and_changes_are_found_by_their_person():
    assert starts_with("people", "sessions", "person")
    assert starts_with("people", "audit", "person.id", "at")
