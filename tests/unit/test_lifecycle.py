"""How an idea moves (services.ideas.lifecycle): answers, withdrawal, merges. Pure."""
import pytest

from services.ideas import lifecycle
from services.ideas.lifecycle import NotAuthor, TransitionRefused
from tests.unit.builders import AUTHOR, make_idea

MODERATOR = {"id": "ines", "name": "Inès Bouchard"}
NOW = "2026-11-25T09:00:00.000Z"


def test_an_answer_sets_status_and_note_and_goes_on_the_timeline():
    idea = make_idea()

    events = lifecycle.answer(idea, "accepted", "Un guichet pilote en janvier.", MODERATOR, NOW)

    assert (idea["status"], idea["status_note"], idea["version"]) == (
        "accepted", "Un guichet pilote en janvier.", 2)
    assert idea["timeline"] == [{"at": NOW, "kind": "status", "status": "accepted",
                                 "previous": "submitted", "note": "Un guichet pilote en janvier.",
                                 "by": MODERATOR}]
    assert events == [("idea.status_changed", {"status": "accepted",
                                               "previous_status": "submitted",
                                               "note": "Un guichet pilote en janvier.",
                                               "by": MODERATOR})]


@pytest.mark.parametrize("start, target", [
    ("submitted", "implemented"), ("submitted", "in_progress"), ("rejected", "accepted"),
    ("implemented", "rejected"), ("submitted", "submitted"), ("duplicate", "accepted"),
    ("hidden", "accepted"), ("withdrawn", "under_review"),
])
def test_an_answer_the_status_does_not_allow_is_refused_and_changes_nothing(start, target):
    idea = make_idea(status=start)

    with pytest.raises(TransitionRefused):
        lifecycle.answer(idea, target, "", MODERATOR, NOW)
    assert (idea["status"], idea["version"], idea["timeline"]) == (start, 1, [])


def test_the_full_road_to_implemented_is_allowed():
    idea = make_idea()
    for status in ("under_review", "accepted", "in_progress", "implemented"):
        lifecycle.answer(idea, status, "", MODERATOR, NOW)
    assert [e["status"] for e in idea["timeline"]] == [
        "under_review", "accepted", "in_progress", "implemented"]


def test_only_the_author_withdraws_and_only_before_an_answer():
    idea = make_idea()
    with pytest.raises(NotAuthor):
        lifecycle.withdraw(idea, MODERATOR, NOW)

    assert lifecycle.withdraw(idea, AUTHOR, NOW) == [("idea.withdrawn", {"by": AUTHOR})]
    assert idea["status"] == "withdrawn"
    with pytest.raises(TransitionRefused):
        lifecycle.withdraw(make_idea(status="accepted"), AUTHOR, NOW)


def test_a_merge_marks_the_duplicate_and_an_unmerge_restores_it_exactly():
    source, target = make_idea(status="under_review"), make_idea()

    lifecycle.merge(source, target, MODERATOR, NOW)
    assert (source["status"], source["merged_into"]) == ("duplicate", target["_id"])

    events = lifecycle.unmerge(source, MODERATOR, NOW)
    assert (source["status"], source["merged_into"]) == ("under_review", None)
    assert events == [("idea.unmerged", {"previous_into": target["_id"],
                                         "status": "under_review", "by": MODERATOR})]
    assert [e["kind"] for e in source["timeline"]] == ["merged", "unmerged"]


@pytest.mark.parametrize("source_status, target_status", [
    ("duplicate", "submitted"), ("submitted", "duplicate"), ("submitted", "hidden"),
    ("submitted", "withdrawn"),
])
def test_no_merge_of_a_merged_idea_nor_into_a_closed_one(source_status, target_status):
    source, target = make_idea(status=source_status), make_idea(status=target_status)
    with pytest.raises(TransitionRefused):
        lifecycle.merge(source, target, MODERATOR, NOW)
    assert source["status"] == source_status


def test_no_merge_into_itself_and_no_unmerge_of_an_unmerged_idea():
    idea = make_idea()
    with pytest.raises(TransitionRefused):
        lifecycle.merge(idea, idea, MODERATOR, NOW)
    with pytest.raises(TransitionRefused):
        lifecycle.unmerge(idea, MODERATOR, NOW)


def test_an_edit_keeps_the_former_text_in_the_history():
    idea = make_idea()
    before = (idea["title"], idea["body"], idea["tags"])

    events = lifecycle.edit(idea, {"title": "Un nouveau titre"}, AUTHOR, False, NOW)

    assert idea["title"] == "Un nouveau titre" and idea["version"] == 2
    assert [(h["title"], h["body"], h["tags"]) for h in idea["history"]] == [before]
    assert events[0][0] == "idea.edited"


def test_the_author_edits_only_before_an_answer_a_moderator_always():
    with pytest.raises(TransitionRefused):
        lifecycle.edit(make_idea(status="accepted"), {"title": "x" * 10}, AUTHOR, False, NOW)
    with pytest.raises(NotAuthor):
        lifecycle.edit(make_idea(), {"title": "x" * 10}, MODERATOR, False, NOW)
    assert lifecycle.edit(make_idea(status="accepted"), {"title": "x" * 10}, MODERATOR, True, NOW)
