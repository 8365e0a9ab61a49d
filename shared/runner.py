"""The life of a consumer process: its consumer loop, the outbox relay beside it, and a
clean stop on SIGTERM."""
import logging
import signal
import threading

from shared.api import make_hub
from shared.outbox import Relay


def run_consumer(service, build_consumer, ensure_indexes, config, outbox_collections=(),
                 background=()):
    """`build_consumer(hub)` returns the service's EventConsumer; each of `background`,
    `task(hub, stopping)`, runs in a thread beside it (the digest's scheduler)."""
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config.refuse_local_secrets()
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    hub = make_hub(service, config, ensure_indexes, outbox_collections)
    hub.prepare_database()
    relay = Relay(hub.outbox, hub.publisher)
    threading.Thread(target=relay.run_forever, args=(stopping,), name="relay", daemon=True).start()
    for task in background:
        threading.Thread(target=task, args=(hub, stopping), daemon=True).start()
    consumer = build_consumer(hub)
    while not stopping.is_set():
        try:
            consumer.run(stopping)
        except Exception:  # Kafka away or the group rebalancing: start over after a pause
            logging.getLogger(service).exception("consumer loop stopped; restarting")
            stopping.wait(2)
    hub.publisher.close()
