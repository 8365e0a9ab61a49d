"""What the people database keeps of one person, for their data export (shared/my_data.py):
their record (name, address, organisation, unit, roles, scope, when they joined and were last
seen), their sign-ins as kept (the sessions still held: a sign-in's record goes when it
expires and its person signs in again), the changes of their roles, unit and scope, when
someone else downloaded all their data, and roles named for their address that wait for their
first sign-in.

Read from this service's collections only, by the person's id (and their address)."""
from shared import my_data
from shared.api import hub
from services.people import domain

# Internal fields of a person: the search key, the write fence, what the events last said.
INTERNAL = ("_id", "outbox", "search", "rev", "told")


def _record(doc):
    return {"id": doc["_id"], **{k: v for k, v in doc.items() if k not in INTERNAL},
            "roles": domain.roles_of(doc)}


def _change(doc):
    return {"event_id": doc["_id"], **{k: v for k, v in doc.items() if k != "_id"}}


def gather(person_id, db):
    person = db.people.find_one({"_id": person_id})
    email = (person or {}).get("email", "").lower()
    waiting = db.grants.find_one({"_id": email}) if email else None
    changes = list(db.audit.find({"person.id": person_id}))
    return {
        "person": _record(person) if person else None,
        "sign_ins": sorted(({"since": my_data.iso_seconds(doc.get("since")),
                             "until": my_data.iso_seconds(doc.get("until"))}
                            for doc in db.sessions.find({"person": person_id})),
                           key=lambda s: s["since"] or ""),
        "role_changes": sorted((_change(doc) for doc in changes if not doc.get("exported")),
                               key=lambda c: c.get("at") or ""),
        # When someone else (the data protection officer) downloaded all their data.
        "exported_by_others": sorted(doc["at"] for doc in changes if doc.get("exported")),
        "roles_awaiting_sign_in": (waiting or {}).get("roles", []),
    }


EXAMPLE = {
    "person": {"id": "f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "name": "Maëlle Bernard",
               "email": "maelle.bernard@demo.ideahub.local", "organization": "",
               "unit": "Service urbanisme", "roles": ["agent"], "scope": [],
               "joined_at": "2026-11-20T14:03:12.481Z", "seen_at": "2026-11-24T08:59:00.000Z"},
    "sign_ins": [{"since": "2026-11-24T08:59:00.000Z", "until": "2026-11-24T20:59:00.000Z"}],
    "role_changes": [], "exported_by_others": [], "roles_awaiting_sign_in": [],
}

blp = my_data.blueprint(
    "people", lambda person_id: gather(person_id, hub().db),
    "Mes données dans les personnes : ma fiche, mes connexions, les changements de mes rôles",
    EXAMPLE)
