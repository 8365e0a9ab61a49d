"""Kafka plumbing: topics, the publisher fed by the outbox, and the consumer loop.

Clients are made on first use, in the process that uses them (after gunicorn forks).
"""
import logging
import queue
import socket
import threading
import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.coordinator.assignors.range import RangePartitionAssignor
from kafka.errors import KafkaError, TopicAlreadyExistsError
from kafka.structs import OffsetAndMetadata, TopicPartition
from prometheus_client import Counter
from pymongo.errors import PyMongoError

from shared.events import TOPICS, InvalidEvent, decode, encode, topic_of
from shared.mongo import UNAVAILABLE

log = logging.getLogger(__name__)

PARTITIONS = 3
# Kafka's protocol version, given so that a client can be built while the broker is away.
API_VERSION = (3, 9)
# After a broker restart, clients try again at least every 2 s (kafka-python's default grows
# to 30 s, which left consumers idle long after Kafka was back).
RECONNECT = {"reconnect_backoff_ms": 100, "reconnect_backoff_max_ms": 2000}

EVENTS_PUBLISHED = Counter("hub_events_published_total", "Events acknowledged by Kafka", ["topic"])
EVENTS_CONSUMED = Counter(
    "hub_events_consumed_total", "Events read by a consumer", ["group", "type", "outcome"]
)


def all_topics(config):
    names = [config.topic(t) for t in TOPICS]
    return names + [f"{n}.dlq" for n in names]


def ensure_topics(config, partitions=PARTITIONS):
    """Create the topics and their dead-letter topics; existing ones are left as they are."""
    admin = KafkaAdminClient(bootstrap_servers=config.kafka_bootstrap, client_id="ideahub-admin")
    try:
        existing = set(admin.list_topics())
        missing = [NewTopic(n, partitions, 1) for n in all_topics(config) if n not in existing]
        if missing:
            try:
                admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass  # another process created them meanwhile
        return [t.name for t in missing]
    finally:
        admin.close()


# A send settles (acknowledged or failed for good) within DELIVERY_TIMEOUT: past it the
# producer has dropped the record, so nothing it still holds can reach Kafka later.
DELIVERY_TIMEOUT = 8.0
# The request path sends only events younger than FRESH; the relay only older than
# shared.outbox.RELAY_GRACE > FRESH + DELIVERY_TIMEOUT. The two never send the same event
# at once, so an outage does not publish an event twice (consumers would ignore the copy,
# but the topic stays clean).
FRESH = 5.0


class Publisher:
    """Sends outbox events to Kafka; deletes each from the outbox once acknowledged.

    `publish` returns at once: a background thread sends, so a request never waits for Kafka.
    After a failure it stops trying for `backoff` seconds and leaves the events to the relay.
    """

    def __init__(self, config, outbox=None, backoff=5.0):
        self.config = config
        self.outbox = outbox
        self.backoff = backoff
        self._producer = None
        self._lock = threading.Lock()
        self._queue = queue.Queue()
        self._thread = None
        self._failed_at = 0.0

    def producer(self):
        with self._lock:
            if self._producer is None:
                self._producer = KafkaProducer(
                    bootstrap_servers=self.config.kafka_bootstrap,
                    client_id="ideahub-publisher",
                    api_version=API_VERSION,
                    acks="all",
                    linger_ms=0,
                    max_block_ms=3000,
                    request_timeout_ms=4000,
                    delivery_timeout_ms=int(DELIVERY_TIMEOUT * 1000),
                    key_serializer=str.encode,
                    **RECONNECT,
                )
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
            future = self.producer().send(topic, key=event["subject"], value=encode(event))
            future.get(DELIVERY_TIMEOUT + 5)
        except KafkaError as error:
            self._failed_at = time.monotonic()
            log.warning("could not publish %s %s: %s", event["type"], event["id"], error)
            return False
        EVENTS_PUBLISHED.labels(topic).inc()
        return True

    def publish(self, events):
        if time.monotonic() - self._failed_at < self.backoff:
            return  # Kafka failed a moment ago: the relay will send these
        for event in events:
            self._queue.put((time.monotonic(), event))
        self._start()

    def drain(self, timeout=10.0):
        """Wait until the background thread has handled everything queued (tests, shutdown)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)

    def _start(self):
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="publisher", daemon=True)
                self._thread.start()

    def _run(self):
        while True:
            queued_at, event = self._queue.get()
            try:
                if time.monotonic() - queued_at > FRESH:
                    continue  # stale after a slow or failed send: the relay's now
                if self.send_now(event) and self.outbox is not None:
                    self.outbox.sent(event["id"])
            except PyMongoError as error:
                log.warning("published %s but could not clear it: %s", event["id"], error)
            finally:
                self._queue.task_done()

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

    def __init__(self, config, group, topics, handlers, poll_ms=500, max_records=200):
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
        if handler is None:
            EVENTS_CONSUMED.labels(self.group, envelope["type"], "ignored").inc()
            return "ignored"
        pause = 0.2
        while True:
            try:
                handler(payload, envelope)
                EVENTS_CONSUMED.labels(self.group, envelope["type"], "applied").inc()
                return "applied"
            except UNAVAILABLE as error:
                log.warning("database unavailable, retrying %s: %s", envelope["id"], error)
                if stopping is not None and stopping.wait(pause):
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


def replay(event_consumer, progress=None):
    """Run every event of the consumer's topics through its handlers, from offset 0 to the end
    as it is now, then commit those ends for its group, so its process resumes after them.
    The group must have no running member (it would apply events concurrently)."""
    consumer = event_consumer.consumer(group_instance_id=None)
    partitions = [TopicPartition(topic, p) for topic in event_consumer.topics
                  for p in sorted(consumer.partitions_for_topic(topic) or ())]
    consumer.assign(partitions)
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
        consumer.commit({tp: OffsetAndMetadata(ends[tp], "", -1) for tp in partitions})
    finally:
        consumer.close(autocommit=False)
    return applied
