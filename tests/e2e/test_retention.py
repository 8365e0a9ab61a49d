"""Retention on the real stack: an account inactive for 24 months is warned once by mail,
however many rounds run at once, then anonymised like an erasure once the warning's 30 days
are over (issue 15)."""
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pymongo

from shared.erasure import ERASED_NAME
from shared.events import iso
from services.people.domain import months_before
from tests.helpers import eventually, received, settled

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def rounds(profile, count):
    """`count` retention rounds at once, as several processes would run them."""
    running = [subprocess.Popen([sys.executable, "-m", "services.cli", "retention", "run"],
                                cwd=ROOT, env=profile.env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(count)]
    outputs = [process.communicate(timeout=120) for process in running]
    assert all(p.returncode == 0 for p in running), outputs
    return [out for out, _ in outputs]


def test_an_inactive_account_is_warned_once_then_anonymised(http, person, token, stack,
                                                             config):
    _, profile = stack
    agent, address, name = person("Hortense")
    idea = http("POST", "/api/ideas", agent, json={
        "title": "Un potager partagé derrière la mairie", "body": "Pour les pauses d'été."})
    assert idea.status_code == 201, idea.text
    idea = idea.json()
    people = pymongo.MongoClient(config.mongo_url)[config.database_name("people")].people
    sub = idea["author"]["id"]
    now = datetime.now(timezone.utc)
    people.update_one({"_id": sub}, {"$set": {"seen_at": iso(months_before(now, 24)
                                                              + timedelta(days=1))}})

    rounds(profile, 3)
    eventually(lambda: received(os.environ["HUB_MAILDIR"], address), timeout=15,
               message="the warning mailed")
    settled(lambda: len(received(os.environ["HUB_MAILDIR"], address)) == 1, times=10,
            message="one warning only")
    assert "anonymisé" in received(os.environ["HUB_MAILDIR"], address)[0]["Subject"]
    assert http("GET", f"/api/ideas/{idea['id']}", token()).json()["author"]["name"] == name

    # Thirty-one days later, nobody signed in: the account is anonymised.
    people.update_one({"_id": sub}, {"$set": {
        "seen_at": iso(months_before(now, 24) - timedelta(days=1)),
        "retention_warned_at": iso(now - timedelta(days=31))}})
    rounds(profile, 2)
    assert people.find_one({"_id": sub})["erased_at"]
    eventually(lambda: http("GET", f"/api/ideas/{idea['id']}", token()).json()["author"]
               == {"id": sub, "name": ERASED_NAME}, timeout=30,
               message="the idea signed by no one")
    assert http("GET", f"/api/ideas/{idea['id']}", token()).json()["title"] == \
        "Un potager partagé derrière la mairie"  # retention keeps the texts
