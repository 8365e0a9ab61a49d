"""The ideas as lists show them, through the compacted Kafka topic `idea-rows`.

The ideas consumer publishes an idea's row (catalogue.values_of) after each change it sees;
each process that serves lists reads the topic from offset 0, then follows it. No group: every
process reads every partition. Kafka compacts the topic to the latest row per idea, so a new
process reads one row per idea, however long the hub has run.
"""
import json
import logging
import threading
import time

from kafka import KafkaConsumer
from kafka.errors import KafkaError
from kafka.structs import TopicPartition

from shared.kafka import API_VERSION, RECONNECT, producer_for
from services.ideas.catalogue import ROW_FIELDS, values_of

log = logging.getLogger(__name__)

TOPIC = "idea-rows"
# How long a list waits, at a process's start, for the rows the topic already holds (the
# process reports itself not ready meanwhile); past it, a list shows what is read so far
# rather than hold a request while Kafka is away.
FIRST_LOAD = 10.0


class RowPublisher:
    """The ideas consumer's side: publish an idea's row as it is stored now."""

    def __init__(self, config, db):
        self.topic = config.topic(TOPIC)
        self.ideas = db.ideas
        self.config = config
        self._producer = None

    def publish(self, idea_id):
        self.publish_many([idea_id])

    def publish_many(self, idea_ids):
        """The rows of these ideas, read in one round trip."""
        if not idea_ids:
            return
        if self._producer is None:
            self._producer = producer_for(self.config, "ideahub-rows")
        for idea in self.ideas.find({"_id": {"$in": list(idea_ids)}},
                                    dict.fromkeys(ROW_FIELDS, True)):
            self._producer.send(self.topic, key=idea["_id"].encode(), value=json.dumps(
                values_of(idea), ensure_ascii=False).encode("utf-8"))

    def flush(self):
        """Before the consumer commits its offsets: a row lost in a crash is published again
        when its event is redelivered."""
        if self._producer is not None:
            self._producer.flush(timeout=30)


class RowFeed:
    """The reading side, for catalogue.Catalogue: a background thread reads the topic; each
    call returns the rows read since the previous call. The first call waits until what the
    topic held at start is read (FIRST_LOAD at most)."""

    def __init__(self, config, first_load=FIRST_LOAD):
        self.config = config
        self.topic = config.topic(TOPIC)
        self.first_load = first_load
        self.loaded = threading.Event()
        self._rows = []
        self._positions = {}  # partition -> next offset to read, kept across reconnections
        self._lock = threading.Lock()
        self._thread = None

    def start(self):
        """Read the topic in a background thread (from the first call, at the latest)."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._follow, name="idea-rows",
                                                daemon=True)
                self._thread.start()

    def __call__(self):
        self.start()
        self.loaded.wait(self.first_load)
        with self._lock:
            rows, self._rows = self._rows, []
        return rows

    def _follow(self):
        while True:
            try:
                self._read()
            except KafkaError as error:  # Kafka away: the lists show what they had
                log.warning("idea rows: %s; reading again shortly", error)
                time.sleep(2)

    def _read(self):
        consumer = KafkaConsumer(bootstrap_servers=self.config.kafka_bootstrap,
                                 api_version=API_VERSION, enable_auto_commit=False,
                                 group_id=None, fetch_max_wait_ms=50,
                                 max_partition_fetch_bytes=8 * 1024 * 1024, **RECONNECT)
        try:
            partitions = None
            while not partitions:
                partitions = [TopicPartition(self.topic, p) for p in
                              sorted(consumer.partitions_for_topic(self.topic) or ())]
                if not partitions:
                    time.sleep(1)
            consumer.assign(partitions)
            consumer.seek_to_beginning(*partitions)
            for tp in partitions:
                if tp.partition in self._positions:
                    consumer.seek(tp, self._positions[tp.partition])
            ends = consumer.end_offsets(partitions)
            while True:
                batch = consumer.poll(timeout_ms=200, max_records=5000)
                read = [json.loads(record.value) for records in batch.values()
                        for record in records if record.value is not None]
                if read:
                    with self._lock:
                        self._rows.extend(read)
                for tp, records in batch.items():
                    self._positions[tp.partition] = records[-1].offset + 1
                if not self.loaded.is_set() and all(
                        consumer.position(tp) >= ends[tp] for tp in partitions):
                    self.loaded.set()
        finally:
            consumer.close()
