"""Signing in to the pages through the local Keycloak (deploy/local/keycloak), as ProConnect
would have it: code flow with PKCE, userinfo as a signed JWT, sign-out at the provider."""
import json
import re
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit, urlencode

import pytest

from services.web.app import create_app
from tests.oidc import TIMEOUT, Browser, LoginForm


@pytest.fixture
def at_provider(gateway):
    """at_provider(username) -> (browser, the callback URL Keycloak sent it back to).

    browser=: a browser that already has a session with the pages; changed=: parameters of the
    authorization request that the browser changes on its way to the provider."""
    def sign_in(username, password="ideahub", next_path="/me", browser=None, changed=None):
        browser = browser or Browser()
        start = browser.get(f"{gateway}/auth/login", params={"next": next_path},
                            allow_redirects=False, timeout=TIMEOUT)
        assert start.status_code == 302, start.text
        query = parse_qs(urlsplit(start.headers["Location"]).query)
        assert query["code_challenge_method"] == ["S256"]
        assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
        return browser, log_in(browser, with_params(start.headers["Location"], changed or {}),
                               username, password)
    return sign_in


def log_in(browser, authorization_url, username, password="ideahub"):
    """Through the provider's login form: the callback URL it sends the browser back to."""
    page = browser.get(authorization_url, timeout=TIMEOUT)
    form = LoginForm.read(page.text)
    back = browser.post(urljoin(page.url, form.action), allow_redirects=False,
                        data={**form.fields, "username": username, "password": password},
                        timeout=TIMEOUT)
    assert back.is_redirect and "/auth/callback" in back.headers["Location"], back.text
    return back.headers["Location"]


def with_params(url, changed):
    """`url` with some of its query's parameters changed."""
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    return urlunsplit(parts._replace(query=urlencode({**query, **changed})))


def test_an_agent_signs_in_at_the_provider_and_the_pages_know_them(at_provider, gateway):
    browser, callback = at_provider("joel")

    done = browser.get(callback, allow_redirects=False, timeout=TIMEOUT)
    me = browser.get(f"{gateway}/me", allow_redirects=False, timeout=TIMEOUT)

    assert done.status_code == 303 and done.headers["Location"] == "/me"
    assert me.status_code == 200 and "Joël N&#39;Diaye" in me.text


def test_a_tampered_state_is_refused_with_a_page(at_provider, gateway):
    browser, callback = at_provider("agnes")

    refused = browser.get(with_params(callback, {"state": "x" * 43}), allow_redirects=False,
                          timeout=TIMEOUT)

    assert refused.status_code == 400 and "Connexion refusée" in refused.text
    assert browser.get(f"{gateway}/me", allow_redirects=False).status_code == 303  # signed out


def test_an_id_token_for_another_sign_ins_nonce_is_refused_with_a_page(at_provider, gateway):
    """The browser starts a sign-in, then another, and carries the first one's nonce to the
    provider in the second one's request: code, state and PKCE verifier all match, only the ID
    token's nonce is not the one the pages keep for that state."""
    browser = Browser()
    other = browser.get(f"{gateway}/auth/login", allow_redirects=False, timeout=TIMEOUT)
    other_nonce = parse_qs(urlsplit(other.headers["Location"]).query)["nonce"][0]
    browser, callback = at_provider("agnes", browser=browser, changed={"nonce": other_nonce})

    refused = browser.get(callback, allow_redirects=False, timeout=TIMEOUT)

    assert refused.status_code == 400 and "Connexion refusée" in refused.text
    assert browser.get(f"{gateway}/me", allow_redirects=False).status_code == 303  # signed out


def test_a_sign_in_below_the_hubs_level_of_assurance_is_refused_with_a_page(config):
    """The pages ask for eidas2; the browser, which carries the request and may change it,
    lowers it to eidas1 (the local realm knows no other level: asked for eidas2, it refuses
    at once). The pages must read the ID token's `acr`, not trust their own request. A web app
    of its own, in this process, whose least level is eidas2 (the stack's is eidas1), against
    the running Keycloak."""
    pages = create_app(config.with_overrides(oidc_acr_min="eidas2")).test_client()
    start = pages.get("/auth/login", query_string={"next": "/me"})
    asked = json.loads(parse_qs(urlsplit(start.headers["Location"]).query)["claims"][0])
    lowered = {"id_token": {"acr": {"essential": True, "values": ["eidas1"]}}}
    callback = urlsplit(log_in(Browser(), with_params(
        start.headers["Location"], {"claims": json.dumps(lowered)}), "joel"))

    refused = pages.get(f"{callback.path}?{callback.query}")

    assert asked["id_token"]["acr"]["values"] == ["eidas2"]
    assert refused.status_code == 403
    assert "Connexion refusée" in refused.text and "niveau de garantie" in refused.text
    assert pages.get("/me").status_code == 303  # signed out


def test_a_code_used_twice_is_refused(at_provider, gateway):
    browser, callback = at_provider("camille")
    assert browser.get(callback, allow_redirects=False, timeout=TIMEOUT).status_code == 303

    again = browser.get(callback, allow_redirects=False, timeout=TIMEOUT)

    assert again.status_code == 400 and "déjà servi" in again.text


def test_signing_out_sends_the_browser_to_sign_out_at_the_provider(at_provider, gateway):
    """That the provider then forgets the person: tests/browser/test_signin.py."""
    browser, callback = at_provider("maelle")
    browser.get(callback, allow_redirects=False, timeout=TIMEOUT)
    page = browser.get(f"{gateway}/me", timeout=TIMEOUT)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    out = browser.post(f"{gateway}/signout", data={"csrf_token": csrf}, allow_redirects=False,
                       timeout=TIMEOUT)

    query = parse_qs(urlsplit(out.headers["Location"]).query)
    assert out.status_code == 303 and "/protocol/openid-connect/logout" in out.headers["Location"]
    assert query["id_token_hint"] and query["post_logout_redirect_uri"] == [f"{gateway}/"]
    assert browser.get(f"{gateway}/me", allow_redirects=False).status_code == 303


def test_a_person_the_hubs_rules_do_not_admit_is_told_why_and_whom_to_ask(config):
    """The provider lets every agent in; the hub decides. A web app of its own, in this
    process, that admits only another administration's addresses, against the running
    Keycloak: Joël signs in there, and the hub refuses him."""
    pages = create_app(config.with_overrides(
        admit_email_domains=("autre-administration.fr",), admit_sirets=(), admit_idp_ids=(),
        admission_contact="la mission numérique (numerique@ville-demo.fr)")).test_client()
    start = pages.get("/auth/login", query_string={"next": "/me"})
    callback = urlsplit(log_in(Browser(), start.headers["Location"], "joel"))

    refused = pages.get(f"{callback.path}?{callback.query}")

    assert refused.status_code == 403 and "Connexion refusée" in refused.text
    assert "joel@demo.ideahub.local" in refused.text
    assert "la mission numérique (numerique@ville-demo.fr)" in refused.text
    assert pages.get("/me").status_code == 303  # not signed in
