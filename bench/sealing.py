"""What sealing personal fields costs (shared/sealing.py, issue 15): sealing an event as it
leaves for Kafka and opening it as a consumer reads it, per event type, keys cached as in a
running process (the keyring on mongomock: the key lookups are not what is measured).

    PYTHONPATH=. .venv/bin/python bench/sealing.py
"""
import time

import mongomock

from shared import sealing
from shared.events import CommentAdded, IdeaSubmitted, VoteChanged
from shared.keyring import Keyring

ROUNDS = 20_000
ZOE, LEA = {"id": "agent-zoe", "name": "Zoé Étiennette"}, {"id": "lea", "name": "Léa Garnier"}
IDEA = {"title": "Garer son vélo devant la mairie", "tags": ["vélo"], "unit": "Urbanisme",
        "status": "submitted", "author": ZOE, "created_at": "2026-12-02T09:00:00.000Z"}
SAMPLES = {
    "vote.cast (nothing personal)": (VoteChanged, {"idea_id": "i1", "voter_id": "agent-zoe",
                                                   "seq": 1, "active": True}),
    "idea.submitted (name, title, body)": (IdeaSubmitted, {
        "idea_id": "i1", "version": 1, "idea": IDEA, "body": "Des arceaux à vélo. " * 20}),
    "comment.added (3 names, title, body)": (CommentAdded, {
        "idea_id": "i1", "version": 2, "idea": IDEA, "comment_id": "c1", "author": LEA,
        "created_at": "x", "body": "Oui, et abrités. " * 10, "parent_id": "c0",
        "parent_author": ZOE}),
}


def per_event(action):
    start = time.perf_counter()
    for _ in range(ROUNDS):
        action()
    return (time.perf_counter() - start) / ROUNDS * 1e6


def main():
    ring = Keyring(mongomock.MongoClient().keys)
    print(f"{'event':40s} {'seal µs':>8s} {'open µs':>8s}")
    for name, (schema, data) in SAMPLES.items():
        sealed = sealing.seal(schema, data, ring)
        assert sealing.open_sealed(sealed, ring) == data
        print(f"{name:40s} {per_event(lambda: sealing.seal(schema, data, ring)):8.1f} "
              f"{per_event(lambda: sealing.open_sealed(sealed, ring)):8.1f}")


if __name__ == "__main__":
    main()
