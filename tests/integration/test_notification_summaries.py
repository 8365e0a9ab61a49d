"""Daily and weekly summaries over real SMTP and the real store: a Paris day's items, no
more, once, whatever the runs."""
import os
import threading
from datetime import datetime, timedelta, timezone

import pytest

from shared.events import iso
from services.digest import jobs, notification_mail
from services.digest.notification_store import NotificationStore
from services.digest.store import ensure_indexes
from tests.helpers import received


def notice(n, at, kind="comment", person="agnes", mail="daily", **extra):
    return {"_id": f"n{n}:{person}", "person_id": person, "kind": kind, "at": at,
            "idea_id": f"i{n}", "idea_title": f"Idée n° {n}", "actor": {"id": "joel",
                                                                     "name": "Joël Martin"},
            "comment_id": f"c{n}", "excerpt": f"Commentaire n° {n}", "read": False,
            "idea_hidden": False, "comment_hidden": False, "mail": mail, **extra}


@pytest.fixture
def notes(hub_for):
    return NotificationStore(hub_for("digest", ensure_indexes).db)


def test_a_daily_summary_holds_exactly_the_paris_days_items_once(notes, isolated):
    address = f"agnes-{isolated.topic_prefix}@test.ideahub.local"
    notes.know_person("agnes", "Agnès Müller", address)
    notes.add([
        notice(1, "2026-11-30T22:59:00.000Z"),  # 23:59 on the 30th in Paris
        notice(2, "2026-11-30T23:01:00.000Z"),  # 00:01 on 1 December in Paris
        notice(3, "2026-12-01T22:30:00.000Z"),  # 23:30 on the 1st
        notice(4, "2026-12-01T23:30:00.000Z"),  # 00:30 on the 2nd
        notice(5, "2026-12-01T10:00:00.000Z", comment_hidden=True),  # hidden since
        notice(6, "2026-12-01T11:00:00.000Z", mail="weekly"),  # another summary's
        notice(7, "2026-12-01T12:00:00.000Z", kind="status", mail="daily"),
    ])
    notes.save_preferences("agnes", {"mail": {"status": "never"}})  # turned off since
    morning = datetime(2026, 12, 2, 6, 30, tzinfo=timezone.utc)  # 07:30 in Paris

    with jobs.Mailer(isolated) as mailer:
        sent = [notification_mail.send_summaries(morning, notes, mailer, isolated)
                for _ in range(2)]

    assert sent == [1, 0]
    mails = received(os.environ["HUB_MAILDIR"], address)
    assert len(mails) == 1
    text = mails[0].get_body(("plain",)).get_content()
    assert mails[0]["Subject"] == "Ideahub — 2 notifications, 1er décembre 2026"
    assert "Idée n° 2" in text and "Idée n° 3" in text
    for absent in (1, 4, 5, 6, 7):
        assert f"Idée n° {absent}" not in text
    assert "le 1er décembre 2026 à 0 h 01" in text


def test_a_summary_waits_for_the_morning_after_its_day(notes, isolated):
    notes.know_person("paul", "Paul", f"paul-{isolated.topic_prefix}@test.ideahub.local")
    notes.add([notice(1, "2026-12-01T10:00:00.000Z", person="paul")])
    with jobs.Mailer(isolated) as mailer:
        night = datetime(2026, 12, 2, 5, 0, tzinfo=timezone.utc)  # 06:00 in Paris
        assert notification_mail.send_summaries(night, notes, mailer, isolated) == 0
        later = datetime(2026, 12, 2, 6, 0, tzinfo=timezone.utc)
        assert notification_mail.send_summaries(later, notes, mailer, isolated) == 1


def test_two_senders_at_once_mail_each_due_notification_once(notes, isolated):
    address = f"lea-{isolated.topic_prefix}@test.ideahub.local"
    notes.know_person("lea", "Léa", address)
    notes.add([notice(n, "2026-12-01T10:00:00.000Z", person="lea", mail="due")
               for n in range(30)])
    counts = []

    def sender(name):
        with jobs.Mailer(isolated) as mailer:
            counts.append(notification_mail.send_due(notes, mailer, isolated, claimer=name))
    threads = [threading.Thread(target=sender, args=(f"sender-{k}",)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert sum(counts) == 30
    mails = received(os.environ["HUB_MAILDIR"], address)
    assert len(mails) == 30 and len({m["Message-ID"] for m in mails}) == 30


def test_a_notification_made_before_its_persons_address_is_mailed_when_the_address_comes(
        notes, isolated):
    # person.joined (the people topic) may be read after the idea's event that made the
    # notification: the mail waits for the address, a day at most.
    now = datetime.now(timezone.utc)
    notes.add([notice(1, iso(now - timedelta(minutes=1)), kind="status", person="nora",
                      mail="due"),
               notice(2, iso(now - timedelta(days=2)), kind="status", person="nora",
                      mail="due")])
    with jobs.Mailer(isolated) as mailer:
        assert notification_mail.send_due(notes, mailer, isolated) == 0
        address = f"nora-{isolated.topic_prefix}@test.ideahub.local"
        notes.mail_due.clear()

        notes.know_person("nora", "Nora Benali", address)

        assert notes.mail_due.is_set()  # the sender is woken, not left to its sweep
        assert notification_mail.send_due(notes, mailer, isolated) == 1
        notes.know_person("nora", "Nora Benali", address)  # a person.updated, or a replay
        assert notification_mail.send_due(notes, mailer, isolated) == 0
    [mail] = received(os.environ["HUB_MAILDIR"], address)
    assert "Idée n° 1" in mail["Subject"]


def test_a_weekly_summary_holds_the_paris_weeks_items_from_monday_to_sunday(notes, isolated):
    address = f"ines-{isolated.topic_prefix}@test.ideahub.local"
    notes.know_person("ines", "Inès", address)
    notes.add([
        notice(1, "2026-11-22T23:30:00.000Z", person="ines", mail="weekly"),  # Mon 00:30, W48
        notice(2, "2026-11-29T22:30:00.000Z", person="ines", mail="weekly"),  # Sun 23:30, W48
        notice(3, "2026-11-29T23:30:00.000Z", person="ines", mail="weekly"),  # Mon 00:30, W49
    ])
    monday = datetime(2026, 11, 30, 6, 0, tzinfo=timezone.utc)  # 07:00 in Paris

    with jobs.Mailer(isolated) as mailer:
        assert notification_mail.send_summaries(monday, notes, mailer, isolated) == 1

    mails = received(os.environ["HUB_MAILDIR"], address)
    text = mails[0].get_body(("plain",)).get_content()
    assert len(mails) == 1
    assert mails[0]["Subject"] == "Ideahub — 2 notifications, semaine 2026-W48"
    assert "Idée n° 1" in text and "Idée n° 2" in text and "Idée n° 3" not in text
