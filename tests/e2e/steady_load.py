"""A steady load of supports, proposals and comments through the gateway, for the fault runs
(test_faults.py). It remembers every write the hub accepted, so that what the hub holds
afterwards can be checked against it.

Each agent belongs to one thread, so its requests are sequential and its last intent is
known. Supports are idempotent: one refused while a process is down (5xx, no connection) is
sent again as it was until accepted, so each (idea, agent)'s final state is known exactly.
Proposals and comments are not: a refused one is left alone (it may or may not have landed;
only accepted writes are owed).
"""
import random
import threading
import time
import uuid
from collections import Counter

import requests

# How long a support keeps being retried: past the slowest restart (Kafka, the store).
RETRY_FOR = 90.0
RETRY_PAUSE = 0.25
# Of each thread's acts: supports (given or withdrawn), proposals, comments.
MIX = (("support", 0.75), ("propose", 0.10), ("comment", 0.15))


class SteadyLoad:
    def __init__(self, http, token, ideas, threads=6, agents_per_thread=10, rate=30.0,
                 seed=11):
        """`ideas`: the ideas to support and comment (the votes service knows them);
        `rate`: requests a second, all threads together."""
        self.http = http
        self.ideas = list(ideas)
        self.interval = threads / rate
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        run = uuid.uuid4().hex[:6]
        self.agents = [[(f"fault-{run}-{t}-{a}", token(sub=f"fault-{run}-{t}-{a}"))
                        for a in range(agents_per_thread)] for t in range(threads)]
        self.seeds = [seed * 1000 + t for t in range(threads)]
        self.threads = []
        # What was accepted: each (idea, agent)'s last support intent, the proposals' ids,
        # the comments' ids with their idea's.
        self.supports = {}
        self.proposals = []
        self.comments = {}
        self.accepted = 0
        self.outcomes = Counter()  # status code (or "no answer") of every attempt
        self.unsettled = []  # supports refused (4xx), or unavailable still after RETRY_FOR

    def start(self):
        for agents, seed in zip(self.agents, self.seeds):
            thread = threading.Thread(target=self._run, args=(agents, random.Random(seed)),
                                      daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(RETRY_FOR + 15)

    def sent(self):
        return sum(self.outcomes.values())

    def commented_since(self, count):
        """The ideas of the accepted comments after the first `count`."""
        with self.lock:
            return set(list(self.comments.values())[count:])

    def _run(self, agents, rng):
        next_at = time.monotonic()
        while not self.stopping.is_set():
            act = rng.choices([a for a, _ in MIX], [w for _, w in MIX])[0]
            getattr(self, f"_{act}")(rng.choice(agents), rng)
            next_at = max(next_at + self.interval, time.monotonic())
            self.stopping.wait(next_at - time.monotonic())

    def _support(self, agent, rng):
        sub, bearer = agent
        idea_id = rng.choice(self.ideas)
        with self.lock:
            active = not self.supports.get((idea_id, sub), False)
        method = "PUT" if active else "DELETE"
        deadline = time.monotonic() + RETRY_FOR
        while True:
            outcome, _ = self._send(method, f"/api/votes/{idea_id}", bearer)
            if outcome == "accepted":
                break
            if outcome == "refused" or time.monotonic() > deadline:
                with self.lock:
                    self.unsettled.append((method, idea_id, sub))
                return
            time.sleep(RETRY_PAUSE)
        with self.lock:
            self.supports[(idea_id, sub)] = active

    def _propose(self, agent, rng):
        tag = uuid.uuid4().hex[:8]
        _, idea = self._send("POST", "/api/ideas", agent[1], json={
            "title": f"Proposée sous les pannes {tag}",
            "body": f"Une idée de la charge continue ({tag}) : elle doit rester, une fois.",
            "tags": ["pannes"]})
        if idea is not None:
            with self.lock:
                self.proposals.append(idea["id"])

    def _comment(self, agent, rng):
        idea_id = rng.choice(self.ideas)
        _, comment = self._send("POST", f"/api/ideas/{idea_id}/comments", agent[1], json={
            "body": f"Un commentaire sous les pannes {uuid.uuid4().hex}"})
        if comment is not None:
            with self.lock:
                self.comments[comment["id"]] = idea_id

    def _send(self, method, path, bearer, **kwargs):
        """("accepted", the answer's JSON) for a 2xx; ("unavailable", None) for a 5xx or no
        answer, what a fault causes, or a 429 (a gateway or hub limit: later, it passes);
        ("refused", None) for any other 4xx, which none should get."""
        try:
            response = self.http(method, path, bearer, **kwargs)
            status = response.status_code
        except requests.RequestException:
            response, status = None, "no answer"
        with self.lock:
            self.outcomes[status] += 1
            if status != "no answer" and status < 300:
                self.accepted += 1
                return "accepted", response.json()
        refused = status != "no answer" and status < 500 and status != 429
        return ("refused" if refused else "unavailable"), None
