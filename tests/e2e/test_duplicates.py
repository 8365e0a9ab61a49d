"""The moderators' duplicate finder and search by meaning, through the gateway: two ideas
worded differently are offered as a pair; "not a duplicate" removes it for good; merging from
the finder merges; `q=vélo électrique` finds the idea about VAE. Each ideas process follows
Kafka on its own and computes the pairs in the background (services/ideas/latest_pairs.py,
every 2 s on the test stack): reads after writes wait until every process agrees
(`settled`)."""
import pytest

from tests.helpers import settled

BIKES = ("Des vélos à assistance électrique pour les agents",
         "Mettre à disposition des agents des vélos électriques pour leurs trajets de service.")
VAE = ("Prêter des VAE au personnel pour les trajets",
       "Des deux-roues prêtés au personnel pour venir au travail et circuler entre les sites.")


@pytest.fixture
def moderator(token):
    return token(roles=("agent", "moderator"), name="Inès Bouchard")


@pytest.fixture
def pair(http, token):
    """The two ideas, the bikes first (the older)."""
    author = token()
    made = []
    for title, body in (BIKES, VAE):
        response = http("POST", "/api/ideas", author,
                        json={"title": title, "body": body})
        assert response.status_code == 201, response.text
        made.append(response.json()["id"])
    return made


def pairs_of(http, moderator):
    """Every pair the finder offers, across its pages, as {(a, b): item}."""
    found, cursor = {}, None
    while True:
        page = http("GET", "/api/moderation/duplicates?limit=100"
                    + (f"&cursor={cursor}" if cursor else ""), moderator)
        assert page.status_code == 200, page.text
        body = page.json()
        found.update({(i["a"]["id"], i["b"]["id"]): i for i in body["items"]})
        cursor = body["next_cursor"]
        if cursor is None:
            return found


def offered(http, moderator, a, b):
    return (a, b) in pairs_of(http, moderator)


def test_two_duplicates_worded_differently_are_offered_and_dismissed_for_good(
        http, moderator, pair):
    bikes, vae = pair
    seen = []
    settled(lambda: seen.append(pairs_of(http, moderator).get((bikes, vae))) or seen[-1],
            timeout=30, message="pair offered")
    page = http("GET", "/api/moderation/duplicates?limit=1", moderator).json()
    assert page["computed_at"] and isinstance(page["pending"], bool)
    item = seen[-1]
    assert item["a"]["title"] == BIKES[0] and item["b"]["title"] == VAE[0]
    assert 0.51 <= item["score"] <= 1  # similar_index.SIMILAR_THRESHOLD

    for _ in range(2):  # a double click makes one record
        dismissed = http("POST", "/api/moderation/duplicates/dismiss", moderator,
                         json={"a": vae, "b": bikes})
        assert dismissed.status_code == 200, dismissed.text
        assert {dismissed.json()["a"], dismissed.json()["b"]} == {bikes, vae}
    settled(lambda: not offered(http, moderator, bikes, vae), message="pair gone")
    log = http("GET", "/api/moderation/log", moderator).json()["items"]
    assert len([e for e in log if e["action"] == "not_duplicate"
                and {e["idea_id"], e["other"]} == {bikes, vae}]) == 1


def test_merging_from_the_finder_takes_the_pair_off_the_list(http, moderator, pair):
    bikes, vae = pair
    settled(lambda: offered(http, moderator, bikes, vae), timeout=30, message="pair offered")
    merged = http("POST", f"/api/ideas/{vae}/merge", moderator,
                  json={"into": bikes, "reason": "Doublon"})
    assert merged.status_code == 200 and merged.json()["status"] == "duplicate"
    settled(lambda: not offered(http, moderator, bikes, vae), message="pair gone")


def test_an_unknown_idea_is_404_the_same_idea_twice_422_and_agents_403(
        http, moderator, token, pair):
    bikes, _ = pair
    assert http("POST", "/api/moderation/duplicates/dismiss", moderator,
                json={"a": bikes, "b": "inconnue"}).status_code == 404
    assert http("POST", "/api/moderation/duplicates/dismiss", moderator,
                json={"a": bikes, "b": bikes}).status_code == 422
    assert http("GET", "/api/moderation/duplicates", token()).status_code == 403


def test_a_search_for_electric_bikes_finds_the_idea_about_vae(http, token, pair):
    _, vae = pair
    reader = token()

    def found():
        page = http("GET", "/api/ideas?q=v%C3%A9lo%20%C3%A9lectrique&limit=100", reader).json()
        return vae in [i["id"] for i in page["items"]]
    settled(found, message="VAE found")
