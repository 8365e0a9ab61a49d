"""A service's hub over scratch databases on the running stack's store, dropped afterwards,
for the benchmarks that seed their own data (bench/digest.py, bench/ideas_list.py)."""
import contextlib
import uuid

from shared.api import make_hub
from shared.config import load_config


@contextlib.contextmanager
def scratch_hub(service, ensure_indexes):
    config = load_config(db_prefix=f"bench_{uuid.uuid4().hex[:6]}_")
    hub = make_hub(service, config, ensure_indexes)
    hub.prepare_database()
    try:
        yield hub
    finally:
        hub.client.drop_database(hub.db.name)
