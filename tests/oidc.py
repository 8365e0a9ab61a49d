"""An OpenID Connect provider's authorization code flow with PKCE, driven with requests the way
a browser would: open the login form, post the credentials, stop at the redirect to the client
and exchange the code. For the tests against the local Keycloak (deploy/local/keycloak)."""
import base64
import hashlib
import html
import re
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

TIMEOUT = 30  # the first login page of a cold Keycloak takes seconds on a busy machine
LOOPBACK = ("127.0.0.1", "localhost", "[::1]", "::1")


def discover(issuer):
    """The provider's metadata (OpenID Connect Discovery 1.0)."""
    response = requests.get(f"{issuer.rstrip('/')}/.well-known/openid-configuration",
                            timeout=TIMEOUT)
    response.raise_for_status()
    return response.json()


def pkce_pair():
    """(code_verifier, S256 code_challenge), RFC 7636."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass
class Authorization:
    """Where the provider sent the browser back, and what the client kept to go on."""
    redirect: str
    params: dict
    state: str
    nonce: str
    verifier: str
    session: requests.Session = field(repr=False)

    @property
    def code(self):
        return self.params.get("code")


def authorize(metadata, client_id, redirect_uri, username, password, *,
              scope="openid", session=None, **extra):
    """Sign in at the provider's own login form; returns the Authorization the provider
    redirected to (its `code`, or its `error`), without following that redirect.

    `extra` goes into the authorization request as is (claims, acr_values, prompt...); pass
    code_challenge=None to leave PKCE out, or code_challenge_method="plain" to try that."""
    session = session or Browser()
    verifier, challenge = pkce_pair()
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
              "scope": scope, "state": state, "nonce": nonce,
              "code_challenge": challenge, "code_challenge_method": "S256", **extra}
    params = {key: value for key, value in params.items() if value is not None}
    response = session.get(metadata["authorization_endpoint"], params=params,
                           allow_redirects=False, timeout=TIMEOUT)
    if response.status_code != 200:  # refused at once: an error sent to the client, or a page
        return _back_at(response, redirect_uri, state, nonce, verifier, session)
    form = LoginForm.read(response.text)
    if form.action is None:
        raise AssertionError(f"no login form in the provider's page: "
                             f"{_page_message(response.text)}")
    fields = {**form.fields, "username": username, "password": password}
    response = session.post(urljoin(response.url, form.action), data=fields,
                            allow_redirects=False, timeout=TIMEOUT)
    return _back_at(response, redirect_uri, state, nonce, verifier, session)


class Browser(requests.Session):
    """A requests session that keeps cookies as a browser does on the loopback: browsers send
    `Secure` cookies to http://127.0.0.1, a secure context, and Keycloak's sign-in depends on
    it (AUTH_SESSION_ID, KC_RESTART); requests would not."""

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        for cookie in self.cookies:
            if cookie.domain in LOOPBACK:
                cookie.secure = False
        return response


def _back_at(response, redirect_uri, state, nonce, verifier, session):
    location = response.headers.get("Location", "")
    if not (response.is_redirect and location.startswith(redirect_uri)):
        raise AssertionError(f"the provider did not send the browser back to {redirect_uri}: "
                             f"{response.status_code} {location}\n{_page_message(response.text)}")
    params = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
    return Authorization(location, params, state, nonce, verifier, session)


def _page_message(page):
    """What a provider's page says went wrong, for an assertion's message."""
    text = re.sub(r"(?s)<(script|style|head)\b.*?</\1>|<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()[:500]


def exchange(metadata, authorization, client_id, client_secret, redirect_uri, verifier=None):
    """The token endpoint's answer to the code (client_secret_basic), as a requests response."""
    return requests.post(metadata["token_endpoint"], auth=(client_id, client_secret), data={
        "grant_type": "authorization_code", "code": authorization.code,
        "redirect_uri": redirect_uri,
        "code_verifier": authorization.verifier if verifier is None else verifier,
    }, timeout=TIMEOUT)


def sign_in(metadata, client_id, client_secret, redirect_uri, username, password, **kwargs):
    """The whole flow: (tokens, authorization)."""
    authorization = authorize(metadata, client_id, redirect_uri, username, password, **kwargs)
    if not authorization.code:
        raise AssertionError(f"no code: {authorization.params}")
    response = exchange(metadata, authorization, client_id, client_secret, redirect_uri)
    response.raise_for_status()
    return response.json(), authorization


class LoginForm(HTMLParser):
    """The first form of a page that has a password field: its action and its other fields
    (hidden ones carry the provider's own state)."""

    def __init__(self):
        super().__init__()
        self.action, self.fields = None, {}
        self._form, self._done = None, False

    @classmethod
    def read(cls, page):
        parser = cls()
        parser.feed(page)
        return parser

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._done:
            return
        if tag == "form":
            self._form = {"action": attrs.get("action"), "fields": {}, "password": False}
        elif tag == "input" and self._form is not None and attrs.get("name"):
            self._form["fields"][attrs["name"]] = attrs.get("value") or ""
            self._form["password"] |= attrs.get("type") == "password"

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None and not self._done:
            if self._form["password"]:
                self.action, self.fields, self._done = \
                    self._form["action"], self._form["fields"], True
            self._form = None
