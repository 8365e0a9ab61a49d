"""Erasure that survives replay (issue 15): a person who erases their account disappears from
every read model, page, digest and later mail, and stays gone after every projection is
replayed from offset 0; their ideas and supports stay, counts unchanged. In Kafka itself
their name and address were never written in clear (sealed with keys now destroyed)."""
import json
import os
import uuid
from datetime import datetime, timezone

import pymongo
import pytest
from kafka import KafkaConsumer

from services.digest.periods import period_of
from shared.erasure import ERASED_NAME
from tests.helpers import eventually, received

PROJECTIONS = ("ideas", "votes", "digest", "people")


def comment(http, idea_id, tok, body, parent_id=None):
    response = http("POST", f"/api/ideas/{idea_id}/comments", tok,
                    json={"body": body, **({"parent_id": parent_id} if parent_id else {})})
    assert response.status_code == 201, response.text
    return response.json()


def stored_anywhere(config, *secrets):
    """The (database.collection, secret) pairs where any stored document holds a secret."""
    client = pymongo.MongoClient(config.mongo_url, uuidRepresentation="standard")
    found = []
    for name in client.list_database_names():
        if not name.startswith(config.db_prefix):
            continue
        for collection in client[name].list_collection_names():
            for doc in client[name][collection].find({}):
                text = json.dumps(doc, default=str, ensure_ascii=False)
                found += [(f"{name}.{collection}", s) for s in secrets if s in text]
    return found


def in_kafka(config, topics, *secrets):
    """The secrets that any record of `topics` holds in clear, from offset 0."""
    consumer = KafkaConsumer(*[config.topic(t) for t in topics],
                             bootstrap_servers=config.kafka_bootstrap,
                             auto_offset_reset="earliest", enable_auto_commit=False,
                             consumer_timeout_ms=3000)
    try:
        return {s for record in consumer for s in secrets
                if s.encode("utf-8") in (record.value or b"")}
    finally:
        consumer.close()


@pytest.mark.outage
def test_an_erased_person_is_gone_from_every_read_model_page_digest_and_mail_after_replay(
        http, token, person, support, stack, config, browser):
    module, profile = stack
    marker = f"Zircon{uuid.uuid4().hex[:6]}"
    zoe, zoe_address, zoe_name = person("Zoéline")
    bob, bob_address, bob_name = person("Bertille")
    moderator = token(roles=("agent", "moderator"))

    theirs = http("POST", "/api/ideas", zoe, json={
        "title": f"Des ateliers {marker} pour les nouveaux agents",
        "body": f"Écrit par {zoe_name} : des ateliers {marker} le mardi.", "tags": ["accueil"]})
    assert theirs.status_code == 201, theirs.text
    theirs = theirs.json()
    bobs = http("POST", "/api/ideas", bob, json={
        "title": "Un covoiturage entre sites", "body": "Une liste partagée des trajets."})
    assert bobs.status_code == 201, bobs.text
    bobs = bobs.json()
    said = comment(http, bobs["id"], zoe, f"Oui ! Je propose la ligne {marker} du matin.")
    comment(http, bobs["id"], bob, f"Merci {zoe_name.split()[0]}.", parent_id=said["id"])
    support(bobs["id"], zoe)
    support(theirs["id"], bob)
    assert http("PUT", f"/api/ideas/{theirs['id']}/follow", bob).status_code == 200
    flagged = http("POST", f"/api/ideas/{bobs['id']}/flags", zoe,
                   json={"reason": "other", "note": f"Vu aussi {marker}"})
    assert flagged.status_code in (200, 201), flagged.text
    eventually(lambda: http("GET", f"/api/ideas/{theirs['id']}", bob).json()["vote_count"] == 1
               and http("GET", f"/api/ideas/{bobs['id']}", bob).json()["vote_count"] == 1,
               timeout=30, message="both supports counted")
    eventually(lambda: any(n.get("kind") == "comment" for n in http(
        "GET", "/api/notifications", bob).json()["items"]), timeout=30,
        message="Bob told of Zoé's comment")

    refused = http("POST", "/api/me/erase", zoe, json={})
    assert refused.status_code == 422 and "texts" in refused.json()["errors"]
    erased = http("POST", "/api/me/erase", zoe, json={"texts": "remove"})
    assert erased.status_code == 200, erased.text
    assert erased.json()["texts"] == "removed"
    secrets = (zoe_name, zoe_address, marker)

    def idea_shows_no_one():
        idea = http("GET", f"/api/ideas/{theirs['id']}", bob).json()
        return idea["author"]["name"] == ERASED_NAME and marker not in idea["title"]
    eventually(idea_shows_no_one, timeout=30, message="the idea anonymised")
    eventually(lambda: not stored_anywhere(config, *secrets), timeout=30,
               message="no read model holds the name, the address or the texts")

    # A later answer to the erased person's idea mails Bob, its follower, with no trace.
    mailed_before = {m["Message-ID"] for m in received(os.environ["HUB_MAILDIR"], bob_address)}
    answered = http("POST", f"/api/ideas/{theirs['id']}/status", moderator,
                    json={"status": "accepted", "note": "Retenue."})
    assert answered.status_code == 200, answered.text

    for projection in PROJECTIONS:
        module.replay(profile, projection)

    assert stored_anywhere(config, *secrets) == []
    idea = http("GET", f"/api/ideas/{theirs['id']}", bob).json()
    assert idea["author"] == {"id": idea["author"]["id"], "name": ERASED_NAME}
    assert idea["vote_count"] == 1 and idea["status"] == "accepted"
    eventually(lambda: http("GET", f"/api/ideas/{bobs['id']}", bob).json()["vote_count"] == 1,
               timeout=30, message="Zoé's support still counted")
    thread = http("GET", f"/api/ideas/{bobs['id']}/comments", bob).json()
    items = thread["items"] if isinstance(thread, dict) else thread
    assert [c["author"]["name"] for c in items] == [ERASED_NAME, bob_name]
    assert marker not in json.dumps(items, ensure_ascii=False)

    page = browser(token=bob).get(f"/ideas/{bobs['id']}")
    assert page.status_code == 200 and ERASED_NAME in page.text
    assert not any(s in page.text for s in secrets)
    centre = http("GET", "/api/notifications", bob).json()
    assert not any(s in json.dumps(centre, ensure_ascii=False) for s in secrets)
    manager = token(roles=("agent", "manager"))
    period = period_of(datetime.now(timezone.utc))
    digest = http("GET", "/api/digest/preview", manager, params={
        "period": period, "scope": "query", "units": ["Service urbanisme"]}).json()
    assert not any(s in digest["text"] + digest["html"] for s in secrets)
    def later_mails():
        return [m for m in received(os.environ["HUB_MAILDIR"], bob_address)
                if m["Message-ID"] not in mailed_before]
    eventually(later_mails, timeout=60, message="Bob mailed the answer")
    assert not any(s in m.as_string() for m in later_mails() for s in secrets)

    # Kafka's events never held the name, the address or the texts in clear.
    assert in_kafka(config, ("ideas", "votes", "people", "digests", "campaigns"),
                    *secrets) == set()


def test_an_agent_deletes_their_account_from_their_space_and_is_signed_out(
        http, person, browser, token):
    agent, _, name = person("Gaëlle")
    theirs = http("POST", "/api/ideas", agent, json={
        "title": "Des casiers pour les agents itinérants",
        "body": "Pour ranger ses affaires entre deux sites."}).json()
    pages = browser(token=agent)
    assert "/me/supprimer" in pages.get("/me").text

    unconfirmed = pages.post("/me/supprimer", {"texts": "keep"})
    assert unconfirmed.status_code == 422 and "définitive" in unconfirmed.text
    unchosen = pages.post("/me/supprimer", {"confirm": "yes"})
    assert unchosen.status_code == 422 and "deviennent" in unchosen.text
    assert http("GET", f"/api/ideas/{theirs['id']}", token()).json()["author"]["name"] == name

    done = pages.post("/me/supprimer", {"texts": "keep", "confirm": "yes"})
    assert done.status_code == 200 and "Votre compte est supprimé" in done.text
    assert "Se déconnecter" not in pages.get("/").text
    eventually(lambda: http("GET", f"/api/ideas/{theirs['id']}", token()).json()["author"]
               == {"id": theirs["author"]["id"], "name": ERASED_NAME}, timeout=30,
               message="the idea signed by no one")
    assert http("GET", f"/api/ideas/{theirs['id']}", token()).json()["title"] == \
        "Des casiers pour les agents itinérants"  # texts kept, as chosen
    # The audit says that it happened, when and by whom, and nothing of what was erased.
    admin = token(roles=("agent", "admin"))

    def audited():
        items = http("GET", f"/api/people/{theirs['author']['id']}/changes", admin).json()
        return [item for item in items["items"] if item.get("erased")]
    rows = eventually(audited, timeout=30, message="the erasure audited")
    assert rows[0]["erased"] == "kept" and rows[0]["by"]["id"] == theirs["author"]["id"]
    assert name not in json.dumps(rows, ensure_ascii=False)
