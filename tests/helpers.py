"""Helpers for tests that wait on the real stack: poll with a deadline, never sleep blind."""
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
