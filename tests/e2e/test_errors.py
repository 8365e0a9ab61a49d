"""Every refusal through the gateway comes in the contract's error shape."""
import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest

from shared.auth import (ALGORITHM, ISSUER, TOKEN_TTL, mint_token, new_key_pair,
                         public_keys)

VALID = {"title": "Un titre assez long", "body": "Un corps de plus de dix caractères."}


def assert_error_shape(response, code):
    assert response.status_code == code, response.text
    body = response.json()
    assert body["code"] == code
    assert body["status"]
    assert isinstance(body["message"], str) and body["message"]
    return body


def test_no_token_is_401(http):
    assert_error_shape(http("POST", "/api/ideas", json=VALID), 401)


def test_a_forged_token_is_401(http):
    assert_error_shape(http("POST", "/api/ideas", "not.a.token", json=VALID), 401)


def hub_claims(config, **changes):
    now = int(time.time())
    return {"iss": ISSUER, "aud": config.jwt_audience, "iat": now, "exp": now + 300,
            "sub": "agent-forged", "name": "Agent Faussaire", "roles": ["agent", "manager"],
            "unit": "Service urbanisme", **changes}


def hub_kid(config):
    return next(iter(public_keys(config.token_public_keys)))


def minted(config, ttl=TOKEN_TTL, **overrides):
    """A token as the hub mints it, from a configuration with `overrides`."""
    return mint_token(config.with_overrides(**overrides), "agent-forged", "Agent Faussaire",
                      ["agent", "manager"], "Service urbanisme", ttl=ttl)


def hmac_signed(claims, secret, kid):
    """HS256 keyed with `secret`, built by hand: PyJWT will not key an HMAC with a PEM key."""
    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    body = b64(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(signature)}"


BAD_TOKENS = {
    "expired": lambda config: minted(config, ttl=-120),
    "from another issuer": lambda config: jwt.encode(  # the provider's, say
        hub_claims(config, iss=config.oidc_issuer or "https://idp.example"),
        config.token_private_key, algorithm=ALGORITHM, headers={"kid": hub_kid(config)}),
    "for another audience": lambda config: minted(config, jwt_audience="another-app"),
    "signed by a key the hub does not know": lambda config: minted(
        config, token_private_key=new_key_pair()[0]),
    "naming the hub's key but signed by another": lambda config: jwt.encode(
        hub_claims(config), new_key_pair()[0], algorithm=ALGORITHM,
        headers={"kid": hub_kid(config)}),
    "unsigned (alg none)": lambda config: jwt.encode(
        hub_claims(config), None, algorithm="none", headers={"kid": hub_kid(config)}),
    "HS256 keyed with the hub's public key": lambda config: hmac_signed(
        hub_claims(config), config.token_public_keys, hub_kid(config)),
}
# One call per service that needs a caller; with a good token, none of them answers 401.
CALLS = [("PUT", "/api/votes/0000000000000000", None), ("POST", "/api/ideas", VALID),
         ("GET", "/api/digest/subscription", None)]


@pytest.mark.parametrize("method, path, body", CALLS, ids=[f"{m} {p}" for m, p, _ in CALLS])
@pytest.mark.parametrize("kind", BAD_TOKENS)
def test_a_bad_hub_token_is_401_at_every_service(http, config, kind, method, path, body):
    bad = BAD_TOKENS[kind](config)

    error = assert_error_shape(http(method, path, bad, json=body), 401)

    assert error["message"] == "Jeton invalide ou expiré."


def test_a_manager_without_the_agent_role_cannot_propose(http, token):
    manager_only = token(roles=("manager",))
    assert_error_shape(http("POST", "/api/ideas", manager_only, json=VALID), 403)


def test_an_agent_cannot_read_digest_subscriptions(http, agent):
    assert_error_shape(http("GET", "/api/digest/subscription", agent), 403)


@pytest.mark.parametrize("payload, field", [
    ({**VALID, "title": "Bref"}, "title"),
    ({**VALID, "title": "      \n     "}, "title"),
    ({**VALID, "colour": "rouge"}, "colour"),
    ({**VALID, "tags": "urbanisme"}, "tags"),
    ({**VALID, "tags": ["a", "b", "c", "d", "e", "f"]}, "tags"),
    ({"title": VALID["title"]}, "body"),
])
def test_invalid_ideas_are_422_naming_the_field(http, agent, payload, field):
    body = assert_error_shape(http("POST", "/api/ideas", agent, json=payload), 422)
    assert field in body["errors"]


def test_broken_json_is_400(http, agent):
    response = http("POST", "/api/ideas", agent, data='{"title": "oups",',
                    headers={"Content-Type": "application/json"})
    assert_error_shape(response, 400)


def test_a_body_over_one_mebibyte_is_413(http, agent):
    huge = {**VALID, "body": "é" * (600 * 1024)}  # 1.2 MB of UTF-8
    assert_error_shape(http("POST", "/api/ideas", agent, json=huge), 413)


def test_an_unknown_idea_is_404(http, reader):
    assert_error_shape(http("GET", "/api/ideas/0000000000000000", reader), 404)


def test_supporting_an_unknown_idea_is_404(http, agent):
    assert_error_shape(http("PUT", "/api/votes/0000000000000000", agent), 404)


def test_the_gateway_does_not_publish_metrics(http):
    response = http("GET", "/metrics")

    assert response.status_code == 404
    assert response.json()["code"] == 404


def test_an_address_too_long_is_414_in_the_error_shape(http):
    response = http("GET", "/api/ideas", params={"q": "x" * 5000})

    assert_error_shape(response, 414)


def test_a_request_nginx_cannot_read_is_400_in_the_error_shape(http, reader):
    assert_error_shape(http("GET", "/api/ideas/%00", reader), 400)


def test_a_browser_sending_too_much_gets_a_french_page(http, agent):
    response = http("POST", "/ideas", data={"body": "x" * (1024 * 1024 + 1)},
                    headers={"Accept": "text/html,application/xhtml+xml"})

    assert response.status_code == 413
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Envoi trop volumineux" in response.text and 'lang="fr"' in response.text
