"""What the ideas service does with evaluations: score an idea, read an idea's scores, read a
call's ideas side by side. `ideas`: store.IdeaStore; `calls`: campaign_store.CampaignStore;
`evaluations`: evaluation_store.EvaluationStore; `me`: the caller {id, name}."""
from services.ideas import campaigns, evaluation
from services.ideas.domain import IdeaNotFound
from services.ideas.handlers import change_idea


def _call(idea, calls):
    if not idea.get("campaign_id"):
        raise evaluation.NotInCall("Cette idée ne répond à aucun appel à idées : elle ne "
                                   "s'évalue pas.")
    return calls.get(idea["campaign_id"])


def _held(campaign, me, moderator):
    return evaluation.roles(campaigns.role_of(campaign, me["id"]), moderator)


def evaluate_idea(idea_id, cmd, me, ideas, calls, evaluations, publish, now):
    """PUT: the caller's evaluation, made or replaced. The evaluation is stored first, then
    the idea records its evaluator and moves its version with `idea.evaluated`, in one
    conditional write; a double submit (same scores, same note, already recorded) changes
    nothing and produces no event."""
    idea = ideas.get(idea_id)
    campaign = _call(idea, calls)
    if "evaluator" not in campaigns.role_of(campaign, me["id"]):
        raise evaluation.NotAllowed("Seuls les évaluateurs désignés par l'appel « "
                                    f"{campaign['title']} » notent ses idées.")
    evaluation.check_open(idea, campaign, now)
    evaluation.check_scores(cmd["scores"], campaign["criteria"])
    previous = evaluations.get(idea_id, me["id"])
    if evaluation.unchanged(previous, cmd["scores"], cmd["note"]) \
            and me["id"] in idea.get("evaluated_by", []):
        return evaluation.own(previous)
    record = evaluation.new_evaluation(idea, me, cmd["scores"], cmd["note"], now, previous)
    evaluations.put(record)

    def recorded(idea):
        evaluation.check_open(idea, campaign, now)  # as it is at the write
        return evaluation.record_evaluator(idea, me, campaign, now)
    change_idea(idea_id, recorded, ideas, publish)
    return evaluation.own(record)


def get_idea_evaluation(idea_id, me, moderator, ideas, calls, evaluations, now):
    """An evaluator reads their own evaluation; a moderator or an owner of the call every
    appointed evaluator's, side by side; anyone else is refused."""
    idea = ideas.get(idea_id)
    campaign = _call(idea, calls)
    held = _held(campaign, me, moderator)
    if not held:
        raise evaluation.NotAllowed("Les évaluations sont réservées aux évaluateurs, aux "
                                    "responsables de l'appel et à la modération.")
    if idea["status"] == "hidden" and not evaluation.oversees(held):
        raise IdeaNotFound(idea_id)  # as hidden to its evaluators as to any agent
    readers = [p["id"] for p in campaign["evaluators"]] if evaluation.oversees(held) \
        else [me["id"]]
    found = evaluations.of([idea_id], readers)
    return evaluation.idea_view(idea, campaign, found, held, me["id"], now)


def get_campaign_evaluation(campaign_id, sort, me, moderator, calls, evaluations, now):
    """A call's ideas still evaluated: side by side for moderators and owners, with their own
    progress for evaluators; in two round trips and a chunked `_id $in`, whatever the number
    of ideas."""
    campaign = calls.get(campaign_id)
    held = _held(campaign, me, moderator)
    if not held:
        raise evaluation.NotAllowed("Le tableau des évaluations est réservé aux évaluateurs, "
                                    "aux responsables de l'appel et à la modération.")
    rows = evaluations.ideas_of(campaign_id)
    readers = [p["id"] for p in campaign["evaluators"]] if evaluation.oversees(held) \
        else [me["id"]]
    found = evaluations.of([row.id for row in rows], readers)
    return evaluation.campaign_view(campaign, rows, found, held, me["id"], sort, now)
