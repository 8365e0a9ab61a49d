"""A call's evaluation table (GET /api/campaigns/{id}/evaluation) through the gateway, at a
call of IDEAS ideas each scored by EVALUATORS evaluators: how long proposing and scoring take,
and the table's latency for its owner (every evaluation, side by side) and for an evaluator
(their own progress). Against the running hub (`make up`, or a test stack's `stack.py env`).

    .venv/bin/python bench/evaluation.py [IDEAS=200] [EVALUATORS=5]

It leaves its call and ideas in the hub (their titles say they are the benchmark's).
"""
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import requests

from shared.auth import mint_token
from shared.config import load_config
from shared.events import iso

CONFIG = load_config()
BASE = CONFIG.public_url.rstrip("/")
RUNS = 30


def bearer(sub, roles=("agent",)):
    token = mint_token(CONFIG, sub, sub, list(roles), "Banc d'essai", "", ttl=3600)
    return {"Authorization": f"Bearer {token}"}


def launch(evaluators, owner):
    now = datetime.now(timezone.utc)
    days = {"proposals_from": -1, "proposals_until": 7, "supports_from": -1,
            "supports_until": 14, "evaluation_until": 21}
    created = requests.post(f"{BASE}/api/campaigns", timeout=30, headers=bearer(
        "bench-moderator", ("agent", "moderator")), json={
        "title": "Appel du banc d'essai", "question": "Combien de temps prend le tableau ?",
        "evaluators": [{"id": e, "name": e} for e in evaluators],
        "owners": [{"id": owner, "name": owner}],
        **{name: iso(now + timedelta(days=d)) for name, d in days.items()}})
    assert created.status_code == 201, created.text
    return created.json()["id"]


def timed(label, action, jobs):
    started = time.monotonic()
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(action, jobs))
    print(f"{label}: {len(results)} in {time.monotonic() - started:.1f} s")
    return results


def latency(label, path, headers, expected):
    times = []
    for _ in range(RUNS):
        answer = requests.get(BASE + path, headers=headers, timeout=30)
        assert answer.status_code == 200 and len(answer.json()["items"]) == expected
        times.append(answer.elapsed.total_seconds() * 1000)
    print(f"{label}: p50 {statistics.median(times):.0f} ms, max {max(times):.0f} ms, "
          f"{len(answer.content) // 1024} KiB")


def main(ideas=200, evaluators=5):
    tag = uuid.uuid4().hex[:6]
    people = [f"bench-evaluator-{tag}-{n}" for n in range(evaluators)]
    owner = f"bench-owner-{tag}"
    call = launch(people, owner)

    def propose(n):  # one author each: proposals are rate limited per person
        answer = requests.post(f"{BASE}/api/ideas", headers=bearer(f"bench-{tag}-{n}"),
                               timeout=30, json={"title": f"Idée du banc d'essai n° {n}",
                                                 "body": "Un texte assez long.",
                                                 "campaign_id": call})
        assert answer.status_code == 201, answer.text
        return answer.json()["id"]

    def score(pair):
        idea, evaluator = pair
        answer = requests.put(f"{BASE}/api/ideas/{idea}/evaluation", headers=bearer(evaluator),
                              timeout=30, json={"scores": {
                                  "impact": 1 + hash(pair) % 5, "faisabilite": 3, "cout": 4,
                                  "alignement": 2}})
        assert answer.status_code == 200, answer.text
        return answer.elapsed.total_seconds() * 1000

    made = timed("ideas proposed", propose, range(ideas))
    puts = timed("evaluations", score, [(i, e) for i in made for e in people])
    print(f"PUT p50 {statistics.median(puts):.0f} ms, p95 "
          f"{statistics.quantiles(puts, n=20)[-1]:.0f} ms")
    path = f"/api/campaigns/{call}/evaluation"
    while len(requests.get(BASE + path, headers=bearer(owner), timeout=30).json()["items"]) \
            < ideas:  # every process of the ideas service lists them all
        time.sleep(0.2)
    for sort in ("mean", "missing"):
        latency(f"owner's table, sort={sort}", f"{path}?sort={sort}", bearer(owner), ideas)
    latency("evaluator's list", path, bearer(people[0]), ideas)


if __name__ == "__main__":
    main(*map(int, sys.argv[1:3]))
