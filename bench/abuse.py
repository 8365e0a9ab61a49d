"""One agent hammers the hub; how long does a second agent wait meanwhile?

    .venv/bin/python bench/abuse.py [--seconds 10] [--threads 8]

Against the running dev stack (`make up`). For each kind of request the gateway limits
(supports, comments, similar ideas), a "calm" agent sends one request every 500 ms, first
alone, then while a "hammering" agent sends as fast as `--threads` closed-loop threads can.
Prints the calm agent's latency (p50, p99) in both runs, what the hammerer got (answers per
second, how many 429), and whether the calm agent was ever refused. Its ideas and comments
stay in the dev hub, under "Banc d'essai".
"""
import argparse
import http.client
import sys
import threading
import time
import uuid
from collections import Counter
from functools import partial

from shared.config import load_config  # the project is installed in .venv (pip install -e)
from votes import (bearer, call, create_ideas,  # bench/votes.py, beside this script
                   percentile_ms, wait_until_votes_knows)

# Under the writes limit (5/s), and under the comments' own (30 in 10 min) over 10 s.
CALM_EVERY = 0.5
log = partial(print, file=sys.stderr, flush=True)


def requests_of(kind, ideas, counter):
    """(method, path, body) of the next request of this kind: supports go to a new idea each
    time until the pool is spent, then come back (an idempotent PUT is still a write)."""
    n = next(counter)
    if kind == "supports":
        return "PUT", f"/api/votes/{ideas[n % len(ideas)]}", None
    if kind == "comments":
        return "POST", f"/api/ideas/{ideas[0]}/comments", \
            b'{"body": "Un commentaire du banc d\'essai."}'
    return "GET", "/api/ideas/similar?text=" + "bancs%20ombre%20m%C3%A9diath%C3%A8que", None


def send(gateway, kind, ideas, counter, who):
    method, path, body = requests_of(kind, ideas, counter)
    started = time.perf_counter()
    try:
        status, _ = call(gateway, method, path, {**who, "Content-Type": "application/json"},
                         body)
    except (OSError, http.client.HTTPException) as error:
        status = type(error).__name__
    return status, time.perf_counter() - started


def calm(gateway, kind, ideas, who, seconds):
    counter, latencies, statuses = iter(range(10 ** 9)), [], Counter()
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        status, took = send(gateway, kind, ideas, counter, who)
        latencies.append(took)
        statuses[status] += 1
        time.sleep(max(0.0, CALM_EVERY - took))
    return latencies, statuses


def hammer(gateway, kind, ideas, who, stop, statuses):
    counter = iter(range(10 ** 9))
    while not stop.is_set():
        status, _ = send(gateway, kind, ideas, counter, who)
        statuses[status] += 1


def measure(args, config, kind, ideas, run_id):
    quiet = calm(args.gateway, kind, ideas, bearer(config, f"bench-{run_id}-calm-{kind}-1"),
                 args.seconds)
    stop, hammered = threading.Event(), Counter()
    hammerer = bearer(config, f"bench-{run_id}-hammer-{kind}")
    threads = [threading.Thread(target=hammer, args=(args.gateway, kind, ideas, hammerer,
                                                     stop, hammered)) for _ in range(args.threads)]
    for thread in threads:
        thread.start()
    time.sleep(1)  # the hammerer's burst is spent: what follows is the steady state
    loud = calm(args.gateway, kind, ideas, bearer(config, f"bench-{run_id}-calm-{kind}-2"),
                args.seconds)
    stop.set()
    for thread in threads:
        thread.join()
    total = sum(hammered.values())
    return {
        "kind": kind,
        "calm alone p50/p99 ms": (percentile_ms(quiet[0], 50), percentile_ms(quiet[0], 99)),
        "calm hammered p50/p99 ms": (percentile_ms(loud[0], 50), percentile_ms(loud[0], 99)),
        "calm answers": dict(quiet[1] + loud[1]),
        "hammerer req/s": round(total / (args.seconds + 1)),
        "hammerer 429 share": round(hammered[429] / total, 3) if total else None,
        "hammerer answers": dict(hammered),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default="http://127.0.0.1:8080")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    config, run_id = load_config(), uuid.uuid4().hex[:6]
    ideas = create_ideas(args.gateway, 10, config, run_id)
    wait_until_votes_knows(args.gateway, ideas, bearer(config, f"bench-{run_id}-warmup"))
    for kind in ("supports", "comments", "similar"):
        log(f"{kind}…")
        print(measure(args, config, kind, ideas, run_id), flush=True)


if __name__ == "__main__":
    main()
