"""Benchmark of supports (PUT /api/votes/{id}) through the gateway, next to a raw floor.

    .venv/bin/python bench/votes.py [--rate 100] [--duration 20] [--ideas 50] [--json]

Against the running dev stack (`make up`): creates ideas (a few per author, under the
proposal rate limit), sends supports at a fixed offered rate (open loop), measures PUT
latency and how long a support takes to show in the idea's `vote_count`, then makes the
writes of the same PUT path from this one process, sequentially, without HTTP, on the same
store and Kafka (the "floor", in a scratch database and topic). It ends with the targets of
issue 10, met or not. Loopback only. Its ideas and supports stay in the dev hub: see
bench/README.md.
"""
import argparse
import http.client
import ipaddress
import json
import os
import random
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from functools import partial
from urllib.parse import urlparse

import requests
from kafka import KafkaAdminClient
from kafka.admin import NewTopic

from shared import mongo  # the project is installed in .venv (pip install -e)
from shared.auth import mint_token
from shared.config import load_config
from shared.events import encode, make_event, now_iso
from shared.kafka import PARTITIONS, producer_for
from shared.outbox import Outbox
from services.votes import domain
from services.votes.store import VoteStore

FLOOR_DB, FLOOR_TOPIC, FLOOR_IDEA = "bench_floor", "bench.floor.votes", "floor-idea"
# The ideas service lets one person propose 20 ideas an hour (services/ideas/app.py).
IDEAS_PER_AUTHOR = 10
WORKERS, LAG_WORKERS = 32, 16
# Every 20th support is followed until its count shows: polls every 25 ms during the first
# second, then every 200 ms. Polling is load too (each poll is a GET of the idea): more
# samples or faster polls measured the pollers as much as the hub.
LAG_EVERY, LAG_CAP, LAG_POLLS, LAG_DEADLINE = 20, 100, (0.025, 0.2), 30.0
FLOOR_CAP, FLOOR_WARMUP = 2000, 20
GIVE_UP_BEHIND = 10.0  # a send this late is dropped, so an overloaded run still ends soon
_local = threading.local()
log = partial(print, file=sys.stderr, flush=True)  # progress; stdout holds only the report


def light(gateway):
    """One keep-alive connection per thread, without requests: the load and the lag polls
    run on the same two cores as the hub, and requests spends about 1 ms of CPU a call."""
    if not hasattr(_local, "light"):
        parsed = urlparse(gateway)
        _local.light = http.client.HTTPConnection(parsed.hostname, parsed.port or 80,
                                                  timeout=10)
    return _local.light


def call(gateway, method, path, headers=None, body=None):
    """(status, body) of one request on this thread's connection, reconnecting once."""
    for attempt in (1, 2):
        connection = light(gateway)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            answer = connection.getresponse()
            return answer.status, answer.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            del _local.light
            if attempt == 2:
                raise


def session():
    """One keep-alive connection per thread: a requests.Session is not thread-safe."""
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


def percentile_ms(seconds, p):
    ordered = sorted(seconds)
    return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000, 1) \
        if ordered else None


def bearer(config, sub):
    return {"Authorization": "Bearer " + mint_token(config, sub, sub, ["agent"], "Banc d'essai",
                                                    ttl=3600)}


# ---------------------------------------------------------------- through the gateway

def create_ideas(gateway, count, config, run_id):
    """`count` ideas, IDEAS_PER_AUTHOR per author, so none meets the proposal rate limit."""
    body = {"body": "Idée créée par bench/votes.py pour mesurer les soutiens.", "tags": []}
    ids = []
    for n in range(count):
        author = bearer(config, f"bench-{run_id}-author{n // IDEAS_PER_AUTHOR}")
        answer = session().post(f"{gateway}/api/ideas", headers=author, timeout=10,
                                json={**body, "title": f"Banc d'essai {run_id} n°{n}"})
        answer.raise_for_status()
        ids.append(answer.json()["id"])
    return ids


def wait_until_votes_knows(gateway, ideas, warmup_voter, deadline_s=60.0):
    """The votes service learns ideas from Kafka: 404 until then. The 200 is a first support."""
    deadline = time.monotonic() + deadline_s
    for idea in ideas:
        while (answer := session().put(f"{gateway}/api/votes/{idea}", headers=warmup_voter,
                                       timeout=10)).status_code != 200:
            if answer.status_code == 429:  # one voter, many ideas: the gateway slows it
                time.sleep(float(answer.headers.get("Retry-After", 1)))
                continue
            if answer.status_code != 404 or time.monotonic() > deadline:
                raise SystemExit(f"idea {idea}: PUT answered {answer.status_code}; is the "
                                 "votes consumer up?")
            time.sleep(0.1)


def time_until_counted(gateway, idea, expected, answered_at, reader):
    """Seconds from the PUT's answer until GET shows vote_count >= expected (None: deadline).
    `reader`: a signed-in agent's headers (reading needs a sign-in)."""
    while time.perf_counter() - answered_at < LAG_DEADLINE:
        try:
            status, body = call(gateway, "GET", f"/api/ideas/{idea}", reader)
            if status == 200 and json.loads(body)["vote_count"] >= expected:
                return time.perf_counter() - answered_at
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(LAG_POLLS[time.perf_counter() - answered_at > 1.0])
    return None


def run_load(args, ideas, voters):
    """Open loop: request i leaves at t0 + i/rate whatever the earlier ones are doing, so a
    slow service shows as latency and late sends, not as a politely lower offered rate."""
    total = max(1, min(int(args.rate * args.duration), len(voters) * len(ideas)))
    pairs = random.sample(range(len(voters) * len(ideas)), total)  # distinct: each is new
    lock, lag_pool = threading.Lock(), ThreadPoolExecutor(LAG_WORKERS)
    accepted_per_idea = defaultdict(lambda: 1)  # the warm-up support is already there
    late, latencies, answered_at, statuses, lag_jobs = [], [], [], Counter(), []

    def send_support(i, due):
        voter, idea = divmod(pairs[i], len(ideas))
        started = time.perf_counter()
        if started - due > GIVE_UP_BEHIND:
            with lock:
                statuses[f"not sent (>{GIVE_UP_BEHIND:g} s behind)"] += 1
            return
        try:
            status, _ = call(args.gateway, "PUT", f"/api/votes/{ideas[idea]}", voters[voter])
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
        done = time.perf_counter()
        with lock:
            late.append(started - due)
            latencies.append(done - started)
            answered_at.append(done)
            statuses[str(status)] += 1
            if status != 200:
                return
            accepted_per_idea[idea] += 1
            # Answers may overtake each other, so this waits for "that many", not "this one".
            if statuses["200"] % LAG_EVERY == 0 and len(lag_jobs) < LAG_CAP:
                lag_jobs.append(lag_pool.submit(time_until_counted, args.gateway, ideas[idea],
                                                accepted_per_idea[idea], done, voters[0]))

    t0 = time.perf_counter() + 0.05
    with ThreadPoolExecutor(WORKERS) as pool:
        for i in range(total):
            time.sleep(max(0.0, t0 + i / args.rate - time.perf_counter()))
            pool.submit(send_support, i, t0 + i / args.rate)
    log(f"load done; waiting for {len(lag_jobs)} lag samples")
    lags = [job.result() for job in lag_jobs]
    lag_pool.shutdown()
    counted = [lag for lag in lags if lag is not None]
    elapsed = max([total / args.rate] + [t - t0 for t in answered_at])  # offered window at least
    accepted = statuses.pop("200", 0)
    return {"requests": total, "accepted": accepted, "elapsed_s": round(elapsed, 2),
            "accepted_per_s": round(accepted / elapsed, 1), "errors": dict(statuses),
            "late_sends_over_50ms": sum(1 for x in late if x > 0.05),
            "put_ms": {f"p{p}": percentile_ms(latencies, p) for p in (50, 95, 99)},
            "lag_ms": {"p50": percentile_ms(counted, 50), "p99": percentile_ms(counted, 99),
                       "samples": len(lags), "timeouts": len(lags) - len(counted)}}


# ---------------------------------------------------------------- the raw floor, no HTTP

def vote_event(vote):
    """The event of a support, as services/votes/handlers.py makes it."""
    return make_event("vote.cast", vote["idea_id"], domain.event_data(vote), domain.SOURCE)


def send_and_wait(producer, events):
    """Send and wait for Kafka's acknowledgement (acks=all). flush() sends at once: a
    sequential floor should not wait the producer's linger_ms for a batch that never fills."""
    futures = [producer.send(FLOOR_TOPIC, key=e["subject"].encode(), value=encode(e))
               for e in events]
    producer.flush()
    for future in futures:
        future.get(10)


def full_support(store, outbox, producer, voter):
    """What one accepted PUT costs the votes service minus HTTP and threads, with the code
    of services/votes/handlers.set_support and shared.kafka.Publisher: (1) the idea's status,
    by `_id`; (2) the vote and its event, one find_one_and_update with upsert; the send to
    Kafka, acknowledged; (3) the acknowledged event $pull-ed from the vote's outbox."""
    domain.check_open(store.idea(FLOOR_IDEA))
    _, vote, events = store.change_vote(FLOOR_IDEA, voter, True, now_iso(), vote_event)
    send_and_wait(producer, events)
    outbox.sent([("votes", vote["_id"], event["id"]) for event in events])


def bare_support(db, producer, voter):
    """One plain insert and its event: what the status read, the conditional upsert and
    the $pull cost, by difference."""
    vote = {"_id": voter, "idea_id": FLOOR_IDEA, "voter_id": voter, "active": True, "seq": 1}
    db.bare.insert_one(vote)
    send_and_wait(producer, [vote_event(vote)])


def supports_per_second(count, write):
    for n in range(FLOOR_WARMUP):  # connections, metadata, the topic's leader: not timed
        write(f"warmup-{n}")
    started = time.perf_counter()
    for n in range(count):
        write(f"voter-{n}")
    elapsed = time.perf_counter() - started
    return {"per_s": round(count / elapsed, 1), "ms_per_op": round(elapsed / count * 1000, 2)}


def ensure_floor_topic(config):
    admin = KafkaAdminClient(bootstrap_servers=config.kafka_bootstrap, client_id="ideahub-bench")
    try:
        if FLOOR_TOPIC not in admin.list_topics():
            admin.create_topics([NewTopic(FLOOR_TOPIC, PARTITIONS, 1)])
    finally:
        admin.close()


def measure_floor(count, config):
    ensure_floor_topic(config)
    client = mongo.connect(config)  # as the services connect
    # The services' producer: acks=all and idempotence (shared.kafka.producer_for).
    producer = producer_for(config, "ideahub-bench")
    try:
        client.drop_database(FLOOR_DB)  # left over if a previous run was interrupted
        db = client[FLOOR_DB]
        # The votes service's view of an open idea, as its consumer saves it.
        db.ideas.insert_one({"_id": FLOOR_IDEA, "status": "submitted", "version": 1})
        store, outbox = VoteStore(db), Outbox(db, ("votes",))
        return {"n": count,
                "full": supports_per_second(count, lambda v: full_support(store, outbox,
                                                                          producer, v)),
                "bare": supports_per_second(count, lambda v: bare_support(db, producer, v))}
    finally:
        producer.close(timeout=5)
        client.drop_database(FLOOR_DB)
        client.close()


# ---------------------------------------------------------------- report

def interpret(f):
    """One line on what the figures suggest limits the HTTP / floor ratio."""
    put, full, bare = (f["put_ms"]["p50"], f["floor"]["full"]["ms_per_op"],
                       f["floor"]["bare"]["ms_per_op"])
    storage = (f"the floor spends {full} ms per support, {full - bare:.1f} ms of it on the "
               f"status read, conditional upsert and $pull a bare insert skips")
    if not saturated(f):
        return f"not saturated: the ratio only reflects --rate; PUT p50 {put} ms; {storage}."
    if f["ratio_http_to_floor"] < 1:
        return (f"saturated, and the hub's many threads do fewer supports/s than one sequential "
                f"client making the same writes: the shared store (which the consumers also "
                f"write for every support) or CPU is the limit, not HTTP alone; {storage}.")
    return (f"saturated, though above the sequential floor: CPU for HTTP and the services "
            f"(PUT p50 {put} ms) rather than storage looks like the limit; {storage}.")


def saturated(f):
    return bool(f["errors"]) or f["accepted_per_s"] < 0.95 * f["offered_rate"]


def targets(f):
    """Issue 10's targets for supports, each met, not met, or not tested by this run."""
    put99, lag99, ratio = f["put_ms"]["p99"], f["lag_ms"]["p99"], f["ratio_http_to_floor"]
    if f["accepted_per_s"] >= 300 and not f["errors"]:
        accepted = "met"
    elif f["offered_rate"] < 300:
        accepted = f"not tested ({f['offered_rate']:g}/s offered; try --rate 400)"
    else:
        accepted = f"NOT met ({f['accepted_per_s']}/s, errors {f['errors'] or 'none'})"
    if f["offered_rate"] != 200:
        latency = "not tested (run with --rate 200)"
    else:
        met = put99 is not None and put99 < 100 and lag99 is not None and lag99 < 250
        latency = ("met" if met else "NOT met") + f" (PUT p99 {put99} ms, lag p99 {lag99} ms)"
    if ratio >= 0.5:
        share = f"met ({ratio})"
    elif not saturated(f):
        share = (f"not tested ({ratio}: the hub took all it was offered, less than half the "
                 f"floor; raise --rate)")
    else:
        share = f"NOT met ({ratio})"
    return (f">=300 accepted/s, no errors: {accepted} | at 200/s PUT p99<100 ms and lag "
            f"p99<250 ms: {latency} | HTTP/floor>=0.5: {share}")


def print_report(f):
    put, lag, floor = f["put_ms"], f["lag_ms"], f["floor"]
    rows = [
        ("offered", f"{f['offered_rate']:g}/s for {f['duration_s']:g} s ({f['requests']} PUTs)"),
        ("accepted", f"{f['accepted']} = {f['accepted_per_s']} supports/s over {f['elapsed_s']} s"),
        ("errors", f"{f['errors'] or 'none'}; sends >50 ms late: {f['late_sends_over_50ms']}"),
        ("PUT latency", f"p50 {put['p50']} ms, p95 {put['p95']} ms, p99 {put['p99']} ms"),
        ("lag to vote_count", f"p50 {lag['p50']} ms, p99 {lag['p99']} ms ({lag['samples']} "
                              f"samples, {lag['timeouts']} past {LAG_DEADLINE:g} s)"),
        ("raw floor", f"n={floor['n']}, sequential, in a scratch database"),
        ("  full", "{per_s} supports/s ({ms_per_op} ms each)".format(**floor["full"])),
        ("  bare", "{per_s} supports/s ({ms_per_op} ms each)".format(**floor["bare"])),
        ("HTTP / floor", f["ratio_http_to_floor"]),
        ("load average", f"{f['load_average_after_load']} (1 min, right after the load: "
                         f"the hub's own work plus anything else running)"),
        ("targets (issue 10)", f["targets"]),
    ]
    print(f"Ideahub votes benchmark, {f['date']}, {f['cores']} cores, {f['gateway']}")
    for name, value in rows:
        print(f"  {name:<20}{value}")
    print(f"  note: {f['note']}")


def is_loopback(host):
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100, help="offered supports per second")
    parser.add_argument("--duration", type=float, default=20, help="seconds of load")
    parser.add_argument("--ideas", type=int, default=50, help="ideas to create")
    parser.add_argument("--voters", type=int, default=2000, help="distinct voters")
    parser.add_argument("--gateway", default="http://127.0.0.1:8080", help="loopback only")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if not is_loopback(urlparse(args.gateway).hostname or ""):
        parser.error("--gateway must be a loopback address")
    if not (0 < args.rate <= 5000 and 0 < args.duration <= 600 and args.ideas > 0
            and args.voters > 0):
        parser.error("need 0 < rate <= 5000, 0 < duration <= 600, ideas > 0, voters > 0")
    args.gateway = args.gateway.rstrip("/")
    return args


def main():
    args = parse_args()
    config, run_id = load_config(), uuid.uuid4().hex[:6]
    log(f"run {run_id}: creating {args.ideas} ideas, waiting until the votes service knows them")
    ideas = create_ideas(args.gateway, args.ideas, config, run_id)
    wait_until_votes_knows(args.gateway, ideas, bearer(config, f"bench-{run_id}-warmup"))
    voters = [bearer(config, f"bench-{run_id}-v{n}") for n in range(args.voters)]
    log(f"offering {args.rate:g} supports/s for {args.duration:g} s")
    figures = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "cores": os.cpu_count(), "gateway": args.gateway, "offered_rate": args.rate,
               "duration_s": args.duration, **run_load(args, ideas, voters),
               "load_average_after_load": round(os.getloadavg()[0], 2)}
    log("measuring the raw floor")
    figures["floor"] = measure_floor(min(max(figures["accepted"], 1), FLOOR_CAP), config)
    figures["ratio_http_to_floor"] = round(
        figures["accepted_per_s"] / figures["floor"]["full"]["per_s"], 3)
    figures["note"] = interpret(figures)
    figures["targets"] = targets(figures)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_report(figures)


if __name__ == "__main__":
    main()
