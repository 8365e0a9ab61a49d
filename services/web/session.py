"""Who is signed in: a session of the people service (services/people), whose id the signed
cookie holds. Each page asks the people service who the session's person is now, so signing
out, an admin's revocation or a role change takes effect at the next request; a session lasts
12 hours at most. The API calls carry a token minted for that person (shared.auth.TokenIssuer)
that lives minutes, so a token that leaks is soon worthless."""
import functools
import time
from dataclasses import dataclass, field

from flask import current_app, g, redirect, render_template, request, session, url_for

from shared.auth import SESSIONS, TOKEN_TTL, Identity, TokenIssuer
from services.web.client import ApiError

SESSION_ID = "sid"
# The pages' own identity, which opens and reads sessions.
PAGES = ("ideahub-web", "Pages du hub")
# A token is used again while it has this long to live.
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


def sign_in(claims):
    """Open a session for the person of `claims` (sub, name, email, unit): returns them."""
    session.clear()
    opened = pages_api().open_session(claims)
    session[SESSION_ID] = opened["session"]
    g.person = identity(opened["person"])
    return opened["person"]


def sign_out():
    held = session.pop(SESSION_ID, None)
    session.clear()
    g.person = None
    if held:
        try:
            pages_api().close_session(held)
        except ApiError as error:  # the cookie is gone: the session ends at its time
            current_app.logger.warning("session not closed: %s", error.message)


def person():
    """The signed-in person (shared.auth.Identity), or None; a session that ended signs out."""
    if "person" not in g:
        g.person = None
        held = session.get(SESSION_ID)
        if held:
            try:
                g.person = identity(pages_api().session_person(held))
            except ApiError as error:
                if error.status != 404:
                    raise
                session.clear()
    return g.person


def identity(person):
    return Identity(person["id"], person["name"], person["email"], frozenset(person["roles"]),
                    person["unit"])


def pages_api():
    """The people service's client for the pages themselves (their `sessions` role)."""
    return web().make_client(token_for(Identity(PAGES[0], PAGES[1], "", frozenset([SESSIONS]),
                                                "")))


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


def readable(view):
    """A page of the hub's content: anyone's when reading is public (HUB_PUBLIC_READ=1), else
    signed-in people's, as the APIs behind it (shared.auth.requires_reader)."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if web().config.public_read:
            return view(*args, **kwargs)
        return requires()(view)(*args, **kwargs)
    return wrapped


def local_path(target, default="/"):
    """`target` if it is a path on this site, else `default`: no open redirect."""
    target = (target or "").rstrip("?")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
