"""How an idea moves: answers by moderators, withdrawal by its author, merges of duplicates.
Pure. Each function changes the idea in place and returns the events it produced as
(type, extra payload) pairs; refusals are exceptions with a message for the person."""
# ANSWERS: what a moderator may answer from each status (POST /api/ideas/{id}/status), the
# table the pages offer from too.
from shared.answers import ANSWERS

WITHDRAWABLE = {"submitted", "under_review"}
NOT_A_MERGE_TARGET = {"duplicate", "hidden", "withdrawn"}

LABELS = {"submitted": "proposée", "under_review": "à l'étude", "accepted": "retenue",
          "in_progress": "en cours", "implemented": "réalisée", "rejected": "non retenue",
          "duplicate": "fusionnée", "hidden": "masquée", "withdrawn": "retirée"}


class TransitionRefused(Exception):
    """The idea's status does not allow this (HTTP 409)."""


class NotAuthor(Exception):
    """Only the idea's author may do this (HTTP 403)."""


def _move(idea, status, now, entry):
    idea["timeline"] = [*idea.get("timeline", []), {"at": now, **entry}]
    idea.update(status=status, updated_at=now, version=idea["version"] + 1)


def answer(idea, status, note, by, now):
    previous = idea["status"]
    if status not in ANSWERS.get(previous, ()):
        raise TransitionRefused(
            f"Une idée {LABELS[previous]} ne peut pas passer à « {LABELS[status]} ».")
    idea["status_note"] = note
    _move(idea, status, now, {"kind": "status", "status": status, "previous": previous,
                              "note": note, "by": by})
    return [("idea.status_changed", {"status": status, "previous_status": previous,
                                     "note": note, "by": by})]


def withdraw(idea, by, now):
    if idea["author"]["id"] != by["id"]:
        raise NotAuthor("Seul l'auteur d'une idée peut la retirer.")
    if idea["status"] not in WITHDRAWABLE:
        raise TransitionRefused(
            f"Une idée {LABELS[idea['status']]} ne peut plus être retirée.")
    _move(idea, "withdrawn", now, {"kind": "withdrawn", "previous": idea["status"], "by": by})
    return [("idea.withdrawn", {"by": by})]


def check_merge(source, target):
    """May `source` be merged into `target`? (Both as stored; raises TransitionRefused.)"""
    if source["_id"] == target["_id"]:
        raise TransitionRefused("Une idée ne peut pas être fusionnée avec elle-même.")
    if source["status"] == "duplicate":
        raise TransitionRefused("Cette idée est déjà fusionnée avec une autre.")
    if target["status"] in NOT_A_MERGE_TARGET:
        raise TransitionRefused(
            f"Impossible de fusionner dans une idée {LABELS[target['status']]}.")


def merge(source, target, by, now, reason=""):
    check_merge(source, target)
    source["merged_from_status"] = source["status"]
    source["merged_into"] = target["_id"]
    _move(source, "duplicate", now, {"kind": "merged", "into": target["_id"],
                                      "title": target["title"], "by": by, "note": reason})
    return [("idea.merged", {"into": target["_id"], "into_title": target["title"],
                             "reason": reason, "by": by})]


def unmerge(source, by, now):
    if source["status"] != "duplicate":
        raise TransitionRefused("Cette idée n'est fusionnée avec aucune autre.")
    previous_into = source["merged_into"]
    restored = source.pop("merged_from_status", "submitted")
    source["merged_into"] = None
    _move(source, restored, now, {"kind": "unmerged", "from": previous_into, "by": by})
    return [("idea.unmerged", {"previous_into": previous_into, "status": restored, "by": by})]


def edit(idea, changes, by, moderator, now):
    """The author edits while the idea awaits an answer; moderators edit anytime. The former
    text goes into the idea's history; `changes` holds the fields to replace."""
    if not moderator:
        if idea["author"]["id"] != by["id"]:
            raise NotAuthor("Seul l'auteur ou un modérateur peut modifier une idée.")
        if idea["status"] != "submitted":
            raise TransitionRefused(
                f"Une idée {LABELS[idea['status']]} ne peut plus être modifiée par son auteur.")
    idea["history"] = [*idea.get("history", []), {
        "at": now, "by": by, **{k: idea[k] for k in ("title", "body", "tags")}}]
    idea.update(changes)
    idea.update(updated_at=now, version=idea["version"] + 1)
    return [("idea.edited", {"body": idea["body"], "editor": by})]
