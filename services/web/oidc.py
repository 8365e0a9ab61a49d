"""Signing in through OpenID Connect: ProConnect for French agents, any provider elsewhere
(Keycloak on the local stack). Authorization code with PKCE (S256), `state` and `nonce` of 43
characters, the provider found by discovery (HUB_OIDC_ISSUER), through Authlib.

As ProConnect does it: the claims come from the userinfo answer, which may be a JWT signed
with one of the provider's keys (verified, never read as plain JSON); `acr` is asked for
through `claims` and must be one the hub accepts. Who may enter is the hub's decision
(`admission`), not the provider's: the provider lets in every agent of every administration.
"""
import json
import secrets

import jwt
import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from joserfc.errors import JoseError

from services.web.session import local_path, sign_in, web

bp = Blueprint("oidc", __name__)

# One scope per claim, as ProConnect names them; other providers ignore those they lack.
SCOPE = "openid given_name usual_name email uid siret organizational_unit idp_id"
AFTER, ID_TOKEN = "after_sign_in", "id_token"
# What the provider may sign with: asymmetric only, whatever its metadata says.
SIGNING_ALGORITHMS = ["RS256", "PS256", "ES256"]
# eIDAS levels of assurance, lowest first: a sign-in at or above the configured one is let in.
ACR_LEVELS = ("eidas1", "eidas2", "eidas3")


def init_app(app, config):
    if not config.oidc_issuer:
        return
    oauth = OAuth(app)
    oauth.register(
        "provider", client_id=config.oidc_client_id, client_secret=config.oidc_client_secret,
        server_metadata_url=f"{config.oidc_issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={"scope": SCOPE, "code_challenge_method": "S256"})
    app.extensions["oidc"] = oauth.provider
    app.register_blueprint(bp)


def provider():
    return current_app.extensions["oidc"]


def enabled():
    return "oidc" in current_app.extensions


def callback_url():
    return f"{web().config.public_url.rstrip('/')}{url_for('oidc.callback')}"


@bp.get("/auth/login")
def login():
    session[AFTER] = local_path(request.args.get("next"))
    claims = {"id_token": {"acr": {"essential": True, "values": [web().config.oidc_acr_min]}}}
    return provider().authorize_redirect(
        callback_url(), state=secrets.token_urlsafe(32), nonce=secrets.token_urlsafe(32),
        claims=json.dumps(claims, separators=(",", ":")))


@bp.get("/auth/callback")
def callback():
    try:
        token = provider().authorize_access_token()  # state, code + verifier, ID token, nonce
        claims = token.get("userinfo") or {}
        if not strong_enough(claims.get("acr"), web().config.oidc_acr_min):
            return refused("acr")
        person = {**claims, **userinfo(token, claims["sub"])}
    except requests.RequestException as error:  # the provider does not answer, or fails
        current_app.logger.warning("identity provider unavailable: %s", error)
        return refused("unavailable")
    except (AuthlibBaseError, JoseError, jwt.PyJWTError, KeyError, ValueError) as error:
        # Authlib checks the ID token (nonce, issuer, audience, expiry) through joserfc
        current_app.logger.warning("sign-in refused: %s", error)
        return refused("flow")
    reason = admission(web().config, person)
    if reason:
        return refused(reason, email=person.get("email", ""))
    after = session.get(AFTER, "/")
    sign_in(claims_of(person))
    session[ID_TOKEN] = token["id_token"]
    return redirect(after, 303)


def userinfo(token, sub):
    """The userinfo answer: a JWT signed by the provider (ProConnect), verified with its keys,
    or JSON. Its subject must be the ID token's."""
    answer = provider().get(provider().load_server_metadata()["userinfo_endpoint"], token=token)
    answer.raise_for_status()
    if answer.headers.get("Content-Type", "").startswith("application/jwt"):
        metadata = provider().load_server_metadata()
        claims = jwt.decode(answer.text, provider_key(jwt.get_unverified_header(answer.text)),
                            algorithms=SIGNING_ALGORITHMS, issuer=metadata["issuer"],
                            audience=web().config.oidc_client_id,
                            options={"require": ["iss", "aud", "sub"]})
    else:
        claims = answer.json()
    if claims.get("sub") != sub:
        raise ValueError("the userinfo answer is about someone else")
    return dict(claims)


def provider_key(header):
    """The provider's key that signed: its key set as fetched, or fetched again once for a key
    id it lacks (the provider rotated its keys)."""
    for force in (False, True):
        keys = jwt.PyJWKSet.from_dict(provider().fetch_jwk_set(force=force)).keys
        key = next((k for k in keys if k.key_id == header.get("kid")), None)
        if key is not None:
            return key
    raise ValueError("the userinfo answer is signed with a key the provider does not publish")


def strong_enough(acr, least):
    """Is the sign-in's level of assurance `least` or above? An unknown level is not."""
    return acr in ACR_LEVELS and ACR_LEVELS.index(acr) >= ACR_LEVELS.index(least)


def admission(config, person):
    """None if the hub admits this person, else why not: by email domain, SIRET or identity
    provider, whichever rules the hub has."""
    email = (person.get("email") or "").strip().lower()
    if not email or not person.get("sub"):
        return "incomplete"
    domain = email.rpartition("@")[2]
    if domain in config.admit_email_domains or person.get("siret") in config.admit_sirets \
            or person.get("idp_id") in config.admit_idp_ids:
        return None
    return "not_admitted"


def claims_of(person):
    """What the hub keeps of the provider's claims: who (sub), their name, address, unit and
    organisation (ProConnect's organization_label, else its SIRET). Roles are the hub's to
    grant (services/people)."""
    email = person["email"].strip().lower()
    name = " ".join(part for part in (person.get("given_name"), person.get("usual_name")
                                      or person.get("family_name")) if part) or email
    return {"sub": str(person["sub"]), "name": name, "email": email,
            "unit": person.get("organizational_unit") or "",
            "organization": person.get("organization_label") or person.get("siret") or ""}


def refused(reason, **details):
    """A page that says why, in French, and whom to ask: 400 for a broken or replayed flow,
    503 when the provider does not answer, 403 for a person the hub does not admit."""
    return render_template("signin_refused.html", reason=reason,
                           contact=web().config.admission_contact or web().config.org_contact,
                           **details), \
        {"flow": 400, "unavailable": 503}.get(reason, 403)


def end_session_url():
    """Where signing out sends the browser: the provider's end_session_endpoint (it signs the
    person out there too), or None when they did not sign in through the provider."""
    id_token = session.get(ID_TOKEN)
    if not enabled() or not id_token:
        return None
    return provider().create_logout_url(post_logout_redirect_uri=web().config.public_url.rstrip(
        "/") + "/", id_token_hint=id_token)["url"]
