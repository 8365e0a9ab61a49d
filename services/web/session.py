"""Who is signed in: the session cookie holds the person's JWT, verified at each request like
the APIs verify it; the API client carries it as the bearer token."""
import functools
from dataclasses import dataclass

from flask import current_app, g, redirect, render_template, request, session, url_for

from shared.auth import InvalidToken, TokenVerifier

TOKEN = "token"


@dataclass
class Web:
    """What the pages share in one process: the settings, the token verifier and the way to
    make an API client for a token."""

    config: object
    verifier: TokenVerifier
    make_client: object


def web():
    return current_app.extensions["web"]


def sign_in(token):
    session.clear()
    session[TOKEN] = token


def sign_out():
    session.clear()


def person():
    """The signed-in person (shared.auth.Identity), or None; an expired token signs out."""
    if "person" not in g:
        g.person = None
        token = session.get(TOKEN)
        if token:
            try:
                g.person = web().verifier.verify(token)
            except InvalidToken:
                session.pop(TOKEN, None)
    return g.person


def api():
    """The API client of this request, as the signed-in person (or anonymous)."""
    if "api" not in g:
        g.api = web().make_client(session.get(TOKEN) if person() else None)
    return g.api


def has(*roles):
    return person() is not None and person().has(*roles)


def requires(*roles):
    """The page needs a signed-in person (else the sign-in page, then back) holding one of
    `roles` (else a 403 page)."""
    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if person() is None:
                return redirect(url_for("account.signin", next=local_path(request.full_path)),
                                303)
            if roles and not person().has(*roles):
                return render_template("forbidden.html"), 403
            return view(*args, **kwargs)
        return wrapped
    return decorate


def local_path(target, default="/"):
    """`target` if it is a path on this site, else `default`: no open redirect."""
    target = (target or "").rstrip("?")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
