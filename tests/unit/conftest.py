"""Unit fixtures: a whole service app on in-memory fakes.

MongoDB is mongomock, Kafka a recording publisher, SMTP a recording mailer; tokens are signed
with a key pair made for the run. Nothing here opens a socket.
"""
import importlib
import itertools
from datetime import datetime, timedelta, timezone

import mongomock
import pytest

from shared.api import Hub
from shared.auth import TokenVerifier, mint_token, new_key_pair
from shared.config import Config
from shared.events import iso
from shared.outbox import Outbox


class FakePublisher:
    """Kafka as the request path sees it: acknowledges at once while `online`, and then clears
    the event from the outbox as the real publisher does. `events` is what Kafka received."""

    def __init__(self, outbox=None):
        self.outbox = outbox
        self.online = True
        self.events = []

    def publish(self, events, collection=None, doc_id=None):
        for event in events:
            if self.send_now([event]) and self.outbox is not None and collection is not None:
                self.outbox.sent([(collection, doc_id, event["id"])])

    def send_now(self, events):
        if not self.online:
            return 0
        self.events.extend(events)
        return len(events)

    def connected(self):
        return self.online

    def drain(self, timeout=None):
        pass

    def close(self):
        pass

    def types(self):
        return [event["type"] for event in self.events]


class FakeMailer:
    """An SMTP server that keeps what it accepts, or refuses everything while `down`."""

    def __init__(self):
        self.down = False
        self.sent = []

    def send(self, message):
        if self.down:
            raise ConnectionRefusedError("SMTP server unreachable")
        self.sent.append(message)

    def close(self):
        pass

    # The real Mailer keeps one connection for a run, closed at the end of a `with` block.
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class FakeRows:
    """The ideas consumer's RowPublisher: `published` lists the ideas whose row went out."""

    def __init__(self):
        self.published = []

    def publish(self, idea_id):
        self.published.append(idea_id)

    def publish_many(self, idea_ids):
        self.published.extend(idea_ids)

    def flush(self):
        pass


@pytest.fixture(scope="session", autouse=True)
def mongomock_takes_this_pymongos_bulk_updates():
    """pymongo 4.17's UpdateOne hands `sort` to the bulk builder, which mongomock 4.3 does
    not take: drop it when empty (the code never sorts an update)."""
    builder = mongomock.collection.BulkOperationBuilder
    original = builder.add_update

    def add_update(self, *args, sort=None, **kwargs):
        assert not sort, "mongomock cannot sort an update"
        return original(self, *args, **kwargs)
    builder.add_update = add_update
    yield
    builder.add_update = original


@pytest.fixture(scope="session")
def keys():
    return new_key_pair()


@pytest.fixture(scope="session")
def config(keys):
    """The local stack's settings, with the run's key pair."""
    private, public = keys
    return Config(env="local", token_private_key=private, token_public_keys=public,
                  demo_signin=True)


@pytest.fixture
def db():
    return mongomock.MongoClient(tz_aware=True)["ideahub_unit"]


@pytest.fixture
def outbox(db):
    return Outbox(db, ("ideas", "votes", "sends"))


@pytest.fixture
def publisher(outbox):
    return FakePublisher(outbox)


@pytest.fixture
def rows():
    return FakeRows()


@pytest.fixture
def mailer():
    return FakeMailer()


@pytest.fixture
def make_app(config, db, outbox, publisher):
    """make_app("votes"[, config]) -> that service's Flask app, built by its create_app on the
    fakes.
    The ideas service's lists read every idea of the fake store (no Kafka here)."""
    def make(service, settings=config):
        store = importlib.import_module(f"services.{service}.store")
        app = importlib.import_module(f"services.{service}.app")
        hub = Hub(service, settings, db.client, db, outbox, publisher,
                  TokenVerifier(settings), store.ensure_indexes)
        if service == "ideas":
            return app.create_app(settings, hub=hub, feed=rows_of(db))
        return app.create_app(settings, hub=hub)
    return make


def rows_of(db):
    """A catalogue feed that reads every idea of the store again at each list."""
    from services.ideas.catalogue import values_of
    return lambda: [values_of(idea) for idea in db.ideas.find()]


@pytest.fixture
def token(config):
    """token(sub, roles=("agent",), unit=..., name=..., email=...) -> a bearer token."""
    def make(sub="alice", roles=("agent",), unit="Service urbanisme", name=None, email=None):
        return mint_token(config, sub, name or f"Agent {sub}", list(roles), unit,
                          email or f"{sub}@ville.test")
    return make


@pytest.fixture
def auth(token):
    """auth(sub, ...) -> the Authorization header of that caller (same arguments as token)."""
    def make(*args, **kwargs):
        return {"Authorization": f"Bearer {token(*args, **kwargs)}"}
    return make


@pytest.fixture
def clock(monkeypatch):
    """Each request of the ideas API happens one second after the previous one, so creation
    order is unambiguous (real requests may share a millisecond)."""
    start = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
    ticks = (iso(start + timedelta(seconds=n)) for n in itertools.count())
    monkeypatch.setattr("services.ideas.api.now_iso", lambda: next(ticks))
