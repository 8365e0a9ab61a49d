"""The moderators' duplicate finder: services.ideas.duplicates (pure, on vectors made by hand)
and GET /api/moderation/duplicates, POST …/dismiss (the whole app on fakes, real encoder)."""
import numpy as np
import pytest

from services.ideas import duplicates, meaning
from services.ideas.similar_index import SIMILAR_THRESHOLD, SimilarIndex, combined

pytestmark = pytest.mark.unit


def unit(*values):
    vector = np.zeros(meaning.DIMENSIONS, dtype=np.float32)
    vector[:len(values)] = values
    return vector / np.linalg.norm(vector)


def index_of(ideas):
    """ideas: id -> (vector, terms)."""
    index = SimilarIndex()
    for idea_id, (vector, terms) in ideas.items():
        index.put(idea_id, idea_id, terms, vector)
    return index


def pairs(index, ids=None, **options):
    return duplicates.possible_duplicates(
        duplicates.OpenIdeas(index, index.ids if ids is None else ids), **options)


# Three ideas about the same thing at decreasing closeness, and one about something else.
IDEAS = {
    "bike-1": (unit(1, 0, 0), ["velo", "electriqu", "agent"]),
    "bike-2": (unit(0.95, 0.3, 0), ["velo", "electriqu", "personnel"]),
    "bike-3": (unit(0.7, 0.7, 0), ["vae", "trajet"]),
    "pool": (unit(0, 0, 1), ["piscin", "dimanch"]),
}


def test_pairs_come_best_first_each_once_with_the_smaller_id_first():
    found = pairs(index_of(IDEAS), threshold=0)
    # The closest pair in words and in meaning first; the bikes' pairs before the pool's.
    assert [(a, b) for _, a, b in found][0] == ("bike-1", "bike-2")
    assert {(a, b) for _, a, b in found[:3]} == {("bike-1", "bike-2"), ("bike-2", "bike-3"),
                                                ("bike-1", "bike-3")}
    scores = [score for score, _, _ in found]
    assert scores == sorted(scores, reverse=True)
    assert len({(a, b) for _, a, b in found}) == len(found)
    assert all(a < b for _, a, b in found)


def test_the_score_is_the_similar_ideas_one_words_and_text_meaning():
    index = index_of(IDEAS)
    score = dict(((a, b), s) for s, a, b in pairs(index, threshold=0))[("bike-1", "bike-2")]
    closeness = float(IDEAS["bike-1"][0] @ IDEAS["bike-2"][0])
    words = index.words_of["bike-1"]
    index.lexicon.learn(words)
    soft = index.soft_cosines(index.lexicon.vectors_of(words, {}), index.idf(words),
                              ["bike-2"])[0]
    assert score == round(float(combined(soft, closeness)), 3)


def test_pairs_under_the_threshold_are_left_out():
    found = pairs(index_of(IDEAS))
    assert ("bike-1", "bike-2") in {(a, b) for _, a, b in found}
    assert not any("pool" in (a, b) for _, a, b in found)
    assert all(score >= SIMILAR_THRESHOLD for score, _, _ in found)


def test_only_the_ideas_asked_for_are_paired():
    found = pairs(index_of(IDEAS), ids=["bike-1", "bike-3", "pool"], threshold=0)
    assert {(a, b) for _, a, b in found} <= {("bike-1", "bike-3"), ("bike-1", "pool"),
                                             ("bike-3", "pool")}
    assert ("bike-1", "bike-3") in {(a, b) for _, a, b in found}


def test_ideas_far_in_meaning_but_sharing_a_rare_word_are_candidates_too():
    """Among many ideas close in meaning to the first, the one sharing its rare words is still
    scored, though it is not among its closest."""
    ideas = {f"crowd-{n:02d}": (unit(1, 0.01 * n, 0), ["commun"]) for n in range(30)}
    ideas["lsf-1"] = (unit(1, 0, 0), ["lsf", "sourd", "commun"])
    ideas["lsf-2"] = (unit(0.2, 1, 0), ["lsf", "sourd"])
    found = {(a, b) for _, a, b in pairs(index_of(ideas), neighbours=3)}
    assert ("lsf-1", "lsf-2") in found


def test_fewer_than_two_ideas_make_no_pair():
    assert pairs(index_of({"alone": IDEAS["pool"]})) == []
    assert pairs(SimilarIndex()) == []


def test_blocks_change_nothing_but_the_memory_used():
    rng = np.random.default_rng(3)
    ideas = {f"idea-{n:03d}": (unit(*rng.normal(size=8)), [f"t{rng.integers(40)}",
                                                            f"t{rng.integers(40)}"])
             for n in range(120)}
    index = index_of(ideas)
    assert pairs(index, threshold=0.1, block=7) == pairs(index, threshold=0.1, block=1024)


# The API, on fakes, with the real encoder: two duplicates worded differently.
VAE = {"title": "Prêter des VAE au personnel pour les trajets",
       "body": "Des vélos prêtés aux agents pour venir au travail et aller entre les sites."}
BIKES = {"title": "Des vélos à assistance électrique pour les agents",
         "body": "Mettre à disposition des agents des vélos électriques pour leurs trajets."}
POOL = {"title": "Ouvrir la piscine municipale le dimanche matin",
        "body": "Les nageurs réclament un créneau le week-end, la piscine est fermée."}


@pytest.fixture
def client(make_app, clock):
    return make_app("ideas").test_client()


@pytest.fixture
def proposed(client, auth):
    """The three ideas, proposed in that order (BIKES first: the older), by their ids."""
    def propose(fields):
        response = client.post("/api/ideas", json=fields, headers=auth("alice"))
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]
    return {"bikes": propose(BIKES), "vae": propose(VAE), "pool": propose(POOL)}


def listed(client, auth, **params):
    response = client.get("/api/moderation/duplicates", query_string=params,
                          headers=auth("modo", roles=("moderator",)))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def dismiss(client, auth, a, b):
    return client.post("/api/moderation/duplicates/dismiss", json={"a": a, "b": b},
                       headers=auth("modo", roles=("moderator",), name="Marc Modérateur"))


def test_two_duplicates_worded_differently_are_a_pair_the_older_first(client, auth, proposed):
    items = listed(client, auth)["items"]
    assert [(i["a"]["id"], i["b"]["id"]) for i in items] == [(proposed["bikes"],
                                                               proposed["vae"])]
    pair = items[0]
    assert pair["a"] == {"id": proposed["bikes"], "title": BIKES["title"],
                         "unit": "Service urbanisme", "vote_count": 0,
                         "created_at": pair["a"]["created_at"]}
    assert pair["a"]["created_at"] < pair["b"]["created_at"]
    assert SIMILAR_THRESHOLD <= pair["score"] <= 1


def test_a_dismissed_pair_leaves_the_list_for_good_once_however_often(client, auth, proposed):
    first = dismiss(client, auth, proposed["vae"], proposed["bikes"])
    again = dismiss(client, auth, proposed["bikes"], proposed["vae"])

    assert first.status_code == again.status_code == 200
    assert first.get_json() == again.get_json()
    assert first.get_json()["a"] == min(proposed["bikes"], proposed["vae"])
    assert listed(client, auth)["items"] == []
    log = client.get("/api/moderation/log", headers=auth("modo", roles=("moderator",)))
    entries = [e for e in log.get_json()["items"] if e["action"] == "not_duplicate"]
    assert len(entries) == 1
    assert {entries[0]["idea_id"], entries[0]["other"]} == {proposed["bikes"], proposed["vae"]}


@pytest.mark.parametrize("close", [
    lambda client, auth, ideas: client.post(f"/api/ideas/{ideas['vae']}/merge",
                                            json={"into": ideas["bikes"], "reason": "Doublon"},
                                            headers=auth("modo", roles=("moderator",))),
    lambda client, auth, ideas: client.post(f"/api/ideas/{ideas['vae']}/status",
                                            json={"status": "rejected", "note": "Non"},
                                            headers=auth("modo", roles=("moderator",))),
    lambda client, auth, ideas: client.post(f"/api/ideas/{ideas['vae']}/hide",
                                            json={"reason": "Hors charte"},
                                            headers=auth("modo", roles=("moderator",))),
    lambda client, auth, ideas: client.post(f"/api/ideas/{ideas['vae']}/withdraw",
                                            headers=auth("alice")),
], ids=["merged", "rejected", "hidden", "withdrawn"])
def test_an_idea_no_longer_open_leaves_its_pairs(client, auth, proposed, close):
    assert listed(client, auth)["items"]
    assert close(client, auth, proposed).status_code == 200
    assert listed(client, auth)["items"] == []


def test_pages_follow_each_other_with_the_cursor(client, auth, proposed):
    more = {"title": "Vélos électriques en prêt pour les agents",
            "body": "Des vélos à assistance électrique prêtés aux agents pour leurs trajets."}
    client.post("/api/ideas", json=more, headers=auth("bob"))
    everything = listed(client, auth, limit=100)["items"]
    assert len(everything) >= 2
    first = listed(client, auth, limit=1)
    second = listed(client, auth, limit=1, cursor=first["next_cursor"])
    assert first["items"] + second["items"] == everything[:2]


def test_an_unknown_idea_is_404_and_a_pair_of_one_idea_422(client, auth, proposed):
    assert dismiss(client, auth, proposed["vae"], "unknown").status_code == 404
    same = dismiss(client, auth, proposed["vae"], proposed["vae"])
    assert same.status_code == 422
    assert "b" in same.get_json()["errors"]


@pytest.mark.parametrize("cursor", ["WyJhIl0", "WzEsIDIsIDNd"])  # ["a"], [1, 2, 3]
def test_a_cursor_of_another_list_is_422(client, auth, cursor):
    response = client.get("/api/moderation/duplicates", query_string={"cursor": cursor},
                          headers=auth("modo", roles=("moderator",)))
    assert response.status_code == 422


@pytest.mark.parametrize("method, path", [("GET", "/api/moderation/duplicates"),
                                          ("POST", "/api/moderation/duplicates/dismiss")])
def test_only_moderators_see_and_dismiss_pairs(client, auth, method, path):
    response = client.open(path, method=method, json={"a": "x", "b": "y"}, headers=auth("alice"))
    assert response.status_code == 403


def test_pairs_computed_before_a_merge_leave_out_the_merged_idea(client, auth, proposed):
    """Right after a merge the pairs are those computed before it (the next computation waits
    for the interval), but checked against the ideas as they are now."""
    before = listed(client, auth)
    assert before["items"] and before["pending"] is False and before["computed_at"]
    merged = client.post(f"/api/ideas/{proposed['vae']}/merge",
                         json={"into": proposed["bikes"], "reason": "Doublon"},
                         headers=auth("modo", roles=("moderator",)))
    assert merged.status_code == 200
    assert listed(client, auth) == {"items": [], "next_cursor": None, "pending": True,
                                    "computed_at": before["computed_at"]}


def test_pairs_computed_before_a_dismissal_leave_out_the_dismissed_pair(client, auth,
                                                                          proposed):
    before = listed(client, auth)
    assert before["items"]
    client.post("/api/ideas", json={"title": "Un potager partagé", "body": "Sur le toit."},
                headers=auth("bob"))
    assert listed(client, auth)["pending"] is True
    assert dismiss(client, auth, proposed["vae"], proposed["bikes"]).status_code == 200
    after = listed(client, auth)
    assert (after["items"], after["computed_at"]) == ([], before["computed_at"])
