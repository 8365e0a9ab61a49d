"""Benchmark of a digest run: 10,000 ideas and 100,000 supports across 50 units, 1,000
managers with varied scopes, every digest built and sent to the local SMTP server.

    .venv/bin/python bench/digest.py [--ideas 10000] [--supports 100000] [--managers 1000]

Needs the local stack (`make up`): its FerretDB and its SMTP server (mail lands in
var/mail/). It seeds the digest's read model directly in a scratch database (the events that
would build it are measured by the votes benchmark), runs the period with the code of
`ideahub digest run`, prints the figures, and drops the scratch database.
"""
import argparse
import os
import random
import time
import uuid

from services.digest import domain, jobs
from services.digest.store import DigestStore, ensure_indexes
from scratch import scratch_hub  # bench/scratch.py, beside this script

PERIOD = "2026-W48"
WEEK_DAYS = ["2026-11-%02dT%02d:00:00.000Z" % (d, h) for d in range(23, 30) for h in (8, 14)]
EARLIER = ["2026-11-%02dT10:00:00.000Z" % d for d in range(2, 22)]
TAGS = ["mobilité", "accueil", "numérique", "énergie", "cantine", "RH", "voirie", "culture"]


def seed(store, rng, ideas, supports, managers):
    units = [f"Service {n:02d}" for n in range(50)]
    views = []
    for n in range(ideas):
        created = rng.choice(WEEK_DAYS if rng.random() < 0.1 else EARLIER)
        idea = {"title": f"Idée numéro {n} pour le service", "unit": rng.choice(units),
                "tags": rng.sample(TAGS, 2), "status": rng.choice(["submitted", "accepted"]),
                "author": {"id": "a", "name": "Agnès"}, "created_at": created}
        view = domain.empty_view(uuid.uuid4().hex)
        domain.apply_idea_event(view, "idea.submitted",
                                {"idea_id": view["_id"], "version": 1, "idea": idea},
                                {"time": created})
        views.append(view)
    for n in range(supports):
        view = rng.choice(views)
        payload = {"voter_id": f"agent-{n % 5000}", "seq": 1, "active": True}
        domain.apply_vote_event(view, payload, {"time": rng.choice(WEEK_DAYS + EARLIER)})
    for chunk in range(0, len(views), 500):
        store.db.ideas.insert_many(views[chunk:chunk + 500])
    for n in range(managers):
        scope = rng.choice([{"units": rng.sample(units, 1)}, {"units": rng.sample(units, 3)},
                            {"tags": rng.sample(TAGS, 1)}, {}])
        store.save_subscription({"_id": f"manager-{n}", "email": f"manager-{n}@bench.local",
                                 "units": scope.get("units", []), "tags": scope.get("tags", []),
                                 "weekday": 0, "hour": 8, "language": rng.choice(["fr", "en"]),
                                 "created_at": "2026-01-01T00:00:00.000Z"})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=10000)
    parser.add_argument("--supports", type=int, default=100000)
    parser.add_argument("--managers", type=int, default=1000)
    args = parser.parse_args()
    with scratch_hub("digest", ensure_indexes) as hub:
        store = DigestStore(hub.db, hub.outbox)
        started = time.perf_counter()
        seed(store, random.Random(48), args.ideas, args.supports, args.managers)
        seeded = time.perf_counter()
        run = jobs.new_run(PERIOD)
        store.add_run(run)
        run = jobs.run_period(run, store, jobs.Mailer(hub.config, delays=()),
                              lambda events: None, hub.config)
        finished = time.perf_counter()
    total = finished - seeded
    print(f"Ideahub digest benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores")
    print(f"  seeded       {args.ideas} ideas, {args.supports} supports, {args.managers} managers "
          f"in {seeded - started:.1f} s")
    print(f"  run {PERIOD}  sent {run['sent']}, skipped {run['skipped']}, failed {run['failed']}")
    print(f"  time         {total:.1f} s in all, {1000 * total / max(1, args.managers):.1f} ms "
          f"per subscription")


if __name__ == "__main__":
    main()
