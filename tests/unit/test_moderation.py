"""Reports and hiding (services.ideas.moderation). Pure."""
import pytest

from services.ideas import moderation
from services.ideas.lifecycle import TransitionRefused
from tests.unit.builders import make_idea

MODERATOR = {"id": "ines", "name": "Inès Bouchard"}
NOW = "2026-11-25T09:00:00.000Z"


def kinds(events):
    return [kind for kind, _ in events]


def test_reports_below_the_threshold_only_count():
    idea = make_idea(status="under_review")
    assert kinds(moderation.report(idea, "spam", 2, 3, NOW)) == ["idea.flagged"]
    assert (idea["status"], idea["flag_count"], idea["pending_flags"]) == ("under_review", 1, 2)


def test_the_report_reaching_the_threshold_hides_the_idea_and_a_later_one_does_not_again():
    idea = make_idea(status="under_review")

    assert kinds(moderation.report(idea, "offensive", 3, 3, NOW)) == [
        "idea.flagged", "idea.hidden"]
    assert (idea["status"], idea["hidden_from"]) == ("hidden", "under_review")
    assert kinds(moderation.report(idea, "spam", 4, 3, NOW)) == ["idea.flagged"]


def test_restoring_returns_the_status_it_had_and_clears_pending_reports():
    idea = make_idea(status="accepted")
    moderation.hide(idea, "Doublon injurieux", MODERATOR, NOW)

    events = moderation.restore(idea, "Infondé", MODERATOR, NOW)

    assert (idea["status"], idea["pending_flags"], idea["reviewed_at"]) == ("accepted", 0, NOW)
    assert events == [("idea.restored", {"status": "accepted", "note": "Infondé",
                                         "by": MODERATOR})]


def test_confirming_keeps_it_hidden_and_clears_pending_reports():
    idea = make_idea()
    moderation.report(idea, "spam", 3, 3, NOW)

    moderation.confirm(idea, "Publicité", MODERATOR, NOW)

    assert (idea["status"], idea["pending_flags"], idea["hidden_reason"]) == (
        "hidden", 0, "Publicité")


@pytest.mark.parametrize("act", [moderation.restore, moderation.confirm])
def test_restore_and_confirm_need_a_hidden_idea(act):
    with pytest.raises(TransitionRefused):
        act(make_idea(), "", MODERATOR, NOW)


def test_hiding_twice_is_refused():
    idea = make_idea()
    moderation.hide(idea, "x", MODERATOR, NOW)
    with pytest.raises(TransitionRefused):
        moderation.hide(idea, "y", MODERATOR, NOW)


@pytest.mark.parametrize("status, pending, why", [
    ("submitted", 0, "unanswered"), ("hidden", 2, "hidden"), ("submitted", 1, "reported"),
    ("accepted", 1, "reported"), ("accepted", 0, None), ("withdrawn", 0, None),
])
def test_why_an_idea_waits_for_a_moderator(status, pending, why):
    assert moderation.waiting_for(status, pending) == why


def test_dismissing_the_reports_of_a_visible_idea_reviews_them_and_leaves_no_history():
    idea = make_idea(status="under_review")
    moderation.report(idea, "spam", 2, 3, NOW)

    events = moderation.dismiss(idea, "Critique légitime", MODERATOR, NOW)

    assert kinds(events) == ["idea.reports_dismissed"]
    assert (idea["status"], idea["pending_flags"], idea["reviewed_at"]) == (
        "under_review", 0, NOW)
    assert idea.get("timeline", []) == []
    assert moderation.waiting_for(idea["status"], idea["pending_flags"]) is None


@pytest.mark.parametrize("status, pending", [("hidden", 3), ("submitted", 0)])
def test_dismissing_needs_a_visible_idea_with_reports_awaiting(status, pending):
    with pytest.raises(TransitionRefused):
        moderation.dismiss(make_idea(status=status, pending_flags=pending), "", MODERATOR, NOW)


def test_the_threshold_hides_without_anyone_and_its_history_says_so():
    idea = make_idea()
    moderation.report(idea, "spam", 3, 3, NOW)
    assert idea["timeline"][-1]["by"] is None and idea["timeline"][-1]["threshold"] is True


def test_the_author_contests_a_hiding_once_and_it_waits_again():
    idea = make_idea()
    author = idea["author"]
    moderation.hide(idea, "Hors sujet", MODERATOR, NOW)
    assert moderation.waiting_for("hidden", idea["pending_flags"], moderation.contested(idea)) \
        is None

    assert kinds(moderation.contest(idea, "Il est dans le sujet.", author, NOW)) == [
        "idea.contested"]
    assert moderation.waiting_for("hidden", 0, moderation.contested(idea)) == "hidden"
    with pytest.raises(TransitionRefused, match="déjà contesté"):
        moderation.contest(idea, "Encore", author, NOW)
    moderation.confirm(idea, "Confirmé", MODERATOR, NOW)
    assert not moderation.contested(idea)


def test_only_the_author_contests():
    from services.ideas.lifecycle import NotAuthor
    idea = make_idea()
    moderation.hide(idea, "Hors sujet", MODERATOR, NOW)
    with pytest.raises(NotAuthor):
        moderation.contest(idea, "Pas d'accord", MODERATOR, NOW)
