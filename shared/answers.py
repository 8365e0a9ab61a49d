"""The answers a moderator may give an idea from each of its statuses. The ideas service
enforces them (services.ideas.lifecycle); the pages offer only these, so a moderator never
picks a move the API would refuse. The statuses duplicate, hidden and withdrawn have actions
of their own (merge, hide, withdraw) and no answer."""

ANSWERS = {
    "submitted": {"under_review", "accepted", "rejected"},
    "under_review": {"submitted", "accepted", "rejected"},
    "accepted": {"under_review", "in_progress", "rejected"},
    "in_progress": {"accepted", "implemented"},
    "implemented": {"in_progress"},
    "rejected": {"under_review"},
}
# The answers that close an idea say something to its author: why it is not taken up, what
# was done. Their note is required (the API and the pages refuse them without one).
EXPLAINED = ("rejected", "implemented")
# The order the menu lists them in: an idea's life, forward.
ORDER = ("submitted", "under_review", "accepted", "in_progress", "implemented", "rejected")


def next_statuses(status):
    """What `status` may become by an answer, in the life's order."""
    return [s for s in ORDER if s in ANSWERS.get(status, ())]
