"""Helpers for tests that wait on the real stack: poll with a deadline, never sleep blind."""
import email
import email.policy
import mailbox
import time
from datetime import datetime, timedelta, timezone

from shared.events import iso

# A call for ideas open now: proposals and supports opened a day ago; proposals close in a
# week, supports in two, evaluation in three (days from now).
OPEN_CALL = {"proposals_from": -1, "proposals_until": 7, "supports_from": -1,
             "supports_until": 14, "evaluation_until": 21}


def call_dates(**shift_days):
    """A call's five dates as the API takes them (UTC strings): OPEN_CALL's, each of
    `shift_days` (days from now) in place of its own."""
    now = datetime.now(timezone.utc)
    return {name: iso(now + timedelta(days=days))
            for name, days in {**OPEN_CALL, **shift_days}.items()}


def eventually(check, timeout=15.0, interval=0.1, message="condition"):
    """Call `check()` until it returns something truthy; return it, or fail at the deadline
    with the last value or error."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = check()
            if last:
                return last
        except AssertionError as error:
            last = error
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} not met after {timeout} s; last: {last!r}")
        time.sleep(interval)


def settled(check, times=6, timeout=15.0, message="condition"):
    """`check()` truthy `times` calls in a row: a state every process of a service has
    reached (lists follow Kafka in each process; requests land on any of them)."""
    streak = []

    def holds():
        streak.append(bool(check()))
        return len(streak) >= times and all(streak[-times:])
    return eventually(holds, timeout=timeout, interval=0.05, message=message)


def received(maildir, recipient):
    """The messages the test stack's SMTP server delivered to `recipient`, parsed."""
    box = mailbox.Maildir(maildir, factory=None, create=False)
    return [email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
            for key in box.keys()
            if recipient in email.message_from_bytes(box.get_bytes(key))["To"]]
