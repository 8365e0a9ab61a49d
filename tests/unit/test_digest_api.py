"""The digest API's subscription: an address other than the manager's own is confirmed by a
signed link before any digest goes to it; the links of the mails have a secret of their own."""
import pytest

from services.digest import confirmations, links

OWN = "aurelie@ville.test"
OTHER = "secretariat@ville.test"


@pytest.fixture
def client(make_app):
    return make_app("digest").test_client()


@pytest.fixture
def manager(auth):
    return auth("aurelie", roles=("manager",), email=OWN)


@pytest.fixture
def subscribe(client, manager):
    """subscribe(email=None) -> the PUT answer's body (200 asserted)."""
    def put(email=None):
        answer = client.put("/api/digest/subscription", headers=manager,
                            json={"email": email} if email else {})
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()
    return put


def confirm(client, config, address, subscription_id="aurelie"):
    token = links.confirmation_token(config, subscription_id, address)
    return client.post(f"/api/digest/confirm-address?token={token}")


def verified(client, manager):
    return client.get("/api/digest/subscription", headers=manager).get_json()["email_verified"]


def test_the_managers_own_address_needs_no_confirmation(subscribe, client, manager, db):
    assert subscribe()["email_verified"] is True
    assert subscribe(OWN.upper())["email_verified"] is True
    assert verified(client, manager) is True
    assert db.subscriptions.find_one({"_id": "aurelie"})["confirmation"] is None


def test_another_address_waits_for_its_confirmation_message(subscribe, client, manager, db):
    assert subscribe(OTHER)["email_verified"] is False

    assert verified(client, manager) is False
    assert db.subscriptions.find_one({"_id": "aurelie"})["confirmation"]["due"] is not None


def test_the_link_of_the_confirmation_message_confirms_the_address(subscribe, client, manager,
                                                                   config):
    subscribe(OTHER)

    assert confirm(client, config, OTHER).status_code == 204
    assert verified(client, manager) is True
    assert subscribe(OTHER)["email_verified"] is True  # saved again: still confirmed


def test_changing_to_another_unconfirmed_address_suspends_the_digests(subscribe, client, manager,
                                                                      config):
    subscribe(OTHER)
    confirm(client, config, OTHER)

    assert subscribe("direction@ville.test")["email_verified"] is False
    assert verified(client, manager) is False


def test_a_link_for_an_address_since_changed_confirms_nothing(subscribe, client, manager,
                                                              config):
    subscribe(OTHER)
    subscribe("direction@ville.test")

    answer = confirm(client, config, OTHER)

    assert answer.status_code == 404
    assert set(answer.get_json()) >= {"code", "status", "message"}
    assert verified(client, manager) is False


@pytest.mark.parametrize("token", ["", "forged", "WyJhdXJlbGllIl0.aT2kXw.abc"])
def test_a_forged_confirmation_link_is_refused_in_the_error_shape(client, token):
    answer = client.post(f"/api/digest/confirm-address?token={token}")

    assert answer.status_code in (404, 422)
    assert answer.get_json()["code"] == answer.status_code


def test_saving_the_same_unconfirmed_address_again_asks_again_only_after_a_while(
        subscribe, db, monkeypatch):
    start = 1_790_000_000
    monkeypatch.setattr("services.digest.handlers.time.time", lambda: start)
    subscribe(OTHER)

    monkeypatch.setattr("services.digest.handlers.time.time", lambda: start + 60)
    subscribe(OTHER)
    assert db.subscriptions.find_one({"_id": "aurelie"})["confirmation"]["asked_at"] == start

    later = start + confirmations.ASK_AGAIN_AFTER + 1
    monkeypatch.setattr("services.digest.handlers.time.time", lambda: later)
    subscribe(OTHER)
    assert db.subscriptions.find_one({"_id": "aurelie"})["confirmation"]["asked_at"] == later


def test_a_mail_clients_one_click_unsubscribes(subscribe, client, manager, config, db):
    subscribe()
    token = links.unsubscribe_token(config, db.subscriptions.find_one({"_id": "aurelie"}))

    answer = client.post(f"/api/digest/unsubscribe?token={token}",
                         data="List-Unsubscribe=One-Click",
                         content_type="application/x-www-form-urlencoded")

    assert answer.status_code == 204
    assert client.get("/api/digest/subscription", headers=manager).status_code == 404


@pytest.mark.parametrize("token, quoted", [("abc.DEF-_1", "abc.DEF-_1"),
                                           ("a\r\nSet-Cookie: x", "a%0D%0ASet-Cookie%3A%20x")])
def test_the_unsubscribe_address_opened_in_a_browser_leads_to_the_page(client, config, token,
                                                                       quoted):
    answer = client.get("/api/digest/unsubscribe", query_string={"token": token})

    assert answer.status_code == 303
    assert answer.headers["Location"] == f"{config.public_url}/digest/unsubscribe?token={quoted}"


def test_an_old_digests_link_does_not_end_a_subscription_made_again_since(
        subscribe, client, manager, config, db):
    subscribe()
    old_link = links.unsubscribe_token(config, db.subscriptions.find_one({"_id": "aurelie"}))
    assert client.post(f"/api/digest/unsubscribe?token={old_link}").status_code == 204
    subscribe()  # the manager subscribes again

    answer = client.post(f"/api/digest/unsubscribe?token={old_link}")

    assert answer.status_code == 204  # the link was genuine; it just ends nothing now
    assert client.get("/api/digest/subscription", headers=manager).status_code == 200


def test_a_scope_in_the_query_previews_a_digest_before_any_subscription(client, manager, db):
    from tests.unit.builders import WEEK, digest_view, make_idea
    db.ideas.insert_many([
        digest_view(make_idea(title="Pistes cyclables", unit="Urbanisme", tags=["vélo"])),
        digest_view(make_idea(title="Cantine bio", unit="RH", tags=["cantine"]))])

    saved = client.get(f"/api/digest/preview?period={WEEK}", headers=manager)
    chosen = client.get(f"/api/digest/preview?period={WEEK}&scope=query&units=RH",
                        headers=manager)
    everything = client.get(f"/api/digest/preview?period={WEEK}&scope=query&language=en",
                            headers=manager)

    assert saved.status_code == 404  # no subscription: nothing saved to preview
    assert chosen.status_code == 200 and chosen.get_json()["would_send"]
    assert "Cantine bio" in chosen.get_json()["text"]
    assert "Pistes cyclables" not in chosen.get_json()["text"]
    assert "Pistes cyclables" in everything.get_json()["text"]
    assert "semaine" in chosen.get_json()["subject"]
    assert "semaine" not in everything.get_json()["subject"]  # language=en
