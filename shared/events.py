"""The events the services exchange: CloudEvents 1.0 envelopes (structured JSON) around
payloads described by the marshmallow schemas below, looked up by type and version.

Readers are tolerant (unknown fields are ignored); a breaking change is a new version
(`idea.submitted.v2`) registered beside the old one for a release.
"""
import json
import uuid
from datetime import datetime, timezone

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

SPEC_VERSION = "1.0"

# Topic names without the configured prefix; every event of one idea shares a key (its id),
# so one idea's events stay ordered in one partition (a person's: their id; a call's: its id).
TOPICS = ("ideas", "votes", "digests", "people", "campaigns")
# Compacted topics that hold a state, the latest record per key: the ideas as lists show them.
STATE_TOPICS = ("idea-rows",)

STATUSES = ("submitted", "under_review", "accepted", "in_progress", "implemented",
            "rejected", "duplicate", "hidden", "withdrawn")
OPEN_FOR_VOTES = ("submitted", "under_review", "accepted", "in_progress")


class InvalidEvent(Exception):
    """A message that is not an event we can read: it belongs in the dead-letter topic."""


class Payload(Schema):
    class Meta:
        unknown = EXCLUDE


# Personal fields are sealed with their person's keys on their way to Kafka (shared/sealing.py):
# `what` they are, and the path to the id of the person they belong to.
def personal(what, of):
    return {"personal": what, "of": of}


class Person(Payload):
    id = fields.String(required=True)
    name = fields.String(load_default="", metadata=personal("name", "id"))


class IdeaSnapshot(Payload):
    """What an idea is after the change: every idea event carries it, so a reader that keeps
    the newest version never depends on the order events arrive in."""

    title = fields.String(required=True, metadata=personal("title", "author.id"))
    tags = fields.List(fields.String(), load_default=list)
    unit = fields.String(load_default="")
    status = fields.String(required=True)
    author = fields.Nested(Person, required=True)
    created_at = fields.String(required=True)
    # Reports awaiting a moderator's review.
    pending_flags = fields.Integer(load_default=0)
    # The call for ideas it was proposed into (campaign.*), or None.
    campaign_id = fields.String(load_default=None, allow_none=True)


class IdeaPayload(Payload):
    idea_id = fields.String(required=True)
    # The idea's version after this change: readers apply an event only if it is newer.
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    idea = fields.Nested(IdeaSnapshot, required=True)


class IdeaSubmitted(IdeaPayload):
    body = fields.String(required=True, metadata=personal("text", "idea.author.id"))


class IdeaEdited(IdeaPayload):
    body = fields.String(required=True, metadata=personal("text", "idea.author.id"))
    editor = fields.Nested(Person, required=True)


class IdeaStatusChanged(IdeaPayload):
    status = fields.String(required=True)
    previous_status = fields.String(required=True)
    note = fields.String(load_default="")
    by = fields.Nested(Person, required=True)


class IdeaMerged(IdeaPayload):
    into = fields.String(required=True)
    by = fields.Nested(Person, required=True)
    # The target as it was named when merged, so the moderation log says into what.
    into_title = fields.String(load_default="")
    reason = fields.String(load_default="")


class IdeaUnmerged(IdeaPayload):
    previous_into = fields.String(required=True)
    status = fields.String(required=True)
    by = fields.Nested(Person, required=True)


class IdeaFlagged(IdeaPayload):
    reason = fields.String(required=True)
    flag_count = fields.Integer(required=True)


class IdeaHidden(IdeaPayload):
    reason = fields.String(load_default="")
    # None: the report threshold hid it, no one did.
    by = fields.Nested(Person, load_default=None, allow_none=True)
    # A moderator confirmed a hiding (by the reports, or contested) after review.
    confirmed = fields.Boolean(load_default=False)


class IdeaRestored(IdeaPayload):
    status = fields.String(required=True)
    note = fields.String(load_default="")
    by = fields.Nested(Person, required=True)


class IdeaReportsDismissed(IdeaPayload):
    """The reports of a visible idea were reviewed and found unfounded."""
    note = fields.String(load_default="")
    by = fields.Nested(Person, required=True)
    dismissed = fields.Integer(load_default=0)


class IdeaContested(IdeaPayload):
    """The author of a hidden idea asks the moderators for another look."""
    text = fields.String(required=True, metadata=personal("text", "by.id"))
    by = fields.Nested(Person, required=True)


class IdeaWithdrawn(IdeaPayload):
    by = fields.Nested(Person, required=True)


class CommentAdded(IdeaPayload):
    comment_id = fields.String(required=True)
    author = fields.Nested(Person, required=True)
    created_at = fields.String(required=True)
    # What a notifier tells without another lookup: the text, and for a reply the comment it
    # answers and that comment's author. Absent from events written before they were added.
    body = fields.String(load_default="", metadata=personal("text", "author.id"))
    parent_id = fields.String(load_default=None, allow_none=True)
    parent_author = fields.Nested(Person, load_default=None, allow_none=True)


class CommentHidden(IdeaPayload):
    comment_id = fields.String(required=True)
    reason = fields.String(load_default="")
    by = fields.Nested(Person, required=True)


class CommentEdited(IdeaPayload):
    """Its author changed a comment's text; `edits` counts the edits, so a reader keeps the
    newest text whatever order redeliveries come in."""
    comment_id = fields.String(required=True)
    body = fields.String(required=True, metadata=personal("text", "by.id"))
    by = fields.Nested(Person, required=True)
    at = fields.String(required=True)
    edits = fields.Integer(required=True, validate=validate.Range(min=1))


class CommentDeleted(IdeaPayload):
    """Its author deleted a comment: its text is gone; its replies stay."""
    comment_id = fields.String(required=True)
    by = fields.Nested(Person, required=True)
    at = fields.String(required=True)


class CommentReportsDismissed(IdeaPayload):
    """A moderator found a comment's reports unfounded: it stays visible."""
    comment_id = fields.String(required=True)
    note = fields.String(load_default="")
    by = fields.Nested(Person, required=True)
    dismissed = fields.Integer(load_default=0)


class IdeaEvaluated(IdeaPayload):
    """An evaluator of the idea's call scored it (or changed their scores). Scores and notes
    stay in the ideas service: only that it happened, and how far the idea's evaluation is."""

    evaluator = fields.Nested(Person, required=True)
    # How many of the call's evaluators have scored the idea, after this one.
    evaluations = fields.Integer(required=True, validate=validate.Range(min=1))
    at = fields.String(required=True)


class Owner(Payload):
    """Who carries out an accepted idea: a unit, or a person (with their id)."""

    kind = fields.String(required=True, validate=validate.OneOf(("unit", "person")))
    # A unit's name is no one's: it has no id, so it is not sealed.
    name = fields.String(required=True, metadata=personal("name", "id"))
    id = fields.String(allow_none=True)  # a person's


class IdeaProgressUpdated(IdeaPayload):
    """A public update of an accepted idea's implementation: a milestone reached, the progress
    made (0–100 %), in a few words, by its owner or a moderator."""

    milestone = fields.String(required=True)
    percent = fields.Integer(required=True, validate=validate.Range(min=0, max=100))
    update = fields.String(load_default="")
    owner = fields.Nested(Owner, load_default=None, allow_none=True)
    target_date = fields.String(load_default=None, allow_none=True)
    by = fields.Nested(Person, required=True)
    at = fields.String(required=True)


class VoteChanged(Payload):
    idea_id = fields.String(required=True)
    voter_id = fields.String(required=True)
    # How many times this person's support of this idea changed, this change included:
    # readers keep the newest state per person, so duplicates and reordering are harmless.
    seq = fields.Integer(required=True, validate=validate.Range(min=1))
    active = fields.Boolean(required=True)


class DigestSent(Payload):
    subscription_id = fields.String(required=True)
    period = fields.String(required=True)
    message_id = fields.String(required=True)
    sent_at = fields.String(required=True)


class PersonJoined(Payload):
    person = fields.Nested(Person, required=True)
    unit = fields.String(load_default="")
    joined_at = fields.String(required=True)
    # Where the hub writes to them (notifications); "" in events older than the field.
    email = fields.String(load_default="", metadata=personal("email", "person.id"))


class PersonUpdated(Payload):
    """Who a person is as their provider said at a sign-in, told when their name or address
    differs from what the last person.joined or person.updated said."""

    person = fields.Nested(Person, required=True)
    email = fields.String(load_default="", metadata=personal("email", "person.id"))
    at = fields.String(required=True)


class PersonChanged(Payload):
    """What the hub grants a person, after the change, and what the change was: the audit
    (who, whom, what, when) is made of these."""

    person = fields.Nested(Person, required=True)
    by = fields.Nested(Person, required=True)
    at = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    granted = fields.List(fields.String(), load_default=list)
    revoked = fields.List(fields.String(), load_default=list)
    unit = fields.String(load_default="")
    previous_unit = fields.String(load_default="")
    scope = fields.List(fields.String(), load_default=list)
    previous_scope = fields.List(fields.String(), load_default=list)


class PersonErased(Payload):
    """A person's account was erased: their keys are destroyed (shared/keyring.py), and each
    service now anonymises what it keeps of them. It says nothing of what was erased: the
    audit keeps that it happened, when, by whom, and whether their texts were kept."""

    person_id = fields.String(required=True)
    at = fields.String(required=True)
    texts = fields.String(required=True, validate=validate.OneOf(("kept", "removed")))
    # The person themself, or the administrator acting on their request.
    by = fields.Nested(Person, required=True)


class PersonDataExported(Payload):
    """Someone other than the person downloaded all their data (an administrator, for the
    data protection officer, `ideahub gdpr export` included): the audit says who and when.
    A person's own download is theirs and is not logged."""

    person_id = fields.String(required=True)
    at = fields.String(required=True)
    by = fields.Nested(Person, required=True)


class CampaignSnapshot(Payload):
    """What a call for ideas is after the change: its dates (shared.phases), scope, cap and
    the people it appointed, so each reader keeps the newest version whatever the order."""

    title = fields.String(required=True)
    units = fields.List(fields.String(), load_default=list)
    proposals_from = fields.String(required=True)
    proposals_until = fields.String(required=True)
    supports_from = fields.String(required=True)
    supports_until = fields.String(required=True)
    evaluation_until = fields.String(required=True)
    # Supports one person may give within the call; 0: no cap.
    support_cap = fields.Integer(load_default=0)
    owners = fields.List(fields.Nested(Person), load_default=list)
    evaluators = fields.List(fields.Nested(Person), load_default=list)


class CampaignChanged(Payload):
    """campaign.created and campaign.updated: the call as it is now, and who changed it."""

    campaign_id = fields.String(required=True)
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    campaign = fields.Nested(CampaignSnapshot, required=True)
    by = fields.Nested(Person, required=True)
    at = fields.String(required=True)


# (type, version) -> (topic, payload schema)
CATALOGUE = {
    ("idea.submitted", 1): ("ideas", IdeaSubmitted),
    ("idea.edited", 1): ("ideas", IdeaEdited),
    ("idea.status_changed", 1): ("ideas", IdeaStatusChanged),
    ("idea.merged", 1): ("ideas", IdeaMerged),
    ("idea.unmerged", 1): ("ideas", IdeaUnmerged),
    ("idea.flagged", 1): ("ideas", IdeaFlagged),
    ("idea.hidden", 1): ("ideas", IdeaHidden),
    ("idea.restored", 1): ("ideas", IdeaRestored),
    ("idea.withdrawn", 1): ("ideas", IdeaWithdrawn),
    ("idea.reports_dismissed", 1): ("ideas", IdeaReportsDismissed),
    ("idea.contested", 1): ("ideas", IdeaContested),
    ("comment.added", 1): ("ideas", CommentAdded),
    ("comment.hidden", 1): ("ideas", CommentHidden),
    ("comment.edited", 1): ("ideas", CommentEdited),
    ("comment.deleted", 1): ("ideas", CommentDeleted),
    ("comment.reports_dismissed", 1): ("ideas", CommentReportsDismissed),
    ("idea.evaluated", 1): ("ideas", IdeaEvaluated),
    ("idea.progress_updated", 1): ("ideas", IdeaProgressUpdated),
    ("vote.cast", 1): ("votes", VoteChanged),
    ("vote.retracted", 1): ("votes", VoteChanged),
    ("digest.sent", 1): ("digests", DigestSent),
    ("person.joined", 1): ("people", PersonJoined),
    ("person.changed", 1): ("people", PersonChanged),
    ("person.updated", 1): ("people", PersonUpdated),
    ("person.erased", 1): ("people", PersonErased),
    ("person.data_exported", 1): ("people", PersonDataExported),
    ("campaign.created", 1): ("campaigns", CampaignChanged),
    ("campaign.updated", 1): ("campaigns", CampaignChanged),
}


def iso(moment):
    """UTC, milliseconds, 'Z': one format everywhere, so stored times compare as strings."""
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def now_iso():
    return iso(datetime.now(timezone.utc))


def split_type(full_type):
    """'idea.submitted.v1' -> ('idea.submitted', 1)."""
    name, _, version = full_type.rpartition(".v")
    if not name or not version.isdigit():
        raise InvalidEvent(f"event type without a version: {full_type!r}")
    return name, int(version)


def topic_of(event):
    return CATALOGUE[split_type(event["type"])][0]


def make_event(event_type, subject, data, source, version=1):
    """A CloudEvent for `data`, validated against its schema, ready for the outbox."""
    try:
        _, schema = CATALOGUE[(event_type, version)]
    except KeyError:
        raise ValueError(f"no schema for {event_type} v{version}") from None
    errors = schema().validate(data)
    if errors:
        raise ValueError(f"{event_type} v{version} payload is invalid: {errors}")
    return {
        "specversion": SPEC_VERSION,
        "id": str(uuid.uuid4()),
        "source": source,
        "type": f"{event_type}.v{version}",
        "time": now_iso(),
        "subject": subject,
        "datacontenttype": "application/json",
        "data": data,
    }


def encode(event):
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Envelope(Schema):
    class Meta:
        unknown = EXCLUDE

    specversion = fields.String(required=True, validate=validate.Equal(SPEC_VERSION))
    id = fields.String(required=True, validate=validate.Length(min=1))
    source = fields.String(required=True)
    type = fields.String(required=True)
    time = fields.String(required=True)
    subject = fields.String(load_default="")
    data = fields.Dict(required=True)


def decode(raw):
    """Bytes from Kafka -> (name, version, envelope, payload); InvalidEvent when unreadable."""
    try:
        envelope = Envelope().load(json.loads(raw))
    except (ValueError, TypeError, ValidationError) as error:
        raise InvalidEvent(f"not a CloudEvent: {error}") from None
    name, version = split_type(envelope["type"])
    if (name, version) not in CATALOGUE:
        raise InvalidEvent(f"unknown event type {envelope['type']}")
    try:
        payload = CATALOGUE[(name, version)][1]().load(envelope["data"])
    except ValidationError as error:
        raise InvalidEvent(f"{envelope['type']} payload is invalid: {error.messages}") from None
    return name, version, envelope, payload
