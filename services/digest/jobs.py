"""Digest runs: build and send one period's digests, at most once per subscription.

A (subscription, period) is claimed by inserting its `sends` record before anything is built,
so two runners, or a retry, never send it twice. A digest is marked sent only once the SMTP
server has accepted it; an SMTP failure is retried with backoff, then recorded as failed, and
a later run takes a failed send up again.
"""
import logging
import smtplib
import time
import uuid

from datetime import datetime, timezone

from shared.events import iso, make_event, now_iso
from services.digest import domain, email, periods

log = logging.getLogger(__name__)

RETRY_DELAYS = (1, 2, 4)
# A send still "claimed" this long after its claim belongs to a runner that died: a later run
# takes it up. Whether SMTP had accepted it is unknown; a resend carries the same Message-ID.
STALE_CLAIM = 15 * 60


class Mailer:
    def __init__(self, config, delays=RETRY_DELAYS):
        self.config = config
        self.delays = delays

    def send(self, message):
        """Hand the message to SMTP, retrying with backoff; raises the last error."""
        for attempt, delay in enumerate((0, *self.delays)):
            time.sleep(delay)
            try:
                with smtplib.SMTP(self.config.smtp_host, self.config.smtp_port, timeout=10) as s:
                    s.send_message(message)
                return
            except (OSError, smtplib.SMTPException) as error:
                log.warning("SMTP attempt %d failed: %s", attempt + 1, error)
                last = error
        raise last


def new_run(period):
    return {"_id": uuid.uuid4().hex, "period": period, "status": "pending", "sent": 0,
            "skipped": 0, "failed": 0, "already_done": 0, "created_at": now_iso(),
            "finished_at": None, "skipped_reasons": {}}


def preview(subscription, period, views, config):
    content = domain.build(subscription, period, views)
    if content is None:
        return None
    return {"period": period, **email.render(content, subscription, config)}


def run_period(run, store, mailer, publish, config):
    """Send every subscription's digest for run['period']; the run record tells the outcome."""
    period = run["period"]
    run["status"] = "running"
    store.save_run(run)
    views = store.views()
    for subscription in store.subscriptions():
        outcome = send_one(subscription, period, views, run["_id"], store, mailer, publish,
                           config)
        run[outcome] += 1
        store.save_run(run)
    run["status"] = "done"
    run["finished_at"] = now_iso()
    store.save_run(run)
    return run


def send_one(subscription, period, views, run_id, store, mailer, publish, config):
    send_id = f"{subscription['_id']}:{period}"
    if store.claim_send(subscription["_id"], period, run_id) is None:
        taken = store.change_send(send_id, lambda s: _take_over(s, run_id, time.time()))[0]
        if taken is None or taken.get("run_id") != run_id or taken["status"] != "claimed":
            return "already_done"

    content = domain.build(subscription, period, views)
    if content is None:
        store.change_send(send_id, lambda s: ({**s, "status": "skipped",
                                               "reason": "rien de nouveau dans le périmètre"}, []))
        return "skipped"

    message_id = domain.message_id(subscription["_id"], period)
    message = email.message(email.render(content, subscription, config), subscription,
                            message_id, config)
    try:
        mailer.send(message)
    except (OSError, smtplib.SMTPException) as error:
        reason = str(error)  # named here: the except variable does not outlive its block
        store.change_send(send_id, lambda s: ({**s, "status": "failed", "error": reason,
                                               "attempts": s["attempts"] + 1}, []))
        return "failed"

    sent_at = now_iso()
    event = make_event("digest.sent", subscription["_id"], {
        "subscription_id": subscription["_id"], "period": period, "message_id": message_id,
        "sent_at": sent_at}, domain.SOURCE)
    _, events = store.change_send(send_id, lambda s: (
        {**s, "status": "sent", "sent_at": sent_at, "message_id": message_id,
         "attempts": s["attempts"] + 1}, [event]))
    publish(events)
    return "sent"


def _take_over(send, run_id, now):
    """A failed send, or one whose runner died, is claimed again by this run."""
    if send is None:
        return None
    abandoned = send["status"] == "claimed" and send["claimed_at"] < now - STALE_CLAIM
    if send["status"] != "failed" and not abandoned:
        return None
    return {**send, "status": "claimed", "run_id": run_id, "claimed_at": now}, []


def send_due(now, store, mailer, publish, config):
    """Each subscription's digest for the week just ended, once its weekday and hour have come
    (in Paris). Run every minute by the digest consumer process: a send missed while it was
    down goes out at its next round, and the claims keep two schedulers from sending twice."""
    views = None
    outcomes = {}
    for subscription in store.subscriptions():
        period, fell_due = periods.due(subscription["weekday"], subscription["hour"], now)
        if iso(fell_due) < subscription.get("created_at", ""):
            continue  # subscribed after that moment: the first digest comes next time
        sent = store.send(f"{subscription['_id']}:{period}")
        if sent is not None and sent["status"] != "failed":
            continue
        views = store.views() if views is None else views
        outcome = send_one(subscription, period, views, f"schedule:{period}", store, mailer,
                           publish, config)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def run_scheduler(stopping, store, mailer, publish, config, every=60.0):
    while not stopping.is_set():
        try:
            outcomes = send_due(datetime.now(timezone.utc), store, mailer, publish, config)
            if outcomes:
                log.info("scheduled digests: %s", outcomes)
        except Exception:  # the database or SMTP away: the next round tries again
            log.exception("digest scheduler round failed")
        stopping.wait(every)
