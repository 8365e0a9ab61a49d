"""Signing in to the pages through the local Keycloak (deploy/local/keycloak), as ProConnect
would have it: code flow with PKCE, userinfo as a signed JWT, sign-out at the provider."""
import re
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit, urlencode

import pytest

from tests.oidc import TIMEOUT, Browser, LoginForm


@pytest.fixture
def at_provider(gateway):
    """at_provider(username) -> (browser, the callback URL Keycloak sent it back to)."""
    def sign_in(username, password="ideahub", next_path="/me"):
        browser = Browser()
        start = browser.get(f"{gateway}/auth/login", params={"next": next_path},
                            allow_redirects=False, timeout=TIMEOUT)
        assert start.status_code == 302, start.text
        query = parse_qs(urlsplit(start.headers["Location"]).query)
        assert query["code_challenge_method"] == ["S256"]
        assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
        page = browser.get(start.headers["Location"], timeout=TIMEOUT)
        form = LoginForm.read(page.text)
        back = browser.post(urljoin(page.url, form.action), allow_redirects=False,
                            data={**form.fields, "username": username, "password": password},
                            timeout=TIMEOUT)
        assert back.is_redirect and "/auth/callback" in back.headers["Location"], back.text
        return browser, back.headers["Location"]
    return sign_in


def test_an_agent_signs_in_at_the_provider_and_the_pages_know_them(at_provider, gateway):
    browser, callback = at_provider("joel")

    done = browser.get(callback, allow_redirects=False, timeout=TIMEOUT)
    me = browser.get(f"{gateway}/me", allow_redirects=False, timeout=TIMEOUT)

    assert done.status_code == 303 and done.headers["Location"] == "/me"
    assert me.status_code == 200 and "Joël N&#39;Diaye" in me.text


def test_a_tampered_state_is_refused_with_a_page(at_provider, gateway):
    browser, callback = at_provider("agnes")
    parts = urlsplit(callback)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    tampered = urlunsplit(parts._replace(query=urlencode({**query, "state": "x" * 43})))

    refused = browser.get(tampered, allow_redirects=False, timeout=TIMEOUT)

    assert refused.status_code == 400 and "Connexion refusée" in refused.text
    assert browser.get(f"{gateway}/me", allow_redirects=False).status_code == 303  # signed out


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
