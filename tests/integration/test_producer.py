"""The hub's producers on the real broker: they keep delivering after Kafka was away."""
from shared.kafka import producer_for


def test_a_producer_whose_id_was_reset_asks_for_a_new_one_and_delivers_again(isolated):
    producer = producer_for(isolated, "producer-reset-test")
    topic = isolated.topic("ideas")
    try:
        producer.send(topic, key=b"idea", value=b"before").get(10)
        # What kafka-python does when a batch it had sent expires (Kafka away longer than the
        # delivery timeout); without shared.kafka's fix, nothing is ever sent again.
        producer._transaction_manager.reset_producer_id()

        delivered = producer.send(topic, key=b"idea", value=b"after").get(15)
    finally:
        producer.close(timeout=1)
    assert delivered.offset == 1
