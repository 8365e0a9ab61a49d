"""Benchmark of the idea list: p50/p99 of pages of each sort, filtered, searched, and after
writes by another process, over a scratch database of N ideas on the running stack's store
(FerretDB locally, or HUB_MONGO_URL).

    .venv/bin/python bench/ideas_list.py [--ideas 100000] [--calls 50]

It seeds ideas and their catalogue rows as the ideas service stores them (random supports,
comments and ages), then calls the store's list the way GET /api/ideas does (limit 20) from a
second store, as another process would: its first call loads the catalogue (timed apart),
the others read it. It prints the figures and drops the scratch database.
"""
import argparse
import os
import random
import statistics
import time
import uuid
from datetime import datetime, timedelta, timezone

from shared.events import iso
from services.ideas import domain, handlers
from services.ideas.catalogue import values_of
from services.ideas.store import IdeaStore, ensure_indexes
from scratch import scratch_hub  # bench/scratch.py, beside this script

WORDS = ["accueil", "vélo", "cantine", "archives", "numérique", "énergie", "formation",
         "voirie", "parking", "guichet", "télétravail", "médiathèque", "piscine", "écoles"]


def seed(store, rng, count):
    now = datetime(2026, 11, 26, tzinfo=timezone.utc)
    batch, rows = [], []
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
        if len(batch) == 1000 or n == count - 1:
            store.collection.insert_many(batch)
            rows.extend(values_of(idea) for idea in batch)
            batch = []
    # The steady state: the consumer's snapshot covers them all (see catalogue.py).
    store.catalogue.write_snapshot(rows, position=0)


def timed(calls, action, between=lambda n: None):
    durations = []
    for n in range(calls):
        between(n)
        started = time.perf_counter()
        action()
        durations.append(1000 * (time.perf_counter() - started))
    durations.sort()
    p99 = durations[min(len(durations) - 1, int(0.99 * len(durations)))]
    return statistics.median(durations), p99


def resident_mb():
    """This process's resident memory now (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def page(store, sort, **query):
    return handlers.list_ideas({"sort": sort, "limit": 20, **query}, store)


def report(label, figures):
    p50, p99 = figures
    print(f"  {label:34} p50 {p50:8.1f} ms   p99 {p99:8.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=100000)
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()
    with scratch_hub("ideas", ensure_indexes) as hub:
        store = IdeaStore(hub.db, hub.outbox)
        started = time.perf_counter()
        rng = random.Random(48)
        seed(store, rng, args.ideas)
        print(f"Ideahub list benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} "
              f"cores, {hub.config.mongo_url}")
        print(f"  seeded {args.ideas} ideas in {time.perf_counter() - started:.1f} s")
        reader = IdeaStore(hub.db, hub.outbox)  # another process: its own catalogue
        started, before = time.perf_counter(), resident_mb()
        reader.catalogue.sync()
        print(f"  catalogue loaded by a new process in {time.perf_counter() - started:.1f} s, "
              f"{resident_mb() - before:.0f} MB more resident memory")
        for sort in ("new", "top", "trending", "discussed"):
            report(f"sort={sort} first page", timed(args.calls, lambda: page(reader, sort)))
        cursor = page(reader, "top")["next_cursor"]
        report("sort=top second page", timed(args.calls, lambda: page(reader, "top",
                                                                        cursor=cursor)))
        report("tag=vélo", timed(args.calls, lambda: page(reader, "trending", tag="VELO")))
        report("unit=Service 07", timed(args.calls, lambda: page(reader, "top",
                                                                  unit="Service 07")))
        report("status=accepted (none)", timed(args.calls, lambda: page(
            reader, "top", status="accepted")))
        report("q=vélo cantine", timed(args.calls, lambda: page(reader, "new",
                                                                 q="vélo cantine")))
        ids = [row.id for row in reader.catalogue.all()[:500]]
        report("after 5 supports elsewhere", timed(
            args.calls, lambda: page(reader, "top"),
            between=lambda n: [handlers.on_vote_changed(
                {"idea_id": rng.choice(ids), "voter_id": f"bench-{n}-{k}", "seq": 1,
                 "active": True}, {"time": iso(datetime.now(timezone.utc))}, store)
                for k in range(5)]))
        started, before = time.perf_counter(), resident_mb()
        reader.similar("Des vélos pour aller à la cantine")
        print(f"  similar: first call (builds the index) {time.perf_counter() - started:.1f} s, "
              f"{resident_mb() - before:.0f} MB more resident memory")
        report("similar (draft title)", timed(args.calls, lambda: reader.similar(
            "Des vélos pour aller à la cantine")))

if __name__ == "__main__":
    main()
