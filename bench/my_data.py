"""Benchmark of the ideas service's part of a person's data file (the largest: it scans the
ideas, comments and reports, services/ideas/my_data.py), at 10,000 and 100,000 ideas.

    .venv/bin/python bench/my_data.py [--sizes 10000,100000] [--runs 5]

Needs the local stack's store (`make up`, or HUB_MONGO_URL). Into a scratch database it
inserts ideas of about 2 KB as the ideas service stores them (text, search words, meaning),
by 3,000 authors, one comment per idea and one report per ten, hands their rows to the
catalogue (as bench/ideas_list.py does), then times `gather` for one author (about 1/3,000
of each) with the services' client (10 s socket timeout): the median and the slowest of
`--runs`. Drops the database.
"""
import argparse
import statistics
import time
import uuid

import pymongo

from services.ideas import domain, meaning, my_data
from services.ideas.catalogue import Catalogue, values_of
from services.ideas.store import OUTBOX, ensure_indexes
from ideas_list import DirectFeed  # bench/ideas_list.py, beside this script
from scratch import scratch_hub  # bench/scratch.py, beside this script

AUTHORS = 3000
CHUNK = 500
WHEN = "2026-11-26T09:00:00.000Z"
ACTIONS = ("propose", "comment", "report", "edit")


def seed(db, feed, first, last, packed):
    for start in range(first, last, CHUNK):
        ideas, comments, flags = [], [], []
        for n in range(start, min(start + CHUNK, last)):
            author = {"id": f"agent-{n % AUTHORS}", "name": f"Agent {n % AUTHORS}"}
            idea = {"_id": uuid.uuid4().hex, "title": f"Idée {n} pour le service",
                    "body": "Les agents en parlent depuis longtemps. " * 20, "tags": ["accueil"],
                    "unit": f"Service {n % 50:02d}", "author": author,
                    "status": "accepted" if n % 20 == 0 else "submitted", "status_note": "",
                    "merged_into": None, "vote_count": 3, "comment_count": 1,
                    "created_at": WHEN, "updated_at": WHEN, "version": 1,
                    "search": ["agents", "parlent", "longtemps"] * 10, "meaning": packed,
                    "tag_keys": ["accueil"], "trend": 1.0,
                    "timeline": [], "campaign_id": None, "rev": 1, "outbox": []}
            ideas.append(idea)
            commenter = {"id": f"agent-{(n + 1) % AUTHORS}", "name": "Agent"}
            comments.append(domain.new_comment(idea["_id"], "Bonne idée, à suivre.",
                                               commenter, WHEN))
            if n % 10 == 0:
                flags.append({"_id": f"{idea['_id']}:{commenter['id']}", "idea_id": idea["_id"],
                              "by": commenter, "reason": "other", "note": "", "at": WHEN})
        db.ideas.insert_many(ideas)
        feed.rows.extend(values_of(idea) for idea in ideas)
        db.comments.insert_many(comments)
        if flags:
            db.flags.insert_many(flags)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    packed = meaning.pack(meaning.of_idea("Un guichet unique", "Regrouper les démarches."))
    with scratch_hub("ideas", ensure_indexes, OUTBOX) as hub:
        # Seeding writes large batches, which the embedded store may hold past the services'
        # 10 s timeout on a busy machine; the export itself runs with the services' client.
        patient = pymongo.MongoClient(hub.config.mongo_url, socketTimeoutMS=300_000)
        feed = DirectFeed()
        catalogue, seeded = Catalogue(feed), 0
        for size in (int(s) for s in args.sizes.split(",")):
            started = time.perf_counter()
            seed(patient[hub.db.name], feed, seeded, size, packed)
            seeded = size
            print(f"{size} ideas seeded in {time.perf_counter() - started:.0f} s", flush=True)
            times, found = [], None
            for _ in range(args.runs):
                started = time.perf_counter()
                found = my_data.gather("agent-1", hub.db, catalogue, ACTIONS)
                times.append(time.perf_counter() - started)
            print(f"  gather(agent-1): {len(found['ideas'])} ideas, {len(found['comments'])} "
                  f"comments, {len(found['reports'])} reports; median "
                  f"{statistics.median(times) * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms",
                  flush=True)


if __name__ == "__main__":
    main()
