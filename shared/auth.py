"""Who is calling: a bearer JWT with claims sub, name, email, roles, unit.

Local stack and tests: HS256 tokens signed with HUB_JWT_SECRET, minted by `ideahub token`.
Production: an OpenID Connect provider's RS256 tokens, keys from HUB_JWT_JWKS_URL.
"""
import functools
import time
from dataclasses import dataclass

import jwt
from flask import current_app, g, request
from flask_smorest import abort

ROLES = ("agent", "moderator", "manager", "admin")
ISSUER_LOCAL = "ideahub-local"


@dataclass(frozen=True)
class Identity:
    sub: str
    name: str
    email: str
    roles: frozenset
    unit: str

    def has(self, *roles):
        return bool(self.roles.intersection(roles))

    @property
    def person(self):
        return {"id": self.sub, "name": self.name}


class InvalidToken(Exception):
    pass


def mint_token(config, sub, name, roles, unit, email="", ttl=30 * 24 * 3600):
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {', '.join(sorted(unknown))}")
    now = int(time.time())
    claims = {
        "iss": ISSUER_LOCAL, "aud": config.jwt_audience, "iat": now, "exp": now + ttl,
        "sub": sub, "name": name, "email": email, "roles": list(roles), "unit": unit,
    }
    return jwt.encode(claims, config.jwt_secret, algorithm="HS256")


class TokenVerifier:
    def __init__(self, config):
        self.config = config
        self._jwks = jwt.PyJWKClient(config.jwt_jwks_url) if config.jwt_jwks_url else None

    def verify(self, token):
        try:
            if self._jwks is not None:
                key = self._jwks.get_signing_key_from_jwt(token).key
                claims = jwt.decode(token, key, algorithms=["RS256"],
                                    audience=self.config.jwt_audience)
            else:
                claims = jwt.decode(token, self.config.jwt_secret, algorithms=["HS256"],
                                    audience=self.config.jwt_audience)
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from None
        roles = claims.get("roles") or []
        if not isinstance(roles, list) or not claims.get("sub"):
            raise InvalidToken("the token lacks sub or roles")
        return Identity(
            sub=str(claims["sub"]),
            name=str(claims.get("name") or claims["sub"]),
            email=str(claims.get("email") or ""),
            roles=frozenset(str(r) for r in roles),
            unit=str(claims.get("unit") or ""),
        )


def current_identity():
    """The caller, or 401 in the error shape of the API."""
    if "identity" not in g:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            abort(401, message="Authentification requise : jeton Bearer manquant.")
        try:
            g.identity = current_app.extensions["hub"].verifier.verify(token.strip())
        except InvalidToken:
            abort(401, message="Jeton invalide ou expiré.")
    return g.identity


def requires(*roles):
    """The view needs a caller holding one of `roles` (401 without a token, 403 without the role)."""
    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            identity = current_identity()
            if roles and not identity.has(*roles):
                abort(403, message=f"Rôle requis : {' ou '.join(roles)}.")
            return view(*args, **kwargs)
        return wrapped
    return decorate
