"""Handing mails to SMTP: the digests, the notifications, the address confirmations (digest
service) and the retention warnings (people service) all go this way."""
import logging
import smtplib
import time

log = logging.getLogger(__name__)

RETRY_DELAYS = (1, 2, 4)


class Mailer:
    """SMTP, one connection for many messages: opened at the first message, kept while it
    works, closed by `close` (or a `with` block)."""

    def __init__(self, config, delays=RETRY_DELAYS):
        self.config = config
        self.delays = delays
        self._smtp = None

    def send(self, message):
        """Hand the message to SMTP, retrying with backoff on a new connection; raises the
        last error."""
        for attempt, delay in enumerate((0, *self.delays)):
            time.sleep(delay)
            try:
                if self._smtp is None:
                    self._smtp = smtplib.SMTP(self.config.smtp_host, self.config.smtp_port,
                                              timeout=10)
                self._smtp.send_message(message)
                return
            except (OSError, smtplib.SMTPException) as error:
                log.warning("SMTP attempt %d failed: %s", attempt + 1, error)
                self.close()
                last = error
        raise last

    def close(self):
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._smtp = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
