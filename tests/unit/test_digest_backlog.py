"""The digest's backlog, moderation count and week-over-week totals."""
from services.digest import domain
from tests.unit.builders import BEFORE, DURING, WEEK, digest_view, make_idea, make_subscription
from tests.unit.test_digest import change_status, supporters

OLD = "2026-10-20T10:00:00.000Z"  # 40 days before 2026-W48 ends (29 Nov, 23:00 UTC)
RECENT = "2026-11-18T10:00:00.000Z"  # ten days before it ends


def test_unanswered_ideas_older_than_14_days_are_listed_oldest_first():
    oldest = digest_view(make_idea(title="La plus ancienne", created_at=OLD))
    old = digest_view(make_idea(title="Ancienne", created_at="2026-11-01T10:00:00.000Z"))
    recent = digest_view(make_idea(title="Récente", created_at=RECENT))
    answered_idea = make_idea(title="Répondue", created_at=OLD)
    answered = digest_view(answered_idea)
    change_status(answered, answered_idea, "accepted", "", RECENT)
    active = digest_view(make_idea(title="Active"), *supporters(1, DURING))

    content = domain.build(make_subscription(), WEEK, [recent, old, answered, oldest, active])

    assert [i["title"] for i in content["backlog"]] == ["La plus ancienne", "Ancienne"]
    assert content["backlog_count"] == 2
    assert content["backlog"][0]["days"] == 40 and content["backlog"][0]["since"] == "2026-10-20"


def test_reported_or_hidden_ideas_are_counted_for_the_moderation_queue():
    reported = digest_view(make_idea(pending_flags=2))
    hidden = digest_view(make_idea(status="hidden"))
    fine = digest_view(make_idea(), *supporters(1, DURING))

    assert domain.build(make_subscription(), WEEK, [reported, hidden, fine])[
        "moderation_waiting"] == 2


def test_totals_are_set_against_the_previous_week():
    last_week = digest_view(make_idea(created_at=BEFORE), *supporters(3, BEFORE))
    this_week = digest_view(make_idea(), *supporters(2, DURING), *supporters(1, DURING, "x"))

    content = domain.build(make_subscription(), WEEK, [last_week, this_week])

    assert content["totals"] == {"new": 1, "supports": 3, "answers": 0}
    assert content["previous"] == {"new": 1, "supports": 3, "answers": 0}
