import pytest
import requests

from tests.helpers import eventually


class Client:
    """requests against the gateway, with a bearer token when given one."""

    def __init__(self, base):
        self.base = base

    def __call__(self, method, path, token=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(method, self.base + path, headers=headers, timeout=10, **kwargs)


@pytest.fixture(scope="session")
def http(gateway):
    return Client(gateway)


@pytest.fixture
def agent(token):
    return token(roles=("agent",))


@pytest.fixture
def propose(http, agent):
    """propose(title=..., body=..., tags=..., as_=token) -> the created idea (201 asserted)."""
    def make(title="Des bancs à l'ombre devant la médiathèque",
             body="Les usagers attendent au soleil l'été ; quelques bancs suffiraient.",
             tags=("accueil",), as_=None):
        response = http("POST", "/api/ideas", as_ or agent,
                        json={"title": title, "body": body, "tags": list(tags)})
        assert response.status_code == 201, response.text
        return response.json()
    return make


@pytest.fixture
def support(http):
    """support(idea_id, token) -> the votes answer, once the votes service knows the idea."""
    def act(idea_id, tok):
        def attempt():
            response = http("PUT", f"/api/votes/{idea_id}", tok)
            assert response.status_code == 200, response.text
            return response.json()
        return eventually(attempt, message="the votes service knows the idea")
    return act
