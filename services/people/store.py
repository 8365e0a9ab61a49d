"""The people database:
- `people`: one document per person, `_id` the provider's `sub`, with the roles, unit and
  scope the hub grants and the events of their changes (outbox);
- `sessions`: one per sign-in, `_id` the hash of its id (domain.session_key);
- `grants`: roles named for an address whose person has not signed in yet (`ideahub admin
  grant`), taken at their first sign-in;
- `audit`: the changes of people, one row per person.changed event, written by the
  consumer (the topic keeps them all: a replay rebuilds it);
- `call_owners`: who owns each call for ideas, from the campaign events (the consumer): the
  owners appoint their call's evaluators, so they may look people up."""
import re
import time

from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from shared import outbox
from shared.events import iso
from shared.mongo import change, create_indexes, previous, save_newest
from services.people import domain

INDEXES = {
    "people": [[("search", ASCENDING)], [("roles", ASCENDING), ("search", ASCENDING)],
               [("email", ASCENDING)], [("outbox.at", ASCENDING)]],
    "sessions": [[("person", ASCENDING), ("until", ASCENDING)]],
    "audit": [[("person.id", ASCENDING), ("at", DESCENDING)], [("at", DESCENDING)]],
    "call_owners": [[("owners", ASCENDING)]],
}
OUTBOX = ("people",)
HIDDEN = {outbox.FIELD: False}
LISTED = 50


def ensure_indexes(db):
    create_indexes(db, INDEXES)


class PeopleStore:
    def __init__(self, db):
        self.db = db

    def person(self, person_id):
        return self.db.people.find_one({"_id": person_id}, HIDDEN)

    def by_email(self, email):
        return self.db.people.find_one({"email": email}, HIDDEN, sort=[("seen_at", DESCENDING)])

    def find(self, text="", role=None, limit=LISTED):
        """People whose name or address holds every word of `text`, by name."""
        query = {"$and": [{"search": {"$regex": re.escape(word)}}
                          for word in domain.search_terms(text, "").split()]} if text.strip() \
            else {}
        if role:
            query["roles"] = role
        return list(self.db.people.find(query, HIDDEN).sort("search", ASCENDING).limit(limit))

    def account_of(self, person_id):
        """The account a provider's person signs in to: theirs, or if it was erased the new
        one that follows it (made here at the first sign-in after the erasure)."""
        while True:
            doc = self.db.people.find_one({"_id": person_id}, {"erased_at": True,
                                                               "successor": True})
            if doc is None or not doc.get("erased_at"):
                return person_id
            if doc.get("successor") is None:
                self.db.people.update_one({"_id": person_id, "successor": None},
                                          {"$set": {"successor": domain.new_account_id()}})
                continue
            person_id = doc["successor"]

    def join_or_return(self, claims, now, joined_event):
        """The person of `claims` (sub, name, email, unit), created at their first sign-in
        with the event `joined_event(person)`, which tells their name and address (`told`);
        their name and address follow the provider's. Returns (person, events published with
        it)."""
        fields = {"name": claims["name"], "email": claims["email"],
                  "organization": claims.get("organization", ""),
                  "search": domain.search_terms(claims["name"], claims["email"]),
                  # A sign-in ends an inactivity: a warning of it no longer holds.
                  "seen_at": now, "retention_claim": None, "retention_warned_at": None}
        new = {"_id": claims["sub"], "unit": claims.get("unit", ""), "roles": [], "scope": [],
               "joined_at": now, "rev": 0, "told": domain.told(fields)}
        events = [joined_event({**new, **fields})]
        while True:
            try:
                before = previous(self.db.people, {"_id": claims["sub"]}, {
                    "$set": fields,
                    "$setOnInsert": {**{k: v for k, v in new.items() if k != "_id"},
                                     outbox.FIELD: outbox.pending(events)}}, upsert=True)
            except DuplicateKeyError:  # the same person signing in twice at once: join once
                continue
            if before is None:
                return {**new, **fields}, events
            return {**{k: v for k, v in before.items() if k != outbox.FIELD}, **fields}, []

    def change(self, person_id, decide, event_for):
        """Apply `decide(person) -> new person or None` with the event `event_for(before,
        after)` that tells it, in one conditional write. Returns (before, after, events);
        after is None when nothing changed."""
        seen = {}

        def decided(doc):
            seen["before"] = dict(doc)
            return decide(doc)

        def with_event(new):
            seen["events"] = [event_for(seen["before"], new)]
            return outbox.push(seen["events"])
        before, after = change(self.db.people, person_id, decided, with_event)
        if before is None:
            raise domain.PersonUnknown(person_id)
        return before, after, seen["events"] if after is not None else []

    # Grants named before the person's first sign-in

    def grant_later(self, email, roles):
        self.db.grants.update_one({"_id": email}, {"$addToSet": {"roles": {"$each": roles}}},
                                  upsert=True)

    def grants_for(self, email):
        return (self.db.grants.find_one({"_id": email}) or {}).get("roles", [])

    def drop_grants(self, email):
        self.db.grants.delete_one({"_id": email})

    # Retention (retention.py)

    def inactive(self, before, warned):
        """People not erased whose last sign-in is before `before`, warned of it or not."""
        return list(self.db.people.find({
            "seen_at": {"$lt": before}, "erased_at": {"$exists": False},
            "retention_warned_at": {"$ne": None} if warned else None}, HIDDEN))

    def claim_warning(self, person_id, seen_at, now, lease):
        """True for the one sender that is to warn the person of this inactivity."""
        return self.db.people.update_one({
            "_id": person_id, "seen_at": seen_at, "retention_warned_at": None,
            "$or": [{"retention_claim": None}, {"retention_claim": {"$lt": now - lease}}]},
            {"$set": {"retention_claim": now}}).modified_count == 1

    def release_warning(self, person_id):
        self.db.people.update_one({"_id": person_id}, {"$set": {"retention_claim": None}})

    def warned(self, person_id, at):
        self.db.people.update_one({"_id": person_id}, {"$set": {"retention_warned_at": at}})

    def purge_logs(self, before):
        """Sign-in records and audit rows older than `before` (a datetime); how many."""
        return (self.db.sessions.delete_many({"since": {"$lt": before.timestamp()}})
                .deleted_count
                + self.db.audit.delete_many({"at": {"$lt": iso(before)}}).deleted_count)

    # Sessions

    def open_session(self, person_id, now=None):
        now = time.time() if now is None else now
        session_id = domain.new_session_id()
        self.db.sessions.delete_many({"person": person_id, "until": {"$lt": now}})
        self.db.sessions.insert_one({"_id": domain.session_key(session_id), "person": person_id,
                                     "since": now, "until": now + domain.SESSION_HOURS * 3600})
        return session_id

    def session(self, session_id, now=None):
        """The person of a session still open, or None."""
        now = time.time() if now is None else now
        held = self.db.sessions.find_one({"_id": domain.session_key(session_id)})
        if held is None or held["until"] <= now:
            return None
        return self.person(held["person"])

    def end_session(self, session_id):
        self.db.sessions.delete_one({"_id": domain.session_key(session_id)})

    def end_sessions(self, person_id):
        return self.db.sessions.delete_many({"person": person_id}).deleted_count

    # The audit, from the people events

    def record_change(self, event_id, data):
        """Idempotent: a redelivered event writes the same row again."""
        self.db.audit.replace_one({"_id": event_id}, {"_id": event_id, **data}, upsert=True)

    def changes_of(self, person_id, limit=100):
        return list(self.db.audit.find({"person.id": person_id}).sort("at", DESCENDING)
                    .limit(limit))

    def reset_views(self):
        """What the consumer writes, before a replay rebuilds it from the topics."""
        self.db.audit.delete_many({})
        self.db.call_owners.delete_many({})

    def save_call_owners(self, campaign_id, version, owner_ids):
        save_newest(self.db.call_owners, campaign_id, version, {"owners": sorted(owner_ids)})

    def owns_a_call(self, person_id):
        return self.db.call_owners.find_one({"owners": person_id}, {"_id": True}) is not None
