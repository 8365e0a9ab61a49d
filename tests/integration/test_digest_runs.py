"""Digest runs against real SMTP (aiosmtpd into the Maildir) and the store: two runners at once
send one mail per subscription; an SMTP outage is retried later and sends once."""
import email
import mailbox
import os
import subprocess
import sys
import uuid

import pytest

from shared.api import make_hub
from services.digest import domain
from services.digest.store import DigestStore, ensure_indexes

PERIOD = "2026-W48"
DURING = "2026-11-24T10:00:00.000Z"


def seeded_view(unit):
    idea = {"title": f"Une idée pour {unit}", "tags": [], "unit": unit, "status": "submitted",
            "author": {"id": "a", "name": "Agnès"}, "created_at": DURING}
    view = domain.empty_view(uuid.uuid4().hex)
    domain.apply_idea_event(view, "idea.submitted",
                            {"idea_id": view["_id"], "version": 1, "idea": idea},
                            {"time": DURING})
    return view


@pytest.fixture
def digest(isolated):
    """An isolated digest database with three managers, each with news in their unit."""
    hub = make_hub("digest", isolated, ensure_indexes)
    hub.prepare_database()
    store = DigestStore(hub.db)
    recipients = []
    for n in range(3):
        unit, address = f"Unité {uuid.uuid4().hex[:6]}", f"m{uuid.uuid4().hex[:8]}@test.local"
        store.db.ideas.insert_one(seeded_view(unit))
        store.save_subscription({"_id": f"manager-{n}-{address}", "email": address,
                                 "units": [unit], "tags": [], "weekday": 0, "hour": 8,
                                 "language": "fr", "created_at": DURING,
                                 "email_verified": True})
        recipients.append(address)
    yield store, recipients
    hub.publisher.close()


def run_digest(isolated):
    env = {**os.environ, "HUB_DB_PREFIX": isolated.db_prefix,
           "HUB_TOPIC_PREFIX": isolated.topic_prefix}
    return subprocess.Popen([sys.executable, "-m", "services.cli", "digest", "run", "--period",
                             PERIOD], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def delivered(recipients):
    box = mailbox.Maildir(os.environ["HUB_MAILDIR"], factory=None, create=False)
    found = [email.message_from_bytes(box.get_bytes(k))["To"] for k in box.keys()]
    return {r: found.count(r) for r in recipients}


def test_two_runners_at_once_send_one_mail_per_subscription(isolated, digest):
    _, recipients = digest
    runners = [run_digest(isolated) for _ in range(2)]
    outputs = [r.communicate(timeout=120)[0] for r in runners]

    assert all(r.returncode == 0 for r in runners), outputs
    assert delivered(recipients) == {r: 1 for r in recipients}
    assert sum(int(o.split("sent ")[1].split(",")[0]) for o in outputs) == 3


@pytest.mark.outage
def test_smtp_down_fails_the_run_and_the_next_run_sends_each_once(isolated, digest, stack):
    module, profile = stack
    store, recipients = digest
    module.stop(profile, "smtp")
    try:
        first = run_digest(isolated)
        out, _ = first.communicate(timeout=120)
    finally:
        module.start(profile, "smtp")
        module.wait_ready(profile, "smtp")

    assert first.returncode == 1 and "failed 3" in out, out
    assert delivered(recipients) == {r: 0 for r in recipients}
    assert {store.send(f"{s['_id']}:{PERIOD}")["status"] for s in store.subscriptions()} == {
        "failed"}

    second = run_digest(isolated)
    out, _ = second.communicate(timeout=120)
    assert second.returncode == 0 and "sent 3" in out, out
    assert delivered(recipients) == {r: 1 for r in recipients}
