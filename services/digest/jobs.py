"""Digest runs: build and send one period's digests, at most once per subscription.

A (subscription, period) is claimed by inserting its `sends` record before anything is built,
so two runners, or a retry, never send it twice. A digest is marked sent only once the SMTP
server has accepted it; an SMTP failure is retried with backoff, then recorded as failed, and
a later run takes a failed send up again. Nothing goes to an address awaiting its
confirmation (services.digest.confirmations), and nothing is claimed for it meanwhile.
"""
import logging
import smtplib
import time
import uuid

from datetime import datetime, timezone

from shared.events import iso, make_event, now_iso
from shared.mailer import Mailer  # noqa: F401 (the runs' and the consumer's mailer)
from services.digest import confirmations, domain, email, periods

log = logging.getLogger(__name__)

# After a failed send, the scheduler tries again after these many seconds, then gives up (an
# admin's run still sends it): an address that bounces is not retried every minute forever.
RESEND_AFTER = (60, 5 * 60, 30 * 60, 3 * 3600, 12 * 3600)
# A send still "claimed" this long after its claim belongs to a runner that died: a later run
# takes it up. Whether SMTP had accepted it is unknown; a resend carries the same Message-ID.
STALE_CLAIM = 15 * 60


# A run whose record has not moved for this long belongs to a runner that died: the digest
# consumer takes it up (the claims per subscription keep every digest sent once).
RUN_ABANDONED = 5 * 60


def new_run(period, status="pending"):
    """A run of one period: "pending" when an admin asks for it (the digest consumer runs
    it), "running" when the caller runs it itself (`ideahub digest run`)."""
    return {"_id": uuid.uuid4().hex, "period": period, "status": status, "sent": 0,
            "skipped": 0, "failed": 0, "already_done": 0, "unconfirmed": 0,
            "created_at": now_iso(), "finished_at": None, "skipped_reasons": {},
            "beat": time.time()}


def run_pending(store, mailer, publish, config, now=None):
    """Run the runs admins asked for, and those whose runner died; how many were run."""
    done = 0
    while (run := store.take_run(time.time() if now is None else now, RUN_ABANDONED)):
        run_period(run, store, mailer, publish, config)
        done += 1
    return done


def views_for(subscription, store):
    """The read model's ideas in the subscription's scope: its units by query (an index on
    MongoDB), its tags by domain.in_scope."""
    units, _ = domain.scope_key(subscription)
    return store.views_in_scope(units)


def preview(subscription, period, views, config, calls=()):
    content = domain.build(subscription, period, views, calls)
    if content is None:
        return None
    return {"period": period, **email.render(content, subscription, config)}


class Contents:
    """What each subscription of one period gets, built once for all the subscriptions that
    share a scope (domain.scope_key) and rendered once per scope and language. The read model
    (and the calls) is read once, with a projection, and split by unit in memory (on MongoDB
    an index on the unit would serve a query per scope; the embedded engine reads the whole
    collection for each such query)."""

    def __init__(self, store, period, config):
        self.store = store
        self.period = period
        self.config = config
        self._by_unit = None
        self._calls = None
        self._built = {}
        self._rendered = {}

    def content(self, subscription):
        """The digest's content for the subscription's scope, or None when nothing happened."""
        key = domain.scope_key(subscription)
        if key not in self._built:
            if self._calls is None:
                self._calls = self.store.known_calls()
            self._built[key] = domain.build(subscription, self.period, self._views(key[0]),
                                            self._calls)
        return self._built[key]

    def rendered(self, subscription, content):
        language = subscription.get("language", "fr")
        key = (domain.scope_key(subscription), language)
        if key not in self._rendered:
            self._rendered[key] = email.render_for_all(content, language, self.config)
        return email.personal(self._rendered[key], subscription, self.config)

    def _views(self, units):
        if self._by_unit is None:
            self._by_unit = {}
            for view in self.store.views_in_scope():
                self._by_unit.setdefault(view["idea"]["unit_key"], []).append(view)
        if not units:
            return [view for views in self._by_unit.values() for view in views]
        return [view for unit in units for view in self._by_unit.get(unit, ())]


def run_period(run, store, mailer, publish, config):
    """Send every subscription's digest for run['period']; the run record tells the outcome."""
    period = run["period"]
    run.update(status="running", beat=time.time())
    store.save_run(run)
    contents = Contents(store, period, config)
    with mailer:
        for n, subscription in enumerate(store.subscriptions(), 1):
            outcome = send_one(subscription, period, contents, run["_id"], store, mailer,
                               publish, config)
            run[outcome] += 1
            if n % 20 == 0:  # progress for GET /api/digest/runs/{id}, and a sign of life
                run["beat"] = time.time()
                store.save_run(run)
    run["status"] = "done"
    run["finished_at"] = now_iso()
    store.save_run(run)
    return run


def send_one(subscription, period, contents, run_id, store, mailer, publish, config, at=None):
    """`contents`: the period's Contents, shared by the run's subscriptions. `at`: the time
    of the claim (now by default)."""
    if not confirmations.confirmed(subscription):
        return "unconfirmed"  # nothing claimed: once the address is confirmed, a run sends it
    at = time.time() if at is None else at
    send_id = f"{subscription['_id']}:{period}"
    if store.claim_send(subscription["_id"], period, run_id, at) is None:
        taken = store.change_send(send_id, lambda s: _take_over(s, run_id, at))[0]
        if taken is None or taken.get("run_id") != run_id or taken["status"] != "claimed":
            return "already_done"

    content = contents.content(subscription)
    if content is None:
        store.change_send(send_id, lambda s: ({**s, "status": "skipped",
                                               "reason": "rien de nouveau dans le périmètre"}, []))
        return "skipped"

    message_id = domain.message_id(subscription["_id"], period)
    message = email.message(contents.rendered(subscription, content), subscription,
                            message_id, config)
    try:
        mailer.send(message)
    except (OSError, smtplib.SMTPException) as error:
        reason = str(error)  # named here: the except variable does not outlive its block
        store.change_send(send_id, lambda s: ({**s, "status": "failed", "error": reason,
                                               "failed_at": at,
                                               "attempts": s["attempts"] + 1}, []))
        return "failed"

    sent_at = now_iso()
    event = make_event("digest.sent", subscription["_id"], {
        "subscription_id": subscription["_id"], "period": period, "message_id": message_id,
        "sent_at": sent_at}, domain.SOURCE)
    _, events = store.change_send(send_id, lambda s: (
        {**s, "status": "sent", "sent_at": sent_at, "message_id": message_id,
         "attempts": s["attempts"] + 1}, [event]))
    publish(events, "sends", send_id)
    return "sent"


def _take_over(send, run_id, now):
    """A failed send, or one whose runner died, is claimed again by this run."""
    abandoned = send["status"] == "claimed" and send["claimed_at"] < now - STALE_CLAIM
    if send["status"] != "failed" and not abandoned:
        return None
    return {**send, "status": "claimed", "run_id": run_id, "claimed_at": now}, []


def worth_another_try(send, now):
    """A send the scheduler takes up again: failed, and its next try has come (RESEND_AFTER),
    or left claimed by a runner that died."""
    if send["status"] == "claimed":
        return send["claimed_at"] < now - STALE_CLAIM
    if send["status"] != "failed" or send["attempts"] > len(RESEND_AFTER):
        return False
    return send.get("failed_at", 0) + RESEND_AFTER[send["attempts"] - 1] <= now


def send_due(now, store, mailer, publish, config):
    """Each subscription's digest for the week just ended, once its weekday and hour have come
    (in Paris). Run every minute by the digest consumer process: a send missed while it was
    down goes out at its next round, and the claims keep two schedulers from sending twice."""
    contents = {}
    outcomes = {}
    with mailer:
        for subscription in store.subscriptions():
            _send_if_due(subscription, now, contents, outcomes, store, mailer, publish, config)
    return outcomes


def _send_if_due(subscription, now, contents, outcomes, store, mailer, publish, config):
    if not confirmations.confirmed(subscription):
        return  # the round after its address is confirmed sends what fell due
    period, fell_due = periods.due(subscription["weekday"], subscription["hour"], now)
    if iso(fell_due) < subscription.get("created_at", ""):
        return  # subscribed after that moment: the first digest comes next time
    sent = store.send(f"{subscription['_id']}:{period}")
    if sent is not None and not worth_another_try(sent, now.timestamp()):
        return
    contents.setdefault(period, Contents(store, period, config))
    # A run id of its own: two schedulers never take one send for theirs.
    run_id = f"schedule:{period}:{uuid.uuid4().hex[:12]}"
    outcome = send_one(subscription, period, contents[period], run_id, store, mailer, publish,
                       config, at=now.timestamp())
    outcomes[outcome] = outcomes.get(outcome, 0) + 1


def run_scheduler(stopping, store, mailer, publish, config, every=60.0, runs_every=2.0):
    """Every `runs_every` seconds the runs admins asked for and the confirmation messages to
    send (a manager waits for them); every `every` the digests due."""
    last_due = None
    while not stopping.is_set():
        try:
            if run_pending(store, mailer, publish, config):
                log.info("ran the digest runs asked for")
            if confirmations.send_pending(time.time(), store, mailer, config):
                log.info("sent address confirmation messages")
            if last_due is None or time.monotonic() - last_due >= every:
                last_due = time.monotonic()
                outcomes = send_due(datetime.now(timezone.utc), store, mailer, publish, config)
                if outcomes:
                    log.info("scheduled digests: %s", outcomes)
        except Exception:  # the database or SMTP away: the next round tries again
            log.exception("digest scheduler round failed")
        stopping.wait(runs_every)
