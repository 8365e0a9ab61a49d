"""Evaluation of a call's ideas: each evaluator the call appoints scores an idea 1–5 on every
criterion of the call's grid, with a private note; moderators and the call's owners read the
scores side by side. Scores and notes stay in the ideas service: an idea records only who has
evaluated it (`evaluated_by`, ids), and `idea.evaluated` says how many have. Pure: no Flask,
pymongo or Kafka here."""
from statistics import fmean, pstdev

from shared import phases
from shared.text import fold

SCORES = (1, 2, 3, 4, 5)
NOTE = 2000
# Ideas no one evaluates any more: hidden by moderation, withdrawn, merged into another.
NOT_EVALUATED = ("hidden", "withdrawn", "duplicate")
# The orders of a call's side-by-side table; the first is the default.
SORTS = ("mean", "spread", "missing", "title")
# What `spread` measures, said in the API's answer so a reader need not guess.
SPREAD = ("écart type (population) des notes globales des évaluateurs, une note globale "
          "étant la moyenne des critères d'un évaluateur ; null sous deux évaluations")
OVERSEERS = ("moderator", "owner")


class NotInCall(Exception):
    """The idea answers no call: there is no grid and no evaluator (409)."""


class NotAllowed(Exception):
    """The caller holds no role of the call that lets them do this (403)."""


class EvaluationClosed(Exception):
    """The idea is no longer evaluated, or the call's evaluation has ended (409)."""


class InvalidScores(Exception):
    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


def evaluation_id(idea_id, evaluator_id):
    """One evaluation per (idea, evaluator): the unique `_id` makes a second one a
    replacement."""
    return f"{idea_id}:{evaluator_id}"


def roles(call_roles, moderator):
    """The roles the caller holds here: the call's ('owner', 'evaluator': campaigns.role_of)
    and the hub's 'moderator'."""
    return set(call_roles) | ({"moderator"} if moderator else set())


def oversees(held):
    return any(role in held for role in OVERSEERS)


def check_open(idea, campaign, now):
    if idea["status"] in NOT_EVALUATED:
        why = {"hidden": "masquée par la modération", "withdrawn": "retirée par son auteur",
               "duplicate": "fusionnée dans une autre idée"}[idea["status"]]
        raise EvaluationClosed(f"Cette idée a été {why} : elle ne s'évalue plus.")
    if now >= campaign["evaluation_until"]:
        raise EvaluationClosed(
            f"L'évaluation de l'appel « {campaign['title']} » est close : elle a pris fin "
            f"{phases.french_time(campaign['evaluation_until'])}.")


def check_scores(scores, criteria):
    """Every criterion of the call, and only those (the range 1–5 is the schema's)."""
    keys = {c["key"] for c in criteria}
    problems = []
    missing = [c["label"] for c in criteria if c["key"] not in scores]
    if missing:
        problems.append("Notez chaque critère de l'appel ; il manque : " + ", ".join(missing)
                        + ".")
    unknown = sorted(set(scores) - keys)
    if unknown:
        problems.append("Ces critères ne sont pas ceux de l'appel : " + ", ".join(unknown) + ".")
    if problems:
        raise InvalidScores({"scores": problems})


def new_evaluation(idea, evaluator, scores, note, now, previous=None):
    return {"_id": evaluation_id(idea["_id"], evaluator["id"]), "idea_id": idea["_id"],
            "campaign_id": idea["campaign_id"], "evaluator": evaluator,
            "scores": dict(scores), "note": note,
            "created_at": previous["created_at"] if previous else now, "updated_at": now}


def unchanged(previous, scores, note):
    """A double submit: the same scores and note as stored."""
    return previous is not None and previous["scores"] == scores and previous["note"] == note


def record_evaluator(idea, evaluator, campaign, now):
    """The idea records who evaluated it and moves its version: the events of the change."""
    by = list(idea.get("evaluated_by", []))
    if evaluator["id"] not in by:
        by.append(evaluator["id"])
    appointed = {p["id"] for p in campaign["evaluators"]}
    idea.update(evaluated_by=by, version=idea["version"] + 1)
    return [("idea.evaluated", {"evaluator": evaluator, "at": now,
                                "evaluations": sum(i in appointed for i in by)})]


def complete(evaluation, criteria):
    """Scores every criterion of the grid as it is now (a grid changed after an evaluation
    leaves it to be done again)."""
    return all(c["key"] in evaluation["scores"] for c in criteria)


def _round(value):
    return None if value is None else round(value, 2)


def summary(evaluations, criteria, evaluators):
    """An idea's scores side by side: per criterion mean, overall mean, spread (SPREAD), how
    many appointed evaluators scored it, and who has not. `evaluations`: the idea's."""
    appointed = {p["id"] for p in evaluators}
    done = [e for e in evaluations
            if e["evaluator"]["id"] in appointed and complete(e, criteria)]
    overall = [fmean(e["scores"][c["key"]] for c in criteria) for e in done]
    scored = {e["evaluator"]["id"] for e in done}
    return {
        "means": {c["key"]: _round(fmean(e["scores"][c["key"]] for e in done) if done else None)
                  for c in criteria},
        "mean": _round(fmean(overall) if overall else None),
        "spread": _round(pstdev(overall) if len(overall) >= 2 else None),
        "scored": len(done),
        "missing": [p for p in evaluators if p["id"] not in scored],
    }


def own(evaluation):
    """An evaluation as its evaluator (or an overseer) reads it."""
    return {"evaluator": evaluation["evaluator"], "scores": evaluation["scores"],
            "note": evaluation["note"], "created_at": evaluation["created_at"],
            "updated_at": evaluation["updated_at"]}


def call_of(campaign, now):
    return {"id": campaign["_id"], "title": campaign["title"],
            "evaluation_until": campaign["evaluation_until"],
            "phase": phases.phase(campaign, now),
            "open": now < campaign["evaluation_until"]}


def idea_view(idea, campaign, evaluations, held, me, now):
    """GET /api/ideas/{id}/evaluation: an evaluator's own scores and note; for an overseer
    (moderator, owner) everyone's, with the summary."""
    mine = next((e for e in evaluations if e["evaluator"]["id"] == me), None)
    view = {"idea": {"id": idea["_id"], "title": idea["title"], "status": idea["status"]},
            "campaign": call_of(campaign, now), "criteria": campaign["criteria"],
            "roles": sorted(held)}
    if "evaluator" in held:
        view["mine"] = own(mine) if mine else None
    if oversees(held):
        appointed = {p["id"] for p in campaign["evaluators"]}
        view["evaluations"] = [own(e) for e in sorted(
            evaluations, key=lambda e: fold(e["evaluator"].get("name", "")))
            if e["evaluator"]["id"] in appointed]
        view.update(summary(evaluations, campaign["criteria"], campaign["evaluators"]))
    return view


def ranked(items, sort):
    """The table's rows in `sort` order: best mean first, widest spread first, most missing
    first, or by title; ideas without scores last; the title breaks ties."""
    def title(item):
        return fold(item["title"])
    orders = {
        "mean": lambda i: (i["mean"] is None, -(i["mean"] or 0), title(i)),
        "spread": lambda i: (i["spread"] is None, -(i["spread"] or 0), title(i)),
        "missing": lambda i: (-len(i["missing"]), title(i)),
        "title": title,
    }
    return sorted(items, key=orders[sort])


def campaign_view(campaign, rows, evaluations, held, me, sort, now):
    """GET /api/campaigns/{id}/evaluation. `rows`: the call's ideas still evaluated
    (catalogue rows); `evaluations`: theirs, as the caller may read them. An overseer gets
    the side-by-side table; an evaluator the ideas to score and their own progress."""
    by_idea = {}
    for e in evaluations:
        by_idea.setdefault(e["idea_id"], []).append(e)
    criteria = campaign["criteria"]
    view = {"campaign": call_of(campaign, now), "criteria": criteria,
            "evaluators": campaign["evaluators"], "roles": sorted(held), "sort": sort,
            "spread_measure": SPREAD}
    items = []
    for row in rows:
        item = {"id": row.id, "title": row.title, "status": row.status, "unit": row.unit}
        found = by_idea.get(row.id, [])
        if "evaluator" in held:
            item["done"] = any(e["evaluator"]["id"] == me and complete(e, criteria)
                               for e in found)
        if oversees(held):
            item.update(summary(found, criteria, campaign["evaluators"]))
        items.append(item)
    if oversees(held):
        view["items"] = ranked(items, sort)
    else:  # what is left to score first
        view["items"] = sorted(items, key=lambda i: (i["done"], fold(i["title"])))
    if "evaluator" in held:
        view["progress"] = {"done": sum(i["done"] for i in items), "total": len(items)}
    return view
