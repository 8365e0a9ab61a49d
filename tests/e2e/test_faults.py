"""Fault runs: under a steady load of supports, proposals and comments (steady_load.py), each
kind of process of the hub is killed in turn (`kill -9`) and started again. Afterwards every
accepted write is in the stores, every read model's count equals the votes store, every
event of an accepted write is in its topic and applied once, and every consumer has caught
up (hub_state.py). The test prints the figures of the run."""
import time

import pymongo
import pytest

from tests.e2e import hub_state
from tests.e2e.steady_load import SteadyLoad
from tests.helpers import eventually

pytestmark = pytest.mark.outage

# In this order: the APIs and the gateway, the consumers, then Kafka and the store, the
# slowest to come back.
FAULTS = ("ideas-api", "votes-api", "digest-api", "web-api", "gateway", "ideas-consumer",
          "votes-consumer", "digest-consumer", "kafka", "mongo")
# A killed process stays down this long, so that the load meets the hole it leaves.
DOWN_FOR = 1.0
# Accepted requests between two faults: the hub serves again before the next one.
BETWEEN_FAULTS = 40
IDEAS = 6
# The longest wait for the hub to settle after the last fault: an event whose API died
# before Kafka had it waits for the relay (shared.outbox: a sweep within 60 s, past 20 s).
SETTLE = 120


@pytest.fixture
def crash(stack):
    """crash(name): kill -9 a process of the test stack, start it again, wait until it is
    ready. A process a failure left down is started at the end."""
    module, profile = stack
    down = []

    def kill_and_restart(name):
        module.kill(profile, name)
        down.append(name)
        time.sleep(DOWN_FOR)
        module.start(profile, name)
        module.wait_ready(profile, name)
        down.remove(name)
    yield kill_and_restart
    for name in down:
        module.start(profile, name)
        module.wait_ready(profile, name)


@pytest.fixture
def stores(config):
    client = pymongo.MongoClient(config.mongo_url)
    yield {name: client[config.database_name(name)] for name in ("ideas", "votes", "digest")}
    client.close()


@pytest.fixture
def known_ideas(http, propose, agent):
    """Ideas the votes service already knows, so the load can support them at once."""
    ideas = [propose(title=f"Soutenue sous les pannes n° {n}")["id"] for n in range(IDEAS)]
    for idea_id in ideas:
        eventually(lambda: http("GET", f"/api/votes/{idea_id}", agent).status_code == 200,
                   timeout=30, message="the votes service knows the idea")
    return ideas


def faults_of(profile):
    external = {"kafka": profile.external_kafka, "mongo": profile.external_mongo}
    return [name for name in FAULTS if not external.get(name)]


def wait_for_progress(load, count):
    baseline = load.accepted
    eventually(lambda: load.accepted >= baseline + count, timeout=120,
               message=f"{count} more requests accepted")


def wait_for_a_comment_on_each_idea(load):
    """A comment refused half-way (the store killed between the comment and its idea's
    recount) shows without being counted until the next comment on the idea recounts them
    (services/ideas/handlers.add_comment): the load goes on until each idea has one more."""
    since = len(load.comments)
    eventually(lambda: load.commented_since(since) >= set(load.ideas),
               timeout=120, message="a comment on each idea after the last fault")


def test_no_accepted_write_is_lost_or_doubled_when_each_process_is_killed_in_turn(
        http, token, agent, known_ideas, stack, config, crash, stores):
    started = time.monotonic()
    load = SteadyLoad(http, token, known_ideas)
    restarts = {}  # name -> seconds from the kill to ready again
    load.start()
    try:
        for name in faults_of(stack[1]):
            wait_for_progress(load, BETWEEN_FAULTS)
            killed = time.monotonic()
            crash(name)
            restarts[name] = round(time.monotonic() - killed, 1)
        wait_for_progress(load, BETWEEN_FAULTS)
        wait_for_a_comment_on_each_idea(load)
    finally:
        load.stop()
    loaded = time.monotonic()
    assert not load.unsettled, f"supports refused or never accepted: {load.unsettled[:5]}"

    truth_pairs = hub_state.active_supports(stores, known_ideas)
    truth = hub_state.counts_of(truth_pairs, known_ideas)
    eventually(lambda: hub_state.outboxes_empty(stores), timeout=SETTLE, interval=1.0,
               message="every event left by a killed process is published")
    eventually(lambda: hub_state.read_models_agree(load, truth, http, agent, stores),
               timeout=SETTLE, interval=1.0, message="the read models agree with the stores")
    lags = eventually(lambda: hub_state.consumers_caught_up(config), timeout=SETTLE,
                      interval=1.0, message="every consumer group at the end of its topics")
    settled = time.monotonic()

    figures = hub_state.Figures()
    hub_state.check_supports(figures, load, truth_pairs, http, agent, stores)
    hub_state.check_proposals(figures, load, http, stores, agent)
    hub_state.check_comments(figures, load, http, agent)
    redelivered = hub_state.check_events(figures, load, config)

    report = (f"fault runs: {len(restarts)} faults injected (kill to ready, s: {restarts}); "
              f"{load.accepted} requests accepted of {load.sent()} sent "
              f"(answers: {dict(load.outcomes)}); {len(load.proposals)} proposals, "
              f"{len(load.comments)} comments, {sum(truth.values())} supports standing; "
              f"lost {figures.lost}, doubled {figures.doubled}; consumer lag {lags}; "
              f"{redelivered} events in their topic twice; {loaded - started:.0f} s of load, "
              f"{settled - loaded:.0f} s to settle, {time.monotonic() - settled:.0f} s to check")
    print(report)
    assert (figures.lost, figures.doubled) == (0, 0), f"{report}\n" + "\n".join(figures.where)
    assert load.outcomes[500] == 0, report
