"""A manager's address is confirmed before any digest goes to it.

The address the identity provider vouches for (the token's `email`) is trusted. Any other is
saved unconfirmed with the confirmation message to send, in the subscription itself, in the
very write that changed the address: the digest consumer's scheduler sends it over SMTP, and
an SMTP outage only delays it. The signed link of the message confirms the address
(POST /api/digest/confirm-address); until then, digests skip the subscription.
"""
import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from services.digest import email, links

log = logging.getLogger(__name__)

# Saving the same unconfirmed address again sends a new message only this long after the last
# one was asked for: a manager cannot have the hub flood someone's inbox.
ASK_AGAIN_AFTER = 10 * 60
# A scheduler that took a message and died before recording it: another sends it after this.
LEASE = 5 * 60
# After a failed send, the next try comes after these many seconds; then the hub gives up,
# and saving the subscription again asks anew.
RETRY_AFTER = (60, 5 * 60, 30 * 60)
SUBJECTS = {"fr": "Ideahub — Confirmez votre adresse pour recevoir la synthèse",
            "en": "Ideahub — Confirm your address to receive the digest"}


def confirmed(subscription):
    """Digests go only to a confirmed address (a subscription older than confirmation has no
    `email_verified`: its owner saves it again to confirm)."""
    return subscription.get("email_verified") is True


def address_fields(current, address, own_address, now):
    """`email_verified` and `confirmation` (the message to send, or None) of a subscription
    saved with `address` by a person whose own address is `own_address`; `current` is the
    subscription as it was, or None."""
    if own_address and address.casefold() == own_address.casefold():
        return {"email_verified": True, "confirmation": None}
    if current and current.get("email") == address:
        if confirmed(current):
            return {"email_verified": True, "confirmation": None}
        asked = current.get("confirmation")
        if asked and asked["asked_at"] > now - ASK_AGAIN_AFTER:
            return {"email_verified": False, "confirmation": asked}
    return {"email_verified": False,
            "confirmation": {"asked_at": now, "due": now, "attempts": 0, "sent_at": None}}


def message(subscription, config):
    language = subscription.get("language", "fr")
    token = links.confirmation_token(config, subscription["_id"], subscription["email"])
    text = email.templates().get_template(f"confirm_address.{language}.txt").render(
        name=subscription.get("name") or "", address=subscription["email"],
        url=links.confirm_address_page(config, token, language), days=links.CONFIRM_DAYS)
    msg = EmailMessage()
    msg["From"] = config.mail_from
    msg["To"] = subscription["email"]
    msg["Subject"] = SUBJECTS[language]
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="ideahub.local")
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text)
    return msg


def send_pending(now, store, mailer, config):
    """Send the confirmation messages whose time has come; how many went out. Each is taken
    by a conditional write first, so two schedulers never send the same one."""
    sent = 0
    with mailer:
        for subscription in store.confirmations_due(now):
            asked = subscription["confirmation"]
            taken = {**asked, "due": now + LEASE}
            if not store.change_confirmation(subscription["_id"], asked, due=taken["due"]):
                continue
            try:
                mailer.send(message(subscription, config))
            except (OSError, smtplib.SMTPException) as error:
                log.warning("confirmation message for %s not sent: %s", subscription["_id"], error)
                attempts = taken["attempts"] + 1
                retry = RETRY_AFTER[attempts - 1] if attempts <= len(RETRY_AFTER) else None
                store.change_confirmation(subscription["_id"], taken, attempts=attempts,
                                          due=None if retry is None else now + retry)
                continue
            store.change_confirmation(subscription["_id"], taken, due=None, sent_at=now)
            sent += 1
    return sent
