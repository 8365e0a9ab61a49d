"""Benchmark of the idea list: p50/p99 of the first page of each sort, and of a search, over a
scratch database of N ideas on the running stack's store (FerretDB locally, or HUB_MONGO_URL).

    .venv/bin/python bench/ideas_list.py [--ideas 100000] [--calls 10]

It seeds ideas as the ideas service stores them (random supports, comments and ages), calls
the store's list the way GET /api/ideas does (limit 20), prints the figures, and drops the
scratch database.
"""
import argparse
import os
import random
import statistics
import time
import uuid
from datetime import datetime, timedelta, timezone

from shared.api import make_hub
from shared.config import load_config
from shared.events import iso
from services.ideas import domain
from services.ideas.store import IdeaStore, ensure_indexes

WORDS = ["accueil", "vélo", "cantine", "archives", "numérique", "énergie", "formation",
         "voirie", "parking", "guichet", "télétravail", "médiathèque", "piscine", "écoles"]


def seed(store, rng, count):
    now = datetime(2026, 11, 26, tzinfo=timezone.utc)
    batch = []
    for n in range(count):
        words = rng.sample(WORDS, 3)
        created = iso(now - timedelta(minutes=rng.randrange(0, 365 * 24 * 60)))
        idea = domain.new_idea(uuid.uuid4().hex, f"Idée {n} : {' '.join(words)}",
                               f"Proposition sur {', '.join(words)} pour le service.", words[:2],
                               {"id": f"agent-{n % 3000}", "name": "Agent"},
                               f"Service {n % 50:02d}", created)
        idea.update(vote_count=rng.randrange(0, 60), comment_count=rng.randrange(0, 15),
                    trend=rng.uniform(0, 100), outbox_ids=[])
        batch.append(idea)
        if len(batch) == 1000:
            store.collection.insert_many(batch)
            batch = []
    if batch:
        store.collection.insert_many(batch)


def timed(calls, action):
    durations = []
    for _ in range(calls):
        started = time.perf_counter()
        action()
        durations.append(1000 * (time.perf_counter() - started))
    durations.sort()
    p99 = durations[min(len(durations) - 1, int(0.99 * len(durations)))]
    return statistics.median(durations), p99


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=100000)
    parser.add_argument("--calls", type=int, default=10)
    args = parser.parse_args()
    config = load_config(db_prefix=f"bench_{uuid.uuid4().hex[:6]}_")
    hub = make_hub("ideas", config, ensure_indexes)
    hub.prepare_database()
    store = IdeaStore(hub.db, hub.outbox)
    try:
        started = time.perf_counter()
        seed(store, random.Random(48), args.ideas)
        print(f"Ideahub list benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} "
              f"cores, {config.mongo_url}")
        print(f"  seeded {args.ideas} ideas in {time.perf_counter() - started:.1f} s")
        for sort in ("new", "top", "trending", "discussed"):
            p50, p99 = timed(args.calls, lambda: store.list(sort, 20))
            print(f"  sort={sort:10} first page  p50 {p50:8.1f} ms   p99 {p99:8.1f} ms")
        p50, p99 = timed(args.calls, lambda: store.list("new", 20, q="vélo cantine"))
        print(f"  q=vélo cantine  first page  p50 {p50:8.1f} ms   p99 {p99:8.1f} ms")
    finally:
        hub.client.drop_database(hub.db.name)


if __name__ == "__main__":
    main()
