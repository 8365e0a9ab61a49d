"""Every answer of the three APIs, errors included, carries the hub's security headers."""
import pytest

EXPECTED = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer"}


@pytest.mark.parametrize("service, path, status", [
    ("ideas", "/api/ideas", 401),
    ("ideas", "/api/ideas/unknown", 401),
    ("ideas", "/openapi.json", 200),
    ("ideas", "/api/moderation/queue", 401),
    ("votes", "/api/votes/mine", 401),
    ("digest", "/api/digest/subscription", 401),
    ("digest", "/openapi.json", 200),
    ("votes", "/healthz", 200),
])
def test_every_answer_carries_the_security_headers(make_app, service, path, status):
    response = make_app(service).test_client().get(path)

    assert response.status_code == status
    assert {name: response.headers.get(name) for name in EXPECTED} == EXPECTED
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # plain http: no HSTS


def test_hsts_is_sent_when_the_gateway_says_the_request_came_over_https(make_app):
    response = make_app("ideas").test_client().get(
        "/api/ideas", headers={"X-Forwarded-Proto": "https"})

    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
