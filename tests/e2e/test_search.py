"""Finding ideas through the gateway: without accents or case, singular or plural, and the
"an idea close to yours may exist" hint."""
import random
import string

import pytest

from tests.helpers import eventually, settled


@pytest.fixture
def http(reading):
    """Searches as a signed-in agent reads (the hub's content needs a sign-in)."""
    return reading


@pytest.fixture
def word():
    """A made-up word of letters only, so each test finds only its own ideas."""
    return "".join(random.choices(string.ascii_lowercase, k=12))


def found(http, q):
    """The titles of the ideas holding the words of `q` (those close in meaning follow them,
    marked as such)."""
    return [i["title"] for i in http("GET", "/api/ideas", params={"q": q}).json()["items"]
            if i["match"] == "words"]


def finds(http, q, expected):
    """Lists are read models fed from Kafka: a new idea is listed within moments."""
    return eventually(lambda: found(http, q) == expected, message=f"{q!r} finds {expected}")


def test_search_ignores_accents_case_and_plurals(http, propose, word):
    title = f"Une piste cyclable sécurisée vers la gare {word}"
    propose(title=title, body="Le vélo pour venir au travail, sans danger.")
    propose(title=f"Un parking couvert pour les motos {word}")

    assert finds(http, f"Pistes Cyclables {word}", [title])
    assert finds(http, f"VELOS {word}", [title])
    assert finds(http, f"{word} sécurisé", [title])


def test_the_last_word_may_be_the_start_of_a_word(http, propose, word):
    title = f"Des composteurs partagés dans les cours d'école {word}"
    propose(title=title)

    assert finds(http, f"{word} compost", [title])


def test_every_word_of_the_query_must_match(http, propose, word):
    propose(title=f"Ouvrir la médiathèque le dimanche {word}")

    assert finds(http, f"{word} dimanche", [f"Ouvrir la médiathèque le dimanche {word}"])
    assert found(http, f"{word} piscine") == []


def test_similar_ideas_put_a_reworded_duplicate_first(http, propose, word):
    original = propose(title=f"Créer un guichet unique pour l'accueil du public {word}")
    propose(title=f"Repeindre les couloirs de la mairie {word}")

    def suggested():
        response = http("GET", "/api/ideas/similar",
                        params={"text": f"guichets uniques accueil des usagers {word}"})
        assert response.status_code == 200
        items = response.json()["items"]
        return items if items and items[0]["id"] == original["id"] else None
    items = eventually(suggested, message="the original first (lists follow Kafka)")

    assert 0 < items[0]["score"] <= 1
    assert len(items) <= 5


def listed(http, tok=None, **params):
    response = http("GET", "/api/ideas", tok, params=params)
    assert response.status_code == 200, response.text
    return [i["id"] for i in response.json()["items"]]


def test_tag_unit_and_author_filters(http, propose, token, word):
    mine, theirs = token(unit=f"Unité {word}"), token()
    a = propose(tags=(f"Élus{word}",), as_=mine)["id"]
    b = propose(tags=(f"elus{word}",), as_=theirs)["id"]

    # Each check may meet another process, whose list learns the new ideas a moment later.
    eventually(lambda: sorted(listed(http, tag=f"ELUS{word}")) == sorted([a, b]),
               message="both listed under the tag, whatever its case and accents")
    eventually(lambda: listed(http, unit=f"Unité {word}") == [a], message="by unit")
    mine_listed = eventually(lambda: (lambda ids: ids if a in ids else None)(
        listed(http, mine, author="me", limit=100)), message="mine")
    assert b not in mine_listed
    assert http("GET", "/api/ideas", "", params={"author": "me"}).status_code == 401


def test_discussed_and_trending_orders(http, propose, support, token, word):
    quiet, talked, supported = (propose(tags=(word,))["id"] for _ in range(3))
    for text in ("Oui", "Et aussi à l'école"):
        http("POST", f"/api/ideas/{talked}/comments", token(), json={"body": text})
    for _ in range(2):
        support(supported, token())

    eventually(lambda: listed(http, tag=word, sort="discussed")[0] == talked,
               message="comments counted")
    eventually(lambda: listed(http, tag=word, sort="trending") == [supported, talked, quiet],
               message="supports outweigh comments, which outweigh nothing")


def test_pages_neither_skip_nor_repeat_while_new_ideas_arrive(http, propose, word):
    before = [propose(title=f"Idée {n} de la pagination", tags=(word,))["id"] for n in range(5)]
    settled(lambda: len(listed(http, tag=word, limit=10)) == 5,
            message="all five listed by every process")
    seen, cursor = [], None
    while True:
        params = {"tag": word, "sort": "new", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = http("GET", "/api/ideas", params=params).json()
        seen += [i["id"] for i in page["items"]]
        propose(title="Une idée arrivée entre deux pages", tags=(word,))
        cursor = page["next_cursor"]
        if not cursor:
            break

    assert seen == before[::-1]


def test_facets_offer_the_units_and_tags_in_use_with_their_counts(http, propose, token, word):
    unit = f"Service {word}"
    author = token(unit=unit)
    propose(title=f"Des arceaux à vélos {word}", tags=[f"Vélo{word}", "urbanisme"], as_=author)
    propose(title=f"Des pistes cyclables {word}", tags=[f"vélo{word}"], as_=author)

    def counts():
        facets = http("GET", "/api/ideas/facets").json()
        return ({u["unit"]: u["count"] for u in facets["units"]}.get(unit),
                {t["tag"]: t["count"] for t in facets["tags"]}.get(f"Vélo{word}"),
                "urbanisme" in [t["tag"] for t in facets["tags"]])

    # Every ideas process (each follows Kafka on its own) counts both ideas and lists the tag,
    # in the same spelling: of two used equally often, the one with capitals.
    settled(lambda: counts() == (2, 2, True), message="both ideas counted")


def test_a_list_counts_its_results_and_pages_back_to_the_same_ideas(http, propose, token,
                                                                    word):
    unit = f"Service {word}"
    proposed = [propose(title=f"Idée {n} {word}", as_=token(unit=unit))["id"] for n in range(5)]
    query = {"unit": unit, "sort": "new", "limit": 2}
    settled(lambda: http("GET", "/api/ideas", params=query).json()["total"] == 5,
            message="the five ideas listed by every process")

    first = http("GET", "/api/ideas", params=query).json()
    second = http("GET", "/api/ideas", params={**query, "cursor": first["next_cursor"]}).json()
    third = http("GET", "/api/ideas", params={**query, "cursor": second["next_cursor"]}).json()
    back = http("GET", "/api/ideas", params={**query, "cursor": third["prev_cursor"]}).json()

    assert [i["id"] for i in first["items"] + second["items"] + third["items"]] == \
        proposed[::-1]
    assert second["prev_cursor"] is None  # the page before the second is the first
    assert back["items"] == second["items"] and back["total"] == 5
