"""What the digest service does."""
import time
from datetime import datetime, timezone

from shared.events import now_iso
from services.digest import confirmations, jobs, links, periods


class NoSubscription(Exception):
    pass


def put_subscription(cmd, me, store):
    """An address other than the person's own is saved unconfirmed, with the message that
    confirms it, which the digest consumer sends."""
    current = store.subscription(me.sub)
    address = cmd.get("email") or me.email
    subscription = {**(current or {"_id": me.sub, "created_at": now_iso()}), "email": address,
                    "units": cmd["units"], "tags": cmd["tags"], "weekday": cmd["weekday"],
                    "hour": cmd["hour"], "language": cmd["language"], "name": me.name,
                    "updated_at": now_iso(),
                    **confirmations.address_fields(current, address, me.email, time.time())}
    store.save_subscription(subscription)
    return subscription


def get_subscription(me, store):
    subscription = store.subscription(me.sub)
    if subscription is None:
        raise NoSubscription()
    return subscription


def delete_subscription(me, store):
    if not store.delete_subscription(me.sub):
        raise NoSubscription()


def unsubscribe(token, store, config):
    """One-click unsubscribe from the link of a digest; True if the token was genuine."""
    found = links.read_unsubscribe_token(config, token)
    if found is None:
        return False
    subscription_id, created_at = found
    store.delete_subscription(subscription_id, created_at=created_at)
    return True


def confirm_address(token, store, config):
    """The link of a confirmation message; True if it confirmed the subscription's address."""
    found = links.read_confirmation_token(config, token)
    return found is not None and store.confirm_address(*found)


def preview(me, period, store, config, scope=None):
    """The digest of `period` for my subscription, or, with `scope` ({units, tags, language}),
    for that scope: what a manager is choosing, before saving it (or without any)."""
    period = period or periods.last_complete(datetime.now(timezone.utc))
    periods.bounds(period)  # InvalidPeriod before any work
    if scope is None:
        subscription = get_subscription(me, store)
    else:
        saved = store.subscription(me.sub) or {"_id": me.sub, "language": "fr"}
        subscription = {**saved, "units": scope["units"], "tags": scope["tags"],
                        "language": scope.get("language") or saved["language"]}
    found = jobs.preview(subscription, period, jobs.views_for(subscription, store), config,
                         store.known_calls())
    if found is None:
        return {"period": period, "would_send": False, "subject": None, "text": None,
                "html": None, "reason": "rien de nouveau dans le périmètre"}
    return {**found, "would_send": True}


def start_run(period, store):
    periods.bounds(period)
    run = jobs.new_run(period)
    store.add_run(run)
    return run


def on_idea_event(name, payload, envelope, store):
    store.apply_idea_event(name, payload, envelope)


def on_campaign_changed(payload, envelope, store):
    """campaign.created / campaign.updated: the call as the digest tells it."""
    store.save_call(payload)


def on_votes_changed(changes, store):
    """vote.cast / vote.retracted, together: counts and weekly gains, each change once."""
    store.fold_votes(changes)
