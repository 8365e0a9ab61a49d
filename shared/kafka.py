"""Kafka plumbing: topics, producers, and the publisher fed by the outbox (the consumer loop
is in shared/consumer.py).

Clients are made on first use, in the process that uses them (after gunicorn forks).
"""
import logging
import queue
import socket
import threading
import time

from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError
from kafka.producer.transaction_manager import TransactionState
from prometheus_client import Counter
from pymongo.errors import PyMongoError

from shared import keyring as keyrings, sealing
from shared.events import CATALOGUE, STATE_TOPICS, TOPICS, encode, split_type, topic_of
from shared.outbox import ALERT_EVERY

log = logging.getLogger(__name__)

PARTITIONS = 3
# Kafka's protocol version, given so that a client can be built while the broker is away.
API_VERSION = (3, 9)
# After a broker restart, clients try again at least every 2 s (kafka-python's default grows
# to 30 s, which left consumers idle long after Kafka was back).
RECONNECT = {"reconnect_backoff_ms": 100, "reconnect_backoff_max_ms": 2000}
# Event topics keep their whole history: read models are rebuilt from offset 0.
EVENT_TOPIC_CONFIG = {"retention.ms": "-1", "retention.bytes": "-1"}
# A state topic keeps the latest record per key (services/ideas/listing.py). Its rows hold
# titles and search terms in clear: when an erased person's texts go, their ideas' new rows
# replace the old ones, which compaction removes within a day (max.compaction.lag.ms),
# however little else changed.
STATE_TOPIC_CONFIG = {"cleanup.policy": "compact", "min.compaction.lag.ms": "0",
                      "segment.ms": "3600000", "max.compaction.lag.ms": "86400000"}

EVENTS_PUBLISHED = Counter("hub_events_published_total", "Events acknowledged by Kafka", ["topic"])


def all_topics(config):
    """name -> topic configuration: the event topics, their dead-letter topics, the states."""
    names = [config.topic(t) for t in TOPICS]
    topics = {name: EVENT_TOPIC_CONFIG for name in names}
    topics.update({f"{name}.dlq": EVENT_TOPIC_CONFIG for name in names})
    topics.update({config.topic(t): STATE_TOPIC_CONFIG for t in STATE_TOPICS})
    return topics


def ensure_topics(config, partitions=PARTITIONS):
    """Create the topics and their dead-letter topics; existing ones are left as they are."""
    admin = KafkaAdminClient(bootstrap_servers=config.kafka_bootstrap, client_id="ideahub-admin")
    try:
        existing = set(admin.list_topics())
        wanted = all_topics(config)
        missing = [NewTopic(name, partitions, 1, topic_configs=dict(settings))
                   for name, settings in wanted.items() if name not in existing]
        if missing:
            try:
                admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass  # another process created them meanwhile
        # Topics made by an earlier version kept the broker's 7-day retention: a replay from
        # offset 0 would then rebuild from a part of the history.
        # (raise_on_unknown=False: kafka-python 3.0 does not list retention.ms among a
        # topic's dynamic configs, though the broker accepts it.)
        stale = [ConfigResource(ConfigResourceType.TOPIC, name, configs=settings)
                 for name, settings in wanted.items() if name in existing]
        if stale:
            admin.alter_configs(stale, raise_on_unknown=False)
        return [t.name for t in missing]
    finally:
        admin.close()


def producer_for(config, client_id):
    """A producer that never writes an event twice (idempotence) nor loses an acknowledged
    one (acks=all), and pipelines: sends do not wait for the previous acknowledgement."""
    producer = KafkaProducer(
        bootstrap_servers=config.kafka_bootstrap,
        client_id=client_id,
        api_version=API_VERSION,
        acks="all",
        enable_idempotence=True,
        # A few ms of batching: the request path does not wait for it, and Kafka and the
        # pure-Python client spend their CPU per request, not per event.
        linger_ms=10,
        max_block_ms=int(MAX_BLOCK * 1000),
        request_timeout_ms=4000,
        delivery_timeout_ms=int(DELIVERY_TIMEOUT * 1000),
        **RECONNECT,
    )
    _reinitialise_after_reset(producer._transaction_manager)
    return producer


def _reinitialise_after_reset(manager):
    """Work around a kafka-python 3.0 bug that silences an idempotent producer for good.
    When a batch already sent expires (Kafka away longer than DELIVERY_TIMEOUT), the client
    clears its producer id but stays READY, while its sender asks for a new id only when
    UNINITIALIZED: it then never sends again, and never fails what it holds (measured: the
    ideas consumer's rows stuck after Kafka's restart, its offsets never committed). Like
    the Java client (KAFKA-7737), a reset goes back to UNINITIALIZED, so a new id is asked."""
    reset = manager.reset_producer_id

    def reset_and_reinitialise():
        reset()
        with manager._lock:
            manager._current_state = TransactionState.UNINITIALIZED
    manager.reset_producer_id = reset_and_reinitialise


# A send settles (acknowledged or failed for good) within DELIVERY_TIMEOUT of the producer's
# `send` returning, in principle: kafka-python enforces it late, so the publisher drops its
# producer at the first failure (Publisher._abandon_producer) and nothing it held can reach
# Kafka later. `send` itself may wait up to MAX_BLOCK for metadata (Kafka away).
DELIVERY_TIMEOUT = 8.0
MAX_BLOCK = 3.0
# The request path hands the producer only events younger than FRESH; the relay sends only
# older than shared.outbox.RELAY_GRACE > FRESH + MAX_BLOCK + DELIVERY_TIMEOUT. The two never
# send the same event at once, so an outage does not publish an event twice (consumers would
# ignore the copy, but the topic stays clean).
FRESH = 5.0


class Publisher:
    """Sends outbox events to Kafka; pulls each from its document once acknowledged.

    `publish` returns at once: a background thread hands the events to the producer, which
    batches them and keeps several requests in flight. Acknowledgements come back through
    callbacks onto the same queue, and the thread pulls the acknowledged events from their
    documents, many in one round trip. The thread sleeps while there is nothing to do. After
    a failure it stops sending for `backoff` seconds, raises the outbox's alert and leaves
    the events to the relay.
    """

    def __init__(self, config, outbox=None, backoff=5.0, keyring=None):
        self.config = config
        self.outbox = outbox
        self.keyring = keyring
        self.backoff = backoff
        self._producer = None
        self._lock = threading.Lock()
        self._inbox = queue.Queue()  # ("send", ...) from publish, ("ack", ...) from Kafka
        self._thread = None
        self._failed_at = 0.0
        self._alerted_at = 0.0
        self._in_flight = 0

    def producer(self):
        with self._lock:
            if self._producer is None:
                self._producer = producer_for(self.config, "ideahub-publisher")
            return self._producer

    def connected(self, timeout=1.0):
        """A broker accepts connections (the readiness check: cheap, and honest even when the
        producer's cached metadata would let it believe Kafka is there)."""
        for server in self.config.kafka_bootstrap.split(","):
            host, _, port = server.strip().rpartition(":")
            try:
                socket.create_connection((host, int(port)), timeout=timeout).close()
                return True
            except (OSError, ValueError):
                continue
        return False

    def send_now(self, events):
        """Send `events` in order, all at once (the producer keeps their order), and wait for
        Kafka's acknowledgements: how many were acknowledged before the first that failed."""
        sent = 0
        try:
            futures = [(event, *self._produce(event)) for event in events]
            for event, topic, future in futures:
                future.get(DELIVERY_TIMEOUT + 5)
                EVENTS_PUBLISHED.labels(topic).inc()
                sent += 1
        except KafkaError as error:
            self._failed_at = time.monotonic()
            self._abandon_producer()
            log.warning("could not publish %s %s: %s", events[sent]["type"], events[sent]["id"],
                        error)
        return sent

    def publish(self, events, collection=None, doc_id=None):
        """Send `events` without waiting. Those stored in the outbox of document `doc_id` of
        `collection` are pulled from it once acknowledged."""
        if not events:
            return
        if time.monotonic() - self._failed_at < self.backoff:
            self._leave_to_relay()  # Kafka failed a moment ago
            return
        self._inbox.put(("send", time.monotonic(), events, collection, doc_id))
        self._start()

    def drain(self, timeout=10.0):
        """Wait until every queued event is acknowledged or failed, and the acknowledged ones
        are pulled from the outbox (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while (self._inbox.unfinished_tasks or self._in_flight) and time.monotonic() < deadline:
            time.sleep(0.01)

    def _start(self):
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="publisher", daemon=True)
                self._thread.start()

    def _run(self):
        while True:
            messages = [self._inbox.get()]  # sleeps until there is something to do
            while True:  # and takes everything else waiting, to settle acks together
                try:
                    messages.append(self._inbox.get_nowait())
                except queue.Empty:
                    break
            try:
                self._handle(messages)
            finally:
                for _ in messages:
                    self._inbox.task_done()

    def _handle(self, messages):
        done, failed = [], None
        for kind, *message in messages:
            if kind == "send":
                self._send_all(*message)
                continue
            topic, collection, doc_id, outcome = message
            with self._lock:
                self._in_flight -= 1
            if topic is None:
                failed = outcome
            else:
                EVENTS_PUBLISHED.labels(topic).inc()
                if collection is not None:
                    done.append((collection, doc_id, outcome))
        try:
            if done and self.outbox is not None:
                self.outbox.sent(done)
        except PyMongoError as error:  # the relay sends them again later: consumers dedupe
            log.warning("published %d event(s) but could not clear them: %s", len(done), error)
        if failed is not None:
            self._failure(failed)

    def _send_all(self, queued_at, events, collection, doc_id):
        try:
            for event in events:
                # Checked before each: the sends before it may each have waited MAX_BLOCK.
                if time.monotonic() - queued_at > FRESH:
                    self._leave_to_relay()  # stale after a slow or failed send
                    return
                self._send(event, collection, doc_id)
        except KafkaError as error:  # no metadata within max_block_ms: Kafka is away
            self._failure(error)

    def _produce(self, event):
        """(topic, future) of one event handed to the producer, keyed by its subject, its
        personal fields sealed."""
        topic = self.config.topic(topic_of(event))
        return topic, self.producer().send(topic, key=event["subject"].encode(),
                                           value=encode(self._sealed(event)))

    def _sealed(self, event):
        if self.keyring is None:
            self.keyring = keyrings.for_config(self.config)
        schema = CATALOGUE[split_type(event["type"])][1]
        try:
            return {**event, "data": sealing.seal(schema, event["data"], self.keyring)}
        except PyMongoError as error:  # no key to seal with: the event waits in its outbox
            raise KafkaError(f"the keys are unavailable: {error}") from None

    def _send(self, event, collection, doc_id):
        topic, future = self._produce(event)
        with self._lock:
            self._in_flight += 1
        future.add_callback(
            lambda _: self._inbox.put(("ack", topic, collection, doc_id, event["id"])))
        future.add_errback(lambda error: self._inbox.put(("ack", None, None, None, error)))

    def _failure(self, error):
        self._failed_at = time.monotonic()
        self._abandon_producer()
        log.warning("could not publish: %s; the relay will send what is left", error)
        self._leave_to_relay()

    def _abandon_producer(self):
        """Kafka failed: what this producer still holds is the relay's now, so it is dropped
        (its futures fail) and the next send starts a new producer. Left to the producer's
        own delivery timeout, it could still reach Kafka after the relay sent it again:
        kafka-python enforces that timeout late (a batch expired after 17.9 s for 8 s on
        the test stack), and supports were published twice after an outage."""
        with self._lock:
            producer, self._producer = self._producer, None
        if producer is None:
            return
        # close() flushes first, waiting for what we drop: stop its I/O thread at once.
        producer._sender.force_close()
        try:
            producer.close(timeout=0)
        except KafkaError:  # still aborting its batches in its own thread: it ends there
            pass

    def _leave_to_relay(self):
        """Raise the outbox's alert, so the relay sweeps once these events pass its grace; at
        most once a second, not once per request while Kafka is away."""
        if self.outbox is None or time.monotonic() - self._alerted_at < ALERT_EVERY:
            return
        self._alerted_at = time.monotonic()
        try:
            self.outbox.raise_alert()
        except PyMongoError:  # the relay's safety sweep finds the events all the same
            pass

    def close(self):
        self.drain(5)
        if self._producer is not None:
            self._producer.close(timeout=5)
