"""GET /api/ideas?q=: the exact matches first, in the list's sort, then the ideas close in
meaning (services.ideas.search_pages), with pages and totals that agree. The whole app on
fakes, with the real encoder."""
import pytest

pytestmark = pytest.mark.unit

EXACT = [{"title": f"Un vélo électrique de service n° {n}",
          "body": "Un vélo électrique pour les tournées des agents."} for n in range(3)]
VAE = {"title": "Prêter des VAE au personnel pour les trajets",
       "body": "Des deux-roues prêtés aux agents pour venir au travail."}
POOL = {"title": "Ouvrir la piscine municipale le dimanche matin",
        "body": "Les nageurs réclament un créneau le week-end, la piscine est fermée."}


@pytest.fixture
def client(make_app, auth, clock):
    client = make_app("ideas").test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = auth("reader")["Authorization"]
    return client


@pytest.fixture
def ideas(client, auth, monkeypatch):
    made = {}
    for name, fields, unit in [("exact-0", EXACT[0], "Service urbanisme"),
                               ("vae", VAE, "Service urbanisme"),
                               ("exact-1", EXACT[1], "Service urbanisme"),
                               ("pool", POOL, "Service urbanisme"),
                               ("exact-2", EXACT[2], "Direction des sports")]:
        response = client.post("/api/ideas", json=fields, headers=auth("alice", unit=unit))
        assert response.status_code == 201
        made[name] = response.get_json()["id"]
    # Close in meaning to the query: the pool (a fake score, so that the rule is what is
    # tested), and an exact match, which stays among the exact ones.
    monkeypatch.setattr("services.ideas.store.IdeaStore.similar", lambda self, text, limit: [
        (made["exact-1"], "", 0.6), (made["pool"], "", 0.3)])
    return made


def search(client, **params):
    response = client.get("/api/ideas", query_string={"q": "vélo électrique", **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def names(ideas, items):
    by_id = {idea_id: name for name, idea_id in ideas.items()}
    return [by_id[item["id"]] for item in items]


def test_exact_matches_come_first_in_the_sort_then_the_idea_close_in_meaning(client, ideas):
    page = search(client)
    assert names(ideas, page["items"]) == ["exact-2", "exact-1", "vae", "exact-0", "pool"]
    assert [item["match"] for item in page["items"]] == ["words"] * 4 + ["meaning"]
    assert page["total"] == 5
    assert page["next_cursor"] is None


def test_an_abbreviation_matches_what_it_stands_for(client, ideas):
    """"VAE" stands for "vélo à assistance électrique": its idea holds the words searched."""
    assert "vae" in names(ideas, search(client)["items"][:4])


def test_the_other_filters_apply_to_the_ideas_close_in_meaning_too(client, ideas):
    assert names(ideas, search(client, unit="Direction des sports")["items"]) == ["exact-2"]
    assert search(client, unit="Direction des sports")["total"] == 1


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_pages_go_forward_and_back_through_both_parts_once_each(client, ideas, limit):
    seen, pages, cursor = [], [], None
    while True:
        page = search(client, limit=limit, **({"cursor": cursor} if cursor else {}))
        assert page["total"] == 5
        pages.append(page)
        seen += names(ideas, page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["exact-2", "exact-1", "vae", "exact-0", "pool"]
    # Back from each page: the page before it, as it was read going forward.
    for before, page in zip(pages, pages[1:]):
        back = page["prev_cursor"]
        again = search(client, limit=limit, **({"cursor": back} if back else {}))
        assert names(ideas, again["items"]) == names(ideas, before["items"])
    assert pages[0]["prev_cursor"] is None


def test_a_meaning_cursor_is_taken_only_with_a_search(client, ideas):
    page = search(client, limit=4)
    cursor = page["next_cursor"]

    assert client.get("/api/ideas", query_string={"cursor": cursor}).status_code == 422
