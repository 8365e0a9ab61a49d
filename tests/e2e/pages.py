"""The pages as a browser without JavaScript meets them: a person's browser that posts forms
with their CSRF token, and a page read as a browser parses it."""
import re
import secrets
from html.parser import HTMLParser
from urllib.parse import urlparse

import requests
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from shared.auth import SESSIONS, TokenIssuer, TokenVerifier
from services.web.session import SESSION_ID


class Browser:
    """A person's browser without JavaScript: cookies kept, forms posted with their token,
    redirects not followed, so each answer can be looked at."""

    def __init__(self, base):
        self.base = base
        self.session = requests.Session()
        self.csrf = None

    def get(self, path, **kwargs):
        page = self.session.get(self.base + path, allow_redirects=False, timeout=10, **kwargs)
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        self.csrf = found.group(1) if found else self.csrf
        return page

    def post(self, path, data=None, csrf=True, **kwargs):
        data = {**({"csrf_token": self.csrf} if csrf else {}), **(data or {})}
        return self.session.post(self.base + path, data=data, allow_redirects=False, timeout=10,
                                 **kwargs)

    def sign_in(self, person):
        self.get("/signin")
        answer = self.post("/signin", {"person": person})
        assert answer.status_code == 303, answer.text
        self.get("/")
        return self

    def sign_in_as(self, token, config):
        """Anyone, not only the demo people: a session the people service opens for the
        holder of `token`, as the pages open one, with the token's roles granted as an admin
        would, and the cookie the pages would set. A test's own people share no rate limit
        with other tests."""
        me = TokenVerifier(config).verify(token)
        issuer = TokenIssuer(config)
        opened = self.session.post(
            f"{self.base}/api/people/sessions", timeout=10,
            headers=bearer(issuer.mint("ideahub-web", "Pages du hub", [SESSIONS], "")),
            json={"sub": me.sub, "name": me.name, "unit": me.unit,
                  "email": me.email or "someone@test.ideahub.local"})
        assert opened.status_code == 201, opened.text
        granted = me.roles - {"agent"}
        if granted - set(opened.json()["person"]["roles"]):
            admin = issuer.mint("tests", "Les tests", ["admin"], "")
            answer = self.session.put(f"{self.base}/api/people/{me.sub}/roles", timeout=10,
                                      headers=bearer(admin), json={"roles": sorted(granted)})
            assert answer.status_code == 200, answer.text
        app = Flask(__name__)
        app.secret_key = config.session_secret
        self.csrf = secrets.token_urlsafe(32)
        cookie = SecureCookieSessionInterface().get_signing_serializer(app).dumps({
            SESSION_ID: opened.json()["session"], "csrf_token": self.csrf})
        self.session.cookies.set("ideahub_session", cookie, domain=urlparse(self.base).hostname)
        return self


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # elements without an end tag


class Page(HTMLParser):
    """A page as a browser parses it: its elements with their attributes, its text, and what
    its alerts say. Text a person typed that became markup shows here as an element."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements, self.texts, self.alerts = [], [], []
        self.alert_depth = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if attrs.get("role") == "alert":
            self.alert_depth = 1
            self.alerts.append("")
        elif self.alert_depth and tag not in VOID:
            self.alert_depth += 1

    def handle_endtag(self, tag):
        if self.alert_depth == 1:
            self.alerts[-1] = " ".join(self.alerts[-1].split())
        self.alert_depth = max(0, self.alert_depth - 1)

    def handle_data(self, data):
        self.texts.append(data)
        if self.alert_depth:
            self.alerts[-1] += data

    def injected(self):
        """Elements and attributes no template of the hub writes: scripts and images but its
        own (the logo), event handlers and embedded documents."""
        return [(tag, attrs) for tag, attrs in self.elements
                if tag in ("iframe", "object", "embed", "svg")
                or (tag in ("script", "img")
                    and not (attrs.get("src") or "").startswith("/static/"))
                or any(name.startswith("on") for name in attrs)]

    def value_of(self, element_id):
        [value] = [attrs.get("value") for _, attrs in self.elements
                   if attrs.get("id") == element_id]
        return value

    def shows(self, text):
        """`text` as a field's value, or as text on the page blanks aside (its lines become
        paragraphs)."""
        if text in (attrs.get("value") for _, attrs in self.elements):
            return True
        return " ".join(text.split()) in " ".join(" ".join(self.texts).split())
