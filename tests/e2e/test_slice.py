"""The vertical slice through nginx: propose, support, count, digest."""
from tests.helpers import eventually


def test_a_peer_supports_an_idea_and_its_count_moves(http, propose, support, token, reader):
    idea = propose()
    assert idea["vote_count"] == 0

    answer = support(idea["id"], token())

    assert answer == {"idea_id": idea["id"], "voted": True, "count": 1}
    eventually(lambda: http("GET", f"/api/ideas/{idea['id']}", reader).json()["vote_count"] == 1,
               timeout=2, message="vote_count shows the support within 2 s")


def test_two_peers_and_a_double_click_count_two(http, propose, support, token, reader):
    idea = propose()
    first, second = token(), token()
    support(idea["id"], first)
    support(idea["id"], first)  # double click
    # The answer counts my own support at once; a peer's a few milliseconds later, once the
    # votes consumer has read it.
    assert support(idea["id"], second)["count"] >= 1
    eventually(lambda: http("GET", f"/api/votes/{idea['id']}", second).json()["count"] == 2)
    eventually(lambda: http("GET", f"/api/ideas/{idea['id']}", reader).json()["vote_count"] == 2)


def test_withdrawing_a_support_lowers_the_count(http, propose, support, token, reader):
    idea = propose()
    voter = token()
    support(idea["id"], voter)

    response = http("DELETE", f"/api/votes/{idea['id']}", voter)

    assert response.json() == {"idea_id": idea["id"], "voted": False, "count": 0}
    eventually(lambda: http("GET", f"/api/ideas/{idea['id']}", reader).json()["vote_count"] == 0)


def test_a_title_with_accents_quotes_and_dashes_round_trips(http, propose, reader):
    title = "Améliorer l'accueil du public — « guichet unique »"
    idea = propose(title=title, tags=("accueil", "Élus"))

    fetched = http("GET", f"/api/ideas/{idea['id']}", reader).json()

    assert fetched["title"] == title
    assert fetched["tags"] == ["accueil", "Élus"]


def test_the_author_and_unit_come_from_the_token(http, propose, token):
    me = token(sub="agent-zoe", name="Zoé Ørsted-Lefèvre", unit="Pôle solidarités")
    idea = propose(as_=me)
    assert idea["author"] == {"id": "agent-zoe", "name": "Zoé Ørsted-Lefèvre"}
    assert idea["unit"] == "Pôle solidarités"


def test_a_new_idea_is_listed_first_by_newest(http, propose, reader):
    idea = propose(title="Une boîte à livres dans le hall de l'hôtel de ville")
    eventually(lambda: http("GET", "/api/ideas?sort=new&limit=5", reader).json()["items"][0]["id"]
               == idea["id"], message="listed first by newest (lists follow Kafka)")
