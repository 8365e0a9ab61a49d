"""services.digest.jobs.send_one: each (subscription, week) is sent at most once, and a
failed send is taken up again later."""
import pytest

from services.digest import jobs
from services.digest.store import DigestStore
from tests.unit.builders import DURING, WEEK, digest_view, make_idea, make_subscription


@pytest.fixture
def views():
    return [digest_view(make_idea(unit="Service urbanisme"), ("bob", DURING))]


@pytest.fixture
def store(db, views):
    """The digest's store, its read model holding `views`."""
    store = DigestStore(db)
    db.ideas.insert_many(views)
    return store


@pytest.fixture
def send(store, mailer, publisher, config):
    """send(subscription=..., run_id=...) -> the outcome of jobs.send_one for WEEK."""
    def run(subscription=None, run_id="run-1"):
        return jobs.send_one(subscription or make_subscription(), WEEK,
                             jobs.Contents(store, WEEK, config), run_id, store, mailer,
                             publisher.publish, config)
    return run


def test_a_digest_is_sent_and_announced(send, mailer, publisher, store):
    assert send() == "sent"

    assert len(mailer.sent) == 1
    assert WEEK in mailer.sent[0]["Subject"]
    assert publisher.types() == ["digest.sent.v1"]
    assert publisher.events[0]["data"]["period"] == WEEK
    assert store.send(f"manager-1:{WEEK}")["status"] == "sent"


@pytest.mark.parametrize("second_run", ["run-1", "run-2"])
def test_a_second_call_for_the_same_week_sends_nothing(send, mailer, publisher, second_run):
    send(run_id="run-1")

    assert send(run_id=second_run) == "already_done"
    assert len(mailer.sent) == 1
    assert publisher.types() == ["digest.sent.v1"]


def test_each_subscription_gets_its_own_digest(send, mailer):
    send(make_subscription(_id="m-1"))
    send(make_subscription(_id="m-2", email="autre@ville.test"))

    assert sorted(m["To"] for m in mailer.sent) == ["autre@ville.test", "cheffe@ville.test"]


def test_an_smtp_failure_is_recorded_and_a_later_run_sends_it(send, mailer, publisher, store):
    mailer.down = True
    assert send(run_id="run-1") == "failed"
    failed = store.send(f"manager-1:{WEEK}")
    assert (failed["status"], failed["attempts"]) == ("failed", 1)
    assert publisher.events == []

    mailer.down = False
    assert send(run_id="run-2") == "sent"

    assert len(mailer.sent) == 1
    assert store.send(f"manager-1:{WEEK}")["attempts"] == 2
    assert send(run_id="run-3") == "already_done"


def test_a_subscription_with_nothing_in_scope_is_skipped(send, mailer, publisher, store):
    elsewhere = make_subscription(units=["Service voirie"])

    assert send(elsewhere) == "skipped"
    assert mailer.sent == [] and publisher.events == []
    assert store.send(f"manager-1:{WEEK}")["status"] == "skipped"
    assert send(elsewhere) == "already_done"


def test_a_run_counts_each_outcome(store, mailer, publisher, config):
    for subscription in (make_subscription(_id="m-1"), make_subscription(_id="m-2"),
                         make_subscription(_id="m-3", units=["Service voirie"])):
        store.save_subscription(subscription)
    run = jobs.new_run(WEEK)
    store.add_run(run)

    jobs.run_period(run, store, mailer, publisher.publish, config)

    saved = store.run(run["_id"])
    assert (saved["status"], saved["sent"], saved["skipped"], saved["failed"]) == (
        "done", 2, 1, 0)
    assert saved["finished_at"]


def test_a_claim_left_by_a_dead_runner_is_taken_up_once_stale(send, mailer, store, monkeypatch):
    store.claim_send("manager-1", WEEK, "dead-run")
    assert send(run_id="run-2") == "already_done"  # a live runner may still be at work

    stale = store.send(f"manager-1:{WEEK}")["claimed_at"] + jobs.STALE_CLAIM + 1
    monkeypatch.setattr(jobs.time, "time", lambda: stale)

    assert send(run_id="run-2") == "sent"
    assert len(mailer.sent) == 1


def test_a_run_reads_the_read_model_once_and_builds_each_scope_once(
        store, config, monkeypatch):
    reads, builds = [], []
    monkeypatch.setattr(store, "views_in_scope", lambda units=(): reads.append(units) or [])
    build = jobs.domain.build
    monkeypatch.setattr(jobs.domain, "build", lambda *a: builds.append(a[0]["_id"]) or build(*a))
    contents = jobs.Contents(store, WEEK, config)

    contents.content(make_subscription(_id="m-1", units=["Service urbanisme"]))
    contents.content(make_subscription(_id="m-2", units=["service URBANISME"]))  # the same
    contents.content(make_subscription(_id="m-3", units=["Service voirie"]))

    assert len(reads) == 1 and builds == ["m-1", "m-3"]

def test_a_run_an_admin_asks_for_is_run_by_the_digest_consumer_once(
        store, mailer, publisher, config):
    store.save_subscription(make_subscription(_id="m-1"))
    run = jobs.new_run(WEEK)  # what POST /api/digest/runs stores: pending
    store.add_run(run)

    assert jobs.run_pending(store, mailer, publisher.publish, config) == 1
    assert jobs.run_pending(store, mailer, publisher.publish, config) == 0
    assert store.run(run["_id"])["status"] == "done" and len(mailer.sent) == 1


def test_a_run_whose_runner_died_is_taken_up_and_sends_only_what_is_left(
        store, mailer, publisher, config):
    for n in (1, 2):
        store.save_subscription(make_subscription(_id=f"m-{n}"))
    run = jobs.new_run(WEEK, status="running")
    store.add_run(run)
    jobs.send_one(make_subscription(_id="m-1"), WEEK, jobs.Contents(store, WEEK, config),
                  run["_id"], store, mailer, publisher.publish, config)  # then it died

    assert jobs.run_pending(store, mailer, publisher.publish, config) == 0  # still beating
    later = run["beat"] + jobs.RUN_ABANDONED + 1
    assert jobs.run_pending(store, mailer, publisher.publish, config, now=later) == 1

    saved = store.run(run["_id"])
    assert (saved["status"], saved["sent"], saved["already_done"]) == ("done", 1, 1)
    assert sorted(m["To"] for m in mailer.sent) == ["cheffe@ville.test"] * 2


def test_an_unconfirmed_address_gets_no_digest_until_confirmed(store, mailer, publisher, config):
    store.save_subscription(make_subscription(_id="m-1", email="autre@ville.test",
                                              email_verified=False))
    first = jobs.new_run(WEEK)
    store.add_run(first)

    jobs.run_period(first, store, mailer, publisher.publish, config)

    assert mailer.sent == [] and store.send(f"m-1:{WEEK}") is None
    assert (store.run(first["_id"])["unconfirmed"], store.run(first["_id"])["sent"]) == (1, 0)

    assert store.confirm_address("m-1", "autre@ville.test")
    second = jobs.new_run(WEEK)
    store.add_run(second)
    jobs.run_period(second, store, mailer, publisher.publish, config)
    assert [m["To"] for m in mailer.sent] == ["autre@ville.test"]
