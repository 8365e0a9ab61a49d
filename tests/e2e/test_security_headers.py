"""Through the gateway, pages and API answers of the contract carry the security headers."""
import pytest

ROUTES = ["/", "/ideas/new", "/signin", "/moderation", "/digest", "/me", "/page-inconnue",
          "/api/ideas", "/api/ideas/similar?text=guichet", "/api/ideas/0000/comments",
          "/api/moderation/queue", "/api/moderation/log", "/api/votes/mine",
          "/api/digest/subscription", "/api/digest/preview", "/openapi.json"]


@pytest.mark.parametrize("path", ROUTES)
def test_every_route_answers_with_the_security_headers(http, path):
    response = http("GET", path, allow_redirects=False)

    assert response.status_code < 500, response.text
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] in ("no-referrer", "same-origin")


def gateway_answers(http, agent):
    """Answers nginx writes itself, never reaching a service."""
    return {
        "400": http("GET", "/api/ideas/%00", agent),
        "404 /metrics": http("GET", "/metrics"),
        "413": http("POST", "/api/ideas", agent, data=b"x" * (1024 * 1024 + 1),
                    headers={"Content-Type": "application/json"}),
        "414": http("GET", "/api/ideas", params={"q": "x" * 5000}),
        "429": next((a for a in (http("GET", "/api/ideas/similar", agent,
                                      params={"text": "guichet"}) for _ in range(40))
                     if a.status_code == 429), None),
    }


def test_the_gateways_own_answers_carry_the_security_headers(http, agent):
    for name, response in gateway_answers(http, agent).items():
        assert response is not None, f"{name}: never answered"
        assert response.headers.get("Content-Security-Policy") == \
            "default-src 'none'; frame-ancestors 'none'", name
        assert response.headers.get("X-Content-Type-Options") == "nosniff", name
        assert response.headers.get("X-Frame-Options") == "DENY", name
        assert response.headers.get("Referrer-Policy") == "no-referrer", name


def test_a_services_answer_carries_each_header_once(http, reader):
    """The gateway adds its headers only where a service has not put its own."""
    response = http("GET", "/api/ideas", reader)

    for name in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
                 "Referrer-Policy"):
        assert len(response.raw.headers.getlist(name)) == 1, name
