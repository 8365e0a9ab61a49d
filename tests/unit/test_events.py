"""shared.events: every catalogued event survives the wire; anything else is refused."""
import json

import pytest

from shared.events import CATALOGUE, InvalidEvent, decode, encode, make_event
from tests.unit.builders import AUTHOR, MODERATOR, make_idea, submitted, vote


def sample_payload(name):
    """A valid payload of event type `name`, every field given."""
    idea = make_idea()
    base = submitted(idea)
    del base["body"]
    extra = {
        "idea.submitted": {"body": idea["body"]},
        "idea.edited": {"body": "Un corps revu et corrigé.", "editor": AUTHOR},
        "idea.status_changed": {"status": "accepted", "previous_status": "submitted",
                                "note": "Retenue pour 2027.", "by": MODERATOR},
        "idea.merged": {"into": "other-idea", "by": MODERATOR,
                        "into_title": "Un accueil unique", "reason": "Même demande"},
        "idea.unmerged": {"previous_into": "other-idea", "status": "submitted",
                          "by": MODERATOR},
        "idea.flagged": {"reason": "hors sujet", "flag_count": 3},
        "idea.hidden": {"reason": "propos injurieux", "by": MODERATOR, "confirmed": True},
        "idea.reports_dismissed": {"note": "Critique légitime", "by": MODERATOR,
                                   "dismissed": 2},
        "idea.contested": {"text": "Le numéro cité est public.", "by": AUTHOR},
        "idea.restored": {"status": "submitted", "note": "Infondé", "by": MODERATOR},
        "idea.withdrawn": {"by": AUTHOR},
        "comment.added": {"comment_id": "c-2", "author": AUTHOR,
                          "created_at": "2026-11-25T08:00:00.000Z", "body": "Et à la mairie ?",
                          "parent_id": "c-1", "parent_author": MODERATOR},
        "comment.hidden": {"comment_id": "c-1", "reason": "spam", "by": MODERATOR},
        "comment.edited": {"comment_id": "c-2", "body": "Et à la médiathèque ?", "by": AUTHOR,
                           "at": "2026-11-25T09:00:00.000Z", "edits": 1},
        "comment.deleted": {"comment_id": "c-2", "by": AUTHOR, "at": "2026-11-25T10:00:00.000Z"},
        "comment.reports_dismissed": {"comment_id": "c-2", "note": "Courtois", "by": MODERATOR,
                                      "dismissed": 2},
        "idea.evaluated": {"evaluator": MODERATOR, "evaluations": 2,
                           "at": "2026-11-25T08:00:00.000Z"},
        "idea.progress_updated": {"milestone": "Carte partagée avec la voirie", "percent": 60,
                                  "update": "La voirie lit la carte depuis lundi.",
                                  "owner": {"kind": "unit", "name": "Service urbanisme"},
                                  "target_date": "2027-03-31", "by": MODERATOR,
                                  "at": "2026-11-25T08:00:00.000Z"},
    }
    if name in extra:
        return {**base, **extra[name]}
    if name.startswith("vote."):
        return vote(idea["_id"], "bob", seq=2, active=name == "vote.cast")
    if name == "digest.sent":
        return {"subscription_id": "manager-1", "period": "2026-W48",
                "message_id": "<digest.2026-W48.abc@ideahub.local>",
                "sent_at": "2026-11-30T07:00:00.000Z"}
    if name == "person.joined":
        return {"person": AUTHOR, "unit": "Service urbanisme", "email": "alice@ville-demo.fr",
                "joined_at": "2026-11-30T07:00:00.000Z"}
    if name == "person.updated":
        return {"person": AUTHOR, "email": "alice@ville-demo.fr",
                "at": "2026-11-30T07:00:00.000Z"}
    if name == "person.erased":
        return {"person_id": AUTHOR["id"], "at": "2026-11-30T07:00:00.000Z", "texts": "kept",
                "by": AUTHOR}
    if name == "person.data_exported":
        return {"person_id": AUTHOR["id"], "at": "2026-11-30T07:00:00.000Z", "by": MODERATOR}
    if name == "person.changed":
        return {"person": AUTHOR, "by": MODERATOR, "at": "2026-11-30T07:00:00.000Z",
                "roles": ["moderator"], "granted": ["moderator"], "revoked": [],
                "unit": "Service urbanisme", "previous_unit": "", "scope": [],
                "previous_scope": []}
    if name.startswith("campaign."):
        return {"campaign_id": "call-1", "version": 1, "by": MODERATOR,
                "at": "2026-11-30T07:00:00.000Z", "campaign": {
                    "title": "Crues et données", "units": [], "support_cap": 3,
                    "proposals_from": "2026-12-01T08:00:00.000Z",
                    "proposals_until": "2026-12-21T16:00:00.000Z",
                    "supports_from": "2026-12-01T08:00:00.000Z",
                    "supports_until": "2027-01-11T16:00:00.000Z",
                    "evaluation_until": "2027-01-25T16:00:00.000Z",
                    "owners": [AUTHOR], "evaluators": [MODERATOR]}}
    raise AssertionError(f"no sample payload for {name}: add one")


def event(name="idea.submitted", **envelope_overrides):
    made = make_event(name, "subject-1", sample_payload(name), "/tests")
    return {**made, **envelope_overrides}


@pytest.mark.parametrize("name, version", sorted(CATALOGUE))
def test_every_catalogued_event_round_trips_through_encode_and_decode(name, version):
    data = sample_payload(name)
    sent = make_event(name, "subject-1", data, "/tests", version=version)

    got_name, got_version, envelope, payload = decode(encode(sent))

    assert (got_name, got_version) == (name, version)
    assert envelope["type"] == f"{name}.v{version}"
    assert envelope["id"] == sent["id"]
    assert payload == data


def test_make_event_refuses_a_payload_its_schema_rejects():
    with pytest.raises(ValueError, match="invalid"):
        make_event("vote.cast", "i-1", {"idea_id": "i-1", "seq": 1}, "/tests")


def test_encoding_keeps_non_ascii_text_readable():
    sent = event("idea.submitted")
    sent["data"]["idea"]["title"] = "Vélo « partagé »"

    assert "Vélo « partagé »".encode() in encode(sent)


@pytest.mark.parametrize("raw", [b"not json", b"", b"[1, 2]", b"\xc3\x28"])
def test_decode_refuses_bytes_that_are_not_a_json_object(raw):
    with pytest.raises(InvalidEvent):
        decode(raw)


def test_decode_refuses_an_envelope_without_specversion():
    sent = event()
    del sent["specversion"]

    with pytest.raises(InvalidEvent):
        decode(encode(sent))


@pytest.mark.parametrize("event_type", ["idea.exploded.v1", "idea.submitted.v9"])
def test_decode_refuses_a_type_not_in_the_catalogue(event_type):
    with pytest.raises(InvalidEvent, match="unknown"):
        decode(encode(event(type=event_type)))


@pytest.mark.parametrize("event_type", ["idea.submitted", "idea.submitted.vx", "v1"])
def test_decode_refuses_a_type_without_a_version(event_type):
    with pytest.raises(InvalidEvent, match="version"):
        decode(encode(event(type=event_type)))


def test_decode_refuses_a_payload_its_schema_rejects():
    sent = event("vote.cast")
    sent["data"]["seq"] = 0

    with pytest.raises(InvalidEvent, match="payload"):
        decode(encode(sent))


def test_readers_ignore_fields_they_do_not_know():
    sent = event("idea.submitted", traceparent="00-abc-def-01")
    sent["data"]["priority"] = "high"
    sent["data"]["idea"]["mood"] = "confident"

    _, _, envelope, payload = decode(encode(sent))

    assert "traceparent" not in envelope
    assert "priority" not in payload
    assert "mood" not in payload["idea"]
    assert payload["idea"]["title"] == sent["data"]["idea"]["title"]


def test_decode_reads_json_written_by_another_producer():
    sent = event("vote.retracted")
    raw = json.dumps(sent, indent=2, ensure_ascii=True).encode("ascii")

    assert decode(raw)[3] == sent["data"]


def test_a_comment_added_written_before_replies_reads_as_a_top_level_comment():
    """The ideas topic keeps its whole history: a read model rebuilt from offset 0 reads
    comment.added events that carry neither text nor parent."""
    sent = event("comment.added")
    for added in ("body", "parent_id", "parent_author"):
        del sent["data"][added]

    payload = decode(encode(sent))[3]

    assert (payload["body"], payload["parent_id"], payload["parent_author"]) == ("", None, None)
