"""Fixtures shared by every kind of test.

unit/ runs on in-memory fakes. integration/, e2e/ and browser/ run against the stack that
`make test` starts (deploy/local/stack.py, profile `test`), whose addresses arrive in HUB_*
variables.
"""
import importlib.util
import os
import uuid
from pathlib import Path

import pytest
import requests

from shared.auth import mint_token
from shared.config import load_config

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("unit", "integration", "e2e", "browser")


def pytest_collection_modifyitems(config, items):
    for item in items:
        kind = Path(item.fspath).relative_to(ROOT / "tests").parts[0]
        if kind in KINDS:
            item.add_marker(getattr(pytest.mark, kind))
    # Tests that stop Kafka or MongoDB go last, so a slow recovery cannot spill onto others.
    items.sort(key=lambda item: item.get_closest_marker("outage") is not None)


@pytest.fixture(scope="session")
def stack():
    """deploy/local/stack.py as a module, and the profile of the running test stack."""
    if not os.environ.get("HUB_STACK_PROFILE"):
        pytest.fail("integration and e2e tests need the test stack: run `make test`")
    spec = importlib.util.spec_from_file_location("stack", ROOT / "deploy/local/stack.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, module.Profile(os.environ["HUB_STACK_PROFILE"])


@pytest.fixture(scope="session")
def config(stack):
    return load_config()


@pytest.fixture(scope="session")
def gateway(config):
    return config.public_url.rstrip("/")


@pytest.fixture(scope="session")
def token(config):
    """token(sub, roles=("agent",), unit=..., name=..., email=...) -> a bearer token."""
    def make(sub=None, roles=("agent",), unit="Service urbanisme", name=None, email=None):
        sub = sub or f"agent-{uuid.uuid4().hex[:8]}"
        return mint_token(config, sub, name or f"Agent {sub}", list(roles), unit,
                          email or f"{sub}@test.ideahub.local", ttl=3600)
    return make


@pytest.fixture(scope="session")
def reader(token):
    """A signed-in agent's token, for reading ideas and comments: reading is for signed-in
    people unless the hub reads in public (HUB_PUBLIC_READ=1)."""
    return token(sub="reader", name="Agent qui lit")


class Client:
    """requests against the gateway, with a bearer token when given one, else the client's
    own (`token`, None: anonymous); `""` asks anonymously whatever the client's token."""

    def __init__(self, base, token=None):
        self.base = base
        self.token = token

    def __call__(self, method, path, token=None, **kwargs):
        headers = kwargs.pop("headers", {})
        token = self.token if token is None else token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(method, self.base + path, headers=headers, timeout=10, **kwargs)


@pytest.fixture(scope="session")
def http(gateway):
    return Client(gateway)


@pytest.fixture(scope="session")
def reading(gateway, reader):
    """As `http`, signed in as a reader unless a call names its own token (or "")."""
    return Client(gateway, reader)
