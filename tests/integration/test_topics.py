"""Topics on the real broker: event topics keep their history, the rows topic is compacted,
a replay refuses a log that lost its start, and dead letters can be sent back."""
import pytest
from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType
from kafka.structs import TopicPartition

from shared.events import encode, make_event
from shared.consumer import HistoryLost, check_history, replay_dead_letters
from shared.kafka import ensure_topics
from services.votes import consumer as votes_consumer
from tests.helpers import eventually
from tests.integration.conftest import read_topic


def topic_configs(config, name):
    admin = KafkaAdminClient(bootstrap_servers=config.kafka_bootstrap)
    try:
        described = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name)])
        return {key: data["value"] for key, data in described["topic"][name].items()}
    finally:
        admin.close()


def test_event_topics_keep_their_history_and_the_rows_topic_keeps_the_latest_row(isolated):
    # A broker describes a topic it has just created once its metadata caught up (measured:
    # not yet, on a loaded machine, right after ensure_topics returned).
    def setting(topic, name):
        return eventually(lambda: topic_configs(isolated, isolated.topic(topic)).get(name),
                          message=f"{topic} described")
    assert setting("votes", "retention.ms") == "-1"
    assert setting("campaigns", "retention.ms") == "-1"
    assert setting("ideas.dlq", "retention.ms") == "-1"
    assert setting("idea-rows", "cleanup.policy") == "compact"


def test_topics_made_with_a_retention_get_their_history_kept(isolated):
    admin = KafkaAdminClient(bootstrap_servers=isolated.kafka_bootstrap)
    try:
        admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, isolated.topic("ideas"),
                                            configs={"retention.ms": "604800000"})],
                            raise_on_unknown=False)
    finally:
        admin.close()
    # The broker applies a topic's new configuration a moment after it answers.
    eventually(lambda: retention(isolated) == "604800000", message="a 7-day retention")

    ensure_topics(isolated)

    eventually(lambda: retention(isolated) == "-1", message="the whole history kept")


def retention(config):
    return topic_configs(config, config.topic("ideas")).get("retention.ms")


def test_a_replay_refuses_topics_that_no_longer_start_at_offset_zero(isolated, hub_for,
                                                                      producer):
    hub = hub_for("votes")
    event = make_event("vote.cast", "idea-1", {"idea_id": "idea-1", "voter_id": "a",
                                               "seq": 1, "active": True}, "/tests")
    for _ in range(3):
        producer.send(isolated.topic("votes"), key=b"idea-1", value=encode(event))
    producer.flush()
    check_history(votes_consumer.build_consumer(hub))  # whole: no refusal

    partition = next(r.partition for r in read_topic(isolated, "votes"))
    admin = KafkaAdminClient(bootstrap_servers=isolated.kafka_bootstrap)
    try:
        admin.delete_records({TopicPartition(isolated.topic("votes"), partition): 2})
    finally:
        admin.close()

    with pytest.raises(HistoryLost):
        check_history(votes_consumer.build_consumer(hub))


def test_dead_letters_go_back_to_their_topic_once(isolated, producer):
    event = make_event("vote.cast", "idea-9", {"idea_id": "idea-9", "voter_id": "b", "seq": 1,
                                               "active": True}, "/tests")
    producer.send(isolated.topic("votes") + ".dlq", key=b"idea-9", value=encode(event),
                  headers=[("original_topic", isolated.topic("votes").encode()),
                           ("error", b"KeyError: 'x'")]).get(10)

    assert replay_dead_letters(isolated, "votes") == 1
    assert replay_dead_letters(isolated, "votes") == 0  # what it re-drove is remembered

    back = [r for r in read_topic(isolated, "votes") if r.key == b"idea-9"]
    assert [r.value for r in back] == [encode(event)]
