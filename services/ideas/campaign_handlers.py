"""What the ideas service does with calls for ideas: create, change, read and list them."""
from shared import phases
from shared.events import make_event
from services.ideas import campaigns


class NotOwner(Exception):
    """Changing a call is for moderators and the call's owners; appointing owners, for
    moderators only."""


def _events(kind, campaign, by, now):
    return [make_event(kind, campaign["_id"], campaigns.event_data(campaign, by, now),
                       campaigns.SOURCE)]


def create_campaign(cmd, by, store, publish, now):
    campaign = campaigns.new_campaign(campaigns.new_campaign_id(), cmd, by, now)
    events = _events("campaign.created", campaign, by, now)
    store.add(campaign, events)
    publish(events, "campaigns", campaign["_id"])
    return campaigns.public(campaign, now, store.figures(campaign["_id"]))


def change_campaign(campaign_id, changes, by, moderator, store, publish, now):
    def decide(campaign):
        if not moderator:
            if "owner" not in campaigns.role_of(campaign, by["id"]):
                raise NotOwner("Seuls les modérateurs et les responsables de l'appel le "
                               "modifient.")
            if "owners" in changes:
                raise NotOwner("Seuls les modérateurs désignent les responsables d'un appel.")
        if not campaigns.update(campaign, changes, now):
            return []
        return _events("campaign.updated", campaign, by, now)
    campaign, events = store.change(campaign_id, decide)
    publish(events, "campaigns", campaign_id)
    return campaigns.public(campaign, now, store.figures(campaign_id))


def get_campaign(campaign_id, store, now):
    return campaigns.public(store.get(campaign_id), now, store.figures(campaign_id))


def list_campaigns(state, store, now):
    """Open calls first, closing soonest first; then upcoming ones, opening soonest first;
    then closed ones, latest first. Figures are for one call's page, not the list."""
    by_state = {"open": [], "upcoming": [], "closed": []}
    for campaign in store.all():
        by_state[phases.state(campaign, now)].append(campaign)
    ordered = {
        "open": sorted(by_state["open"], key=lambda c: phases.next_change(c, now)),
        "upcoming": sorted(by_state["upcoming"], key=lambda c: c["proposals_from"]),
        "closed": sorted(by_state["closed"], key=lambda c: c["evaluation_until"], reverse=True),
    }
    return {"items": [campaigns.public(c, now) for name in ("open", "upcoming", "closed")
                      if state in (None, name) for c in ordered[name]]}
