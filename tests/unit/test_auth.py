"""shared.auth: local tokens minted by `ideahub token` and what the services accept."""
import jwt
import pytest

from shared.auth import InvalidToken, TokenVerifier, mint_token


@pytest.fixture
def verifier(config):
    return TokenVerifier(config)


def test_a_minted_token_verifies_to_its_identity(config, verifier):
    token = mint_token(config, "alice", "Alice Martin", ["agent", "moderator"],
                       "Service urbanisme", email="alice@ville.test")

    me = verifier.verify(token)

    assert (me.sub, me.name, me.email, me.unit) == (
        "alice", "Alice Martin", "alice@ville.test", "Service urbanisme")
    assert me.roles == {"agent", "moderator"}
    assert me.has("moderator") and not me.has("admin")
    assert me.person == {"id": "alice", "name": "Alice Martin"}


def test_an_expired_token_is_refused(config, verifier):
    token = mint_token(config, "alice", "Alice", ["agent"], "U", ttl=-60)

    with pytest.raises(InvalidToken, match="expired"):
        verifier.verify(token)


def test_a_token_signed_with_another_secret_is_refused(config, verifier):
    forged = mint_token(config.with_overrides(jwt_secret="not-the-secret-" * 3), "alice",
                        "Alice", ["admin"], "U")

    with pytest.raises(InvalidToken, match="(?i)signature"):
        verifier.verify(forged)


def test_a_token_for_another_audience_is_refused(config, verifier):
    other = mint_token(config.with_overrides(jwt_audience="another-app"), "alice", "Alice",
                       ["agent"], "U")

    with pytest.raises(InvalidToken, match="(?i)audience"):
        verifier.verify(other)


def test_an_unsigned_token_is_refused(verifier):
    unsigned = jwt.encode({"sub": "alice", "roles": ["admin"], "aud": "ideahub"}, None,
                          algorithm="none")

    with pytest.raises(InvalidToken):
        verifier.verify(unsigned)


def test_a_token_without_a_subject_is_refused(config, verifier):
    token = jwt.encode({"aud": config.jwt_audience, "roles": ["agent"]}, config.jwt_secret,
                       algorithm="HS256")

    with pytest.raises(InvalidToken, match="sub"):
        verifier.verify(token)


def test_minting_refuses_an_unknown_role(config):
    with pytest.raises(ValueError, match="superuser"):
        mint_token(config, "alice", "Alice", ["agent", "superuser"], "U")
