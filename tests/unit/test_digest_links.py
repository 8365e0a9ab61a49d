"""services.digest.links: the signed links of the digest's mails, with a secret of their own."""
import pytest

from shared.api import Hub
from shared.auth import TokenVerifier
from shared.config import MissingSecret
from services.digest import app, links, store

SUBSCRIPTION = {"_id": "manager-1", "created_at": "2026-11-02T08:00:00.000Z"}

def test_a_forged_or_foreign_token_is_refused(config):
    genuine = links.unsubscribe_token(config, SUBSCRIPTION)
    foreign = links.unsubscribe_token(
        config.with_overrides(mail_link_secret="another hub's secret"), SUBSCRIPTION)

    assert links.read_unsubscribe_token(config, genuine) == ("manager-1",
                                                             SUBSCRIPTION["created_at"])
    assert links.read_unsubscribe_token(config, foreign) is None
    # A character inside the signature (its last one may carry unused bits).
    tampered = genuine[:-10] + ("A" if genuine[-10] != "A" else "B") + genuine[-9:]
    assert links.read_unsubscribe_token(config, tampered) is None
    assert links.read_unsubscribe_token(config, "manager-1") is None


def test_one_kind_of_link_is_never_taken_for_another(config):
    unsubscribe = links.unsubscribe_token(config, SUBSCRIPTION)
    confirm = links.confirmation_token(config, "manager-1", "cheffe@ville.test")

    assert links.read_confirmation_token(config, confirm) == ("manager-1", "cheffe@ville.test")
    assert links.read_confirmation_token(config, unsubscribe) is None
    assert links.read_unsubscribe_token(config, confirm) is None


@pytest.mark.parametrize("make, read, days", [
    (lambda c: links.unsubscribe_token(c, SUBSCRIPTION), links.read_unsubscribe_token,
     links.UNSUBSCRIBE_DAYS),
    (lambda c: links.confirmation_token(c, "manager-1", "a@b.test"),
     links.read_confirmation_token, links.CONFIRM_DAYS),
])
def test_a_link_older_than_its_lifetime_is_refused(config, monkeypatch, make, read, days):
    sent_at = 1_790_000_000  # 2026-09-21
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: sent_at)
    token = make(config)

    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: sent_at + days * 86400 - 60)
    assert read(config, token) is not None
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: sent_at + days * 86400 + 60)
    assert read(config, token) is None


def test_a_deployed_digest_service_without_its_link_secret_does_not_start(
        config, db, outbox, publisher):
    deployed = config.with_overrides(env="production", session_secret="the deployment's own")
    hub = Hub("digest", deployed, db.client, db, outbox, publisher, TokenVerifier(deployed),
              store.ensure_indexes)

    with pytest.raises(MissingSecret, match="HUB_MAIL_LINK_SECRET"):
        app.create_app(deployed, hub=hub)
