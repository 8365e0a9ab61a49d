"""The local OpenID Connect provider (Keycloak, deploy/local/keycloak/ideahub-realm.json)
behaves as the hub's sign-in expects of ProConnect: code flow with PKCE S256 only, a userinfo
answer that is a JWT signed with a key of the provider's JWKS, ProConnect's claims."""
import json
import os
from pathlib import Path

import jwt
import pytest
import requests

from tests import oidc

REALM = Path(__file__).resolve().parents[2] / "deploy" / "local" / "keycloak" / "ideahub-realm.json"
# ProConnect's scopes, one per claim, as the hub will ask for them.
SCOPE = "openid given_name usual_name email uid siret organizational_unit idp_id"


@pytest.fixture(scope="session")
def client(stack):
    """(issuer, client_id, client_secret), from the stack's environment."""
    return (os.environ["HUB_OIDC_ISSUER"], os.environ["HUB_OIDC_CLIENT_ID"],
            os.environ["HUB_OIDC_CLIENT_SECRET"])


@pytest.fixture(scope="session")
def provider(client):
    return oidc.discover(client[0])


@pytest.fixture(scope="session")
def callback(gateway):
    return f"{gateway}/auth/callback"


def demo_person(username):
    """A person of the realm file and the claims the provider must give of them."""
    person = next(u for u in json.loads(REALM.read_text(encoding="utf-8"))["users"]
                  if u["username"] == username)
    attributes = {name: values[0] for name, values in person["attributes"].items()}
    return person, {"sub": person["id"], "given_name": person["firstName"],
                    "usual_name": person["lastName"], "email": person["email"], **attributes}


def test_discovery_names_what_the_hub_needs(provider, client):
    assert provider["issuer"] == client[0]
    for endpoint in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint",
                     "jwks_uri", "end_session_endpoint"):
        assert provider[endpoint].startswith(client[0] + "/"), endpoint
    assert "S256" in provider["code_challenge_methods_supported"]
    assert "RS256" in provider["userinfo_signing_alg_values_supported"]
    assert set(SCOPE.split()) <= set(provider["scopes_supported"])


def test_sign_in_gives_a_signed_userinfo_with_proconnect_claims(provider, client, callback):
    issuer, client_id, secret = client
    person, claims = demo_person("joel")
    tokens, authorization = oidc.sign_in(provider, client_id, secret, callback,
                                         person["username"], "ideahub", scope=SCOPE)
    assert authorization.params["state"] == authorization.state
    assert authorization.params["iss"] == issuer  # RFC 9207, as ProConnect sends it
    keys = jwt.PyJWKClient(provider["jwks_uri"])
    id_token = jwt.decode(tokens["id_token"], keys.get_signing_key_from_jwt(tokens["id_token"]).key,
                          algorithms=["RS256"], audience=client_id, issuer=issuer)
    assert id_token["nonce"] == authorization.nonce
    assert id_token["sub"] == claims["sub"]
    assert id_token["acr"] == "eidas1"

    answer = requests.get(provider["userinfo_endpoint"], timeout=oidc.TIMEOUT,
                          headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/jwt")
    userinfo = jwt.decode(answer.text, keys.get_signing_key_from_jwt(answer.text).key,
                          algorithms=["RS256"], audience=client_id, issuer=issuer)
    assert {name: userinfo.get(name) for name in claims} == claims


def test_only_the_code_flow_with_s256_is_open(provider, client, callback):
    _, client_id, secret = client
    password = requests.post(provider["token_endpoint"], auth=(client_id, secret),
                             timeout=oidc.TIMEOUT, data={
                                 "grant_type": "password", "username": "joel",
                                 "password": "ideahub", "scope": "openid"})
    assert password.status_code in (400, 401)
    assert password.json()["error"] == "unauthorized_client"
    without_pkce = oidc.authorize(provider, client_id, callback, "joel", "ideahub",
                                  code_challenge=None, code_challenge_method=None)
    assert without_pkce.params["error"] == "invalid_request"
    plain = oidc.authorize(provider, client_id, callback, "joel", "ideahub",
                           code_challenge="x" * 43, code_challenge_method="plain")
    assert plain.params["error"] == "invalid_request"
    elsewhere = requests.get(provider["authorization_endpoint"], allow_redirects=False,
                             timeout=oidc.TIMEOUT, params={
                                 "response_type": "code", "client_id": client_id,
                                 "redirect_uri": "http://203.0.113.7/auth/callback",
                                 "scope": "openid", "code_challenge": "x" * 43,
                                 "code_challenge_method": "S256"})
    assert elsewhere.status_code == 400 and "Location" not in elsewhere.headers


def test_a_code_is_exchanged_once_and_only_with_its_verifier(provider, client, callback):
    _, client_id, secret = client
    authorization = oidc.authorize(provider, client_id, callback, "agnes", "ideahub")
    wrong = oidc.exchange(provider, authorization, client_id, secret, callback,
                          verifier=oidc.pkce_pair()[0])
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    authorization = oidc.authorize(provider, client_id, callback, "agnes", "ideahub",
                                   session=authorization.session)
    assert oidc.exchange(provider, authorization, client_id, secret, callback).status_code == 200
    replayed = oidc.exchange(provider, authorization, client_id, secret, callback)
    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_grant"


def test_sign_out_at_the_provider_comes_back_to_the_hub(provider, client, callback, gateway):
    _, client_id, secret = client
    tokens, authorization = oidc.sign_in(provider, client_id, secret, callback, "lea", "ideahub")
    back = authorization.session.get(provider["end_session_endpoint"], allow_redirects=False,
                                     timeout=oidc.TIMEOUT, params={
                                         "id_token_hint": tokens["id_token"],
                                         "post_logout_redirect_uri": f"{gateway}/",
                                         "state": "signed-out"})
    assert back.status_code == 302
    assert back.headers["Location"] == f"{gateway}/?state=signed-out"
