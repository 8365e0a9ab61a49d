"""services.digest.confirmations: the message that confirms a manager's address goes out once,
in the manager's language, with a link that confirms; an SMTP outage only delays it."""
from urllib.parse import parse_qs, urlsplit

import pytest

from services.digest import confirmations, links
from services.digest.store import DigestStore
from tests.unit.builders import make_subscription

NOW = 1_790_000_000.0
OTHER = "secretariat@ville.test"


@pytest.fixture
def store(db):
    return DigestStore(db)


def ask(store, language="fr", name="Claire Cheffe", at=NOW):
    """The subscription saved with an address to confirm, as PUT /subscription saves it."""
    current = store.subscription("manager-1")
    store.save_subscription(make_subscription(
        email=OTHER, language=language, name=name,
        **confirmations.address_fields(current, OTHER, "cheffe@ville.test", at)))


def send(store, mailer, config, now=NOW):
    return confirmations.send_pending(now, store, mailer, config)


def text(message):
    return message.get_body(("plain",)).get_content()


def test_the_message_asks_in_french_to_confirm_with_a_signed_link(store, mailer, config):
    ask(store)

    assert send(store, mailer, config) == 1

    [message] = mailer.sent
    assert message["To"] == OTHER and message["From"] == config.mail_from
    assert message["Subject"] == "Ideahub — Confirmez votre adresse pour recevoir la synthèse"
    body = text(message)
    assert "Claire Cheffe a demandé" in body and OTHER in body
    url = next(line for line in body.splitlines() if "/digest/confirm-address?" in line)
    assert url.startswith(f"{config.public_url}/digest/confirm-address?token=")
    token = parse_qs(urlsplit(url).query)["token"][0]
    assert links.read_confirmation_token(config, token) == ("manager-1", OTHER)


def test_a_manager_reading_english_gets_it_in_english_linking_to_the_english_page(
        store, mailer, config):
    ask(store, language="en")
    send(store, mailer, config)

    assert mailer.sent[0]["Subject"].startswith("Ideahub — Confirm your address")
    assert "&lang=en" in text(mailer.sent[0])


def test_each_message_goes_out_once_however_often_the_scheduler_runs(store, mailer, config):
    ask(store)

    assert [send(store, mailer, config, NOW + n) for n in range(3)] == [1, 0, 0]
    assert len(mailer.sent) == 1


def test_a_message_another_scheduler_sent_meanwhile_is_not_sent_twice(store, mailer, config,
                                                                     monkeypatch):
    ask(store)
    read_before = store.confirmations_due(NOW)  # this scheduler reads the messages due...
    assert send(store, mailer, config) == 1  # ...while another one sends it

    monkeypatch.setattr(store, "confirmations_due", lambda now: read_before)
    assert send(store, mailer, config) == 0
    assert len(mailer.sent) == 1


def test_a_message_whose_sender_died_is_sent_once_its_lease_is_over(store, mailer, config):
    ask(store)
    [seen] = store.confirmations_due(NOW)
    store.change_confirmation("manager-1", seen["confirmation"], due=NOW + confirmations.LEASE)

    assert send(store, mailer, config, NOW + confirmations.LEASE - 1) == 0
    assert send(store, mailer, config, NOW + confirmations.LEASE) == 1


def test_an_smtp_outage_delays_the_message_then_the_hub_gives_up(store, mailer, config):
    ask(store)
    mailer.down = True
    tries = []
    for minute in range(0, 3 * 60):
        if store.confirmations_due(NOW + 60 * minute):
            send(store, mailer, config, NOW + 60 * minute)
            tries.append(minute)

    assert tries == [0, 1, 6, 36]  # after 1 min, 5 min, 30 min; then saving again asks anew
    mailer.down = False
    ask(store, at=NOW + 3 * 3600)
    assert send(store, mailer, config, NOW + 3 * 3600) == 1


def test_a_confirmed_address_has_nothing_left_to_send(store, mailer, config):
    ask(store)
    assert store.confirm_address("manager-1", OTHER)

    assert send(store, mailer, config) == 0
