"""Where calls for ideas live: the `campaigns` collection of the ideas database, one document
per call with its pending events (shared.outbox). A hub holds a few dozen calls, so lists
read them all and sort in memory."""
from shared import mongo, outbox
from services.ideas.campaigns import CampaignNotFound

# Ideas of a call that count in its figures: what the call's page lists.
COUNTED = ("submitted", "under_review", "accepted", "in_progress", "implemented", "rejected")


class CampaignStore:
    def __init__(self, db, catalogue):
        """`catalogue`: the ideas' rows (catalogue.Catalogue), for a call's figures."""
        self.db = db
        self.collection = db.campaigns
        self.catalogue = catalogue

    def add(self, campaign, events):
        self.collection.insert_one({**campaign, "rev": 1, outbox.FIELD: outbox.pending(events)})

    def get(self, campaign_id):
        doc = self.collection.find_one({"_id": campaign_id}, {outbox.FIELD: False})
        if doc is None:
            raise CampaignNotFound(campaign_id)
        return doc

    def all(self):
        return list(self.collection.find({}, {outbox.FIELD: False}))

    def change(self, campaign_id, decide):
        """`decide(campaign)` changes it in place and returns its events ([] leaves it); the
        change and its events are one conditional write (shared.mongo.change)."""
        produced = []

        def decision(campaign):
            campaign.pop(outbox.FIELD, None)
            produced[:] = decide(campaign)
            return campaign if produced else None
        current, campaign = mongo.change(self.collection, campaign_id, decision,
                                         extra=lambda _: outbox.push(produced))
        if current is None:
            raise CampaignNotFound(campaign_id)
        return (campaign or self.get(campaign_id)), produced

    def figures(self, campaign_id):
        """What a call gathered: its ideas (neither hidden, withdrawn nor merged), the units
        they come from, and the people supporting at least one of them, counted once. Read
        from the read models the events build (catalogue rows, supporters), so a replay from
        offset 0 gives the same figures."""
        self.catalogue.sync()
        rows = [row for row in self.catalogue.all()
                if row.campaign_id == campaign_id and row.status in COUNTED]
        return {"ideas": len(rows), "units": len({row.unit for row in rows if row.unit}),
                "supporters": self._supporters([row.id for row in rows])}

    def _supporters(self, idea_ids):
        people = set()
        for start in range(0, len(idea_ids), 100):  # `_id` ranges, 100 ideas a query
            ranges = [{"_id": {"$gte": f"{i}:", "$lt": f"{i};"}}
                      for i in idea_ids[start:start + 100]]
            for doc in self.db.supporters.find({"$or": ranges, "active": True}, {"_id": True}):
                people.add(doc["_id"].split(":", 1)[1])
        return len(people)

