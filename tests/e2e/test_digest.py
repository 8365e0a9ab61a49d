"""A manager subscribes, ideas arrive in their unit, the digest goes out over real SMTP."""
import email
import email.policy
import mailbox
import os
import subprocess
import sys
import uuid
from datetime import datetime, timezone

import requests

from services.digest.periods import period_of
from tests.helpers import eventually


def received(maildir, recipient):
    box = mailbox.Maildir(maildir, factory=None, create=False)
    return [email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
            for key in box.keys()
            if recipient in email.message_from_bytes(box.get_bytes(key))["To"]]


def test_a_managers_digest_is_delivered_with_both_parts(http, propose, support, token):
    unit = f"Service test {uuid.uuid4().hex[:6]}"
    address = f"manager-{uuid.uuid4().hex[:6]}@test.ideahub.local"
    manager = token(roles=("manager",), unit=unit, email=address)
    subscribed = http("PUT", "/api/digest/subscription", manager, json={"units": [unit]})
    assert subscribed.status_code == 200, subscribed.text
    assert subscribed.json()["email"] == address

    idea = propose(title="Un composteur partagé près de la cantine <b>bio</b>",
                   as_=token(unit=unit))
    support(idea["id"], token())
    period = period_of(datetime.now(timezone.utc))
    eventually(lambda: http("GET", f"/api/digest/preview?period={period}",
                            manager).json()["would_send"],
               message="the digest consumer has read the idea")

    run = subprocess.run([sys.executable, "-m", "services.cli", "digest", "run",
                          "--period", period], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr

    [message] = received(os.environ["HUB_MAILDIR"], address)
    assert period in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Un composteur partagé près de la cantine <b>bio</b>" in text
    assert "&lt;b&gt;bio&lt;/b&gt;" in html and "<b>bio</b>" not in html
    assert f"/ideas/{idea['id']}" in text

    link = message["List-Unsubscribe"].strip("<>")
    assert requests.get(link, timeout=10).status_code == 200  # a page, nothing done yet
    assert http("GET", "/api/digest/subscription", manager).status_code == 200
    assert requests.post(link, data="List-Unsubscribe=One-Click", timeout=10).status_code == 204
    assert http("GET", "/api/digest/subscription", manager).status_code == 404


def test_a_second_run_of_the_same_period_sends_nothing_again(http, token):
    manager = token(roles=("manager",), unit="Nulle part", email="rien@test.ideahub.local")
    http("PUT", "/api/digest/subscription", manager, json={"units": ["Nulle part"]})
    period = period_of(datetime.now(timezone.utc))
    command = [sys.executable, "-m", "services.cli", "digest", "run", "--period", period]

    first = subprocess.run(command, capture_output=True, text=True, timeout=120)
    second = subprocess.run(command, capture_output=True, text=True, timeout=120)

    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "sent 0" in second.stdout and "skipped 0" in second.stdout, second.stdout
