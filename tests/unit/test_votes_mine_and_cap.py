"""GET /api/votes/mine, and the optional cap on how many open ideas one person supports."""
import pytest

from services.votes import handlers
from tests.unit.builders import envelope, make_idea, merged, status_changed, submitted, unmerged
from tests.unit.test_votes import answer, app, client, feed_idea, store, support  # noqa: F401

CAP = 2


@pytest.fixture
def config(config):
    return config.with_overrides(votes_cap=CAP)


@pytest.fixture
def ideas(feed_idea):  # noqa: F811
    """Four open ideas the votes service knows."""
    return [idea["_id"] for idea in known_ideas(feed_idea)]


def known_ideas(feed_idea, count=4):  # noqa: F811
    made = [make_idea(title=f"Idée numéro {n}") for n in range(count)]
    for idea in made:
        feed_idea("idea.submitted", submitted(idea))
    return made


def mine(client, auth, voter="bob"):  # noqa: F811
    return answer(client.get("/api/votes/mine", headers=auth(voter)))["items"]


def test_mine_lists_what_i_support_newest_first(client, auth, support, ideas):  # noqa: F811
    support("PUT", ideas[0])
    support("PUT", ideas[1])
    support("PUT", ideas[0], voter="alice")

    assert [i["idea_id"] for i in mine(client, auth)] == [ideas[1], ideas[0]]
    assert {i["status"] for i in mine(client, auth)} == {"submitted"}


def test_a_withdrawn_support_leaves_mine(client, auth, support, ideas):  # noqa: F811
    support("PUT", ideas[0])
    support("DELETE", ideas[0])

    assert mine(client, auth) == []


def test_past_the_cap_a_new_support_is_409_until_one_is_withdrawn(support, ideas):  # noqa: F811
    for idea_id in ideas[:CAP]:
        answer(support("PUT", idea_id))

    refused = support("PUT", ideas[CAP])
    assert refused.status_code == 409
    assert f"{CAP} idées" in refused.get_json()["message"]
    answer(support("PUT", ideas[0]))  # supporting again what I support is no new support

    answer(support("DELETE", ideas[0]))
    answer(support("PUT", ideas[CAP]))


def test_supports_of_closed_ideas_do_not_count_toward_the_cap(
        support, ideas, feed_idea):  # noqa: F811
    for idea_id in ideas[:CAP]:
        answer(support("PUT", idea_id))
    closed = make_idea(_id=ideas[0], title="Idée numéro 0")
    feed_idea("idea.status_changed", status_changed({**closed, "version": 2}, "implemented"))

    answer(support("PUT", ideas[CAP]))


def test_a_merge_moves_a_support_with_its_place_so_the_cap_still_holds(
        support, feed_idea, store, publisher):  # noqa: F811
    first, duplicate, target, fourth = known_ideas(feed_idea)
    answer(support("PUT", first["_id"]))
    answer(support("PUT", duplicate["_id"]))
    payload = merged(duplicate, target)
    handlers.on_idea_merged(payload, envelope("idea.merged", payload), store, publisher.publish)

    # Bob now supports `first` and, through the merge, `target`: the cap's two places.
    assert support("PUT", fourth["_id"]).status_code == 409

    payload = unmerged(duplicate)
    handlers.on_idea_unmerged(payload, envelope("idea.unmerged", payload), store,
                              publisher.publish)
    # The duplicate, open again and still supported, has its place back.
    assert support("PUT", fourth["_id"]).status_code == 409
    answer(support("DELETE", duplicate["_id"]))
    answer(support("PUT", fourth["_id"]))
