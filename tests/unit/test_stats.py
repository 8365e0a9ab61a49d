"""The hub's figures (GET /api/stats): each computed here again from the seeded ideas, in
Paris time across daylight-saving changes, with the filters; supports per week kept exactly
by the ideas consumer; the route's roles."""
import statistics
from datetime import date

import pytest

from services.ideas import handlers, stats
from services.ideas.catalogue import Row
from services.ideas.store import IdeaStore
from shared.text import fold
from tests.unit.builders import envelope, make_idea, vote, vote_name

pytestmark = pytest.mark.unit

NOW = "2026-12-15T12:00:00.000Z"


def idea(created_at, answered_at=None, status="submitted", unit="Service urbanisme",
         tags=("accueil",), campaign_id=None, kind="status"):
    timeline = [{"at": answered_at, "kind": kind, "status": status}] if answered_at else []
    return make_idea(created_at=created_at, status=status, unit=unit, tags=list(tags),
                     tag_keys=[fold(tag) for tag in tags], campaign_id=campaign_id,
                     timeline=timeline)


def rows(*ideas):
    return [Row.of(i) for i in ideas]


def test_a_month_is_a_paris_month_on_both_sides_of_a_daylight_saving_change():
    seeded = rows(
        idea("2026-03-31T21:59:00.000Z"),  # 23:59 in Paris (summer time, UTC+2): March
        idea("2026-03-31T22:00:00.000Z"),  # midnight in Paris: April
        idea("2026-10-31T22:30:00.000Z"),  # 23:30 in Paris (winter time, UTC+1): October
        idea("2026-10-31T23:00:00.000Z"))  # midnight in Paris: November
    found = stats.figures(seeded, NOW, from_day=date(2026, 3, 1), to_day=date(2026, 11, 30))
    per_month = {m["month"]: m["count"] for m in found["ideas"]["per_month"]}
    assert (per_month["2026-03"], per_month["2026-04"]) == (1, 1)
    assert (per_month["2026-10"], per_month["2026-11"]) == (1, 1)
    assert list(per_month) == [f"2026-{m:02d}" for m in range(3, 12)]  # empty months too


def test_a_period_runs_from_midnight_to_midnight_paris_time():
    seeded = rows(idea("2026-03-31T21:59:00.000Z"), idea("2026-03-31T22:00:00.000Z"),
                  idea("2026-04-30T21:59:00.000Z"), idea("2026-04-30T22:00:00.000Z"))
    april = stats.figures(seeded, NOW, from_day=date(2026, 4, 1), to_day=date(2026, 4, 30))
    assert april["ideas"]["total"] == 2
    assert april["period"] == {"from": "2026-04-01", "to": "2026-04-30",
                               "timezone": "Europe/Paris"}


def test_every_figure_equals_what_the_seeded_ideas_say():
    seeded = [
        idea("2026-09-01T08:00:00.000Z", "2026-09-02T08:00:00.000Z", "accepted",
             tags=("Données", "accueil")),
        idea("2026-09-10T08:00:00.000Z", "2026-09-10T14:00:00.000Z", "rejected",
             unit="Direction de l'eau", tags=("données",)),
        idea("2026-09-20T08:00:00.000Z", "2026-11-10T08:00:00.000Z", "under_review",
             unit="Direction de l'eau", tags=("vélo",)),
        idea("2026-10-05T08:00:00.000Z", "2026-10-07T08:00:00.000Z", "duplicate",
             kind="merged", tags=("données",)),
        idea("2026-10-06T08:00:00.000Z"),                        # waiting, over 30 days
        idea("2026-10-07T08:00:00.000Z", status="withdrawn"),    # needs no answer
        idea("2026-12-10T08:00:00.000Z"),                        # its 30 days run still
    ]
    spelt = {"donnees": "données", "velo": "vélo"}  # as the catalogue spells tag keys
    found = stats.figures(rows(*seeded), NOW, spelling=lambda key: spelt.get(key, key))

    waits = {"2026-09": [24, 6, 51 * 24], "2026-10": [48]}
    assert found["period"]["from"] == "2026-09-01" and found["period"]["to"] == "2026-12-15"
    assert found["ideas"]["total"] == 7
    assert found["ideas"]["per_month"] == [
        {"month": "2026-09", "count": 3}, {"month": "2026-10", "count": 3},
        {"month": "2026-11", "count": 0}, {"month": "2026-12", "count": 1}]
    assert {s["status"]: s["count"] for s in found["ideas"]["per_status"]} == {
        "accepted": 1, "rejected": 1, "under_review": 1, "duplicate": 1, "submitted": 2,
        "withdrawn": 1}
    answers = found["first_answer"]
    assert answers["answered"] == 4
    assert answers["median_hours"] == statistics.median(waits["2026-09"] + waits["2026-10"])
    assert [(m["month"], m["answered"], m["median_hours"]) for m in answers["per_month"]] == [
        ("2026-09", 3, statistics.median(waits["2026-09"])), ("2026-10", 1, 48),
        ("2026-11", 0, None), ("2026-12", 0, None)]
    # Over 30 days ago and needing an answer: four answered (three in time) and one waiting.
    assert answers["within_30_days"] == {"eligible": 5, "answered": 3, "share": 0.6}
    assert found["units"] == {"count": 2, "items": [
        {"unit": "Service urbanisme", "ideas": 5}, {"unit": "Direction de l'eau", "ideas": 2}]}
    # "Données" and "données" are one tag.
    assert found["tags"] == [{"tag": "accueil", "ideas": 4}, {"tag": "données", "ideas": 3},
                             {"tag": "vélo", "ideas": 1}]


def test_filters_by_unit_and_call():
    seeded = rows(idea("2026-09-01T08:00:00.000Z", campaign_id="call-1"),
                  idea("2026-09-02T08:00:00.000Z", unit="Direction de l'eau",
                       campaign_id="call-1"),
                  idea("2026-09-03T08:00:00.000Z", unit="Direction de l'eau"))
    assert stats.figures(seeded, NOW, campaign="call-1")["ideas"]["total"] == 2
    water = stats.figures(seeded, NOW, unit="Direction de l'eau")
    assert water["ideas"]["total"] == 2 and water["units"]["count"] == 1
    both = stats.figures(seeded, NOW, unit="Direction de l'eau", campaign="call-1")
    assert both["ideas"]["total"] == 1 and both["filters"] == {
        "unit": "Direction de l'eau", "campaign": "call-1"}


def test_the_first_answer_is_the_first_status_change_or_merge_not_a_hiding():
    assert stats.first_answer([{"kind": "hidden", "at": "a"}, {"kind": "merged", "at": "b"},
                               {"kind": "status", "at": "c"}]) == "b"
    assert stats.first_answer([{"kind": "progress", "at": "a"}]) is None
    assert stats.first_answer(None) is None


# Supports per week, kept by the ideas consumer with the count.

@pytest.fixture
def store(db):
    return IdeaStore(db, feed=lambda: [])


@pytest.fixture
def read(store, rows):
    """read(payload, time, offset=None) -> the offset it was read at."""
    def handle(payload, time, offset=None):
        event = envelope(vote_name(payload), payload, time, offset=offset)
        handlers.on_votes_changed([(payload, event)], store, rows)
        return event["position"]["offset"]
    return handle


def test_supports_count_in_the_paris_week_they_were_given_and_leave_it_when_retracted(
        store, read):
    seeded = make_idea(created_at="2026-03-20T08:00:00.000Z")
    store.add(seeded, [])
    idea_id = seeded["_id"]
    # Summer time starts in Paris on Sunday 29 March 2026; 22:30Z is Monday 00:30 in Paris.
    read(vote(idea_id, "bob"), "2026-03-29T21:30:00.000Z")       # Sunday 23:30: W13
    read(vote(idea_id, "carol"), "2026-03-29T22:30:00.000Z")     # Monday 00:30: W14
    read(vote(idea_id, "dan"), "2026-03-30T10:00:00.000Z")       # W14
    again = vote(idea_id, "erin")
    offset = read(again, "2026-04-01T10:00:00.000Z")
    read(again, "2026-04-01T10:00:00.000Z", offset=offset)        # redelivered: once
    read(vote(idea_id, "dan", seq=2, active=False), "2026-04-08T10:00:00.000Z")  # from W14
    read(vote(idea_id, "bob", seq=2, active=False), "2026-04-08T11:00:00.000Z")
    read(vote(idea_id, "bob", seq=3, active=True), "2026-04-09T10:00:00.000Z")   # now W15

    assert store.get(idea_id)["vote_count"] == 3
    row = Row.of(store.collection.find_one({"_id": idea_id}))
    found = stats.figures([row], NOW, from_day=date(2026, 3, 23), to_day=date(2026, 4, 12))
    assert found["supports"]["per_week"] == [
        {"week": "2026-W13", "count": 0}, {"week": "2026-W14", "count": 2},
        {"week": "2026-W15", "count": 1}]
    assert found["supports"]["total"] == 3 == store.get(idea_id)["vote_count"]


def test_forgetting_votes_forgets_their_weeks_so_a_replay_rebuilds_them(store, read):
    seeded = make_idea()
    store.add(seeded, [])
    read(vote(seeded["_id"], "bob"), "2026-04-01T10:00:00.000Z")
    from services.ideas import domain
    store.forget_votes(domain.forgotten_votes)
    assert Row.of(store.collection.find_one({"_id": seeded["_id"]})).support_weeks is None


# The route.

@pytest.fixture
def client(make_app):
    return make_app("ideas").test_client()


def test_moderators_and_managers_read_the_figures_others_are_refused(client, auth):
    assert client.get("/api/stats").status_code == 401
    assert client.get("/api/stats", headers=auth("alice")).status_code == 403
    for roles in (("moderator",), ("manager",)):
        assert client.get("/api/stats", headers=auth("m", roles=roles)).status_code == 200


def test_the_route_computes_from_the_ideas_and_their_answers(client, auth, clock):
    ids = [client.post("/api/ideas", headers=auth("alice"), json={
        "title": f"Idée numéro {n}", "body": "Un texte assez long.", "tags": ["Eau"]}
                        ).get_json()["id"] for n in range(3)]
    client.post(f"/api/ideas/{ids[0]}/status", headers=auth("mod", roles=("moderator",)),
                json={"status": "under_review", "note": "On regarde."})

    found = client.get("/api/stats?from=2026-11-01&to=2026-11-30",
                       headers=auth("m", roles=("manager",))).get_json()

    assert found["period"] == {"from": "2026-11-01", "to": "2026-11-30",
                               "timezone": "Europe/Paris"}
    assert found["ideas"]["total"] == 3
    assert found["ideas"]["per_month"] == [{"month": "2026-11", "count": 3}]
    # The clock moves one second per request: proposed at 09:00:00, answered at 09:00:03.
    assert found["first_answer"]["answered"] == 1
    assert found["first_answer"]["median_hours"] == round(3 / 3600, 2)
    assert found["tags"] == [{"tag": "Eau", "ideas": 3}]  # as spelt, not its key


def test_a_period_that_ends_before_it_starts_is_422_naming_its_end(client, auth):
    refused = client.get("/api/stats?from=2026-05-01&to=2026-04-01",
                         headers=auth("m", roles=("manager",)))
    assert refused.status_code == 422 and "to" in refused.get_json()["errors"]
