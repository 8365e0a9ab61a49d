"""What the hub holds after a fault run, compared with what the load was told (test_faults.py).

`Figures` counts the differences: "lost" an accepted write missing somewhere (a store, a read
model, a list, a topic) or a count short of the votes store; "doubled" a write applied more
than once (a count above the votes store, an idea or comment shown twice).

`stores`: the ideas, votes and digest databases by name, read directly (the digest's read
model has no API of its own; the votes store is the truth the counts must equal).
"""
import json
from collections import Counter

from kafka import KafkaConsumer
from kafka.errors import KafkaError
from kafka.structs import TopicPartition

from shared import keyring, sealing
from shared.kafka import API_VERSION
from services.digest.store import OUTBOX as DIGEST_OUTBOX
from services.ideas.store import OUTBOX as IDEAS_OUTBOX
from services.votes.store import OUTBOX as VOTES_OUTBOX

GROUPS = ("ideas", "votes", "digest")
OUTBOXES = {"ideas": IDEAS_OUTBOX, "votes": VOTES_OUTBOX, "digest": DIGEST_OUTBOX}


class Figures:
    def __init__(self):
        self.lost, self.doubled, self.where = 0, 0, []

    def compare(self, what, found, expected):
        """`found`, `expected`: {key: how many times}; each difference is counted and told."""
        for key in set(found) | set(expected):
            difference = found.get(key, 0) - expected.get(key, 0)
            if difference:
                self.doubled += max(difference, 0)
                self.lost += max(-difference, 0)
                self.where.append(f"{what} {key}: {found.get(key, 0)}, "
                                  f"expected {expected.get(key, 0)}")


def active_supports(stores, ideas):
    """The votes store's truth: the (idea, person) pairs of the active supports of `ideas`."""
    return {(v["idea_id"], v["voter_id"]) for v in stores["votes"].votes.find(
        {"idea_id": {"$in": list(ideas)}, "active": True}, {"idea_id": True, "voter_id": True})}


def counts_of(pairs, ideas):
    counts = Counter(idea_id for idea_id, _ in pairs)
    return {idea_id: counts[idea_id] for idea_id in ideas}


def read_model_counts(ideas, http, agent, stores):
    """Each idea's count as each read model holds it: the ideas API (the ideas consumer's),
    the votes API (the votes consumer's tally) and the digest's read model."""
    digest = {doc["_id"]: doc.get("vote_count", 0) for doc in stores["digest"].ideas.find(
        {"_id": {"$in": list(ideas)}}, {"vote_count": True})}
    return {
        "ideas vote_count": {i: http("GET", f"/api/ideas/{i}", agent).json()["vote_count"]
                             for i in ideas},
        "votes count": {i: http("GET", f"/api/votes/{i}", agent).json()["count"] for i in ideas},
        "digest vote_count": {i: digest.get(i, 0) for i in ideas},
    }


def read_models_agree(load, truth, http, agent, stores):
    """The counts equal the votes store's, and every proposal reached the votes and digest
    read models; else an AssertionError that says what differs (for `eventually`)."""
    differing = {what: counts for what, counts in
                 read_model_counts(truth, http, agent, stores).items() if counts != truth}
    unknown = {name: len(load.proposals) - stores[name].ideas.count_documents(
        {"_id": {"$in": load.proposals}, "version": {"$gte": 1}}) for name in ("votes", "digest")}
    assert not differing and not any(unknown.values()), \
        f"votes store {truth}, read models {differing}, proposals unknown {unknown}"
    return True


def check_supports(figures, load, truth_pairs, http, agent, stores):
    """Each (idea, person)'s support as last accepted, and every count equal to the store's."""
    expected = {pair for pair, active in load.supports.items() if active}
    figures.compare("support", dict.fromkeys(truth_pairs, 1), dict.fromkeys(expected, 1))
    truth = counts_of(truth_pairs, load.ideas)
    for what, counts in read_model_counts(load.ideas, http, agent, stores).items():
        figures.compare(what, counts, truth)


def check_proposals(figures, load, http, stores, agent):
    """Each accepted proposal: in every service's store, listed once."""
    accepted = dict.fromkeys(load.proposals, 1)
    for name, db in stores.items():
        found = db.ideas.find({"_id": {"$in": load.proposals}}, {"_id": True})
        figures.compare(f"proposal in the {name} store", {d["_id"]: 1 for d in found}, accepted)
    listed = Counter(i for i in listed_ideas(http, agent) if i in accepted)
    figures.compare("proposal listed", listed, accepted)


def listed_ideas(http, agent):
    """The ids of every idea the lists show, page after page."""
    ids, cursor = [], None
    while True:
        page = http("GET", "/api/ideas", agent, params={"sort": "new", "limit": 100,
                                                 **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        ids += [idea["id"] for idea in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if not cursor:
            return ids


def check_comments(figures, load, http, agent):
    """Each accepted comment shown once under its idea; each idea's comment_count equals the
    comments it shows."""
    for idea_id in load.ideas:
        shown = http("GET", f"/api/ideas/{idea_id}/comments", agent).json()["items"]
        mine = {c for c, i in load.comments.items() if i == idea_id}
        figures.compare("comment shown", Counter(c["id"] for c in shown if c["id"] in mine),
                        dict.fromkeys(mine, 1))
        count = http("GET", f"/api/ideas/{idea_id}", agent).json()["comment_count"]
        figures.compare("comment_count", {idea_id: count},
                        {idea_id: sum(not c["hidden"] for c in shown)})


def check_events(figures, load, config):
    """Every accepted write's event is in its topic, and each (idea, person)'s newest vote
    event tells the last accepted intent. Returns how many events of the run are in their
    topic more than once: delivery is at least once, and the counts above show that the
    read models applied each once."""
    ours = set(load.proposals) | set(load.ideas)
    events = [e for e in map(json.loads, records_of(config, ("ideas", "votes")))
              if e["subject"] in ours]
    submitted = {e["subject"] for e in events if e["type"] == "idea.submitted.v1"}
    figures.compare("idea.submitted", dict.fromkeys(submitted & set(load.proposals), 1),
                    dict.fromkeys(load.proposals, 1))
    commented = {e["data"]["comment_id"] for e in events if e["type"] == "comment.added.v1"}
    figures.compare("comment.added", dict.fromkeys(commented & set(load.comments), 1),
                    dict.fromkeys(load.comments, 1))
    newest = {}
    for e in sorted((e for e in events if e["type"].startswith("vote.")),
                    key=lambda e: e["data"]["seq"]):
        newest[(e["data"]["idea_id"], e["data"]["voter_id"])] = e["data"]["active"]
    figures.compare("newest vote event", {p: 1 for p, active in newest.items()
                                          if load.supports.get(p) == active},
                    dict.fromkeys(load.supports, 1))
    return len(events) - len({e["id"] for e in events})


def records_of(config, topics):
    """The values of every record of `topics`, from offset 0 to their ends as they are now
    (read to the end, not until a quiet moment: a slow fetch loses nothing)."""
    consumer = KafkaConsumer(bootstrap_servers=config.kafka_bootstrap, api_version=API_VERSION,
                             enable_auto_commit=False, group_id=None)
    try:
        partitions = partitions_of(consumer, config, topics)
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends, values = consumer.end_offsets(partitions), []
        while any(consumer.position(tp) < ends[tp] for tp in partitions):
            for tp, records in consumer.poll(timeout_ms=1000).items():
                values += [r.value for r in records if r.offset < ends[tp]]
        return values
    finally:
        consumer.close()


def events_of(config, topics):
    """The events of `topics` from offset 0, their personal fields opened with the hub's keys
    (in the topics, they are sealed: shared/sealing.py)."""
    ring = keyring.for_config(config)
    return [{**event, "data": sealing.open_sealed(event["data"], ring)}
            for event in map(json.loads, records_of(config, topics))]


def partitions_of(consumer, config, topics):
    partitions = [TopicPartition(config.topic(t), p) for t in topics
                  for p in consumer.partitions_for_topic(config.topic(t)) or ()]
    if not partitions:
        raise KafkaError(f"no partitions known yet for {topics}")
    return partitions


def outboxes_empty(stores):
    """True once no document of any service holds an event still to publish: the relay has
    sent what killed processes left behind."""
    return all(stores[service][collection].count_documents({"outbox.0": {"$exists": True}}) == 0
               for service, collections in OUTBOXES.items() for collection in collections)


def consumers_caught_up(config):
    """Each consumer group's lag, if all are 0; else None (for `eventually`)."""
    lags = group_lags(config)
    return lags if lags is not None and not any(lags.values()) else None


def group_lags(config):
    """Each consumer group's lag: the events of its topics it has not committed yet (None
    while Kafka cannot tell)."""
    lags = {}
    for group in GROUPS:
        consumer = None
        try:
            consumer = KafkaConsumer(bootstrap_servers=config.kafka_bootstrap,
                                     group_id=config.group(group), api_version=API_VERSION,
                                     enable_auto_commit=False)
            partitions = partitions_of(consumer, config, ("ideas", "votes"))
            ends = consumer.end_offsets(partitions)
            lags[group] = sum(ends[tp] - (consumer.committed(tp) or 0) for tp in partitions)
        except KafkaError:
            return None
        finally:
            if consumer is not None:
                consumer.close(autocommit=False)
    return lags
