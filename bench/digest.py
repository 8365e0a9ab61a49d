"""Benchmark of a digest run: 10,000 ideas and 100,000 supports across 50 units, 1,000
managers with varied scopes, 30 calls for ideas live that week (a third of the ideas answer
one; some scored, some with implementation updates), every digest built and sent to the
local SMTP server.

    .venv/bin/python bench/digest.py [--ideas 10000] [--supports 100000] [--managers 1000]
                                     [--calls 30]

Needs the local stack (`make up`): its store, its Kafka and its SMTP server (mail lands in
var/mail/). It seeds the digest's read model directly in a scratch database, as the digest
consumer would have left it (each idea's view built with services/digest/domain.py: the
idea's snapshot with its folded unit, `vote_count`, `gains` per ISO week, status changes;
the events that would build it are measured by the votes benchmark), then runs the period
with the code of `ideahub digest run` (its `digest.sent` events go to a scratch topic),
prints the figures and whether issue 10's target is met, and drops the scratch database and
topic.
"""
import argparse
import os
import random
import time
import uuid

from services.digest import calls, domain, jobs
from services.digest.store import OUTBOX, DigestStore, ensure_indexes
from scratch import scratch_hub  # bench/scratch.py, beside this script

PERIOD = "2026-W48"
WEEK_DAYS = ["2026-11-%02dT%02d:00:00.000Z" % (d, h) for d in range(23, 30) for h in (8, 14)]
EARLIER = ["2026-11-%02dT10:00:00.000Z" % d for d in range(2, 22)]
MOMENTS = sorted(EARLIER + WEEK_DAYS)
TAGS = ["mobilité", "accueil", "numérique", "énergie", "cantine", "RH", "voirie", "culture"]
ANSWERED = 0.05  # ideas answered during the week
# Issue 10: 1,000 managers over 10,000 ideas and 100,000 supports, built and sent in < 30 s.
TARGET = {"ideas": 10_000, "supports": 100_000, "managers": 1_000, "seconds": 30}


def count_support(view, at):
    """A support as the consumer folds it (DigestStore.fold_votes), applied to the dict."""
    view["vote_count"] += 1
    for path, delta in domain.gained([(1, None, {"time": at})])["$inc"].items():
        week = path.split(".", 1)[1]
        view["gains"][week] = view["gains"].get(week, 0) + delta


def make_calls(rng, count, units):
    """Calls as the digest consumer keeps them (services/digest/calls.py), live in PERIOD."""
    made = []
    for n in range(count):
        call_units = [] if n % 3 == 0 else rng.sample(units, rng.randint(1, 3))
        snapshot = {"title": f"Appel numéro {n}", "units": call_units,
                    "evaluators": [{"id": f"eva-{e}", "name": "Eva"}
                                   for e in range(rng.randint(1, 3))],
                    "proposals_from": "2026-11-01T09:00:00.000Z",
                    "proposals_until": "2026-11-%02dT09:00:00.000Z" % rng.randint(20, 30),
                    "supports_from": "2026-11-01T09:00:00.000Z",
                    "supports_until": "2026-12-05T09:00:00.000Z",
                    "evaluation_until": "2026-12-20T09:00:00.000Z"}
        made.append({"_id": f"call-{n}", "version": 1,
                     **calls.call_fields({"campaign": snapshot})})
    return made


def in_a_call(rng, view, known_calls):
    """A third of the ideas answer a call; some are scored, some carried out."""
    if not known_calls or rng.random() > 1 / 3:
        return
    view["idea"]["campaign_id"] = rng.choice(known_calls)["_id"]
    view["evaluations"] = rng.randint(0, 3)
    if rng.random() < 0.05:
        at = rng.choice(WEEK_DAYS)
        view["progress"].append({"event_id": uuid.uuid4().hex, "at": at, "percent": 40,
                                 "milestone": "Premier jalon", "update": "Marché passé.",
                                 "owner": "Service 01"})


def make_views(rng, ideas, supports, units, known_calls=()):
    views = []
    for n in range(ideas):
        created = rng.choice(WEEK_DAYS if rng.random() < 0.1 else EARLIER)
        idea = {"title": f"Idée numéro {n} pour le service", "unit": rng.choice(units),
                "tags": rng.sample(TAGS, 2), "status": "submitted",
                "author": {"id": f"agent-{n % 3000}", "name": "Agnès"},
                "created_at": created, "pending_flags": 0}
        view = domain.empty_view(uuid.uuid4().hex)
        domain.apply_idea_event(view, "idea.submitted",
                                {"idea_id": view["_id"], "version": 1, "idea": idea},
                                {"time": created})
        if rng.random() < ANSWERED:
            status = rng.choice(["accepted", "rejected", "under_review"])
            at = rng.choice([d for d in WEEK_DAYS if d >= created])
            domain.apply_idea_event(view, "idea.status_changed", {
                "idea_id": view["_id"], "version": 2, "idea": {**idea, "status": status},
                "status": status, "previous_status": "submitted", "note": "Réponse."},
                {"time": at})
        in_a_call(rng, view, known_calls)
        views.append(view)
    for _ in range(supports):
        view = rng.choice(views)
        count_support(view, rng.choice([m for m in MOMENTS if m >= view["idea"]["created_at"]]))
    return views


def seed(store, rng, ideas, supports, managers, call_count):
    units = [f"Service {n:02d}" for n in range(50)]
    known_calls = make_calls(rng, call_count, units)
    if known_calls:
        store.db.calls.insert_many(known_calls)
    views = make_views(rng, ideas, supports, units, known_calls)
    for chunk in range(0, len(views), 1000):
        store.db.ideas.insert_many(views[chunk:chunk + 1000])
    scopes = set()
    for n in range(managers):
        scope = rng.choice([{"units": rng.sample(units, 1)}, {"units": rng.sample(units, 3)},
                            {"tags": rng.sample(TAGS, 1)}, {}])
        subscription = {"_id": f"manager-{n}", "email": f"manager-{n}@bench.local",
                        "units": scope.get("units", []), "tags": scope.get("tags", []),
                        "weekday": 0, "hour": 8, "language": rng.choice(["fr", "en"]),
                        "created_at": "2026-01-01T00:00:00.000Z", "email_verified": True}
        store.save_subscription(subscription)
        scopes.add(domain.scope_key(subscription))
    return len(scopes)


def verdict(args, seconds):
    if any(getattr(args, size) < TARGET[size] for size in ("ideas", "supports", "managers")):
        return "not tested at these sizes"
    return ("met" if seconds < TARGET["seconds"] else "NOT met") + f" ({seconds:.1f} s)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=TARGET["ideas"])
    parser.add_argument("--supports", type=int, default=TARGET["supports"])
    parser.add_argument("--managers", type=int, default=TARGET["managers"])
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    with scratch_hub("digest", ensure_indexes, OUTBOX, topics=["digests"]) as hub:
        store = DigestStore(hub.db)
        started = time.perf_counter()
        scopes = seed(store, random.Random(48), args.ideas, args.supports, args.managers,
                      args.calls)
        seeded = time.perf_counter()
        # As `ideahub digest run` (services/cli.py): one run, one SMTP connection, the
        # publisher drained before it reports.
        run = jobs.new_run(PERIOD)
        store.add_run(run)
        run = jobs.run_period(run, store, jobs.Mailer(hub.config), hub.publisher.publish,
                              hub.config)
        hub.publisher.close()
        finished = time.perf_counter()
    total = finished - seeded
    print(f"Ideahub digest benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} "
          f"cores, load average {os.getloadavg()[0]:.2f}")
    print(f"  seeded       {args.ideas} ideas, {args.supports} supports, {args.managers} managers "
          f"({scopes} distinct scopes), {args.calls} calls in {seeded - started:.1f} s")
    print(f"  run {PERIOD}  sent {run['sent']}, skipped {run['skipped']}, failed {run['failed']}, "
          f"already done {run['already_done']}")
    print(f"  time         {total:.1f} s in all, {1000 * total / max(1, args.managers):.1f} ms "
          f"per subscription")
    print(f"  target       < {TARGET['seconds']} s for {TARGET['managers']:,} managers over "
          f"{TARGET['ideas']:,} ideas and {TARGET['supports']:,} supports: "
          f"{verdict(args, total)}")


if __name__ == "__main__":
    main()
