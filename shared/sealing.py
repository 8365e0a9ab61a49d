"""Personal fields of events, sealed with their person's keys (shared/keyring.py) as the event
leaves for Kafka, and opened as a consumer reads it.

Which fields are personal, and whose, is said by the payload schemas of shared/events.py:
`metadata={"personal": what, "of": path}`, `what` being name, email, title or text, and `path`
the dotted path, from the object holding the field, of the id of the person it belongs to
(a Person's name is its own id's; an idea's body is its author's). Names and addresses are
sealed with the identity key, titles and texts with the texts key.

A sealed field stays a string, so schemas and unknown readers are unaffected:
`sealed.v1.<what>.<person id, base64>.<nonce and AES-GCM ciphertext, base64>`; the
authenticated data binds it to its person and kind. A field whose key is destroyed opens as
what ERASED says, and is sealed as such: readers never see an error, only "Agent anonymisé".
"""
import base64
import functools
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from marshmallow import fields

PREFIX = "sealed.v1."
KEY_OF = {"name": "identity", "email": "identity", "title": "texts", "text": "texts"}
# What a field reads once its person is erased (or its key is lost).
ERASED = {
    "name": "Agent anonymisé",
    "email": "",
    "title": "Idée dont l'auteur a retiré le texte",
    "text": "Texte retiré à la demande de son auteur.",
}


def seal(schema, data, keyring):
    """A copy of `data` (a payload of `schema`) with its personal fields sealed."""
    def sealed(what, person_id, value):
        key = keyring.key(person_id, KEY_OF[what], create=True)
        if key is None:
            return ERASED[what]
        nonce = os.urandom(12)
        cipher = AESGCM(key).encrypt(nonce, value.encode("utf-8"), _bound(what, person_id))
        return (f"{PREFIX}{what}.{_b64(person_id.encode('utf-8'))}."
                f"{_b64(nonce + cipher)}")
    return _walk(_instance(schema), data, sealed)


def open_sealed(data, keyring):
    """A copy of `data` (any JSON value) with every sealed field opened, or ERASED."""
    if isinstance(data, dict):
        return {name: open_sealed(value, keyring) for name, value in data.items()}
    if isinstance(data, list):
        return [open_sealed(value, keyring) for value in data]
    if isinstance(data, str) and data.startswith(PREFIX):
        return _open(data, keyring)
    return data


def is_sealed(value):
    return isinstance(value, str) and value.startswith(PREFIX)


@functools.lru_cache(maxsize=None)
def _instance(schema):
    """One instance per schema class: making one costs a third of a millisecond."""
    return schema()


def _walk(schema, data, sealed):
    out = dict(data)
    for name, field in schema.fields.items():
        value = out.get(name)
        what = field.metadata.get("personal")
        if what and isinstance(value, str) and value and not is_sealed(value):
            owner = _at(out, field.metadata["of"])
            if isinstance(owner, str) and owner:
                out[name] = sealed(what, owner, value)
        elif isinstance(field, fields.Nested) and isinstance(value, dict):
            out[name] = _walk(field.schema, value, sealed)
        elif isinstance(field, fields.List) and isinstance(field.inner, fields.Nested) \
                and isinstance(value, list):
            out[name] = [_walk(field.inner.schema, item, sealed) if isinstance(item, dict)
                         else item for item in value]
    return out


def _at(data, path):
    for step in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(step)
    return data


def _open(value, keyring):
    try:
        what, person, sealed = value[len(PREFIX):].split(".")
        person_id = _unb64(person).decode("utf-8")
        raw = _unb64(sealed)
    except ValueError:
        return value  # not ours after all: a text that starts like a sealed field
    if what not in KEY_OF:
        return value
    key = keyring.key(person_id, KEY_OF[what])
    if key is None:
        return ERASED[what]
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], _bound(what, person_id)).decode("utf-8")
    except (InvalidTag, ValueError):
        return ERASED[what]


def _bound(what, person_id):
    return f"{what}:{person_id}".encode("utf-8")


def _b64(raw):
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
