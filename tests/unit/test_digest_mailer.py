"""shared.mailer.Mailer, as the digest's runs use it: one SMTP connection for a whole run, a
new one after a failure."""
import smtplib

import pytest

from services.digest import jobs
from shared import mailer as smtp_mailer


class Server:
    """smtplib.SMTP as the mailer uses it; `failures` sends are refused first."""

    def __init__(self, failures=0):
        self.failures = failures
        self.connections, self.sent, self.quits = 0, [], 0

    def connect(self, host, port, timeout):
        self.connections += 1
        return self

    def send_message(self, message):
        if self.failures:
            self.failures -= 1
            raise smtplib.SMTPServerDisconnected("connection lost")
        self.sent.append(message)

    def quit(self):
        self.quits += 1


@pytest.fixture
def server(monkeypatch):
    server = Server()
    monkeypatch.setattr(smtp_mailer.smtplib, "SMTP", server.connect)
    monkeypatch.setattr(smtp_mailer.time, "sleep", lambda seconds: None)
    return server


def test_a_run_sends_every_message_on_one_connection_closed_at_the_end(server, config):
    with jobs.Mailer(config) as mailer:
        for n in range(3):
            mailer.send(f"message {n}")

    assert (server.connections, len(server.sent), server.quits) == (1, 3, 1)


def test_a_failed_send_is_tried_again_on_a_new_connection(server, config):
    server.failures = 1
    with jobs.Mailer(config) as mailer:
        mailer.send("message")

    assert (server.connections, server.sent) == (2, ["message"])


def test_a_server_failing_every_attempt_raises_the_last_error(server, config):
    server.failures = len(smtp_mailer.RETRY_DELAYS) + 1
    with pytest.raises(smtplib.SMTPServerDisconnected), jobs.Mailer(config) as mailer:
        mailer.send("message")

    assert server.sent == []
