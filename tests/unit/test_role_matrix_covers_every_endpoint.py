"""The role matrix (tests/e2e/test_role_matrix.py) proves who may call what on the real
stack: it proves nothing of an endpoint it leaves out. Every route of every service's API
must have its row there."""
import re

import pytest

from tests.e2e.test_role_matrix import MATRIX

pytestmark = pytest.mark.unit

SERVICES = ("ideas", "votes", "digest", "people")
# Served by every service for operators, not people: no role to check.
OPERATIONAL = {"/healthz", "/readyz", "/metrics", "/openapi.json"}


def segments(path):
    """'/api/ideas/<idea_id>/follow' -> ['api', 'ideas', '*', 'follow']; a row's path keeps
    its literal values ('/api/digest/runs/unknown'), its placeholders ('{idea}') become *."""
    path = path.split("?", 1)[0]
    return re.sub(r"<[^>]+>|\{[^}]+\}", "*", path).strip("/").split("/")


def covers(row, route):
    """A row covers a route when each of the route's fixed segments is the row's: the row
    may fill the route's variable parts with anything ('unknown', '{idea}')."""
    return len(row) == len(route) and all(r == "*" or r == w for w, r in zip(row, route))


def test_every_api_route_has_a_row_in_the_role_matrix(make_app):
    rows = [(method, segments(path)) for method, path, _, _ in MATRIX]
    missing = []
    for service in SERVICES:
        for rule in make_app(service).url_map.iter_rules():
            if rule.rule in OPERATIONAL or not rule.rule.startswith("/api/"):
                continue
            route = segments(rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if not any(m == method and covers(row, route) for m, row in rows):
                    missing.append(f"{service}: {method} {rule.rule}")
    assert not missing, "not in the role matrix:\n" + "\n".join(missing)
