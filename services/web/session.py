"""Who is signed in: the session cookie (signed) holds the person and when they signed in;
the API calls carry a token minted from it (shared.auth.TokenIssuer) that lives minutes, so a
token that leaks is soon worthless. A session lasts SESSION_HOURS at most."""
import functools
import time
from dataclasses import dataclass, field

from flask import current_app, g, redirect, render_template, request, session, url_for

from shared.auth import TOKEN_TTL, Identity, TokenIssuer

PERSON, SINCE = "person", "since"
SESSION_HOURS = 12


# A person's token is used again while it has this long to live.
REUSE_UNTIL = 60
TOKENS_KEPT = 10_000


@dataclass
class Web:
    """What the pages share in one process: the settings, the token issuer, the way to make
    an API client for a token, and the tokens in use (person -> (token, expiry))."""

    config: object
    issuer: TokenIssuer
    make_client: object
    tokens: dict = field(default_factory=dict)


def web():
    return current_app.extensions["web"]


def sign_in(identity):
    session.clear()
    session[PERSON] = {"sub": identity.sub, "name": identity.name, "email": identity.email,
                       "roles": sorted(identity.roles), "unit": identity.unit}
    session[SINCE] = time.time()


def sign_out():
    session.clear()


def person():
    """The signed-in person (shared.auth.Identity), or None; an old session signs out."""
    if "person" not in g:
        g.person = None
        held, since = session.get(PERSON), session.get(SINCE)
        if held and since and time.time() - since < SESSION_HOURS * 3600:
            g.person = Identity(held["sub"], held["name"], held["email"],
                                frozenset(held["roles"]), held["unit"])
        elif held:
            sign_out()
    return g.person


def api():
    """The API client of this request, as the signed-in person (or anonymous)."""
    if "api" not in g:
        me = person()
        g.api = web().make_client(me and token_for(me))
    return g.api


def token_for(me):
    """A token for `me`, the same one for most of its life: the gateway counts a person's
    requests by their token. Another name, unit or role is another person here, so a change
    reaches the APIs at the next request."""
    key, now = (me.sub, me.name, me.email, tuple(sorted(me.roles)), me.unit), time.time()
    held = web().tokens.get(key)
    if held and held[1] - now > REUSE_UNTIL:
        return held[0]
    if len(web().tokens) >= TOKENS_KEPT:
        for stale in [k for k, (_, expiry) in list(web().tokens.items()) if expiry <= now]:
            web().tokens.pop(stale, None)
    token = web().issuer.mint(me.sub, me.name, sorted(me.roles), me.unit, me.email)
    web().tokens[key] = (token, now + TOKEN_TTL)
    return token


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
