"""Retention (RGPD art. 5.1.e): what the hub keeps of people, no longer than it needs.

- An account without a sign-in for `retention_accounts_months` (24 by default) is
  anonymised as an erasure by its holder would be (handlers.erase; their texts kept, unless
  the administration's policy removes them), after a warning mail sent
  `retention_warning_days` (30) before. Signing in meanwhile keeps the account, and a later
  inactivity warns again.
- Sign-in records (sessions) and the people's audit are kept `retention_logs_months` (12).

A round runs every hour in the people consumer's process (and `ideahub retention run`).
Each effect happens once however many processes run rounds: a warning is claimed by a
conditional write before its mail goes (a claim older than LEASE, whose sender died, is taken
again: the mail keeps its Message-ID), an erasure is one conditional write with its event.
"""
import logging
import time
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import formatdate

from shared.events import iso
from shared.mailer import Mailer
from shared.phases import french_time
from services.people import handlers
from services.people.domain import months_before

log = logging.getLogger(__name__)

LEASE = 15 * 60
EVERY = 3600.0
RETENTION = {"id": "ideahub-retention", "name": "Durée de conservation"}


def run_round(store, mailer, publish, keyring, config, now=None):
    """One round: warn, erase, purge. Returns what it did, {warned, erased, purged}."""
    now = now or datetime.now(timezone.utc)
    inactive_since = months_before(now, config.retention_accounts_months)
    warning = timedelta(days=config.retention_warning_days)
    warned = sum(_warn(person, store, mailer, config, now, inactive_since + warning)
                 for person in store.inactive(iso(inactive_since + warning), warned=False))
    erased = 0
    for person in store.inactive(iso(inactive_since), warned=True):
        if person["retention_warned_at"] <= iso(now - warning):
            handlers.erase(person["_id"], config.erasure_texts != "remove", RETENTION, store,
                           publish, keyring)
            erased += 1
    purged = store.purge_logs(months_before(now, config.retention_logs_months))
    return {"warned": warned, "erased": erased, "purged": purged}


def _warn(person, store, mailer, config, now, erase_on):
    if not person.get("email") or not store.claim_warning(person["_id"], person["seen_at"],
                                                          time.time(), LEASE):
        return 0
    try:
        mailer.send(warning_mail(person, config, now, erase_on))
    except Exception:
        store.release_warning(person["_id"])
        log.exception("retention warning to %s not sent", person["_id"])
        return 0
    store.warned(person["_id"], iso(now))
    return 1


def warning_mail(person, config, now, erase_on):
    """The warning: when, what goes, what stays, how to keep the account."""
    message = EmailMessage()
    message["From"] = config.mail_from
    message["To"] = person["email"]
    message["Subject"] = "Ideahub — Votre compte sera anonymisé faute de connexion"
    message["Date"] = formatdate(localtime=False)
    # One warning per inactivity: a resent one (its sender died after SMTP took it) keeps it.
    message["Message-ID"] = f"<retention.{person['_id']}.{person['seen_at']}@ideahub>"
    message.set_content(
        f"Bonjour {person['name']},\n\n"
        f"Vous ne vous êtes pas connecté(e) à Ideahub depuis "
        f"{french_time(person['seen_at'])}.\n"
        f"Sans connexion de votre part, votre compte sera anonymisé "
        f"{french_time(iso(erase_on))} : votre nom et votre adresse disparaîtront du hub ; "
        f"vos idées, commentaires et soutiens resteront, sans votre nom.\n\n"
        f"Pour garder votre compte, il suffit de vous connecter : {config.public_url}\n\n"
        f"La durée de conservation des comptes inactifs est de "
        f"{config.retention_accounts_months} mois (page « Données personnelles » du hub).\n")
    return message


def run_forever(stopping, store, publish, keyring, config, every=EVERY):
    with Mailer(config) as mailer:
        while not stopping.is_set():
            try:
                done = run_round(store, mailer, publish, keyring, config)
                if any(done.values()):
                    log.info("retention: %s", done)
            except Exception:  # the store away, a bug: the next round tries again
                log.exception("retention round failed")
            stopping.wait(every)
