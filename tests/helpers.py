"""Helpers for tests that wait on the real stack: poll with a deadline, never sleep blind."""
import email
import email.policy
import mailbox
import time


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
