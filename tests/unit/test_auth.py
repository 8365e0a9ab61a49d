"""shared.auth: the hub's ES256 tokens, and what the services accept."""
import time

import jwt
import pytest

from shared.auth import (ALGORITHM, ISSUER, InvalidToken, TokenVerifier, key_id, mint_token,
                         new_key_pair, public_keys)


@pytest.fixture
def verifier(config):
    return TokenVerifier(config)


def claims_of(config, **changes):
    now = int(time.time())
    return {"iss": ISSUER, "aud": config.jwt_audience, "iat": now, "exp": now + 60,
            "sub": "alice", "roles": ["admin"], **changes}


def signed(config, claims, private=None, kid=None):
    private = private or config.token_private_key
    key = jwt.api_jws.get_algorithm_by_name(ALGORITHM).prepare_key(private)
    return jwt.encode(claims, key, algorithm=ALGORITHM,
                      headers={"kid": kid or key_id(key.public_key())})


def test_a_minted_token_verifies_to_its_identity(config, verifier):
    token = mint_token(config, "alice", "Alice Martin", ["agent", "moderator"],
                       "Service urbanisme", email="alice@ville.test")

    me = verifier.verify(token)

    assert (me.sub, me.name, me.email, me.unit) == (
        "alice", "Alice Martin", "alice@ville.test", "Service urbanisme")
    assert me.roles == {"agent", "moderator"}
    assert me.has("moderator") and not me.has("admin")
    assert me.person == {"id": "alice", "name": "Alice Martin"}


def test_a_token_lives_minutes(config):
    claims = jwt.decode(mint_token(config, "alice", "Alice", ["agent"], "U"),
                        options={"verify_signature": False})

    assert 60 <= claims["exp"] - claims["iat"] <= 15 * 60


def test_an_expired_token_is_refused(config, verifier):
    token = mint_token(config, "alice", "Alice", ["agent"], "U", ttl=-60)

    with pytest.raises(InvalidToken, match="expired"):
        verifier.verify(token)


def test_a_token_signed_with_another_key_is_refused(config, verifier):
    other_private, _ = new_key_pair()
    forged = signed(config, claims_of(config), private=other_private)

    with pytest.raises(InvalidToken, match="unknown key id"):
        verifier.verify(forged)
    # ...even when it claims the hub's key id: the signature does not match.
    hub_kid = next(iter(public_keys(config.token_public_keys)))
    with pytest.raises(InvalidToken, match="(?i)signature"):
        verifier.verify(signed(config, claims_of(config), private=other_private, kid=hub_kid))


def test_a_token_for_another_audience_or_issuer_is_refused(config, verifier):
    with pytest.raises(InvalidToken, match="(?i)audience"):
        verifier.verify(signed(config, claims_of(config, aud="another-app")))
    with pytest.raises(InvalidToken, match="(?i)issuer"):
        verifier.verify(signed(config, claims_of(config, iss="https://idp.example")))


@pytest.mark.parametrize("claim", ["iss", "aud", "exp", "iat", "sub"])
def test_a_token_without_a_required_claim_is_refused(config, verifier, claim):
    claims = claims_of(config)
    del claims[claim]

    with pytest.raises(InvalidToken):
        verifier.verify(signed(config, claims))


def test_an_unsigned_or_symmetric_token_is_refused(config, verifier):
    unsigned = jwt.encode(claims_of(config), None, algorithm="none")
    hub_kid = next(iter(public_keys(config.token_public_keys)))
    symmetric = jwt.encode(claims_of(config), "a secret anyone could know, long enough",
                           algorithm="HS256", headers={"kid": hub_kid})

    for token in (unsigned, symmetric):
        with pytest.raises(InvalidToken):
            verifier.verify(token)


def test_the_services_accept_every_key_they_are_given_while_keys_rotate(config):
    new_private, new_public = new_key_pair()
    rotating = config.with_overrides(token_public_keys=config.token_public_keys + new_public)
    verifier = TokenVerifier(rotating)

    for private in (config.token_private_key, new_private):
        token = mint_token(config.with_overrides(token_private_key=private), "alice", "Alice",
                           ["agent"], "U")
        assert verifier.verify(token).sub == "alice"


def test_unknown_roles_cannot_be_minted(config):
    with pytest.raises(ValueError, match="superuser"):
        mint_token(config, "alice", "Alice", ["superuser"], "U")
