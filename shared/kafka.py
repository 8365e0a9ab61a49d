"""Kafka plumbing: topics, the publisher fed by the outbox, and the consumer loop.

Clients are made on first use, in the process that uses them (after gunicorn forks).
"""
import logging
import queue
import socket
import threading
import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
from kafka.coordinator.assignors.range import RangePartitionAssignor
from kafka.errors import KafkaError, TopicAlreadyExistsError
from kafka.structs import OffsetAndMetadata, TopicPartition
from prometheus_client import Counter
from pymongo.errors import PyMongoError

from shared.events import STATE_TOPICS, TOPICS, InvalidEvent, decode, encode, topic_of
from shared.mongo import Conflict, is_transient

log = logging.getLogger(__name__)

PARTITIONS = 3
# Kafka's protocol version, given so that a client can be built while the broker is away.
API_VERSION = (3, 9)
# After a broker restart, clients try again at least every 2 s (kafka-python's default grows
# to 30 s, which left consumers idle long after Kafka was back).
RECONNECT = {"reconnect_backoff_ms": 100, "reconnect_backoff_max_ms": 2000}
# Event topics keep their whole history: read models are rebuilt from offset 0.
EVENT_TOPIC_CONFIG = {"retention.ms": "-1", "retention.bytes": "-1"}
# A state topic keeps the latest record per key (services/ideas/listing.py).
STATE_TOPIC_CONFIG = {"cleanup.policy": "compact", "min.compaction.lag.ms": "0",
                      "segment.ms": "3600000"}

EVENTS_PUBLISHED = Counter("hub_events_published_total", "Events acknowledged by Kafka", ["topic"])
EVENTS_CONSUMED = Counter(
    "hub_events_consumed_total", "Events read by a consumer", ["group", "type", "outcome"]
)


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
    return KafkaProducer(
        bootstrap_servers=config.kafka_bootstrap,
        client_id=client_id,
        api_version=API_VERSION,
        acks="all",
        enable_idempotence=True,
        linger_ms=2,
        max_block_ms=3000,
        request_timeout_ms=4000,
        delivery_timeout_ms=int(DELIVERY_TIMEOUT * 1000),
        **RECONNECT,
    )


# A send settles (acknowledged or failed for good) within DELIVERY_TIMEOUT: past it the
# producer has dropped the record, so nothing it still holds can reach Kafka later.
DELIVERY_TIMEOUT = 8.0
# The request path sends only events younger than FRESH; the relay only older than
# shared.outbox.RELAY_GRACE > FRESH + DELIVERY_TIMEOUT. The two never send the same event
# at once, so an outage does not publish an event twice (consumers would ignore the copy,
# but the topic stays clean).
FRESH = 5.0


class Publisher:
    """Sends outbox events to Kafka; pulls each from its document once acknowledged.

    `publish` returns at once: a background thread hands the events to the producer, which
    batches them and keeps several requests in flight; acknowledgements come back through
    callbacks, and the same thread pulls the acknowledged events from their documents, many
    in one round trip. After a failure it stops sending for `backoff` seconds, raises the
    outbox's alert and leaves the events to the relay.
    """

    def __init__(self, config, outbox=None, backoff=5.0):
        self.config = config
        self.outbox = outbox
        self.backoff = backoff
        self._producer = None
        self._lock = threading.Lock()
        self._queue = queue.Queue()
        self._acks = queue.Queue()
        self._thread = None
        self._failed_at = 0.0
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

    def send_now(self, event):
        """Send one event and wait until Kafka acknowledged it (True) or it failed for good."""
        topic = self.config.topic(topic_of(event))
        try:
            future = self.producer().send(topic, key=event["subject"].encode(),
                                          value=encode(event))
            future.get(DELIVERY_TIMEOUT + 5)
        except KafkaError as error:
            self._failed_at = time.monotonic()
            log.warning("could not publish %s %s: %s", event["type"], event["id"], error)
            return False
        EVENTS_PUBLISHED.labels(topic).inc()
        return True

    def publish(self, events, collection=None, doc_id=None):
        """Send `events` without waiting. Those stored in the outbox of document `doc_id` of
        `collection` are pulled from it once acknowledged."""
        if not events:
            return
        if time.monotonic() - self._failed_at < self.backoff:
            self._leave_to_relay()  # Kafka failed a moment ago
            return
        self._queue.put((time.monotonic(), events, collection, doc_id))
        self._start()

    def drain(self, timeout=10.0):
        """Wait until every queued event is acknowledged or failed, and the acknowledged ones
        are pulled from the outbox (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while (self._queue.unfinished_tasks or self._in_flight or self._acks.qsize()) \
                and time.monotonic() < deadline:
            time.sleep(0.01)

    def _start(self):
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="publisher", daemon=True)
                self._thread.start()

    def _run(self):
        while True:
            self._settle()
            try:
                queued_at, events, collection, doc_id = self._queue.get(timeout=0.005)
            except queue.Empty:
                continue
            try:
                if time.monotonic() - queued_at > FRESH:
                    self._leave_to_relay()  # stale after a slow or failed send
                else:
                    for event in events:
                        self._send(event, collection, doc_id)
            except KafkaError as error:  # no metadata within max_block_ms: Kafka is away
                self._failure(error)
            finally:
                self._queue.task_done()

    def _send(self, event, collection, doc_id):
        topic = self.config.topic(topic_of(event))
        future = self.producer().send(topic, key=event["subject"].encode(), value=encode(event))
        with self._lock:
            self._in_flight += 1
        future.add_callback(lambda _: self._acks.put((topic, collection, doc_id, event["id"])))
        future.add_errback(lambda error: self._acks.put((None, None, None, error)))

    def _settle(self):
        """Pull the acknowledged events from the outbox, in one round trip per collection."""
        done, failed = [], None
        while True:
            try:
                topic, collection, doc_id, outcome = self._acks.get_nowait()
            except queue.Empty:
                break
            with self._lock:
                self._in_flight -= 1
            if topic is None:
                failed = outcome
                continue
            EVENTS_PUBLISHED.labels(topic).inc()
            if collection is not None:
                done.append((collection, doc_id, outcome))
        try:
            if done and self.outbox is not None:
                self.outbox.sent(done)
            if failed is not None:
                self._failure(failed)
        except PyMongoError as error:  # the relay sends them again later: consumers dedupe
            log.warning("published %d event(s) but could not clear them: %s", len(done), error)

    def _failure(self, error):
        self._failed_at = time.monotonic()
        log.warning("could not publish: %s; the relay will send what is left", error)
        self._leave_to_relay()

    def _leave_to_relay(self):
        """Raise the outbox's alert, so the relay sweeps once these events pass its grace."""
        if self.outbox is not None:
            try:
                self.outbox.raise_alert()
            except PyMongoError:  # the relay's safety sweep finds the events all the same
                pass

    def close(self):
        self.drain(5)
        if self._producer is not None:
            self._producer.close(timeout=5)


class EventConsumer:
    """Reads topics in a consumer group and runs one handler per event type and version.

    Offsets are committed after the handlers ran, so every event is handled at least once;
    handlers make their effects idempotent. A message that cannot be read, or whose handler
    fails for a reason other than an unavailable database, goes to `<topic>.dlq` and the
    consumer carries on. An unavailable database stops the loop until it is back.
    """

    def __init__(self, config, group, topics, handlers, poll_ms=500, max_records=200,
                 before_commit=None):
        """`before_commit()`, if given, runs after each batch's handlers, before its offsets
        are committed (to flush what the handlers sent)."""
        self.before_commit = before_commit
        self.config = config
        self.group = config.group(group)
        self.topics = [config.topic(t) for t in topics]
        self.handlers = handlers
        self.poll_ms = poll_ms
        self.max_records = max_records
        self._dlq = None

    def consumer(self, **overrides):
        options = dict(
            bootstrap_servers=self.config.kafka_bootstrap,
            group_id=self.group,
            client_id=self.group,
            api_version=API_VERSION,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            # All topics are keyed by idea id with the same partition count: range assignment
            # gives one process every event of an idea, so it is the only writer of its state.
            partition_assignment_strategy=[RangePartitionAssignor],
            max_poll_records=self.max_records,
            # Static membership: a consumer restarted after a crash takes its partitions back
            # at once instead of waiting for its old self's session to expire. One instance
            # per host and service (a container each, in production).
            group_instance_id=f"{self.group}@{socket.gethostname()}",
            session_timeout_ms=10000,
            **RECONNECT,
        )
        options.update(overrides)
        return KafkaConsumer(**options)

    def run(self, stopping):
        consumer = self.consumer()
        consumer.subscribe(self.topics)
        log.info("%s consuming %s", self.group, ", ".join(self.topics))
        try:
            while not stopping.is_set():
                batch = consumer.poll(timeout_ms=self.poll_ms)
                for partition, records in batch.items():
                    for record in records:
                        self.handle(record, stopping)
                    if stopping.is_set():
                        return
                    if self.before_commit is not None:
                        self.before_commit()
                    last = records[-1].offset
                    consumer.commit({partition: OffsetAndMetadata(last + 1, "", -1)})
        finally:
            consumer.close(autocommit=False)

    def handle(self, record, stopping=None):
        """Apply one Kafka record; returns the outcome (for tests and metrics)."""
        try:
            name, version, envelope, payload = decode(record.value)
        except InvalidEvent as error:
            return self._dead_letter(record, str(error), "invalid")
        handler = self.handlers.get((name, version))
        # Where the event sits in its partition: all of one idea's events share a partition,
        # so a read model fences an effect with the offset it stores beside it.
        envelope = {**envelope, "position": {"topic": record.topic, "partition": record.partition,
                                             "offset": record.offset}}
        if handler is None:
            EVENTS_CONSUMED.labels(self.group, envelope["type"], "ignored").inc()
            return "ignored"
        pause = 0.2
        while True:
            try:
                handler(payload, envelope)
                EVENTS_CONSUMED.labels(self.group, envelope["type"], "applied").inc()
                return "applied"
            except (PyMongoError, Conflict) as error:
                if not is_transient(error):
                    log.exception("handler failed for %s", envelope["id"])
                    return self._dead_letter(record, f"{type(error).__name__}: {error}",
                                             "failed")
                # The store away or a write conflict: the same event, tried again, applies.
                log.warning("store unavailable or busy, retrying %s: %s", envelope["id"], error)
                if stopping is None:
                    time.sleep(pause)
                elif stopping.wait(pause):
                    raise
                pause = min(pause * 2, 5.0)
            except Exception as error:  # a bug or data we cannot apply: park it, go on
                log.exception("handler failed for %s", envelope["id"])
                return self._dead_letter(record, f"{type(error).__name__}: {error}", "failed")

    def _dead_letter(self, record, reason, outcome):
        if self._dlq is None:
            self._dlq = KafkaProducer(
                bootstrap_servers=self.config.kafka_bootstrap, api_version=API_VERSION, acks="all"
            )
        headers = [
            ("error", reason.encode("utf-8")[:1000]),
            ("original_topic", record.topic.encode()),
            ("original_partition", str(record.partition).encode()),
            ("original_offset", str(record.offset).encode()),
            ("consumer_group", self.group.encode()),
        ]
        self._dlq.send(f"{record.topic}.dlq", key=record.key, value=record.value,
                       headers=headers).get(10)
        log.warning("sent %s:%s@%s to the DLQ: %s", record.topic, record.partition,
                    record.offset, reason)
        EVENTS_CONSUMED.labels(self.group, "?", outcome).inc()
        return "dead-lettered"


def group_is_active(config, group):
    admin = KafkaAdminClient(bootstrap_servers=config.kafka_bootstrap, client_id="ideahub-admin")
    try:
        described = admin.describe_groups([config.group(group)])
        return any(g.get("members") for g in described.values())
    finally:
        admin.close()


class HistoryLost(Exception):
    """A partition no longer starts at offset 0: a replay would rebuild from part of the log
    after wiping the read model."""


def check_history(event_consumer):
    """Raise HistoryLost unless every partition of the consumer's topics starts at 0."""
    consumer = event_consumer.consumer(group_instance_id=None)
    try:
        _check_starts(consumer, [TopicPartition(topic, p) for topic in event_consumer.topics
                                 for p in sorted(consumer.partitions_for_topic(topic) or ())])
    finally:
        consumer.close(autocommit=False)


def _check_starts(consumer, partitions):
    trimmed = {tp: first for tp, first in consumer.beginning_offsets(partitions).items() if first}
    if trimmed:
        raise HistoryLost(", ".join(f"{tp.topic}[{tp.partition}] starts at {first}"
                                    for tp, first in sorted(trimmed.items())))


def replay(event_consumer, progress=None):
    """Run every event of the consumer's topics through its handlers, from offset 0 to the end
    as it is now, then commit those ends for its group, so its process resumes after them.
    The group must have no running member (it would apply events concurrently)."""
    consumer = event_consumer.consumer(group_instance_id=None)
    partitions = [TopicPartition(topic, p) for topic in event_consumer.topics
                  for p in sorted(consumer.partitions_for_topic(topic) or ())]
    consumer.assign(partitions)
    try:
        _check_starts(consumer, partitions)
    except HistoryLost:
        consumer.close(autocommit=False)
        raise
    consumer.seek_to_beginning(*partitions)
    ends = consumer.end_offsets(partitions)
    applied = 0
    try:
        while any(consumer.position(tp) < ends[tp] for tp in partitions):
            for tp, records in consumer.poll(timeout_ms=1000).items():
                for record in records:
                    if record.offset < ends[tp]:
                        event_consumer.handle(record)
                        applied += 1
            if progress:
                progress(applied)
        if event_consumer.before_commit is not None:
            event_consumer.before_commit()
        consumer.commit({tp: OffsetAndMetadata(ends[tp], "", -1) for tp in partitions})
    finally:
        consumer.close(autocommit=False)
    return applied


def replay_dead_letters(config, topic, group="dlq-replay"):
    """Send the messages of `<topic>.dlq` back to the topic they came from, once the cause is
    fixed. The consumers' effects are idempotent, so an event that had partly applied is
    applied once. This command's own group remembers what it re-drove: run it again and it
    re-drives only what was dead-lettered since. Returns how many it sent."""
    source = config.topic(topic) + ".dlq"
    consumer = KafkaConsumer(source, bootstrap_servers=config.kafka_bootstrap,
                             group_id=config.group(group), api_version=API_VERSION,
                             enable_auto_commit=False, auto_offset_reset="earliest",
                             consumer_timeout_ms=3000, **RECONNECT)
    producer = producer_for(config, "ideahub-dlq-replay")
    sent = 0
    try:
        for record in consumer:
            original = dict(record.headers).get("original_topic", b"").decode() \
                or config.topic(topic)
            producer.send(original, key=record.key, value=record.value).get(10)
            consumer.commit({TopicPartition(record.topic, record.partition):
                             OffsetAndMetadata(record.offset + 1, "", -1)})
            sent += 1
    finally:
        producer.close(timeout=5)
        consumer.close(autocommit=False)
    return sent
