"""Every refusal through the gateway comes in the contract's error shape."""
import pytest

VALID = {"title": "Un titre assez long", "body": "Un corps de plus de dix caractères."}


def assert_error_shape(response, code):
    assert response.status_code == code, response.text
    body = response.json()
    assert body["code"] == code
    assert body["status"]
    assert isinstance(body["message"], str) and body["message"]
    return body


def test_no_token_is_401(http):
    assert_error_shape(http("POST", "/api/ideas", json=VALID), 401)


def test_a_forged_token_is_401(http):
    assert_error_shape(http("POST", "/api/ideas", "not.a.token", json=VALID), 401)


def test_a_manager_without_the_agent_role_cannot_propose(http, token):
    manager_only = token(roles=("manager",))
    assert_error_shape(http("POST", "/api/ideas", manager_only, json=VALID), 403)


def test_an_agent_cannot_read_digest_subscriptions(http, agent):
    assert_error_shape(http("GET", "/api/digest/subscription", agent), 403)


@pytest.mark.parametrize("payload, field", [
    ({**VALID, "title": "Bref"}, "title"),
    ({**VALID, "title": "      \n     "}, "title"),
    ({**VALID, "colour": "rouge"}, "colour"),
    ({**VALID, "tags": "urbanisme"}, "tags"),
    ({**VALID, "tags": ["a", "b", "c", "d", "e", "f"]}, "tags"),
    ({"title": VALID["title"]}, "body"),
])
def test_invalid_ideas_are_422_naming_the_field(http, agent, payload, field):
    body = assert_error_shape(http("POST", "/api/ideas", agent, json=payload), 422)
    assert field in body["errors"]


def test_broken_json_is_400(http, agent):
    response = http("POST", "/api/ideas", agent, data='{"title": "oups",',
                    headers={"Content-Type": "application/json"})
    assert_error_shape(response, 400)


def test_a_body_over_one_mebibyte_is_413(http, agent):
    huge = {**VALID, "body": "é" * (600 * 1024)}  # 1.2 MB of UTF-8
    assert_error_shape(http("POST", "/api/ideas", agent, json=huge), 413)


def test_an_unknown_idea_is_404(http):
    assert_error_shape(http("GET", "/api/ideas/0000000000000000"), 404)


def test_supporting_an_unknown_idea_is_404(http, agent):
    assert_error_shape(http("PUT", "/api/votes/0000000000000000", agent), 404)


def test_the_gateway_does_not_publish_metrics(http):
    response = http("GET", "/metrics")

    assert response.status_code == 404
    assert response.json()["code"] == 404


def test_an_address_too_long_is_414_in_the_error_shape(http):
    response = http("GET", "/api/ideas", params={"q": "x" * 5000})

    assert_error_shape(response, 414)


def test_a_request_nginx_cannot_read_is_400_in_the_error_shape(http):
    assert_error_shape(http("GET", "/api/ideas/%00"), 400)


def test_a_browser_sending_too_much_gets_a_french_page(http, agent):
    response = http("POST", "/ideas", data={"body": "x" * (1024 * 1024 + 1)},
                    headers={"Accept": "text/html,application/xhtml+xml"})

    assert response.status_code == 413
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Envoi trop volumineux" in response.text and 'lang="fr"' in response.text
