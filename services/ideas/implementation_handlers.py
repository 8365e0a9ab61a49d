"""What the ideas service does to follow an accepted idea to the end: appoint who carries it
out and by when, publish its progress, and list a call's chosen ideas where each stands."""
from shared import phases
from services.ideas import domain, implementation
from services.ideas.campaigns import CampaignNotFound
from services.ideas.handlers import change_idea


def _call_of(idea, calls):
    """The idea's call (its owners may act on it), or None outside calls."""
    if not idea.get("campaign_id"):
        return None
    try:
        return calls.get(idea["campaign_id"])
    except CampaignNotFound:
        return None


def set_implementation(idea_id, cmd, by, moderator, store, calls, now):
    """No other service reads the owner apart from the updates, whose events carry it: the
    change is silent, and public on the idea and its timeline."""
    def appoint(idea):
        implementation.check_manager(_call_of(idea, calls), by, moderator)
        return implementation.set_owner(idea, cmd["owner"], cmd["target_date"], by, now)
    idea, _ = store.change(idea_id, appoint, silent=True)
    return domain.public(idea)


def report_progress(idea_id, cmd, by, moderator, store, calls, publish, now):
    """The update and its event `idea.progress_updated` in one conditional write."""
    def reported(idea):
        implementation.check_reporter(idea, _call_of(idea, calls), by, moderator)
        return implementation.report_progress(idea, cmd["milestone"], cmd["percent"],
                                              cmd["update"], by, now)
    return change_idea(idea_id, reported, store, publish)


def list_results(campaign_id, store, calls, now):
    """A call's chosen ideas (accepted, in progress, implemented), done first, then the
    furthest along (implementation.result_order)."""
    campaign = calls.get(campaign_id)
    chosen = sorted(store.ideas_of_call(campaign_id, implementation.FOLLOWED),
                    key=implementation.result_order)
    return {"campaign": {"id": campaign["_id"], "title": campaign["title"],
                         "question": campaign["question"],
                         "phase": phases.phase(campaign, now)},
            "items": [implementation.result(idea) for idea in chosen]}
