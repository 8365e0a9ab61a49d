"""Who hears what, decided from an event: followers, replies, mentions, milestones, the mail
channel, and the summaries' Paris days and weeks."""
from datetime import datetime, timezone

import pytest

from services.digest import notifications as N
from services.digest.notification_mail import render, sentence, subject, when

AGNES = {"id": "agnes", "name": "Agnès Müller"}
JOEL = {"id": "joel", "name": "Joël Martin"}
MODO = {"id": "maelle", "name": "Maëlle Moderatrice"}


def event(event_id="e1", at="2026-12-01T13:16:00.000Z"):
    return {"id": event_id, "time": at}


def payload(idea_status="under_review", **extra):
    return {"idea_id": "i1", "version": 2,
            "idea": {"title": "Notes de frais en ligne", "status": idea_status,
                     "author": AGNES, "created_at": "2026-12-01T09:00:00.000Z"},
            **extra}


def people(*rows):
    return [{"_id": pid, **N.person_keys(name, email)} for pid, name, email in rows]


def test_a_status_change_tells_every_follower_but_the_moderator_who_made_it():
    made = N.notices("idea.status_changed",
                     payload(idea_status="accepted", status="accepted", previous_status="submitted",
                             note="Retenue pour 2027", by=MODO),
                     event(), ["agnes", "joel", "maelle"])

    assert set(made) == {"agnes", "joel"}
    assert made["agnes"]["kind"] == "status" and made["agnes"]["note"] == "Retenue pour 2027"
    assert made["agnes"]["_id"] != made["joel"]["_id"]


def test_the_same_event_makes_the_same_ids_so_a_redelivery_makes_nothing_new():
    args = ("idea.withdrawn", payload(by=AGNES), event(), ["joel"])
    assert N.notices(*args)["joel"]["_id"] == N.notices(*args)["joel"]["_id"]
    assert N.notices(*args)["joel"]["_id"] != N.notices(
        "idea.withdrawn", payload(by=AGNES), event("e2"), ["joel"])["joel"]["_id"]


def test_a_comment_tells_followers_not_its_writer_and_a_reply_or_mention_says_more():
    comment = payload(comment_id="c2", author=JOEL, body="@Agnès d'accord avec Camille",
                      parent_id="c1", parent_author={"id": "camille", "name": "Camille"},
                      created_at="2026-12-01T13:16:00.000Z")

    made = N.notices("comment.added", comment, event(), ["agnes", "joel", "paul"], {"agnes"})

    assert {p: n["kind"] for p, n in made.items()} == {
        "agnes": "mention", "camille": "reply", "paul": "comment"}
    assert made["paul"]["excerpt"] == "@Agnès d'accord avec Camille"
    assert N.link(made["paul"]) == "/ideas/i1#commentaire-c2"


def test_replying_to_ones_own_comment_tells_oneself_nothing():
    comment = payload(comment_id="c2", author=JOEL, body="Précision", parent_id="c1",
                      parent_author=JOEL, created_at="2026-12-01T13:16:00.000Z")
    assert N.notices("comment.added", comment, event(), [], set()) == {}


def test_a_notice_about_a_hidden_idea_is_born_hidden():
    made = N.notices("idea.withdrawn", payload(idea_status="hidden", by=AGNES), event(), ["joel"])
    assert not N.visible(made["joel"])


@pytest.mark.parametrize("text, expected", [
    ("Bonjour @Agnès, qu'en penses-tu ?", {"agnes"}),
    ("@agnes.muller voir aussi", {"agnes"}),
    ("Merci @Agnès Müller et @Joël", {"agnes", "joel"}),
    ("@Camille ?", set()),  # two Camille: a first name alone names no one
    ("@Camille Durand", {"camille-d"}),
    ("écrire à agnes@exemple.fr", set()),  # an address is not a mention
    ("@Inconnu", set()),
])
def test_a_mention_names_the_person_it_can_only_mean(text, expected):
    candidates = people(("agnes", "Agnès Müller", "agnes.muller@demo.fr"),
                        ("joel", "Joël Martin", "joel@demo.fr"),
                        ("camille-d", "Camille Durand", "cd@demo.fr"),
                        ("camille-l", "Camille Leroy", "cl@demo.fr"))
    assert N.resolve_mentions(N.mention_keys(text), candidates) == expected


@pytest.mark.parametrize("count, reached", [(0, None), (1, 1), (9, 1), (10, 10), (11, 10),
                                            (99, 50), (100, 100), (12000, 10000)])
def test_milestones(count, reached):
    assert N.milestone_reached(count) == reached


def test_a_milestone_is_told_once_to_the_author_whatever_the_batch():
    idea = {"title": "T", "author": AGNES, "status": "submitted"}
    first = N.milestone_notice("i1", idea, 11, "2026-12-01T10:00:00.000Z")
    again = N.milestone_notice("i1", idea, 12, "2026-12-01T11:00:00.000Z")
    assert first["person_id"] == "agnes" and first["milestone"] == 10
    assert first["_id"] == again["_id"]
    assert N.milestone_notice("i1", idea, 0, "2026-12-01T10:00:00.000Z") is None


def test_the_mail_channel_follows_the_persons_choice_for_the_kind():
    prefs = {"mail": {"comment": "never", "status": "weekly"}}
    assert N.mail_channel("comment", prefs) is None
    assert N.mail_channel("status", prefs) == "weekly"
    assert N.mail_channel("mention", prefs) == "due"  # the default: at once
    assert N.mail_channel("comment", None) == "daily"


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize("now, expected", [
    # 1 Dec 2026, 07:00 in Paris is 06:00 UTC: yesterday's summary is due, and week 48's
    (utc(2026, 12, 1, 6, 0), [("daily", "2026-11-30"), ("weekly", "2026-W48")]),
    (utc(2026, 12, 1, 5, 59), [("daily", "2026-11-29"), ("weekly", "2026-W48")]),
    # Monday 30 Nov before 07:00 in Paris: week 47 still
    (utc(2026, 11, 30, 5, 0), [("daily", "2026-11-28"), ("weekly", "2026-W47")]),
])
def test_summaries_are_due_the_morning_after_their_period(now, expected):
    assert N.summaries_due(now) == expected


def test_a_paris_day_is_23_or_25_hours_across_a_clock_change():
    start, end = N.day_bounds("2026-10-25")  # back to winter time
    assert (start, end) == (utc(2026, 10, 24, 22), utc(2026, 10, 25, 23))
    start, end = N.day_bounds("2026-03-29")  # summer time
    assert (end - start).total_seconds() == 23 * 3600


def test_sentences_and_dates_read_as_french_people_write_them():
    notice = {"kind": "status", "idea_title": "Vélos", "status": "accepted", "actor": MODO}
    assert sentence(notice) == "« Vélos » est désormais retenue"
    assert sentence(notice, "en") == "“Vélos” is now accepted"
    assert when("2026-12-01T13:16:00.000Z") == "le 1er décembre 2026 à 14 h 16"
    assert subject([notice] * 3, "fr", "daily", "2026-12-01") == \
        "Ideahub — 3 notifications, 1er décembre 2026"


class Config:
    public_url = "https://hub.example.fr"
    mail_link_secret = "s" * 32


def test_a_mail_escapes_what_people_typed_and_unsubscribes_from_exactly_its_kinds():
    notice = {"_id": "n1", "kind": "comment", "idea_id": "i1", "idea_title": "<b>Vélos</b>",
              "actor": JOEL, "comment_id": "c1", "excerpt": "<script>x</script>",
              "at": "2026-12-01T13:16:00.000Z"}
    rendered = render([notice], {"_id": "agnes", "language": "fr"}, Config())

    assert "<script>" not in rendered["html"] and "&lt;script&gt;" in rendered["html"]
    assert "<script>x</script>" in rendered["text"]
    assert "https://hub.example.fr/ideas/i1#commentaire-c1" in rendered["text"]
    assert "les nouveaux commentaires" in rendered["text"]
    assert rendered["one_click_url"].startswith(
        "https://hub.example.fr/api/notifications/unsubscribe?token=")


def test_a_merge_names_where_the_support_went_and_an_unmerge_that_it_came_back():
    merged = N.notices("idea.merged", payload(into="i2", into_title="Des VAE", by=MODO),
                       event(), ["joel"])["joel"]
    unmerged = N.notices("idea.unmerged", payload(previous_into="i2", status="submitted",
                                                  by=MODO), event("e2"), ["joel"])["joel"]

    assert sentence(merged) == ("« Notes de frais en ligne » a été fusionnée dans « Des VAE » "
                                ": ses soutiens l'ont suivie")
    assert sentence(unmerged) == ("« Notes de frais en ligne » n'est plus fusionnée : ses "
                                  "soutiens lui reviennent")
    assert unmerged["into"] is None


def progress_payload(by=JOEL, update="Le local ouvre en mai."):
    return payload(idea_status="in_progress", milestone="Travaux lancés", percent=60,
                   update=update, owner={"kind": "person", "name": "Joël", "id": "joel"},
                   target_date="2027-06-30", by=by, at="2026-12-01T13:16:00.000Z")


def test_an_implementation_update_tells_followers_and_the_author_not_who_posted_it():
    made = N.notices("idea.progress_updated", progress_payload(), event(), ["paul", "joel"])

    # Agnès, the author, no longer follows: she hears of her idea's fate all the same.
    assert set(made) == {"paul", "agnes"}
    notice = made["agnes"]
    assert notice["kind"] == "progress" and notice["actor"] == JOEL
    assert notice["progress"] == {"milestone": "Travaux lancés", "percent": 60,
                                  "update": "Le local ouvre en mai."}
    item = N.item(notice)
    assert item["progress"]["percent"] == 60 and item["excerpt"] == "Le local ouvre en mai."
    assert item["link"] == "/ideas/i1"
    assert N.mail_channel("progress", None) == "due"  # by default at once: they are rare


def test_an_update_reads_with_its_milestone_and_percent_and_its_mail_escapes_its_words():
    notice = {**N.notices("idea.progress_updated", progress_payload(update="<b>Mai</b>"),
                          event(), ["paul"])["paul"], "_id": "n1"}
    assert sentence(notice) == "« Notes de frais en ligne » avance : Travaux lancés (60\u00a0%)"
    assert sentence(notice, "en") == "“Notes de frais en ligne” moves on: Travaux lancés " \
                                     "(60\u00a0%)"
    rendered = render([notice], {"_id": "paul", "language": "fr"}, Config())
    assert "&lt;b&gt;Mai&lt;/b&gt;" in rendered["html"] and "<b>Mai</b>" in rendered["text"]
    assert "l'avancement des idées mises en œuvre" in rendered["text"]


def test_a_hidden_idea_tells_its_author_why_and_that_notice_stays_in_sight(db):
    """Hiding told the author nothing (issue 17): they hear the reason, followers or not; the
    idea's other notices leave the centres, that one stays, however often the event comes."""
    from services.digest import notification_handlers as notify
    from services.digest.notification_store import NotificationStore

    notes = NotificationStore(db)
    followed = N.notices("idea.status_changed", payload(status="accepted", note="", by=MODO),
                         event("e0"), ["agnes"])
    notes.add(followed.values())
    hidden = payload(idea_status="hidden", reason="Données personnelles d'agents", by=MODO)

    for _ in range(2):
        notify.on_idea_event("idea.hidden", hidden, event("e1"), notes)

    items = notes.page("agnes")[0]
    assert [(n["kind"], n["note"]) for n in items] == [
        ("hidden", "Données personnelles d'agents")]
    assert sentence(items[0]) == ("Votre idée « Notes de frais en ligne » a été masquée par "
                                  "la modération : Données personnelles d'agents")
    assert N.item(items[0])["note"] == "Données personnelles d'agents"
    assert items[0]["mail"] == "due"


def test_a_comment_that_reaches_kafka_before_its_idea_still_tells_the_author(db):
    """Two API processes wrote them: the comment came first in the partition (seen in CI).
    The author follows from the submission whichever event comes first, once."""
    from services.digest import notification_handlers as notify
    from services.digest.notification_store import NotificationStore

    notes = NotificationStore(db)
    comment = payload(idea_status="submitted", comment_id="c1", author=JOEL,
                      body="Bonne idée, je la soutiens.")
    notify.on_comment_added(comment, event("e2", at="2026-12-01T09:00:00.050Z"), notes)
    notify.on_idea_event("idea.submitted", payload(idea_status="submitted"),
                         event("e1", at="2026-12-01T09:00:00.001Z"), notes)

    assert [(n["kind"], n["actor"]["id"]) for n in notes.page("agnes")[0]] == [
        ("comment", "joel")]
    assert notes.followers("i1", "2026-12-01T09:00:00.000Z") == ["agnes"]


def test_a_status_change_that_reaches_kafka_before_its_idea_still_tells_the_author(db):
    from services.digest import notification_handlers as notify
    from services.digest.notification_store import NotificationStore

    notes = NotificationStore(db)
    answered = payload(status="under_review", note="Nous regardons.", by=MODO)
    notify.on_idea_event("idea.status_changed", answered,
                         event("e2", at="2026-12-01T09:00:00.050Z"), notes)

    assert [(n["kind"], n["status"]) for n in notes.page("agnes")[0]] == [
        ("status", "under_review")]
