"""A service's hub over a scratch database and scratch topics on the running stack's store
and Kafka, dropped afterwards, for the benchmarks that seed their own data (bench/digest.py,
bench/ideas_list.py): what they write never reaches the dev hub's databases or topics."""
import contextlib
import uuid

from kafka import KafkaAdminClient
from kafka.admin import NewTopic

from shared.api import make_hub
from shared.config import load_config
from shared.kafka import PARTITIONS


@contextlib.contextmanager
def scratch_hub(service, ensure_indexes, outbox_collections=(), topics=()):
    """`topics`: the short names (e.g. "digests") of the topics its publisher sends to."""
    scratch = f"bench_{uuid.uuid4().hex[:6]}"
    config = load_config(db_prefix=f"{scratch}_", topic_prefix=scratch)
    names = [config.topic(t) for t in topics]
    if names:
        admin = KafkaAdminClient(bootstrap_servers=config.kafka_bootstrap,
                                 client_id="ideahub-bench")
        admin.create_topics([NewTopic(name, PARTITIONS, 1) for name in names])
    hub = make_hub(service, config, ensure_indexes, outbox_collections)
    hub.prepare_database()
    try:
        yield hub
    finally:
        hub.publisher.close()
        hub.client.drop_database(hub.db.name)
        hub.client.close()
        if names:
            admin.delete_topics(names)
            admin.close()
