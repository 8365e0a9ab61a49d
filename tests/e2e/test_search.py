"""Finding ideas through the gateway: without accents or case, singular or plural, and the
"an idea close to yours may exist" hint."""
import random
import string

import pytest


@pytest.fixture
def word():
    """A made-up word of letters only, so each test finds only its own ideas."""
    return "".join(random.choices(string.ascii_lowercase, k=12))


def found(http, q):
    return [i["title"] for i in http("GET", "/api/ideas", params={"q": q}).json()["items"]]


def test_search_ignores_accents_case_and_plurals(http, propose, word):
    title = f"Une piste cyclable sécurisée vers la gare {word}"
    propose(title=title, body="Le vélo pour venir au travail, sans danger.")
    propose(title=f"Un parking couvert pour les motos {word}")

    assert found(http, f"Pistes Cyclables {word}") == [title]
    assert found(http, f"VELOS {word}") == [title]
    assert found(http, f"{word} sécurisé") == [title]


def test_the_last_word_may_be_the_start_of_a_word(http, propose, word):
    title = f"Des composteurs partagés dans les cours d'école {word}"
    propose(title=title)

    assert found(http, f"{word} compost") == [title]


def test_every_word_of_the_query_must_match(http, propose, word):
    propose(title=f"Ouvrir la médiathèque le dimanche {word}")

    assert found(http, f"{word} piscine") == []


def test_similar_ideas_put_a_reworded_duplicate_first(http, propose, word):
    original = propose(title=f"Créer un guichet unique pour l'accueil du public {word}")
    propose(title=f"Repeindre les couloirs de la mairie {word}")

    response = http("GET", "/api/ideas/similar",
                    params={"text": f"guichets uniques accueil des usagers {word}"})

    assert response.status_code == 200
    items = response.json()["items"]
    assert items[0]["id"] == original["id"] and 0 < items[0]["score"] <= 1
    assert len(items) <= 5
