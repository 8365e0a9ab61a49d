"""The signed links of the digest's mails: unsubscribe, and confirm an address.

They are signed with the hub's mail link secret, which no other part of the hub uses (a
process outside the local stack does not start with the repository's one). Each kind of link
has its own salt, so one kind is never taken for another.
"""
from urllib.parse import quote

from itsdangerous import BadSignature, URLSafeTimedSerializer

# An unsubscribe link works this long after its digest was sent: an old mail forwarded or
# leaked no longer unsubscribes anyone.
UNSUBSCRIBE_DAYS = 90
# A confirmation link works this long; saving the subscription again sends a new one.
CONFIRM_DAYS = 7


def unsubscribe_token(config, subscription):
    """For this subscription, not the person's next one: a link of an old digest must not end
    a subscription made again since (its creation time differs)."""
    return _signer(config, "unsubscribe").dumps([subscription["_id"],
                                                 subscription.get("created_at")])


def read_unsubscribe_token(config, token):
    """(subscription id, its creation time) the token was made for, or None if it is forged
    or too old."""
    found = _read(config, "unsubscribe", token, UNSUBSCRIBE_DAYS)
    return tuple(found) if isinstance(found, list) else None


def confirmation_token(config, subscription_id, address):
    return _signer(config, "confirm-address").dumps([subscription_id, address])


def read_confirmation_token(config, token):
    """(subscription id, address) the token was made for, or None if forged or too old."""
    found = _read(config, "confirm-address", token, CONFIRM_DAYS)
    return tuple(found) if found else None


def notification_unsubscribe_token(config, person_id, kinds):
    """Turns off exactly `kinds` of notification by mail for that person."""
    return _signer(config, "notifications-unsubscribe").dumps([person_id, sorted(kinds)])


def read_notification_unsubscribe_token(config, token):
    """(person id, kinds) the token was made for, or None if forged or too old."""
    found = _read(config, "notifications-unsubscribe", token, UNSUBSCRIBE_DAYS)
    if not (isinstance(found, list) and len(found) == 2 and isinstance(found[1], list)):
        return None
    return found[0], found[1]


# The pages (services/web) where a person follows a link: a button confirms, so that a mail
# scanner opening links changes nothing. The one-click address is the API's (RFC 8058: mail
# clients POST to it, and a GET redirects to the page).
def unsubscribe_page(config, token, language="fr"):
    return _link(config, "/digest/unsubscribe", token, language)


def one_click_unsubscribe(config, token):
    return _link(config, "/api/digest/unsubscribe", token)


def notification_unsubscribe_page(config, token, language="fr"):
    return _link(config, "/notifications/unsubscribe", token, language)


def notification_one_click(config, token):
    return _link(config, "/api/notifications/unsubscribe", token)


def confirm_address_page(config, token, language="fr"):
    return _link(config, "/digest/confirm-address", token, language)


def _link(config, path, token, language="fr"):
    """The pages speak French unless told otherwise: a mail in English links to English. The
    token is quoted: a redirect may carry one a stranger typed."""
    lang = "" if language == "fr" else f"&lang={language}"
    return f"{config.public_url.rstrip('/')}{path}?token={quote(token, safe='')}{lang}"


def _signer(config, purpose):
    return URLSafeTimedSerializer(config.mail_link_secret, salt=f"digest-{purpose}")


def _read(config, purpose, token, days):
    try:
        return _signer(config, purpose).loads(token, max_age=days * 86400)
    except BadSignature:  # SignatureExpired is one
        return None
