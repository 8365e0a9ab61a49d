"""Evaluation of a call's ideas by its appointed evaluators: who may score and read, one
evaluation per (idea, evaluator), the event each change produces with the idea's version,
and the scores side by side (means, spread, who has not scored, sorting)."""
from types import SimpleNamespace

import pytest

from services.ideas import evaluation
from tests.helpers import call_dates
from tests.unit.test_campaigns import create

pytestmark = pytest.mark.unit

CRITERIA = [{"key": "impact", "label": "Impact"}, {"key": "cout", "label": "Coût"}]
EVALUATORS = [{"id": "eva", "name": "Éva Évaluatrice"}, {"id": "yves", "name": "Yves Juré"}]
MODERATOR = ("agent", "moderator")


def scored(evaluator_id, idea_id="i1", **scores):
    return {"idea_id": idea_id, "evaluator": {"id": evaluator_id, "name": evaluator_id},
            "scores": scores, "note": ""}


# ---- pure: means, spread, sorting ----

def test_means_per_criterion_overall_mean_and_spread_of_the_evaluators_overall_scores():
    found = [scored("eva", impact=5, cout=3), scored("yves", impact=3, cout=1)]
    summary = evaluation.summary(found, CRITERIA, EVALUATORS)
    assert summary["means"] == {"impact": 4.0, "cout": 2.0}
    # Overall scores 4 and 2: mean 3, population standard deviation 1.
    assert summary["mean"] == 3.0 and summary["spread"] == 1.0
    assert summary["scored"] == 2 and summary["missing"] == []


def test_one_evaluation_has_no_spread_and_names_who_has_not_scored():
    summary = evaluation.summary([scored("eva", impact=4, cout=2)], CRITERIA, EVALUATORS)
    assert summary["mean"] == 3.0 and summary["spread"] is None
    assert summary["missing"] == [EVALUATORS[1]]


def test_an_evaluation_made_before_the_grid_changed_is_to_be_done_again():
    grid = [*CRITERIA, {"key": "delai", "label": "Délai"}]
    summary = evaluation.summary([scored("eva", impact=4, cout=2)], grid, EVALUATORS)
    assert summary["scored"] == 0 and summary["means"]["impact"] is None
    assert [p["id"] for p in summary["missing"]] == ["eva", "yves"]


def test_scores_of_someone_no_longer_appointed_do_not_count():
    summary = evaluation.summary([scored("ancien", impact=1, cout=1)], CRITERIA, EVALUATORS)
    assert summary["scored"] == 0 and summary["mean"] is None


def item(title, mean=None, spread=None, missing=0):
    return {"title": title, "mean": mean, "spread": spread, "missing": [{}] * missing}


@pytest.mark.parametrize("sort, expected", [
    ("mean", ["Bien", "Moyen A", "Moyen B", "Sans note"]),
    ("spread", ["Moyen B", "Bien", "Moyen A", "Sans note"]),
    ("missing", ["Sans note", "Moyen A", "Bien", "Moyen B"]),
    ("title", ["Bien", "Moyen A", "Moyen B", "Sans note"]),
])
def test_the_table_sorts_best_mean_first_and_unscored_ideas_last(sort, expected):
    items = [item("Sans note", missing=2), item("Moyen B", 3.0, 1.5),
             item("Bien", 4.5, 0.5), item("Moyen A", 3.0, 0.0, missing=1)]
    assert [i["title"] for i in evaluation.ranked(items, sort)] == expected


def test_an_evaluator_sees_their_progress_and_what_is_left_first():
    rows = [SimpleNamespace(id=i, title=t, status="submitted", unit="U")
            for i, t in (("i1", "Alpha"), ("i2", "Bêta"), ("i3", "Gamma"))]
    campaign = {"_id": "c", "title": "Appel", "criteria": CRITERIA, "evaluators": EVALUATORS,
                **call_dates()}
    view = evaluation.campaign_view(campaign, rows, [scored("eva", impact=2, cout=2)],
                                    {"evaluator"}, "eva", "mean", "2026-01-01T00:00:00.000Z")
    assert view["progress"] == {"done": 1, "total": 3}
    assert [i["id"] for i in view["items"]] == ["i2", "i3", "i1"]
    assert all("mean" not in i and "missing" not in i for i in view["items"])


# ---- the API ----

@pytest.fixture
def app(make_app):
    return make_app("ideas")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def call(client, auth):
    return create(client, auth, criteria=CRITERIA, evaluators=EVALUATORS,
                  owners=[{"id": "olga", "name": "Olga Responsable"}])


def propose(client, auth, campaign_id, title="Partager la carte des crues", sub="alice"):
    response = client.post("/api/ideas", headers=auth(sub), json={
        "title": title, "body": "Avec les services de voirie.", "campaign_id": campaign_id})
    assert response.status_code == 201, response.json
    return response.json["id"]


@pytest.fixture
def idea(client, auth, call):
    return propose(client, auth, call["id"])


def put(client, auth, idea_id, who="eva", note="", **scores):
    return client.put(f"/api/ideas/{idea_id}/evaluation", headers=auth(who),
                      json={"scores": scores or {"impact": 4, "cout": 2}, "note": note})


def evaluated(publisher):
    return [e for e in publisher.events if e["type"] == "idea.evaluated.v1"]


def test_an_evaluator_scores_and_the_idea_moves_its_version_with_the_event(
        client, auth, idea, publisher, db):
    answer = put(client, auth, idea, note="Peu coûteux.")
    assert answer.status_code == 200, answer.json
    assert answer.json["scores"] == {"impact": 4, "cout": 2}
    stored = db.ideas.find_one({"_id": idea})
    assert stored["evaluated_by"] == ["eva"] and stored["version"] == 2
    [event] = evaluated(publisher)
    data = event["data"]
    assert data["version"] == 2 and data["evaluations"] == 1
    assert data["evaluator"]["id"] == "eva" and "scores" not in data and "note" not in data
    assert not stored.get("outbox")  # published, then pulled from the idea


def test_a_second_put_replaces_and_a_double_submit_makes_one_evaluation(
        client, auth, idea, publisher, db):
    put(client, auth, idea)
    put(client, auth, idea)  # the same again: nothing changes
    assert len(evaluated(publisher)) == 1
    replaced = put(client, auth, idea, impact=1, cout=5)
    assert replaced.status_code == 200
    assert db.evaluations.count_documents({}) == 1
    assert db.evaluations.find_one()["scores"] == {"impact": 1, "cout": 5}
    events = evaluated(publisher)
    assert [e["data"]["version"] for e in events] == [2, 3]
    assert [e["data"]["evaluations"] for e in events] == [1, 1]
    put(client, auth, idea, who="yves")
    assert evaluated(publisher)[-1]["data"]["evaluations"] == 2


@pytest.mark.parametrize("who, roles", [("alice", ("agent",)), ("mod", MODERATOR),
                                        ("olga", ("agent",))])
def test_only_the_calls_evaluators_score(client, auth, idea, who, roles, publisher):
    refused = client.put(f"/api/ideas/{idea}/evaluation", headers=auth(who, roles=roles),
                         json={"scores": {"impact": 4, "cout": 2}})
    assert refused.status_code == 403 and evaluated(publisher) == []


def test_an_evaluator_of_another_call_is_refused(client, auth, idea):
    create(client, auth, title="Un autre appel", evaluators=[{"id": "zoe", "name": "Zoé"}])
    assert put(client, auth, idea, who="zoe").status_code == 403


def test_an_idea_outside_any_call_is_not_evaluated(client, auth, call):
    outside = client.post("/api/ideas", headers=auth("alice"), json={
        "title": "Une idée hors appel", "body": "Elle ne répond à aucun appel."}).json["id"]
    assert put(client, auth, outside).status_code == 409


def test_a_hidden_or_withdrawn_idea_is_no_longer_evaluated(client, auth, call):
    hidden, withdrawn = propose(client, auth, call["id"]), propose(client, auth, call["id"])
    client.post(f"/api/ideas/{hidden}/hide", headers=auth("mod", roles=MODERATOR),
                json={"reason": "Hors charte"})
    client.post(f"/api/ideas/{withdrawn}/withdraw", headers=auth("alice"))
    for idea_id in (hidden, withdrawn):
        refused = put(client, auth, idea_id)
        assert refused.status_code == 409, refused.json
    assert "ne s'évalue plus" in refused.json["message"]


def test_scores_are_refused_once_the_evaluation_has_ended(client, auth, call, idea):
    client.patch(f"/api/campaigns/{call['id']}", headers=auth("mod", roles=MODERATOR),
                 json=call_dates(proposals_from=-30, proposals_until=-20, supports_from=-30,
                                 supports_until=-10, evaluation_until=-1))
    refused = put(client, auth, idea)
    assert refused.status_code == 409 and "est close" in refused.json["message"]


@pytest.mark.parametrize("scores, note", [
    ({"impact": 4}, ""), ({"impact": 4, "cout": 2, "autre": 3}, ""),
    ({"impact": 6, "cout": 2}, ""), ({"impact": 0, "cout": 2}, ""),
    ({"impact": 3.5, "cout": 2}, ""), ({"impact": "4", "cout": 2}, ""),
    ({"impact": 4, "cout": 2, "x" * 5000: 3}, ""), ([4, 2], ""),
    ({"impact": 4, "cout": 2}, "x" * 2001)])
def test_every_criterion_scored_1_to_5_and_a_short_note(client, auth, idea, scores, note):
    refused = client.put(f"/api/ideas/{idea}/evaluation", headers=auth("eva"),
                         json={"scores": scores, "note": note})
    assert refused.status_code == 422, refused.json
    assert set(refused.json["errors"]) <= {"scores", "note"}
    assert len(str(refused.json)) < 1000  # what was sent is not echoed whole


def test_an_evaluator_reads_their_own_and_overseers_read_all_side_by_side(client, auth, idea):
    put(client, auth, idea, note="Note d'Éva", impact=5, cout=3)
    put(client, auth, idea, who="yves", note="Note d'Yves", impact=3, cout=1)
    own = client.get(f"/api/ideas/{idea}/evaluation", headers=auth("eva")).json
    assert own["mine"]["note"] == "Note d'Éva" and "evaluations" not in own
    assert "means" not in own and "Note d'Yves" not in str(own)
    for who, roles in (("mod", MODERATOR), ("olga", ("agent",))):
        full = client.get(f"/api/ideas/{idea}/evaluation", headers=auth(who, roles=roles)).json
        assert {e["note"] for e in full["evaluations"]} == {"Note d'Éva", "Note d'Yves"}
        assert full["means"] == {"impact": 4.0, "cout": 2.0} and full["spread"] == 1.0
        assert full["missing"] == []


def test_agents_see_no_score_and_no_evaluator(client, auth, idea):
    put(client, auth, idea, note="Très privé")
    assert client.get(f"/api/ideas/{idea}/evaluation",
                      headers=auth("alice")).status_code == 403
    shown = client.get(f"/api/ideas/{idea}", headers=auth("alice")).json
    listed = client.get("/api/ideas", headers=auth("alice")).json
    for text in (str(shown), str(listed)):
        assert "Très privé" not in text and "evaluated_by" not in text and "scores" not in text


def test_a_calls_table_for_overseers_sorted_and_progress_for_evaluators(client, auth, call):
    best, worst, none_ = (propose(client, auth, call["id"], title=t)
                          for t in ("Idée excellente", "Idée faible", "Idée pas notée"))
    put(client, auth, best, impact=5, cout=5)
    put(client, auth, worst, impact=1, cout=2)
    put(client, auth, worst, who="yves", impact=3, cout=2)
    path = f"/api/campaigns/{call['id']}/evaluation"
    table = client.get(path, headers=auth("olga")).json
    assert [i["id"] for i in table["items"]] == [best, worst, none_]
    assert table["items"][1]["mean"] == 2.0 and table["items"][1]["spread"] == 0.5
    assert [p["id"] for p in table["items"][0]["missing"]] == ["yves"]
    assert "écart type" in table["spread_measure"]
    by_missing = client.get(path + "?sort=missing", headers=auth("mod", roles=MODERATOR)).json
    assert [i["id"] for i in by_missing["items"]] == [none_, best, worst]
    mine = client.get(path, headers=auth("yves")).json
    assert mine["progress"] == {"done": 1, "total": 3}
    assert all("mean" not in i for i in mine["items"])
    assert client.get(path, headers=auth("alice")).status_code == 403
    assert client.get(path + "?sort=best", headers=auth("olga")).status_code == 422
    assert client.get("/api/campaigns/nope/evaluation", headers=auth("olga")).status_code == 404


def test_a_calls_table_reads_its_evaluations_by_the_hundred_not_per_idea(client, auth, app,
                                                                          call):
    ideas = [propose(client, auth, call["id"], title=f"Idée numéro {n}", sub=f"agent{n}")
             for n in range(30)]
    for idea_id in ideas[:10]:
        put(client, auth, idea_id)
    collection = app.extensions["hub"].extra["evaluations"].collection
    queries, find = [], collection.find
    collection.find = lambda *a, **k: queries.append(a) or find(*a, **k)
    table = client.get(f"/api/campaigns/{call['id']}/evaluation",
                       headers=auth("olga")).json
    assert len(table["items"]) == 30 and len(queries) == 1  # 60 (idea, evaluator) pairs
