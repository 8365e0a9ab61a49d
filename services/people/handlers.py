"""What the people service does."""
from datetime import datetime, timezone

from shared.erasure import ERASED_NAME, anonymise
from shared.events import iso, make_event, now_iso
from services.people import domain

# Who grants the roles named in the configuration (HUB_ADMIN_EMAILS, `ideahub admin grant`).
CONFIGURATION = {"id": "ideahub", "name": "Configuration du hub"}


def sign_in(claims, store, publish, admin_emails):
    """Open a session for the person of `claims` (their provider's word, passed on by the
    pages): created at their first sign-in, given the roles named for their address. Returns
    (session id, person)."""
    # An erased account's provider account signs in to a new, empty one.
    claims = {**claims, "sub": store.account_of(claims["sub"])}
    person, events = store.join_or_return(claims, now_iso(), _joined_event)
    publish(events, "people", person["_id"])
    if not events:
        person = tell_who(person["_id"], store, publish)
    email = person["email"].lower()
    later = set(store.grants_for(email))
    named = later | ({"admin"} if email in admin_emails else set())
    if named - set(person["roles"]):
        person = change_person(person["_id"], store, publish, CONFIGURATION,
                               roles=set(person["roles"]) | named)
    if later:
        store.drop_grants(email)
    return store.open_session(person["_id"]), visible(person)


def get_session(session_id, store):
    person = store.session(session_id)
    if person is None:
        raise domain.PersonUnknown(session_id)
    return visible(person)


def change_person(person_id, store, publish, by, roles=None, unit=None, scope=None):
    """Set what the hub grants a person (None: unchanged), audited and told by an event.
    Returns the person after."""
    def decide(person):
        if by["id"] == person_id and roles is not None and "admin" in person.get("roles", []) \
                and "admin" not in roles:
            raise domain.LastAdmin()
        return domain.changed(person, roles, unit, scope)

    def event_for(before, after):
        return make_event("person.changed", person_id,
                          domain.change_data(before, after, by, now_iso()), domain.SOURCE)
    before, after, events = store.change(person_id, decide, event_for)
    publish(events, "people", person_id)
    return visible(after or before)


def tell_who(person_id, store, publish):
    """person.updated, when the person's name or address is no longer what the people events
    last said: `told` and the event are one conditional write, so of two sign-ins at once
    one tells, and a crash before the write leaves it to the next sign-in. Returns the
    person after."""
    def event_for(before, after):
        return make_event("person.updated", person_id, domain.updated_data(after, now_iso()),
                          domain.SOURCE)
    before, after, events = store.change(person_id, domain.retold, event_for)
    publish(events, "people", person_id)
    return after or before


def grant_by_email(email, roles, store, publish):
    """`ideahub admin grant`: to the person of that address, or at their first sign-in.
    Returns the person, or None when the grant waits for them."""
    email = email.strip().lower()
    person = store.by_email(email)
    if person is None:
        store.grant_later(email, sorted(roles))
        return None
    return change_person(person["_id"], store, publish, CONFIGURATION,
                         roles=set(person.get("roles", [])) | set(roles))


def erase(person_id, texts_kept, by, store, publish, keyring):
    """Erase a person's account, at their request (or an admin's acting on it): their keys
    first (shared/keyring.py: from then on no event of the log tells who they were, nor their
    texts if they go), then their record here with the person.erased event every service
    anonymises its data on, then their sessions. Safe to run again after a crash: each step
    repeats harmlessly, and the event goes once (it rides in the record's one write). A
    person the hub never knew is PersonUnknown, before any key is touched."""
    if store.person(person_id) is None:
        raise domain.PersonUnknown(person_id)
    keyring.erase(person_id, texts=texts_kept)
    at = now_iso()

    def event_for(before, after):
        return make_event("person.erased", person_id,
                          domain.erased_data(person_id, texts_kept, by, at), domain.SOURCE)
    try:
        _, _, events = store.change(person_id, lambda person: domain.erased(person, at),
                                    event_for)
    except domain.AlreadyErased:
        events = []
    publish(events, "people", person_id)
    store.end_sessions(person_id)
    return {"person_id": person_id, "erased_at": store.person(person_id)["erased_at"],
            "texts": "kept" if texts_kept else "removed"}


def on_person_erased(payload, envelope, store, keyring):
    """What this service keeps beside the record: the audit's rows naming them; and the
    erasure's own row in the audit (when, by whom, texts kept or not: nothing erased)."""
    person_id = payload["person_id"]
    keyring.forget(person_id)
    anonymise(store.db, person_id, payload["texts"] == "removed", skip=("people", "sessions"))
    store.record_change(envelope["id"], {
        "person": {"id": person_id, "name": ERASED_NAME}, "by": payload["by"],
        "at": payload["at"], "erased": payload["texts"]})


def record_export(person_id, by, store, publish):
    """Log that `by` downloaded all of `person_id`'s data, when it is not their own: the
    event rides in the person's record's outbox, and the audit's row comes from it, as every
    other row does (a replay rebuilds it)."""
    if by["id"] == person_id:
        return
    at = now_iso()
    _, _, events = store.change(
        person_id, lambda person: person,
        lambda before, after: make_event("person.data_exported", person_id, {
            "person_id": person_id, "at": at, "by": by}, domain.SOURCE))
    publish(events, "people", person_id)


def on_data_exported(payload, envelope, store, kept_months=None):
    """The audit's row of an export of someone's data: who, whose, when."""
    if _older_than_kept(payload["at"], kept_months):
        return
    store.record_change(envelope["id"], {
        "person": {"id": payload["person_id"]}, "by": payload["by"], "at": payload["at"],
        "exported": True})


def _older_than_kept(at, kept_months):
    return bool(kept_months) and at < iso(domain.months_before(datetime.now(timezone.utc),
                                                                kept_months))


def on_person_changed(payload, envelope, store, kept_months=None):
    """The audit's row of a change, unless older than the logs are kept (a replay does not
    bring back what retention purged)."""
    if _older_than_kept(payload["at"], kept_months):
        return
    store.record_change(envelope["id"], payload)


def on_call_changed(payload, envelope, store):
    """campaign.created / campaign.updated: who owns the call at its newest version (they
    appoint its evaluators, so the people search is open to them)."""
    store.save_call_owners(payload["campaign_id"], payload["version"],
                           [owner["id"] for owner in payload["campaign"]["owners"]])


def visible(person):
    """A person as the API shows them: every role they hold, agent included."""
    return {"organization": "", **{k: v for k, v in person.items() if k != "outbox"},
            "roles": domain.roles_of(person)}


def appointable(person):
    """A person as a moderator finds them to appoint: who, and in which unit; nothing of
    their address, roles or sign-ins."""
    return {"_id": person["_id"], "name": person["name"], "unit": person.get("unit", "")}


def _joined_event(person):
    return make_event("person.joined", person["_id"], {
        "person": {"id": person["_id"], "name": person["name"]}, "email": person["email"],
        "unit": person["unit"], "joined_at": person["joined_at"]}, domain.SOURCE)
