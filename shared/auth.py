"""Who is calling: the hub's own bearer JWT, claims sub, name, email, roles, unit.

The hub's tokens are ES256: whoever signs people in (the pages, `ideahub token` on the local
stack) holds the private key; every service verifies with the public keys it is given, and a
key id it does not know is refused, never fetched. `iss`, `aud`, `exp`, `iat` and `sub` are
required; a token lives minutes (the pages mint them from the session, services/web/session.py).
"""
import base64
import functools
import hashlib
import json
import time
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app, g, request
from flask_smorest import abort

ROLES = ("agent", "moderator", "manager", "admin")
# Not a person's role: the pages' own, to open and read the sessions of the people they sign
# in (services/people). Only the holder of the private key can mint it.
SESSIONS = "sessions"
ISSUER = "ideahub"
ALGORITHM = "ES256"
# Between the pages and the APIs: long enough for one page's calls, short enough that a token
# that leaks is soon worthless.
TOKEN_TTL = 5 * 60
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub"]


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


def new_key_pair():
    """(private PEM, public PEM) of a new P-256 key: `ideahub keys` and the tests."""
    private = ec.generate_private_key(ec.SECP256R1())
    return (private.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()).decode(),
            private.public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo
                                              ).decode())


def key_id(public_key):
    """The key's RFC 7638 thumbprint: the same key has the same id wherever it is loaded."""
    numbers = public_key.public_numbers()

    def b64(n):
        return base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode()
    canonical = json.dumps({"crv": "P-256", "kty": "EC", "x": b64(numbers.x), "y": b64(numbers.y)},
                           separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(
        b"=").decode()


def public_keys(pem_text):
    """kid -> key of every public key in `pem_text` (several while keys are rotated)."""
    keys = {}
    for block in pem_text.split("-----END PUBLIC KEY-----"):
        if "-----BEGIN PUBLIC KEY-----" in block:
            key = serialization.load_pem_public_key(
                (block.strip() + "\n-----END PUBLIC KEY-----\n").encode())
            keys[key_id(key)] = key
    return keys


class TokenIssuer:
    def __init__(self, config):
        if not config.token_private_key:
            raise RuntimeError("HUB_TOKEN_PRIVATE_KEY(_FILE) is not set: this process cannot "
                               "sign people in")
        self.key = serialization.load_pem_private_key(config.token_private_key.encode(), None)
        self.kid = key_id(self.key.public_key())
        self.audience = config.jwt_audience

    def mint(self, sub, name, roles, unit, email="", ttl=TOKEN_TTL):
        unknown = set(roles) - set(ROLES) - {SESSIONS}
        if unknown:
            raise ValueError(f"unknown roles: {', '.join(sorted(unknown))}")
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": self.audience, "iat": now, "exp": now + ttl,
                  "sub": sub, "name": name, "email": email, "roles": list(roles), "unit": unit}
        return jwt.encode(claims, self.key, algorithm=ALGORITHM, headers={"kid": self.kid})


def mint_token(config, sub, name, roles, unit, email="", ttl=TOKEN_TTL):
    return TokenIssuer(config).mint(sub, name, roles, unit, email, ttl)


class TokenVerifier:
    def __init__(self, config):
        self.keys = public_keys(config.token_public_keys)
        if not self.keys:
            raise RuntimeError("HUB_TOKEN_PUBLIC_KEYS(_FILE) holds no public key: this "
                               "process could not verify anyone")
        self.audience = config.jwt_audience

    def verify(self, token):
        try:
            key = self.keys.get(jwt.get_unverified_header(token).get("kid"))
            if key is None:
                raise InvalidToken("unknown key id")
            claims = jwt.decode(token, key, algorithms=[ALGORITHM], audience=self.audience,
                                issuer=ISSUER, options={"require": REQUIRED_CLAIMS})
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from None
        roles = claims.get("roles") or []
        if not isinstance(roles, list):
            raise InvalidToken("the token's roles are not a list")
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


def requires_reader(view):
    """The view reads the hub's content: anyone may when reading is public (HUB_PUBLIC_READ=1),
    else signed-in people only (401 without a token)."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not current_app.extensions["hub"].config.public_read:
            current_identity()
        return view(*args, **kwargs)
    return wrapped
