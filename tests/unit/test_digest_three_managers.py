"""One seeded week, three managers with different scopes: each digest exactly right."""
from services.digest import domain
from tests.unit.builders import BEFORE, DURING, WEEK, digest_view, make_idea, make_subscription
from tests.unit.test_digest import change_status, supporters

OLD = "2026-10-20T10:00:00.000Z"


def seeded_week():
    cycling = make_idea(title="Pistes cyclables", unit="Urbanisme", tags=["vélo"])
    parking = make_idea(title="Parking vélo", unit="RH", tags=["vélo"], created_at=BEFORE)
    canteen = make_idea(title="Cantine bio", unit="RH", tags=["cantine"])
    archive = make_idea(title="Archives numérisées", unit="Urbanisme", tags=[], created_at=OLD)
    views = [
        digest_view(cycling, *supporters(4, DURING)),
        digest_view(parking, *supporters(2, BEFORE), *supporters(3, DURING, "w")),
        digest_view(canteen, *supporters(1, DURING)),
        digest_view(archive),
    ]
    change_status(views[2], canteen, "accepted", "Dès janvier.", DURING)
    return views


def digest_for(**scope):
    return domain.build(make_subscription(**scope), WEEK, seeded_week())


def test_a_unit_manager_sees_their_unit_only():
    content = digest_for(units=["Urbanisme"])

    assert [i["title"] for i in content["new_top"]] == ["Pistes cyclables"]
    assert [(i["title"], i["gain"]) for i in content["gains"]] == [("Pistes cyclables", 4)]
    assert content["status_changes"] == []
    assert [i["title"] for i in content["backlog"]] == ["Archives numérisées"]
    assert content["totals"] == {"new": 1, "supports": 4, "answers": 0}
    assert content["previous"] == {"new": 0, "supports": 0, "answers": 0}


def test_a_tag_manager_sees_the_tag_across_units_with_gains_not_totals():
    content = digest_for(tags=["velo"])

    assert [i["title"] for i in content["new_top"]] == ["Pistes cyclables"]
    assert [(i["title"], i["gain"], i["vote_count"]) for i in content["gains"]] == [
        ("Pistes cyclables", 4, 4), ("Parking vélo", 3, 5)]
    assert content["previous"] == {"new": 1, "supports": 2, "answers": 0}
    assert content["backlog"] == []


def test_a_manager_of_everything_sees_all_of_it_in_order():
    content = digest_for()

    assert content["new_count"] == 2
    assert [i["title"] for i in content["new_top"]] == ["Pistes cyclables", "Cantine bio"]
    assert [i["title"] for i in content["gains"]] == [
        "Pistes cyclables", "Parking vélo", "Cantine bio"]
    assert [(c["title"], c["status"], c["note"]) for c in content["status_changes"]] == [
        ("Cantine bio", "accepted", "Dès janvier.")]
    assert content["totals"] == {"new": 2, "supports": 8, "answers": 1}
