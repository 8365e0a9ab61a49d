"""Where the afterlife of comments lives, in the ideas database beside `comments`:
- `comment_flags`: one report per person and comment, by a unique `_id`;
- `comment_reports`: the moderation queue of reported comments, one entry per comment (its
  `_id`), present only while its reports await a moderator: the queue reads the whole of this
  small collection, never scans the comments (the embedded store has no index but `_id`)."""
from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

from shared import mongo


class CommentStore:
    def __init__(self, db):
        self.db = db

    def change(self, comment_id, decide):
        """`decide(comment)` changes a copy in place and returns it, or None to leave it: one
        write fenced by the comment's `rev`, so two edits at once cannot both pass for the
        same one. Returns the comment as written (None if nothing was)."""
        _, written = mongo.change(self.db.comments, comment_id, decide)
        return written

    def add_flag(self, flag):
        """False if this person already reported this comment."""
        try:
            self.db.comment_flags.insert_one(flag)
            return True
        except DuplicateKeyError:
            return False

    def queue(self, comment_id, entry, reason, note, at):
        """The comment waits for a moderator, with one more report: one upsert."""
        update = {"$setOnInsert": entry, "$inc": {"reports": 1},
                  "$addToSet": {"reasons": reason}, "$set": {"last_at": at}}
        if note:
            update["$push"] = {"notes": note}
        self.db.comment_reports.update_one({"_id": comment_id}, update, upsert=True)

    def unqueue(self, comment_id):
        """The comment no longer waits (hidden, reports dismissed, deleted). Returns the
        entry it had, or None."""
        return self.db.comment_reports.find_one_and_delete({"_id": comment_id})

    def waiting(self, limit):
        """The reported comments, oldest report first, and how many there are."""
        entries = list(self.db.comment_reports.find({}).sort(
            [("first_at", ASCENDING), ("_id", ASCENDING)]))
        return entries[:limit], len(entries)

    def waiting_count(self):
        return self.db.comment_reports.count_documents({})
