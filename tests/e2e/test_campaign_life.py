"""A call for ideas' whole life through the gateway, as issue 14 tells it: created, ideas
proposed during its proposals and refused after (409 naming the phase), supports only in
their phase, two evaluators score, a moderator accepts the best-scored idea, its appointed
owner posts two updates, and the call's results page shows it at 60 %."""
import uuid
from datetime import datetime, timedelta, timezone

from shared.events import iso
from tests.e2e.pages import Page
from tests.helpers import call_dates, eventually


def at(**delta):
    return iso(datetime.now(timezone.utc) + timedelta(**delta))


def test_a_call_for_ideas_from_launch_to_results(http, token, support, browser):
    tag = uuid.uuid4().hex[:6]
    moderator = token(sub=f"mod-{tag}", roles=("agent", "moderator"))
    evaluators = [{"id": f"eval-{n}-{tag}", "name": name}
                  for n, name in enumerate(("Inès Carré", "Maëlle Le Goff"))]
    owner = {"id": f"owner-{tag}", "name": "Hélène Dubœuf"}
    created = http("POST", "/api/campaigns", moderator, json={
        "title": f"Données et risques d'inondation {tag}",
        "question": "Comment les données sur les crues peuvent-elles servir ailleurs ?",
        **call_dates(), "evaluators": evaluators})
    assert created.status_code == 201, created.text
    call = created.json()
    assert call["phase"] == "proposals"
    path = f"/api/campaigns/{call['id']}"

    # Proposals, during the proposal phase.
    ideas = {}
    for key, title, unit in (("map", "Partager la carte des crues avec la voirie", "Urbanisme"),
                             ("sms", "Prévenir les écoles par SMS en cas de crue", "Éducation"),
                             ("gauge", "Ouvrir les relevés des capteurs de crue", "Urbanisme")):
        proposed = http("POST", "/api/ideas", token(unit=unit), json={
            "title": title, "body": "Les données existent déjà ; d'autres services en ont "
                                    "besoin.", "campaign_id": call["id"]})
        assert proposed.status_code == 201, proposed.text
        ideas[key] = proposed.json()["id"]
    for idea_id, supporters in ((ideas["map"], 3), (ideas["sms"], 1)):
        for _ in range(supporters):
            support(idea_id, token())

    # Proposals close: a new idea is refused with the phase and its dates.
    closed = http("PATCH", path, moderator, json={"proposals_until": at(minutes=-2)})
    assert closed.status_code == 200 and closed.json()["phase"] == "supports", closed.text
    late = http("POST", "/api/ideas", token(), json={
        "title": "Une idée arrivée trop tard", "body": "Les propositions sont closes.",
        "campaign_id": call["id"]})
    assert late.status_code == 409, late.text
    assert "ne reçoit plus de propositions" in late.json()["message"]
    assert "phase actuelle : soutiens" in late.json()["message"]
    support(ideas["gauge"], token())  # supports still open

    # Supports close: the votes service hears it from the call's event, then refuses.
    ended = http("PATCH", path, moderator, json={"supports_until": at(minutes=-1)})
    assert ended.json()["phase"] == "evaluation", ended.text
    latecomer = token()

    def refused_support():
        response = http("PUT", f"/api/votes/{ideas['sms']}", latecomer)
        return response.json() if response.status_code == 409 else None
    refusal = eventually(refused_support, message="the votes service saw supports close")
    assert "phase actuelle : évaluation" in refusal["message"]

    # Two evaluators score every idea; the map is the best scored.
    criteria = [c["key"] for c in call["criteria"]]
    marks = {"map": (5, 4), "sms": (2, 3), "gauge": (3, 3)}
    for n, evaluator in enumerate(evaluators):
        as_ = token(sub=evaluator["id"], name=evaluator["name"])
        for key, idea_id in ideas.items():
            scored = http("PUT", f"/api/ideas/{idea_id}/evaluation", as_, json={
                "scores": dict.fromkeys(criteria, marks[key][n]),
                "note": "Note privée de l'évaluatrice."})
            assert scored.status_code == 200, scored.text
    table = http("GET", f"{path}/evaluation?sort=mean", moderator).json()["items"]
    assert [row["id"] for row in table] == [ideas["map"], ideas["gauge"], ideas["sms"]]
    assert table[0]["mean"] == 4.5 and table[0]["scored"] == 2
    assert http("GET", f"{path}/evaluation", token()).status_code == 403

    # The moderator accepts the best-scored idea and appoints its owner, who reports.
    best = table[0]["id"]
    accepted = http("POST", f"/api/ideas/{best}/status", moderator, json={
        "status": "accepted", "note": "Retenue : la voirie s'en sert dès janvier."})
    assert accepted.status_code == 200, accepted.text
    appointed = http("PUT", f"/api/ideas/{best}/implementation", moderator, json={
        "owner": {"kind": "person", **owner}, "target_date": "2027-06-30"})
    assert appointed.status_code == 200, appointed.text
    carrying = token(sub=owner["id"], name=owner["name"])
    for milestone, percent in (("Carte exportée", 30), ("Voirie branchée sur la carte", 60)):
        posted = http("POST", f"/api/ideas/{best}/progress", carrying, json={
            "milestone": milestone, "percent": percent, "update": f"{milestone}."})
        assert posted.status_code == 200, posted.text

    reader = token()
    results = eventually(lambda: [(i["id"], i["percent"]) for i in http(
        "GET", f"{path}/results", reader).json()["items"]] == [(best, 60)] or None,
        message="the results show the chosen idea at 60 %")
    assert results
    page = browser(token=reader).get(f"/appels/{call['id']}/resultats")
    assert page.status_code == 200
    shown = Page(page.text)
    assert shown.value_of(f"avancement-{best}") == "60" and shown.shows("60\u00a0%")
