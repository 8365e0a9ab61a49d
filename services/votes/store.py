"""The votes database: `votes` (one document per person and idea, written by the API under
a lease) and `ideas` (this service's view of the ideas and their tallies, written only by its
consumer, which alone reads the partitions of those ideas)."""
from pymongo import ASCENDING


def ensure_indexes(db):
    db.votes.create_index([("voter_id", ASCENDING), ("active", ASCENDING)])
    db.votes.create_index([("idea_id", ASCENDING), ("active", ASCENDING)])


class VoteStore:
    def __init__(self, db, outbox):
        self.db = db
        self.outbox = outbox

    def idea(self, idea_id):
        return self.db.ideas.find_one({"_id": idea_id})

    def vote(self, vote_id):
        return self.db.votes.find_one({"_id": vote_id})

    def supported_by(self, voter_id):
        """The person's active votes, newest first."""
        votes = self.db.votes.find({"voter_id": voter_id, "active": True})
        return sorted(votes, key=lambda v: v.get("changed_at", ""), reverse=True)

    def active_votes_on(self, idea_id):
        return list(self.db.votes.find({"idea_id": idea_id, "active": True}))

    def votes_via(self, idea_id, source_id):
        return list(self.db.votes.find({"idea_id": idea_id, "via": source_id, "active": True}))

    def ideas(self, idea_ids):
        return {doc["_id"]: doc for doc in self.db.ideas.find({"_id": {"$in": list(idea_ids)}})}

    def one_person_at_a_time(self, voter_id):
        """A lease on the person, for the checks that span their votes (the cap)."""
        return self.outbox.leases.hold(f"voter:{voter_id}")

    def change_vote(self, vote_id, decide):
        """`decide(current)` returns (new document, events), or None to leave it as it is."""
        return self.outbox.change("votes", vote_id, decide)

    def save_idea(self, idea):
        self.db.ideas.replace_one({"_id": idea["_id"]}, idea, upsert=True)
