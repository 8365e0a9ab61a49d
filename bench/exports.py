"""Benchmark of the exports: the time and the peak memory of exporting every idea, per
format (CSV, XLSX, ODS, open data CSV and JSON), at 10,000 and 100,000 ideas.

    .venv/bin/python bench/exports.py [--sizes 10000,100000] [--formats csv,xlsx,ods]

Needs the local stack's store (`make up`, or HUB_MONGO_URL). It inserts ideas of about 1 KB,
as the ideas service stores them, into a scratch database, and hands their rows to the
catalogue directly (bench/ideas_list.py does the same). Each export runs in this process as
the API runs it (export_handlers, a page of 100 ideas by `_id $in` at a time) and its bytes
are read to the end and thrown away, as a client downloading it would. Memory: the peak of
this process's resident set during the export, sampled every 10 ms, above what it held just
before (the catalogue's rows included, which an API process holds anyway); constant memory
shows as the same peak at 10,000 and 100,000 ideas. Drops the scratch database.
"""
import argparse
import gc
import os
import random
import threading
import time

from services.ideas import export_handlers
from services.ideas.campaign_store import CampaignStore
from services.ideas.store import OUTBOX, IdeaStore, ensure_indexes
from ideas_list import DirectFeed, seed  # bench/ideas_list.py, beside this script
from scratch import scratch_hub  # bench/scratch.py

PUBLIC_URL = "https://idees.example.gouv.fr"
NOW = "2026-12-01T09:00:00.000Z"


def resident_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakRss:
    """The highest resident set seen while the block runs, sampled in a thread."""

    def __enter__(self):
        self.peak, self.running = resident_mb(), True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, resident_mb())
            time.sleep(0.01)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, resident_mb())


def export(kind, store, calls):
    if kind.startswith("opendata-"):
        return export_handlers.export_open_data(kind.split("-")[1], store, calls, NOW)[2]
    query = {"format": kind, "sort": "new"}
    return export_handlers.export_ideas(query, None, store, calls, PUBLIC_URL, NOW)[2]


def measure(kind, store, calls):
    gc.collect()
    before = resident_mb()
    started = time.perf_counter()
    size = 0
    with PeakRss() as rss:
        for chunk in export(kind, store, calls):
            size += len(chunk)
    seconds = time.perf_counter() - started
    print(f"    {kind:14} {seconds:6.1f} s   {size / 2**20:6.1f} MB file   peak RSS "
          f"+{rss.peak - before:5.1f} MB   (process {rss.peak:.0f} MB)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--formats", default="csv,xlsx,ods,opendata-csv,opendata-json")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    with scratch_hub("ideas", ensure_indexes, OUTBOX) as hub:
        feed = DirectFeed()
        store = IdeaStore(hub.db, feed)
        calls = CampaignStore(hub.db, store.catalogue)
        print(f"Ideahub exports benchmark, {time.strftime('%Y-%m-%d %H:%M')}, "
              f"{os.cpu_count()} cores, store {hub.config.mongo_url}")
        rng, seeded = random.Random(15), 0
        for size in sizes:
            started = time.perf_counter()
            seed(store, feed, rng, seeded, size)
            seeded = size
            print(f"  {size:,} ideas (seeded in {time.perf_counter() - started:.0f} s; "
                  f"process RSS {resident_mb():.0f} MB)")
            for kind in args.formats.split(","):
                measure(kind, store, calls)


if __name__ == "__main__":
    main()
