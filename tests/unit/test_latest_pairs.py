"""When the possible duplicates are computed (services.ideas.latest_pairs): in the background,
one computation at a time, at most once every `every` seconds; a request answers at once with
the last pairs, and waits for the first ones a short while only. The computation is a fake."""
import threading

import pytest

from services.ideas.latest_pairs import LatestPairs

pytestmark = pytest.mark.unit


class FakeCatalogue:
    def __init__(self):
        self.texts_version = 1

    def sync(self):
        pass

    def open_ideas(self):
        return self.texts_version, f"ideas of version {self.texts_version}"


class Computation:
    """A fake computation: the pairs it returns name the ideas it was given; each call waits
    until the test lets it finish."""

    def __init__(self):
        self.calls, self.started, self.go = [], threading.Semaphore(0), threading.Semaphore(0)

    def __call__(self, ideas):
        self.calls.append(ideas)
        self.started.release()
        assert self.go.acquire(timeout=5)
        return [(0.5, "a", ideas)]

    def finish(self, latest):
        """Let the running computation end, and wait until `latest` has its result."""
        thread = latest._thread
        self.go.release()
        thread.join(5)


class Clock:
    def __init__(self):
        self.now, self.slept = 100.0, []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def catalogue():
    return FakeCatalogue()


@pytest.fixture
def compute():
    return Computation()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def latest(catalogue, compute, clock):
    stamps = iter(f"2026-11-20T14:0{n}:00.000Z" for n in range(10))
    return LatestPairs(catalogue, every=30, first_wait=0.2, compute=compute,
                       now=lambda: next(stamps), clock=clock, sleep=clock.sleep)


def computed(latest, compute):
    """The first computation, done: (pairs, computed_at, pending) as a request then sees."""
    threading.Thread(target=latest.latest, daemon=True).start()
    assert compute.started.acquire(timeout=5)
    compute.finish(latest)
    return latest.latest()


def test_with_no_pairs_yet_a_request_waits_a_short_while_then_answers_none_pending(
        latest, compute):
    assert latest.latest() == ([], None, True)
    assert len(compute.calls) == 1
    compute.finish(latest)
    assert latest.latest() == ([(0.5, "a", "ideas of version 1")],
                               "2026-11-20T14:00:00.000Z", False)


def test_a_first_computation_done_within_the_wait_is_answered(latest, catalogue):
    quick = LatestPairs(catalogue, first_wait=5, compute=lambda ideas: [(0.9, "x", "y")],
                        now=lambda: "2026-11-20T14:00:00.000Z")
    assert quick.latest() == ([(0.9, "x", "y")], "2026-11-20T14:00:00.000Z", False)


def test_unchanged_ideas_are_not_computed_again(latest, compute):
    computed(latest, compute)
    latest.latest()
    latest.latest()
    assert len(compute.calls) == 1


def test_changed_ideas_get_the_last_pairs_at_once_while_one_computation_runs(
        latest, catalogue, compute, clock):
    first = computed(latest, compute)
    clock.now += 60  # past the interval: computed again at once
    catalogue.texts_version = 2

    answers = [latest.latest() for _ in range(3)]
    assert compute.started.acquire(timeout=5)
    catalogue.texts_version = 3  # more ideas meanwhile: still the one computation
    answers.append(latest.latest())

    assert answers == [(first[0], first[1], True)] * 4
    assert compute.calls == ["ideas of version 1", "ideas of version 2"]
    assert clock.slept == []
    compute.finish(latest)
    assert latest.latest()[:2] == ([(0.5, "a", "ideas of version 2")],
                                   "2026-11-20T14:01:00.000Z")


def test_ideas_changing_sooner_than_the_interval_are_computed_when_it_ends(
        latest, catalogue, compute, clock):
    computed(latest, compute)
    clock.now += 10
    catalogue.texts_version = 2

    assert latest.latest()[2] is True
    assert compute.started.acquire(timeout=5)
    assert clock.slept == [20]  # 30 s after the first computation started
    compute.finish(latest)
    assert latest.latest()[0] == [(0.5, "a", "ideas of version 2")]


def test_a_failed_computation_keeps_the_last_pairs(catalogue, clock):
    calls = []

    def compute(ideas):
        calls.append(ideas)
        if len(calls) > 1:
            raise RuntimeError("boom")
        return [(0.5, "a", "b")]
    latest = LatestPairs(catalogue, first_wait=5, compute=compute, now=lambda: "then",
                         clock=clock, sleep=clock.sleep)
    assert latest.latest() == ([(0.5, "a", "b")], "then", False)
    catalogue.texts_version = 2
    latest.latest()
    latest._thread and latest._thread.join(5)
    assert latest.latest()[:2] == ([(0.5, "a", "b")], "then")


def test_warm_up_starts_the_first_computation_without_waiting(latest, compute):
    latest.warm_up()
    assert compute.started.acquire(timeout=5)
    compute.finish(latest)
    assert latest.latest()[1:] == ("2026-11-20T14:00:00.000Z", False)
