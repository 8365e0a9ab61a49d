"""What the e2e tests share: people's browsers, proposals and supports through the gateway."""
import uuid

import pytest

from shared.auth import SESSIONS, TokenIssuer
from shared.text import fold
from tests.e2e.pages import Browser
from tests.helpers import eventually


@pytest.fixture
def browser(gateway, config):
    """browser() signed out; browser("agnes"), a demo person, through the sign-in page;
    browser(token=...), the holder of any token."""
    def open_(person=None, token=None):
        if token:
            return Browser(gateway).sign_in_as(token, config)
        return Browser(gateway).sign_in(person) if person else Browser(gateway)
    return open_


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


@pytest.fixture
def person(config, http, token):
    """person("Agnès") -> (token, address, name) of someone who signed in (the people service told
    the hub their name and address), with a surname of their own."""
    pages = TokenIssuer(config).mint("ideahub-web", "Pages du hub", [SESSIONS], "")

    def make(first_name, roles=("agent",)):
        tag = uuid.uuid4().hex[:6]
        sub, name = f"{fold(first_name)}-{tag}", f"{first_name} Essai{tag}"
        address = f"{sub}@test.ideahub.local"
        opened = http("POST", "/api/people/sessions", pages,
                      json={"sub": sub, "name": name, "email": address})
        assert opened.status_code == 201, opened.text
        return token(sub=sub, name=name, email=address, roles=roles), address, name
    return make
