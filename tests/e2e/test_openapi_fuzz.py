"""Schemathesis against each service's own OpenAPI document, through its own port: no input
makes a 500, and every response matches the schema it documents."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ST = Path(sys.executable).with_name("st")


@pytest.mark.parametrize("service", ["ideas", "votes", "digest"])
def test_generated_requests_find_no_500_and_no_response_off_schema(stack, token, service):
    if not ST.exists() and not shutil.which("st"):
        pytest.fail("schemathesis is part of the test dependencies (pip install -e '.[test]')")
    _, profile = stack
    bearer = token(roles=("agent", "moderator", "manager", "admin"), unit="Fuzz")
    result = subprocess.run(
        [str(ST), "run", f"http://127.0.0.1:{profile.services[service]}/openapi.json",
         "--checks", "not_a_server_error,response_schema_conformance",
         "--max-examples", "12", "--generation-deterministic", "--request-timeout", "10",
         "--header", f"Authorization: Bearer {bearer}"],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:]
