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
