"""The votes database:
- `votes`: one document per person and idea, written by the API, with its pending events;
- `ideas`: this service's view of each idea (status and version from the ideas events, the
  count from the votes events), written only by its consumer;
- `supporters`: per (idea, person), the newest vote event the count has applied (shared.tally);
- `campaigns`: this service's copy of each call for ideas (title, dates, support cap) at its
  newest version, from the campaign events, written only by its consumer;
- `voters` and `call_places`: with the hub's cap or a call's, the ideas holding each person's
  places (services.votes.places), written by the API."""
import time

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from shared import outbox, tally
from shared.mongo import create_indexes, previous, save_newest
from services.votes import domain
from services.votes.places import Places

# Queries and the index that serves each on MongoDB (the embedded engine scans: see README).
INDEXES = {
    "votes": [[("voter_id", ASCENDING), ("active", ASCENDING), ("changed_at", DESCENDING)],
              [("idea_id", ASCENDING), ("active", ASCENDING)],
              [("idea_id", ASCENDING), ("via", ASCENDING)],
              [("outbox.at", ASCENDING)]],
}
OUTBOX = ("votes",)


def ensure_indexes(db):
    create_indexes(db, INDEXES)


def new_seq():
    """A person's change number: microseconds, so that it grows without reading the last
    one; the write's filter keeps it growing when a clock lags (domain.change_vote)."""
    return time.time_ns() // 1000


class VoteStore:
    def __init__(self, db):
        self.db = db
        self.places = Places(db.voters)  # the hub's cap, keyed by person
        self.call_places = Places(db.call_places)  # a call's, by domain.call_place_key

    def idea(self, idea_id):
        return self.db.ideas.find_one({"_id": idea_id})

    def vote(self, vote_id):
        return self.db.votes.find_one({"_id": vote_id}, {outbox.FIELD: False})

    def supported_by(self, voter_id):
        """The person's active votes, newest first."""
        return list(self.db.votes.find({"voter_id": voter_id, "active": True},
                                       {outbox.FIELD: False}).sort("changed_at", DESCENDING))

    def active_votes_on(self, idea_id):
        return list(self.db.votes.find({"idea_id": idea_id, "active": True},
                                       {outbox.FIELD: False}))

    def votes_via(self, idea_id, source_id):
        return list(self.db.votes.find({"idea_id": idea_id, "via": source_id, "active": True},
                                       {outbox.FIELD: False}))

    def ideas(self, idea_ids):
        return {doc["_id"]: doc for doc in self.db.ideas.find({"_id": {"$in": list(idea_ids)}})}

    def change_vote(self, idea_id, voter_id, active, now, event_for, via=None, require=None):
        """Set one person's support of one idea to `active`, with the event that tells it, in
        one atomic write whose filter is the precondition: not already so (and the fields of
        `require`, for a vote that exists). Returns (vote before, vote after, events); no
        events when it already was so (a double click)."""
        require = require or {}
        vote_id = domain.vote_id(idea_id, voter_id)
        seq = new_seq()
        while True:
            vote = {"_id": vote_id, "idea_id": idea_id, "voter_id": voter_id, "active": active,
                    "seq": seq, "changed_at": now, "via": via}
            events = [event_for(vote)]
            fields = {k: v for k, v in vote.items() if k != "_id"}
            try:
                # Only a support creates a vote: withdrawing one never given writes nothing.
                before = previous(self.db.votes,
                                  {"_id": vote_id, "active": {"$ne": active}, "seq": {"$lt": seq},
                                   **require},
                                  {"$set": fields, **outbox.push(events)}, upsert=active)
                if before is not None or active:
                    return before, vote, events
            except DuplicateKeyError:  # it exists and the filter refused it
                pass
            current = self.vote(vote_id)  # why was it refused (or, withdrawing, not found)?
            if current is None:
                if not active:
                    return None, vote, []
                continue
            if current["active"] == active or any(
                    current.get(k) != v for k, v in require.items()):
                return current, current, []
            seq = current["seq"] + 1  # this clock lags behind the one that wrote it

    def make_direct(self, vote):
        """A support that came with a merge, given again by hand, stays if the merge is
        undone (no event: the support itself does not change)."""
        self.db.votes.update_one({"_id": vote["_id"], "active": True}, {"$set": {"via": None}})

    # the consumer's view of ideas
    def save_idea_state(self, idea_id, status, version, author_id, campaign_id=None):
        """The idea's status (and author, and call) at its newest version; an older event
        changes nothing."""
        save_newest(self.db.ideas, idea_id, version,
                    {"status": status, "author_id": author_id, "campaign_id": campaign_id})

    def campaign(self, campaign_id):
        return self.db.campaigns.find_one({"_id": campaign_id})

    def save_campaign(self, campaign_id, version, fields):
        """The call's title, dates and cap at its newest version."""
        save_newest(self.db.campaigns, campaign_id, version, fields)

    def fold_votes(self, changes):
        return tally.fold_votes(self.db.supporters, self.db.ideas, changes, count="count",
                                upsert=True)

    def reset_view(self):
        """The consumer's views; not the caps' places, which the API wrote and merges moved
        (dropped, a replay would let everyone give `cap` supports more)."""
        self.db.ideas.drop()
        self.db.supporters.drop()
        self.db.campaigns.drop()
