"""Integration tests run the services' own code in this process against the real Kafka and
MongoDB-wire store of the test stack, each test with topics and databases of its own."""
import threading
import uuid

import pytest
from kafka import KafkaConsumer, KafkaProducer

from shared.api import make_hub
from shared.kafka import API_VERSION, ensure_topics


@pytest.fixture
def isolated(config):
    """A configuration whose topics and databases no other test uses."""
    tag = uuid.uuid4().hex[:8]
    own = config.with_overrides(topic_prefix=f"it-{tag}", db_prefix=f"it_{tag}_")
    ensure_topics(own)
    yield own
    client = make_hub("ideas", own).client
    for name in client.list_database_names():
        if name.startswith(own.db_prefix):
            client.drop_database(name)


@pytest.fixture
def hub_for(isolated):
    hubs = []

    def make(service, ensure_indexes=None):
        hub = make_hub(service, isolated, ensure_indexes)
        hub.prepare_database()
        hubs.append(hub)
        return hub
    yield make
    for hub in hubs:
        hub.publisher.close()


@pytest.fixture
def producer(isolated):
    p = KafkaProducer(bootstrap_servers=isolated.kafka_bootstrap, api_version=API_VERSION,
                      acks="all")
    yield p
    p.close()


def read_topic(config, name, timeout_ms=3000):
    """Every record of a topic, from offset 0 (a fresh reader outside any group)."""
    consumer = KafkaConsumer(config.topic(name), bootstrap_servers=config.kafka_bootstrap,
                             api_version=API_VERSION, auto_offset_reset="earliest",
                             enable_auto_commit=False, consumer_timeout_ms=timeout_ms)
    try:
        return list(consumer)
    finally:
        consumer.close()


@pytest.fixture
def running():
    """running(event_consumer): run its loop in a thread until the test ends."""
    stops = []

    def start(event_consumer):
        stopping = threading.Event()
        thread = threading.Thread(target=event_consumer.run, args=(stopping,), daemon=True)
        thread.start()
        stops.append((stopping, thread))
    yield start
    for stopping, thread in stops:
        stopping.set()
        thread.join(10)
