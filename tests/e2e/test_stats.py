"""The hub's figures through the gateway: a seeded history in a unit of its own (ideas,
answers, supports and a retraction), whose figures this test computes itself from what the
ideas API shows, equals GET /api/stats; the figures are for moderators and managers only."""
import statistics
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import eventually, settled

pytestmark = pytest.mark.e2e
PARIS = ZoneInfo("Europe/Paris")


def paris(stamp):
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(PARIS)


def test_the_figures_of_a_seeded_history_equal_those_computed_here(http, token, support):
    unit = f"Service des statistiques {uuid.uuid4().hex[:6]}"
    author = token(unit=unit)
    moderator = token(roles=("agent", "moderator"))
    manager = token(roles=("manager",), unit=unit)
    tags = [["hydrologie", "voirie"], ["hydrologie"], ["hydrologie", "accueil"]]
    ids = []
    for n, idea_tags in enumerate(tags):
        created = http("POST", "/api/ideas", author, json={
            "title": f"Une idée chiffrée numéro {n}", "body": "Pour vérifier les statistiques.",
            "tags": idea_tags})
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    for idea_id, status in ((ids[0], "under_review"), (ids[1], "accepted")):
        answered = http("POST", f"/api/ideas/{idea_id}/status", moderator,
                        json={"status": status, "note": "Merci, nous regardons."})
        assert answered.status_code == 200, answered.text
    supporters = [token() for _ in range(3)]
    support(ids[0], supporters[0])
    support(ids[0], supporters[1])
    support(ids[1], supporters[2])
    assert http("DELETE", f"/api/votes/{ids[1]}", supporters[2]).status_code == 200
    eventually(lambda: [http("GET", f"/api/ideas/{i}", author).json()["vote_count"]
                        for i in ids[:2]] == [2, 0], message="the counts follow the votes")

    ideas = [http("GET", f"/api/ideas/{i}", author).json() for i in ids]
    waits = [(paris(i["timeline"][0]["at"]) - paris(i["created_at"])).total_seconds()
             for i in ideas if i["timeline"]]
    month = paris(ideas[0]["created_at"]).strftime("%Y-%m")
    year, week, _ = datetime.now(PARIS).isocalendar()
    expected = {
        "ideas": {"total": 3, "per_month": [{"month": month, "count": 3}],
                  "per_status": [{"status": "accepted", "count": 1},
                                 {"status": "submitted", "count": 1},
                                 {"status": "under_review", "count": 1}]},
        "supports": {"total": 2, "per_week": [{"week": f"{year}-W{week:02d}", "count": 2}]},
        "first_answer": {"answered": 2,
                         "median_hours": round(statistics.median(waits) / 3600, 2),
                         "per_month": [{"month": month, "answered": 2, "median_hours": round(
                             statistics.median(waits) / 3600, 2)}],
                         # Proposed just now: their 30 days are not over.
                         "within_30_days": {"eligible": 0, "answered": 0, "share": None}},
        "units": {"count": 1, "items": [{"unit": unit, "ideas": 3}]},
        "tags": [{"tag": "hydrologie", "ideas": 3}, {"tag": "accueil", "ideas": 1},
                 {"tag": "voirie", "ideas": 1}],
    }
    today = datetime.now(PARIS).date().isoformat()
    query = {"unit": unit, "from": month + "-01", "to": today}

    def figures():
        response = http("GET", "/api/stats", manager, params=query)
        assert response.status_code == 200, response.text
        found = response.json()
        return {name: found[name] for name in expected}

    settled(lambda: figures() == expected, message="the figures of every ideas process")
    assert http("GET", "/api/stats", author, params=query).status_code == 403
    assert http("GET", "/api/stats", moderator, params=query).status_code == 200
