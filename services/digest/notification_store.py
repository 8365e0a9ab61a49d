"""Where notifications live, in the digest database.

- `follows`: one document per (idea, person), `following` true or false. An automatic follow
  (author, supporter, commenter) is an insert that an existing document refuses, so a person
  who chose to stop following stays stopped, and a redelivered event follows no one twice.
- `notifications`: one per (event, person) by its `_id` (services.digest.notifications), so
  making them again makes nothing. `mail` says what mail still owes them: "due" (sent within
  seconds), "sending" (taken by a sender: `claim`), "daily"/"weekly" (a summary takes them),
  "sent", or absent.
- `preferences`: what a person chose (services.digest.notifications.preferences fills the rest).
- `people`: who may be mentioned and where to write to them, from the people events.
- `summaries`: one per (person, frequency, period): inserting its `_id` claims its sending.

None of these is a projection to rebuild: a replay from offset 0 finds them made.
"""
import threading
import time
from datetime import datetime, timedelta, timezone

from pymongo import ASCENDING, DESCENDING, InsertOne
from pymongo.errors import BulkWriteError, DuplicateKeyError

from shared.events import iso
from shared.tally import DUPLICATE_KEY, person_key
from services.digest import notifications as N

INDEXES = {
    "follows": [[("idea_id", ASCENDING), ("following", ASCENDING)]],
    "notifications": [[("person_id", ASCENDING), ("at", DESCENDING)],
                      [("mail", ASCENDING)], [("idea_id", ASCENDING)],
                      [("comment_id", ASCENDING)]],
    "people": [[("first_key", ASCENDING)], [("local_key", ASCENDING)]],
}
# How long a notification due by mail waits for its person's first address.
ADDRESS_WAIT = timedelta(days=1)
# A page of the notification centre, at most.
PAGE = 50
# Ids per `_id $in` read. The embedded store finds each id by its index, then tests every
# document found against the whole list: one read of n ids costs n², and 10,000 followers'
# preferences in one read took longer than the client's 10 s timeout (bench/README.md).
IDS_PER_READ = 100


class NotificationStore:
    """`mail_due`: set when a notification due by mail at once is made, to wake the sender of
    the same process (services.digest.notification_mail), which otherwise looks only now and
    then: the query is an index read on MongoDB, but a scan on the embedded engine."""

    def __init__(self, db, mail_due=None):
        self.db = db
        self.mail_due = mail_due or threading.Event()

    # follows
    def following(self, idea_id, person_id):
        found = self.db.follows.find_one({"_id": N.follow_id(idea_id, person_id)})
        return bool(found and found["following"])

    def choose_follow(self, idea_id, person_id, following, at):
        """The person's own choice, which automatic follows never undo."""
        doc = N.follow(idea_id, person_id, "chosen", at, following)
        self.db.follows.replace_one({"_id": doc["_id"]}, doc, upsert=True)

    def follow_unless_chosen(self, follows):
        """Insert the automatic follows that no document refuses (one bulk write)."""
        self._insert_new(self.db.follows, follows)

    def followers(self, idea_id, at):
        """Who followed the idea at `at` (a replay does not tell old news to new followers)."""
        return [doc["person_id"] for doc in self.db.follows.find(
            {"idea_id": idea_id, "following": True, "since": {"$lte": at}}, {"person_id": True})]

    # notifications
    def add(self, notices):
        """Each notification once, whatever the redeliveries (one bulk write)."""
        added = self._insert_new(self.db.notifications, notices)
        if any(notice.get("mail") == "due" for notice in notices):
            self.mail_due.set()
        return added

    def page(self, person_id, unread_only=False, before=None, limit=20):
        """Visible notifications newest first, and the cursor of the next page: the last
        item's [at, id]."""
        query = {"person_id": person_id, "idea_hidden": False, "comment_hidden": False}
        if unread_only:
            query["read"] = False
        if before:
            at, notice_id = before
            query["$or"] = [{"at": {"$lt": at}}, {"at": at, "_id": {"$lt": notice_id}}]
        found = list(self.db.notifications.find(query).sort(
            [("at", DESCENDING), ("_id", DESCENDING)]).limit(limit + 1)) if limit else []
        more = len(found) > limit
        found = found[:limit]
        cursor = [found[-1]["at"], found[-1]["_id"]] if more else None
        return found, cursor

    def unread(self, person_id):
        return self.db.notifications.count_documents(
            {"person_id": person_id, "read": False, "idea_hidden": False,
             "comment_hidden": False})

    def mark_read(self, person_id, ids=None):
        """Mine only: an id of someone else's notification changes nothing."""
        query = {"person_id": person_id, "read": False}
        if ids is not None:
            query["_id"] = {"$in": list(ids)}
        self.db.notifications.update_many(query, {"$set": {"read": True}})

    def hide(self, idea_id=None, comment_id=None, hidden=True):
        """What is hidden leaves the centres and is not mailed; an idea restored comes back."""
        if comment_id is not None:
            self.db.notifications.update_many({"comment_id": comment_id},
                                              {"$set": {"comment_hidden": hidden}})
        else:
            # Save the author's notice that it was hidden: it is how they learn why.
            self.db.notifications.update_many({"idea_id": idea_id, "kind": {"$ne": "hidden"}},
                                              {"$set": {"idea_hidden": hidden}})

    def reword(self, comment_id, excerpt, edits):
        """A comment edited by its author: its notifications show the new text. `edits`
        fences it, so an older edit redelivered or replayed never undoes a newer one."""
        self.db.notifications.update_many(
            {"comment_id": comment_id, "comment_edits": {"$not": {"$gte": edits}}},
            {"$set": {"excerpt": excerpt, "comment_edits": edits}})

    # mail owed
    def release_claims(self, claimer):
        """At a sender's start: what it had taken and not sent when it stopped is due again
        (one sender per host: the claimer's name; a resend keeps its Message-ID)."""
        self.db.notifications.update_many({"mail": "sending", "claim": claimer},
                                          {"$set": {"mail": "due"}})

    def claim_due(self, claimer, limit=100):
        """Take up to `limit` notifications due by mail: each is taken by one sender only,
        since each update is conditional on `mail` still being "due"."""
        ids = [doc["_id"] for doc in self.db.notifications.find(
            {"mail": "due"}, {"_id": True}).limit(limit)]
        if not ids:
            return []
        self.db.notifications.update_many({"_id": {"$in": ids}, "mail": "due"},
                                          {"$set": {"mail": "sending", "claim": claimer,
                                                    "claimed_at": time.time()}})
        return list(self.db.notifications.find({"_id": {"$in": ids}, "mail": "sending",
                                                "claim": claimer}))

    def mail_done(self, notice_id, outcome, claimer):
        """`outcome`: "sent", "skipped" (hidden, or the kind turned off since), "no_address"
        (the person's address not known yet: `know_person` gives it back) or "due" (SMTP
        failed: the next round tries again)."""
        self.db.notifications.update_one({"_id": notice_id, "mail": "sending",
                                          "claim": claimer},
                                         {"$set": {"mail": outcome, "mailed_at": time.time()}})

    def for_summary(self, frequency, start, end):
        """{person id: notifications} a summary of [start, end) gathers, visible ones."""
        found = {}
        for doc in self.db.notifications.find(
                {"mail": frequency, "at": {"$gte": start, "$lt": end}, "idea_hidden": False,
                 "comment_hidden": False}).sort("at", ASCENDING):
            found.setdefault(doc["person_id"], []).append(doc)
        return found

    def claim_summary(self, person_id, frequency, period, stale_after=15 * 60):
        """True if this sender is to send that summary: the first to insert its record, or
        the one that takes it up after a failed send or a sender that died holding it (one
        conditional write, so two senders never both take it)."""
        summary_id = f"{person_key(person_id)}:{frequency}:{period}"
        now = time.time()
        try:
            self.db.summaries.insert_one({"_id": summary_id, "person_id": person_id,
                                          "status": "claimed", "claimed_at": now})
            return True
        except DuplicateKeyError:
            return self.db.summaries.update_one(
                {"_id": summary_id, "$or": [{"status": "failed"}, {
                    "status": "claimed", "claimed_at": {"$lt": now - stale_after}}]},
                {"$set": {"status": "claimed", "claimed_at": now}}).matched_count == 1

    def summary_done(self, person_id, frequency, period, status):
        self.db.summaries.update_one({"_id": f"{person_key(person_id)}:{frequency}:{period}"},
                                     {"$set": {"status": status, "done_at": time.time()}})

    # preferences and people
    def preferences(self, person_id):
        return N.preferences(self.db.preferences.find_one({"_id": person_id}))

    def preferences_of(self, person_ids):
        saved = _by_id(self.db.preferences, person_ids)
        return {person: N.preferences(saved.get(person)) for person in person_ids}

    def save_preferences(self, person_id, changes):
        current = self.preferences(person_id)
        new = {**current, **{k: v for k, v in changes.items() if k != "mail"},
               "mail": {**current["mail"], **changes.get("mail", {})}}
        self.db.preferences.replace_one({"_id": person_id}, {"_id": person_id, **new},
                                        upsert=True)
        return new

    def turn_off(self, person_id, kinds):
        """One-click unsubscribe: exactly these kinds, by mail, never again."""
        self.db.preferences.update_one(
            {"_id": person_id}, {"$set": {f"mail.{kind}": "never" for kind in kinds}},
            upsert=True)

    def know_person(self, person_id, name, email):
        """Their name and address; the notifications of the last ADDRESS_WAIT that waited
        for an address are due by mail again (older ones stay in the notification centre:
        a first address never brings a pile of old mails)."""
        fields = {"name": name, **N.person_keys(name, email)}
        if email:
            fields["email"] = email
        self.db.people.update_one({"_id": person_id}, {"$set": fields}, upsert=True)
        if not email:
            return
        since = iso(datetime.now(timezone.utc) - ADDRESS_WAIT)
        waited = self.db.notifications.update_many(
            {"person_id": person_id, "mail": "no_address", "at": {"$gte": since}},
            {"$set": {"mail": "due"}})
        if waited.modified_count:
            self.mail_due.set()

    def people(self, person_ids):
        return _by_id(self.db.people, person_ids)

    def mention_candidates(self, mentions):
        keys = sorted({words[0] for words in mentions})
        return list(self.db.people.find({"$or": [{"first_key": {"$in": keys}},
                                                 {"local_key": {"$in": keys}}]}))

    @staticmethod
    def _insert_new(collection, docs):
        """Insert the documents whose `_id` is new; how many were."""
        docs = list(docs)
        if not docs:
            return 0
        try:
            return collection.bulk_write([InsertOne(d) for d in docs],
                                         ordered=False).inserted_count
        except BulkWriteError as error:
            if any(e["code"] != DUPLICATE_KEY for e in error.details["writeErrors"]):
                raise
            return error.details["nInserted"]


def _by_id(collection, ids):
    """{_id: document} of those of `ids` that exist, read IDS_PER_READ at a time."""
    ids = list(ids)
    return {doc["_id"]: doc for start in range(0, len(ids), IDS_PER_READ)
            for doc in collection.find({"_id": {"$in": ids[start:start + IDS_PER_READ]}})}
