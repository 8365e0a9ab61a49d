"""Benchmark of the statistics: p50/p99 of what GET /api/stats computes (the catalogue's rows
copied under its lock, the figures, their JSON shape) at 10,000 and 100,000 ideas, unfiltered,
by unit, by call and over one quarter.

    PYTHONPATH=. .venv/bin/python bench/stats.py [--sizes 10000,100000] [--calls 50]

No store nor Kafka: the figures read only the rows every ideas API process holds in memory
(catalogue.py). The rows are made as catalogue.values_of makes them from ideas of a year,
two thirds answered, with supports over the weeks; HTTP, the token check and gzip are left
out (bench/ideas_list.py measures the list pages' round trips)."""
import argparse
import random
import statistics
import time
import uuid
from datetime import date, datetime, timedelta, timezone

from shared.events import iso
from services.ideas import stats
from services.ideas.catalogue import Catalogue, values_of
from services.ideas.stats_schemas import Stats

WORDS = ["accueil", "vélo", "cantine", "archives", "numérique", "énergie", "formation",
         "voirie", "parking", "guichet", "télétravail", "médiathèque", "piscine", "écoles"]
STATUSES = ["submitted", "under_review", "accepted", "in_progress", "implemented", "rejected"]
NOW = datetime(2026, 11, 26, tzinfo=timezone.utc)


def idea(rng, n):
    created = NOW - timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
    words = rng.sample(WORDS, 2)
    status = rng.choice(STATUSES)
    timeline = [] if status == "submitted" else [{
        "kind": "status", "status": status,
        "at": iso(min(NOW, created + timedelta(hours=rng.expovariate(1 / 200))))}]
    weeks = {}
    for _ in range(rng.randrange(0, 20)):
        weeks[stats.week_of(iso(created + timedelta(days=rng.randrange(0, 60))))] = 1
    return {"_id": uuid.uuid4().hex, "title": f"Idée {n}", "status": status,
            "unit": f"Service {n % 50:02d}", "tag_keys": words, "tags": words,
            "author": {"id": f"agent-{n % 3000}"}, "created_at": iso(created),
            "vote_count": len(weeks), "trend": 0.0, "comment_count": 0, "search": words,
            "campaign_id": f"call-{n % 20}" if n % 4 == 0 else None, "timeline": timeline,
            "support_weeks": weeks}


def catalogue_of(size, rng):
    pending = [[values_of(idea(rng, n)) for n in range(size)]]
    catalogue = Catalogue(lambda: pending.pop() if pending else [])  # handed over once
    catalogue.sync()
    return catalogue


def timed(calls, action):
    durations = []
    for _ in range(calls):
        started = time.perf_counter()
        action()
        durations.append(1000 * (time.perf_counter() - started))
    durations.sort()
    return statistics.median(durations), durations[min(len(durations) - 1,
                                                       int(0.99 * len(durations)))]


def figures(catalogue, **query):
    return Stats().dump(stats.figures(catalogue.all(), iso(NOW), spelling=catalogue.spelling,
                                      weeks=catalogue.support_weeks, **query))


def kept(catalogue, memo={}):
    key = ("all",)
    if key not in memo:
        memo[key] = figures(catalogue)
    return memo[key]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()
    rng = random.Random(15)
    queries = {"all ideas, since the first": {},
               "unit=Service 07": {"unit": "Service 07"},
               "campaign=call-4": {"campaign": "call-4"},
               "one quarter (Paris dates)": {"from_day": date(2026, 7, 1),
                                             "to_day": date(2026, 9, 30)}}
    for size in sorted(int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        catalogue = catalogue_of(size, rng)
        print(f"{size:,} ideas (rows made in {time.perf_counter() - started:.1f} s)")
        for label, query in queries.items():
            p50, p99 = timed(args.calls, lambda q=query: figures(catalogue, **q))
            print(f"    {label:30} p50 {p50:7.1f} ms   p99 {p99:7.1f} ms")
        # The route keeps a result ten times as long as it took (stats_api.cached): requests
        # for the same figures within that time are answered from it.
        p50, p99 = timed(args.calls, lambda: kept(catalogue))
        print(f"    {'all ideas, asked again (kept)':30} p50 {p50:7.1f} ms   p99 {p99:7.1f} ms")


if __name__ == "__main__":
    main()
