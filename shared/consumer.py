"""The consumer side of Kafka: the loop that applies events to a read model, replays from
offset 0, and dead letters sent back once their cause is fixed."""
import hashlib
import logging
import socket
import time

from kafka import KafkaAdminClient, KafkaConsumer
from kafka.coordinator.assignors.range import RangePartitionAssignor
from kafka.structs import OffsetAndMetadata, TopicPartition
from prometheus_client import Counter
from pymongo.errors import PyMongoError

from shared import keyring as keyrings, sealing
from shared.events import InvalidEvent, decode
from shared.kafka import API_VERSION, RECONNECT, producer_for
from shared.mongo import Conflict, is_transient

log = logging.getLogger(__name__)

EVENTS_CONSUMED = Counter(
    "hub_events_consumed_total", "Events read by a consumer", ["group", "type", "outcome"]
)


class EventConsumer:
    """Reads topics in a consumer group and runs one handler per event type and version.

    Offsets are committed after the handlers ran, so every event is handled at least once;
    handlers make their effects idempotent. A message that cannot be read, or whose handler
    fails for a reason other than a store away or busy, goes to `<topic>.dlq` and the
    consumer carries on. A store away or busy holds the loop, retrying, until it is back.

    `handlers`: (type, version) -> handler(payload, envelope). `batch_handlers`: (type,
    version) -> handler([(payload, envelope), ...]), for events cheaper applied together: it
    gets the consecutive events of one partition, in offset order (one handler may serve
    several types). `before_commit()` runs after each partition's batch, before its offsets
    are committed (to flush what the handlers sent).
    """

    def __init__(self, config, group, topics, handlers, batch_handlers=None, poll_ms=500,
                 max_records=500, before_commit=None, keyring=None):
        self.config = config
        self.keyring = keyring
        self.group = config.group(group)
        self.topics = [config.topic(t) for t in topics]
        self.handlers = handlers
        self.batch_handlers = batch_handlers or {}
        self.poll_ms = poll_ms
        self.max_records = max_records
        self.before_commit = before_commit
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
            # per host and service (a container each, in production). The member is named
            # after its topics too: the group gives a static member that rejoins its old
            # assignment, so a release that reads one more topic would never be given it
            # (measured: the digest consumer, given the people topic, was not); a new name
            # is a new member, which the group rebalances for once the old one's session ends.
            group_instance_id=f"{self.group}@{socket.gethostname()}:{topics_tag(self.topics)}",
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
                    self.apply(records, stopping)
                    if stopping.is_set():
                        return
                    if self.before_commit is not None:
                        self.before_commit()
                    last = records[-1].offset
                    consumer.commit({partition: OffsetAndMetadata(last + 1, "", -1)})
        finally:
            consumer.close(autocommit=False)

    def apply(self, records, stopping=None):
        """Apply records of one partition, in offset order. Returns the outcome of each
        ("applied", "ignored", "dead-lettered"), for tests and metrics."""
        outcomes, together = [], []
        for record in records:
            event = self._read(record)
            if event is None:
                outcomes.append("dead-lettered")
                continue
            key, payload, envelope = event
            if key in self.batch_handlers:
                together.append((record, key, payload, envelope))
                continue
            outcomes += self._apply_together(together, stopping)
            together = []
            handler = self.handlers.get(key)
            if handler is None:
                EVENTS_CONSUMED.labels(self.group, envelope["type"], "ignored").inc()
                outcomes.append("ignored")
                continue
            outcomes.append(self._attempt(lambda: handler(self._opened(payload), envelope),
                                          [record], envelope, stopping))
        return outcomes + self._apply_together(together, stopping)

    def _read(self, record):
        try:
            name, version, envelope, payload = decode(record.value)
        except InvalidEvent as error:
            self._dead_letter(record, str(error), "invalid")
            return None
        # Where the event sits in its partition: all of one idea's events share a partition,
        # so a read model fences an effect with the offset it stores beside it.
        envelope = {**envelope, "position": {"topic": record.topic, "partition": record.partition,
                                             "offset": record.offset}}
        return (name, version), payload, envelope

    def _apply_together(self, together, stopping):
        """Consecutive events of batch handlers, one call per run of the same handler. If a
        run fails for good, its events are tried one by one, so only the bad one is parked."""
        outcomes, start = [], 0
        while start < len(together):
            handler = self.batch_handlers[together[start][1]]
            end = start
            while end < len(together) and self.batch_handlers[together[end][1]] is handler:
                end += 1
            run = together[start:end]
            events = [(payload, envelope) for _, _, payload, envelope in run]
            outcome = self._attempt(lambda: handler(self._opened_all(events)),
                                    [r for r, *_ in run],
                                    run[-1][3], stopping, park=len(run) == 1)
            if outcome == "failed":  # several events, one of them bad: find it
                for one in run:
                    outcomes.append(self._attempt(
                        lambda one=one: handler(self._opened_all([one[2:]])), [one[0]],
                        one[3], stopping))
            else:
                outcomes += [outcome] * len(run)
            start = end
        return outcomes

    def _opened(self, payload):
        """The payload with its sealed personal fields opened (shared/sealing.py): inside
        the attempt, so that a keys database away is retried like the store."""
        if self.keyring is None:
            self.keyring = keyrings.for_config(self.config)
        return sealing.open_sealed(payload, self.keyring)

    def _opened_all(self, events):
        return [(self._opened(payload), envelope) for payload, envelope in events]

    def _attempt(self, apply, records, envelope, stopping, park=True):
        """Run `apply()`, retrying in place while the store is away or busy; a failure for
        good sends `records` to the DLQ (or returns "failed" when `park` is False)."""
        pause = 0.2
        while True:
            try:
                apply()
                for _ in records:
                    EVENTS_CONSUMED.labels(self.group, envelope["type"], "applied").inc()
                return "applied"
            except (PyMongoError, Conflict) as error:
                if not is_transient(error):
                    return self._failed(records, error, envelope, park)
                # The store away or a write conflict: the same events, tried again, apply.
                log.warning("store unavailable or busy, retrying %s: %s", envelope["id"], error)
                if stopping is None:
                    time.sleep(pause)
                elif stopping.wait(pause):
                    raise
                pause = min(pause * 2, 5.0)
            except Exception as error:  # a bug or data we cannot apply: park it, go on
                return self._failed(records, error, envelope, park)

    def _failed(self, records, error, envelope, park):
        if not park:
            return "failed"
        log.exception("handler failed for %s", envelope["id"])
        for record in records:
            self._dead_letter(record, f"{type(error).__name__}: {error}", "failed")
        return "dead-lettered"

    def _dead_letter(self, record, reason, outcome):
        if self._dlq is None:
            self._dlq = producer_for(self.config, f"{self.group}-dlq")
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


def topics_tag(topics):
    """A short name for a set of topics."""
    return hashlib.blake2b(",".join(sorted(topics)).encode(), digest_size=4).hexdigest()


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
                records = [r for r in records if r.offset < ends[tp]]
                event_consumer.apply(records)
                applied += len(records)
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
