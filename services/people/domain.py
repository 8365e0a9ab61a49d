"""People as the hub knows them: who they are (from their provider), what it grants them.

Everybody signed in is an agent; the hub's admins grant the other roles. A session lasts
SESSION_HOURS at most; the cookie holds its id, the store only the id's hash, so a copy of
the database opens no session."""
import calendar
import hashlib
import secrets

from shared.erasure import ERASED_NAME
from shared.text import fold

SOURCE = "ideahub/people"
GRANTED = ("moderator", "manager", "admin")
SESSION_HOURS = 12
UNIT_MAX = 120
SCOPE_MAX = 50


class PersonUnknown(Exception):
    pass


class LastAdmin(Exception):
    """An admin may not take the admin role from themselves: the hub would be left with
    nobody to grant it back."""


def new_session_id():
    return secrets.token_urlsafe(32)


def new_account_id():
    """The id of an account opened after its provider's person erased the one they had."""
    return f"p-{secrets.token_hex(12)}"


def session_key(session_id):
    return hashlib.sha256(session_id.encode()).hexdigest()


def search_terms(name, email):
    """What a search of people matches: name and address, without case or accents."""
    return fold(f"{name} {email}")


def roles_of(person):
    """The roles a person's token carries: agent, and what the hub granted."""
    return ["agent", *sorted(set(person.get("roles", [])) & set(GRANTED))]


def changed(person, roles, unit, scope):
    """The person with `roles`, `unit` and `scope` (None: as they are), or None if nothing
    changes."""
    new = dict(person)
    if roles is not None:
        new["roles"] = sorted(set(roles) & set(GRANTED))
    if unit is not None:
        new["unit"] = unit
    if scope is not None:
        new["scope"] = sorted(set(scope), key=fold)
    same = all(new.get(k) == person.get(k) for k in ("roles", "unit", "scope"))
    return None if same else new


def change_data(before, after, by, at):
    """The person.changed payload: who, whom, what, when."""
    old, new = set(before.get("roles", [])), set(after.get("roles", []))
    return {"person": {"id": after["_id"], "name": after.get("name", "")}, "by": by, "at": at,
            "roles": sorted(new), "granted": sorted(new - old), "revoked": sorted(old - new),
            "unit": after.get("unit", ""), "previous_unit": before.get("unit", ""),
            "scope": after.get("scope", []), "previous_scope": before.get("scope", [])}


def told(person):
    """What the people events say of who a person is: their name and address."""
    return {"name": person.get("name", ""), "email": person.get("email", "")}


def retold(person):
    """The person with `told` brought up to their name and address, or None when the last
    person.joined or person.updated already said them. A person who joined before the events
    carried an address has no `told`: they are told at their next sign-in."""
    now = told(person)
    return None if person.get("told") == now else {**person, "told": now}


def updated_data(person, at):
    """The person.updated payload."""
    said = person["told"]
    return {"person": {"id": person["_id"], "name": said["name"]}, "email": said["email"],
            "at": at}


class AlreadyErased(Exception):
    pass


def erased(person, at):
    """The person's record once erased: their id stays (ideas and supports keep pointing to
    it), nothing says who they were; no role, no scope. A later sign-in with the same
    provider account opens a new, empty account (`successor`)."""
    if person.get("erased_at"):
        raise AlreadyErased()
    return {"_id": person["_id"], "rev": person.get("rev", 0), "name": ERASED_NAME,
            "email": "", "organization": "", "search": "", "unit": "", "roles": [],
            "scope": [], "joined_at": person.get("joined_at"), "erased_at": at,
            "told": {"name": ERASED_NAME, "email": ""}, "successor": None}


def erased_data(person_id, texts_kept, by, at):
    """The person.erased payload: that it happened, when, by whom; nothing of what."""
    return {"person_id": person_id, "at": at, "texts": "kept" if texts_kept else "removed",
            "by": by}


def months_before(moment, months):
    """The same day and time `months` calendar months earlier (the month's last day if it is
    shorter)."""
    years, month = divmod(moment.month - 1 - months, 12)
    year = moment.year + years
    return moment.replace(year=year, month=month + 1,
                          day=min(moment.day, calendar.monthrange(year, month + 1)[1]))
