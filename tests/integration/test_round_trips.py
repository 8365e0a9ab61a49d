"""What one support costs the store, counted on the wire by pymongo's command monitoring:
the issue's promise of at most three round trips, the cap's query only with a cap."""
import pymongo
import pytest
from pymongo import monitoring

from shared.api import Hub
from shared.auth import TokenVerifier, mint_token
from shared.kafka import Publisher
from shared.outbox import Outbox
from services.votes import store
from services.votes.app import create_app

IDEA = "idea-round-trips"


class Commands(monitoring.CommandListener):
    def __init__(self):
        self.names = []

    def started(self, event):
        self.names.append(event.command_name)

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


@pytest.fixture
def votes_app(isolated):
    """make(cap) -> (Flask app, its publisher, the commands its store received)."""
    made = []

    def make(cap=0):
        config = isolated.with_overrides(votes_cap=cap)
        commands = Commands()
        client = pymongo.MongoClient(config.mongo_url, event_listeners=[commands])
        db = client[config.database_name("votes")]
        outbox = Outbox(db, store.OUTBOX)
        hub = Hub("votes", config, client, db, outbox, Publisher(config, outbox),
                  TokenVerifier(config), store.ensure_indexes)
        app = create_app(config, hub=hub)
        db.ideas.insert_one({"_id": IDEA, "status": "submitted", "version": 1})
        made.append(hub)
        return app, hub.publisher, commands
    yield make
    for hub in made:
        hub.publisher.close()


def support(app, config, voter):
    token = mint_token(config, voter, voter, ["agent"], "Service urbanisme")
    answer = app.test_client().put(f"/api/votes/{IDEA}",
                                   headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.get_json()


def test_a_support_costs_three_round_trips_and_its_event_reaches_kafka(votes_app, isolated):
    app, publisher, commands = votes_app()
    support(app, isolated, "warm-up")  # the indexes, made at the first request
    publisher.drain()
    commands.names.clear()

    support(app, isolated, "agent-a")
    publisher.drain()

    # the idea's status, the vote with its event, the event pulled once Kafka has it
    assert commands.names == ["find", "findAndModify", "update"]


def test_with_a_cap_the_persons_places_cost_one_more_round_trip(votes_app, isolated):
    app, publisher, commands = votes_app(cap=5)
    support(app, isolated, "warm-up")
    publisher.drain()
    commands.names.clear()

    support(app, isolated, "agent-b")
    publisher.drain()

    assert commands.names == ["find", "update", "findAndModify", "update"]
