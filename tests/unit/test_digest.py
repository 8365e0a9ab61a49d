"""services.digest.domain.build: what a manager learns of their scope for one week."""
from services.digest import domain
from services.digest.store import DigestStore
from tests.unit.builders import (AFTER, BEFORE, DURING, WEEK, digest_view, envelope,
                                 make_idea, make_subscription, status_changed, submitted, vote)

EARLIER = "2026-11-10T10:00:00.000Z"  # in 2026-W46


def supporters(n, time, prefix="voter"):
    return [(f"{prefix}-{i}", time) for i in range(n)]


def change_status(view, idea, status, note, time):
    payload = status_changed(idea, status, note)
    domain.apply_idea_event(view, "idea.status_changed", payload,
                            envelope("idea.status_changed", payload, time))


def titles(items):
    return [item["title"] for item in items]


def test_a_unit_scope_sees_only_that_units_ideas():
    mine = digest_view(make_idea(title="Chez nous", unit="Service urbanisme"))
    theirs = digest_view(make_idea(title="Chez eux", unit="Service voirie"))

    content = domain.build(make_subscription(units=["Service urbanisme"]), WEEK, [mine, theirs])

    assert content["new_count"] == 1
    assert titles(content["new_top"]) == ["Chez nous"]


def test_a_tag_scope_sees_ideas_bearing_any_of_its_tags():
    ideas = [make_idea(title="Vélo", tags=["mobilité", "vélo"]),
             make_idea(title="Cantine", tags=["restauration"]),
             make_idea(title="Parking", tags=["mobilité"])]

    content = domain.build(make_subscription(tags=["vélo", "parking"]), WEEK,
                           [digest_view(i) for i in ideas])

    assert titles(content["new_top"]) == ["Vélo"]


def test_a_tag_scope_ignores_case_and_accents_as_ideas_do():
    view = digest_view(make_idea(tags=["Vélo"]))

    assert domain.build(make_subscription(tags=["velo"]), WEEK, [view]) is not None


def test_new_ideas_are_counted_and_the_most_supported_come_first():
    votes = [0, 4, 1, 6, 2, 3, 5]
    views = [digest_view(make_idea(title=f"Idée {n}"), *supporters(n, DURING)) for n in votes]
    views.append(digest_view(make_idea(title="Ancienne", created_at=BEFORE)))

    content = domain.build(make_subscription(), WEEK, views)

    assert content["new_count"] == len(votes)
    assert titles(content["new_top"]) == ["Idée 6", "Idée 5", "Idée 4", "Idée 3", "Idée 2"]
    assert [i["vote_count"] for i in content["new_top"]] == [6, 5, 4, 3, 2]


def test_an_idea_submitted_at_the_weeks_last_instant_is_new_that_week():
    last = digest_view(make_idea(created_at="2026-11-29T22:59:59.999Z"))
    next_week = digest_view(make_idea(created_at="2026-11-29T23:00:00.000Z"))

    assert domain.build(make_subscription(), WEEK, [last, next_week])["new_count"] == 1


def test_gains_count_supports_won_during_the_week_not_totals():
    idea = make_idea(title="Ancienne", created_at=EARLIER)
    view = digest_view(idea, *supporters(3, BEFORE, "old"), *supporters(2, DURING, "new"),
                       *supporters(1, AFTER, "late"))

    content = domain.build(make_subscription(), WEEK, [view])

    assert [(g["title"], g["gain"]) for g in content["gains"]] == [("Ancienne", 2)]
    assert content["new_count"] == 0


def test_gains_are_net_of_withdrawals_and_losses_are_left_out():
    won = digest_view(make_idea(title="Gagne", created_at=EARLIER),
                      ("a", DURING), ("b", DURING), ("a", DURING, 2, False))
    lost = digest_view(make_idea(title="Perd", created_at=EARLIER),
                       ("a", BEFORE), ("b", BEFORE), ("a", DURING, 2, False))
    ahead = digest_view(make_idea(title="Devant", created_at=EARLIER),
                        *supporters(3, DURING))

    content = domain.build(make_subscription(), WEEK, [won, lost, ahead])

    assert [(g["title"], g["gain"]) for g in content["gains"]] == [("Devant", 3), ("Gagne", 1)]


def test_status_changes_of_the_week_are_listed_with_their_notes_in_time_order():
    first, second, old = (make_idea(title=t, created_at=EARLIER) for t in ("Un", "Deux", "Vieux"))
    views = {i["title"]: digest_view(i) for i in (first, second, old)}
    change_status(views["Deux"], second, "accepted", "Prévu en 2027.", "2026-11-26T09:00:00.000Z")
    change_status(views["Un"], first, "rejected", "Hors budget.", "2026-11-25T09:00:00.000Z")
    change_status(views["Vieux"], old, "accepted", "", BEFORE)

    content = domain.build(make_subscription(), WEEK, list(views.values()))

    assert [(c["title"], c["status"], c["previous"], c["note"])
            for c in content["status_changes"]] == [
        ("Un", "rejected", "submitted", "Hors budget."),
        ("Deux", "accepted", "submitted", "Prévu en 2027."),
    ]


def test_nothing_in_scope_means_no_digest():
    elsewhere = digest_view(make_idea(unit="Service voirie"), *supporters(2, DURING))
    quiet = digest_view(make_idea(created_at=EARLIER), *supporters(2, BEFORE))

    assert domain.build(make_subscription(units=["Service urbanisme"]), WEEK,
                        [elsewhere, quiet]) is None


def test_votes_read_before_their_idea_are_not_in_any_scope(db):
    store = DigestStore(db)
    payload = vote("idea-not-yet-known")
    store.fold_votes([(payload, envelope("vote.cast", payload))])

    assert store.views_in_scope() == []
    assert store.views_in_scope(["service urbanisme"]) == []
    assert domain.build(make_subscription(), WEEK, store.views_in_scope()) is None


def test_votes_read_before_their_idea_count_once_it_arrives(db):
    store = DigestStore(db)
    idea = make_idea()
    payload = vote(idea["_id"])
    store.fold_votes([(payload, envelope("vote.cast", payload))])
    store.apply_idea_event("idea.submitted", submitted(idea),
                           envelope("idea.submitted", submitted(idea)))

    [view] = store.views_in_scope()
    assert (view["vote_count"], view["gains"]) == (1, {WEEK: 1})


def test_the_message_id_is_stable_per_subscription_and_week():
    assert domain.message_id("m-1", WEEK) == domain.message_id("m-1", WEEK)
    assert domain.message_id("m-1", WEEK) != domain.message_id("m-2", WEEK)
    assert domain.message_id("m-1", WEEK) != domain.message_id("m-1", "2026-W49")


def test_totals_are_the_supports_at_the_end_of_the_week_not_later():
    view = digest_view(make_idea(), *supporters(2, DURING), *supporters(3, AFTER, "late"))

    content = domain.build(make_subscription(), WEEK, [view])

    assert [i["vote_count"] for i in content["new_top"]] == [2]
    assert [(i["gain"], i["vote_count"]) for i in content["gains"]] == [(2, 2)]


def test_a_hidden_idea_is_named_in_no_digest_and_counts_as_waiting_for_moderation():
    shown = digest_view(make_idea(title="Visible"), *supporters(2, DURING))
    hidden = digest_view(make_idea(title="Propos injurieux", status="hidden"),
                         *supporters(3, DURING))

    content = domain.build(make_subscription(), WEEK, [shown, hidden])

    named = [item["title"] for part in ("new_top", "gains", "status_changes", "backlog")
             for item in content[part]]
    assert named == ["Visible", "Visible"]  # new, and its gains
    assert content["new_count"] == 1 and content["moderation_waiting"] == 1


def test_a_status_change_delivered_after_a_newer_event_is_still_told_once(db):
    store = DigestStore(db)
    idea = make_idea()
    first = submitted(idea)
    answered = status_changed(idea, "accepted", "Retenue pour 2027.")
    edited = {**submitted(idea), "version": idea["version"] + 1, "editor": idea["author"]}
    for name, payload in (("idea.submitted", first), ("idea.edited", edited),
                          ("idea.status_changed", answered), ("idea.status_changed", answered)):
        store.apply_idea_event(name, payload, envelope(name, payload, DURING))

    [view] = store.views_in_scope()
    content = domain.build(make_subscription(), WEEK, [view])
    assert [c["note"] for c in content["status_changes"]] == ["Retenue pour 2027."]
    assert db.ideas.find_one({"_id": idea["_id"]})["version"] == edited["version"]
