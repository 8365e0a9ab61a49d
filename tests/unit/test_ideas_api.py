"""The ideas HTTP API, its whole app on fakes: contract fields, errors in one shape, paging."""
import base64

import pytest

from shared.api import MAX_BODY_BYTES
from services.ideas import handlers
from tests.unit.builders import envelope, vote

TITLE = "Améliorer l'accueil du public — « guichet unique »"
CONTRACT_FIELDS = {"id", "title", "body", "tags", "unit", "author", "status", "status_note",
                   "merged_into", "vote_count", "comment_count", "created_at", "updated_at"}
# Added to the contract: the public timeline (answers, merges, withdrawal) and the history of edits.
ADDED_FIELDS = {"timeline", "history", "campaign_id", "implementation"}


def idea_in(**overrides):
    return {"title": TITLE, "body": "Un seul guichet pour les démarches courantes.",
            "tags": ["accueil"], **overrides}


@pytest.fixture
def app(make_app):
    return make_app("ideas")


@pytest.fixture
def client(app, auth):
    """A signed-in reader's client: reading is for signed-in people unless the hub's reading
    is public (HUB_PUBLIC_READ). A request's own Authorization header takes precedence."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = auth("reader")["Authorization"]
    return client


@pytest.mark.parametrize("path", ["/api/ideas", "/api/ideas/similar?text=guichet",
                                  "/api/ideas/facets",
                                  "/api/ideas/unknown", "/api/ideas/unknown/comments"])
def test_reading_needs_a_sign_in_unless_the_hub_reads_in_public(make_app, config, path):
    closed = make_app("ideas").test_client().get(path)
    assert_error(closed, 401, "Unauthorized")

    public = make_app("ideas", config.with_overrides(public_read=True)).test_client().get(path)
    assert public.status_code in (200, 404)


@pytest.fixture
def post_idea(client, auth):
    """post_idea(**fields) -> the response to POST /api/ideas by agent alice."""
    def post(**overrides):
        return client.post("/api/ideas", json=idea_in(**overrides),
                           headers=auth("alice", name="Alice Martin"))
    return post


def assert_error(response, code, label):
    body = response.get_json()
    assert response.status_code == code, body
    assert body["code"] == code
    assert body["status"] == label
    assert body["message"]
    return body


def test_submitting_an_idea_answers_201_with_the_contract_fields(post_idea):
    response = post_idea()

    assert response.status_code == 201
    idea = response.get_json()
    assert set(idea) == CONTRACT_FIELDS | ADDED_FIELDS
    assert idea["timeline"] == []
    assert idea["implementation"] is None  # until a chosen idea gets an owner
    assert idea["author"] == {"id": "alice", "name": "Alice Martin"}
    assert idea["unit"] == "Service urbanisme"
    assert (idea["status"], idea["status_note"], idea["merged_into"]) == ("submitted", "", None)
    assert (idea["vote_count"], idea["comment_count"]) == (0, 0)
    assert idea["created_at"] == idea["updated_at"]


def test_submitting_an_idea_publishes_exactly_one_idea_submitted(post_idea, publisher, outbox):
    idea = post_idea().get_json()

    assert publisher.types() == ["idea.submitted.v1"]
    event = publisher.events[0]
    assert event["subject"] == event["data"]["idea_id"] == idea["id"]
    assert event["data"]["idea"]["title"] == TITLE
    assert outbox.unsent(older_than=-1) == []  # acknowledged, so cleared


def test_french_punctuation_and_accents_round_trip_intact(client, post_idea):
    created = post_idea(tags=["Accueil", "Vélo"]).get_json()

    stored = client.get(f"/api/ideas/{created['id']}").get_json()
    assert stored["title"] == TITLE
    assert stored["tags"] == ["Accueil", "Vélo"]


def test_submitting_without_a_token_is_401(app):
    response = app.test_client().post("/api/ideas", json=idea_in())

    assert_error(response, 401, "Unauthorized")


@pytest.mark.parametrize("header", ["Bearer not-a-jwt", "Basic YWxpY2U6c2VjcmV0", "Bearer "])
def test_submitting_with_a_bad_token_is_401(client, header):
    response = client.post("/api/ideas", json=idea_in(), headers={"Authorization": header})

    assert_error(response, 401, "Unauthorized")


def test_a_manager_who_is_not_an_agent_cannot_submit(client, auth):
    response = client.post("/api/ideas", json=idea_in(), headers=auth("boss", roles=["manager"]))

    assert_error(response, 403, "Forbidden")


@pytest.mark.parametrize("field, fields", [
    ("title", {"title": "Bof"}),
    ("title", {"title": " \t\n  "}),
    ("body", {"body": "Court"}),
    ("tags", {"tags": "accueil"}),
    ("tags", {"tags": ["a", "b", "c", "d", "e", "f"]}),
    ("priority", {"priority": "haute"}),
])
def test_invalid_input_is_422_naming_the_field(post_idea, publisher, field, fields):
    body = assert_error(post_idea(**fields), 422, "Unprocessable Entity")

    assert set(body) == {"code", "status", "message", "errors"}
    assert list(body["errors"]) == [field]
    assert body["errors"][field]
    assert publisher.events == []


def test_broken_json_is_400_in_the_error_shape(client, auth):
    response = client.post("/api/ideas", data='{"title": "Un', content_type="application/json",
                           headers=auth())

    assert_error(response, 400, "Bad Request")


def test_half_a_surrogate_pair_is_400_like_bytes_that_are_not_utf8(client, auth, publisher):
    """Valid JSON syntax, but text no UTF-8 store can hold: it used to reach the store (500)."""
    response = client.post("/api/ideas", data='{"title": "Un \\ud800 titre", "body": "Un corps '
                           'assez long."}', content_type="application/json", headers=auth())

    assert_error(response, 400, "Bad Request")
    assert publisher.events == []


def test_a_body_over_one_mebibyte_is_413(client, auth):
    response = client.post("/api/ideas", json=idea_in(body="x" * MAX_BODY_BYTES),
                           headers=auth())

    assert_error(response, 413, "Request Entity Too Large")


def test_an_unknown_idea_is_404_in_the_error_shape(client):
    assert_error(client.get("/api/ideas/nope"), 404, "Not Found")


def test_health_answers_200(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_openapi_describes_the_idea_routes(client):
    paths = client.get("/openapi.json").get_json()["paths"]

    assert {"/api/ideas", "/api/ideas/{idea_id}"} <= set(paths)
    assert {"get", "post"} <= set(paths["/api/ideas"])


@pytest.fixture
def five_ideas(post_idea, clock):
    """Ids of five ideas, oldest first, submitted a second apart."""
    return [post_idea(title=f"Idée numéro {n}").get_json()["id"] for n in range(5)]


def ids(response):
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


def test_newest_ideas_come_first(client, five_ideas):
    assert ids(client.get("/api/ideas?sort=new")) == five_ideas[::-1]


def test_most_supported_ideas_come_first(client, app, five_ideas, rows):
    store = app.extensions["hub"].extra["ideas"]
    for idea_id, supporters in zip(five_ideas, [0, 2, 0, 3, 1]):
        for n in range(supporters):
            payload = vote(idea_id, f"voter-{n}")
            handlers.on_votes_changed([(payload, envelope("vote.cast", payload))], store, rows)

    top = ids(client.get("/api/ideas?sort=top"))

    a, b, c, d, e = five_ideas
    assert top == [d, b, e, c, a]  # equal counts: newest first


@pytest.mark.parametrize("sort", ["new", "top"])
def test_pages_follow_the_cursor_and_list_every_idea_once(client, five_ideas, sort):
    everything = ids(client.get(f"/api/ideas?sort={sort}"))
    seen, cursor = [], None
    while True:
        query = f"?sort={sort}&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"/api/ideas{query}")
        assert len(ids(page)) <= 2
        seen += ids(page)
        cursor = page.get_json()["next_cursor"]
        if cursor is None:
            break

    assert seen == everything
    assert sorted(seen) == sorted(five_ideas)


@pytest.mark.parametrize("query", ["cursor=%%%", "cursor=eyJhIjoxfQ", "limit=0", "limit=101",
                                   "sort=old", "status=lost"])
def test_bad_list_arguments_are_422(client, query):
    assert_error(client.get(f"/api/ideas?{query}"), 422, "Unprocessable Entity")


def test_a_cursor_of_another_sort_is_422(client, five_ideas):
    cursor = client.get("/api/ideas?sort=new&limit=2").get_json()["next_cursor"]

    response = client.get(f"/api/ideas?sort=top&limit=2&cursor={cursor}")

    assert_error(response, 422, "Unprocessable Entity")


def test_an_unknown_query_parameter_is_422_naming_it(client):
    response = client.get("/api/ideas?colour=rouge")

    assert_error(response, 422, "Unprocessable Entity")
    assert "colour" in response.get_json()["errors"]


def test_the_moderation_queue_pages_oldest_first_and_counts_by_reason(client, auth, clock):
    ids = [client.post("/api/ideas", json=idea_in(title=f"Idée en attente {n}"),
                       headers=auth(f"agent-{n}")).get_json()["id"] for n in range(5)]
    moderator = auth("modo", roles=("agent", "moderator"))
    client.post(f"/api/ideas/{ids[3]}/flags", json={"reason": "spam"}, headers=auth("bob"))
    for reporter in ("ann", "ben", "cyd"):  # hidden by the threshold, awaiting review
        client.post(f"/api/ideas/{ids[4]}/flags", json={"reason": "off_topic"},
                    headers=auth(reporter))

    first = client.get("/api/moderation/queue?limit=2", headers=moderator).get_json()
    rest = client.get(f"/api/moderation/queue?limit=2&cursor={first['next_cursor']}",
                      headers=moderator).get_json()
    last = client.get(f"/api/moderation/queue?limit=2&cursor={rest['next_cursor']}",
                      headers=moderator).get_json()
    reported = client.get("/api/moderation/queue?why=reported", headers=moderator).get_json()

    assert [i["id"] for i in first["items"] + rest["items"] + last["items"]] == ids
    assert last["next_cursor"] is None
    assert first["counts"] == {"hidden": 1, "reported": 1, "unanswered": 3}
    assert [(i["id"], i["pending_flags"], i["reasons"]) for i in reported["items"]] == [
        (ids[3], 1, ["spam"])]


def test_a_queue_cursor_from_another_order_is_refused(client, auth):
    top_cursor = ("WzQyLCAiMjAyNi0xMS0xNlQwODo0MjoxNy41MTJaIiwgIjA0MDI1N2RiNjlhNjRjNGU5NDgyZGNi"
                  "ODRhMmQwYWI2Il0")  # [vote_count, created_at, id]
    response = client.get(f"/api/moderation/queue?cursor={top_cursor}",
                          headers=auth("modo", roles=("agent", "moderator")))
    assert_error(response, 422, "Unprocessable Entity")


def test_validation_details_are_in_french(post_idea):
    response = post_idea(title="Oui", body=3, tags=["a"] * 6, couleur="bleu")
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "title": ["Entre 5 et 140 caractères."], "body": ["Texte attendu."],
        "tags": ["Au plus 5 éléments."], "couleur": ["Champ inconnu."]}


@pytest.mark.parametrize("raw", ["[" * 1000, "[" * 100000])
def test_a_forged_cursor_of_nested_brackets_is_422_not_500(client, raw):
    cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    assert_error(client.get(f"/api/ideas?cursor={cursor}"), 422, "Unprocessable Entity")


def test_similar_ideas_refuse_a_draft_longer_than_a_title_and_first_lines(client):
    assert_error(client.get("/api/ideas/similar", query_string={"text": "mot " * 300}),
                 422, "Unprocessable Entity")


def test_an_author_editing_over_and_over_is_slowed_with_429(client, post_idea, auth):
    idea_id = post_idea().get_json()["id"]
    edit = lambda n: client.patch(f"/api/ideas/{idea_id}", json={"title": f"Titre numéro {n}"},
                                  headers=auth("alice", name="Alice Martin"))

    assert all(edit(n).status_code == 200 for n in range(30))
    refused = edit(30)

    assert_error(refused, 429, "Too Many Requests")
    assert int(refused.headers["Retry-After"]) > 0


def test_a_rejection_without_a_note_is_422_naming_the_note(client, post_idea, auth):
    idea_id = post_idea().get_json()["id"]
    moderator = auth("maelle", roles=("moderator",))

    refused = client.post(f"/api/ideas/{idea_id}/status", headers=moderator,
                          json={"status": "rejected", "note": "  "})
    explained = client.post(f"/api/ideas/{idea_id}/status", headers=moderator,
                            json={"status": "rejected", "note": "Déjà prévu par la région."})

    assert refused.status_code == 422 and "note" in refused.get_json()["errors"]
    assert explained.status_code == 200, explained.get_json()


def test_an_idea_is_not_marked_done_without_saying_what_was_done(client, post_idea, auth):
    idea_id = post_idea().get_json()["id"]
    moderator = auth("maelle", roles=("moderator",))
    for step in ("accepted", "in_progress"):
        assert client.post(f"/api/ideas/{idea_id}/status", headers=moderator,
                           json={"status": step, "note": ""}).status_code == 200

    refused = client.post(f"/api/ideas/{idea_id}/status", headers=moderator,
                          json={"status": "implemented", "note": ""})
    done = client.post(f"/api/ideas/{idea_id}/status", headers=moderator,
                       json={"status": "implemented", "note": "Casiers posés en mars."})

    assert refused.status_code == 422
    assert "ce qui a été fait" in refused.get_json()["errors"]["note"][0]
    assert done.status_code == 200 and done.get_json()["status"] == "implemented"


def test_an_author_does_not_report_their_own_idea(post_idea, client, auth):
    idea = post_idea().get_json()

    own = client.post(f"/api/ideas/{idea['id']}/flags", json={"reason": "spam"},
                      headers=auth("alice"))

    assert_error(own, 409, "Conflict")
    assert client.post(f"/api/ideas/{idea['id']}/flags", json={"reason": "spam"},
                       headers=auth("bob")).status_code == 201


def test_a_hiding_reviewed_leaves_the_queue_and_a_contest_brings_it_back(client, auth):
    author = auth("agent-0")
    mine = client.post("/api/ideas", json=idea_in(), headers=author).get_json()["id"]
    other = client.post("/api/ideas", json=idea_in(), headers=author).get_json()["id"]
    moderator = auth("modo", roles=("agent", "moderator"))
    for reporter in ("ann", "ben", "cyd"):
        client.post(f"/api/ideas/{other}/flags", json={"reason": "spam"}, headers=auth(reporter))
    client.post(f"/api/ideas/{mine}/hide", json={"reason": "Hors sujet"}, headers=moderator)

    def hidden_waiting():
        page = client.get("/api/moderation/queue?why=hidden", headers=moderator).get_json()
        return [i["id"] for i in page["items"]]
    assert hidden_waiting() == [other]  # a moderator hid `mine`: reviewed already

    client.post(f"/api/ideas/{other}/confirm", json={"reason": "Publicité"}, headers=moderator)
    assert hidden_waiting() == []
    contest = client.post(f"/api/ideas/{mine}/contest", json={"text": "Il est dans le sujet."},
                          headers=author)
    assert contest.status_code == 200
    page = client.get("/api/moderation/queue?why=hidden", headers=moderator).get_json()
    assert [(i["id"], i["contest"]["text"]) for i in page["items"]] == [
        (mine, "Il est dans le sujet.")]


def test_pages_go_back_with_prev_cursor_to_the_very_same_ideas(client, five_ideas):
    first = client.get("/api/ideas?sort=new&limit=2").get_json()
    second = client.get(f"/api/ideas?sort=new&limit=2&cursor={first['next_cursor']}").get_json()
    third = client.get(f"/api/ideas?sort=new&limit=2&cursor={second['next_cursor']}").get_json()

    assert first["prev_cursor"] is None and second["prev_cursor"] is None  # back to the first
    back = client.get(f"/api/ideas?sort=new&limit=2&cursor={third['prev_cursor']}").get_json()
    assert [i["id"] for i in back["items"]] == [i["id"] for i in second["items"]]
    assert [i["id"] for i in third["items"]] == five_ideas[:1]


def test_a_list_says_how_many_ideas_its_filter_finds_in_all(client, post_idea):
    for n in range(3):
        post_idea(title=f"Des pistes cyclables {n}", tags=["Vélo"] if n else [])
    post_idea(title="Un guichet unique")

    def total(query):
        return client.get(f"/api/ideas?limit=1&{query}").get_json()["total"]

    assert total("") == 4
    assert total("tag=velo") == 2
    assert total("q=cyclables&unit=Service+urbanisme") == 3
    assert total("unit=Cabinet") == 0


def test_facets_list_the_units_and_tags_in_use_with_their_counts(client, post_idea, auth):
    post_idea(tags=["Mobilité", "vélo"])
    post_idea(tags=["mobilité"])

    facets = client.get("/api/ideas/facets")

    assert facets.status_code == 200
    assert facets.get_json() == {"units": [{"unit": "Service urbanisme", "count": 2}],
                                 "tags": [{"tag": "Mobilité", "count": 2},
                                          {"tag": "vélo", "count": 1}]}


def test_a_merge_without_a_reason_is_refused_and_changes_nothing(client, auth, post_idea):
    duplicate, target = (post_idea(title=f"Un guichet unique, version {n}").get_json()["id"]
                         for n in (1, 2))
    moderator = auth("modo", roles=("moderator",))
    for body in ({"into": target}, {"into": target, "reason": "  "}):
        refused = client.post(f"/api/ideas/{duplicate}/merge", json=body, headers=moderator)
        assert refused.status_code == 422 and "reason" in refused.get_json()["errors"]
    assert client.get(f"/api/ideas/{duplicate}").get_json()["status"] == "submitted"
