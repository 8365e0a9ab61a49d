"""docker-compose.yml and the gateway's nginx configuration follow deploy/local/processes.py.

No Docker engine needed: the files are read as YAML and text.
"""
import functools
import importlib.util
import re
import shlex
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def processes():
    spec = importlib.util.spec_from_file_location(
        "ideahub_processes", ROOT / "deploy" / "local" / "processes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def compose_services():
    with open(ROOT / "docker-compose.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)["services"]


def service(name):
    services = compose_services()
    assert name in services, f"docker-compose.yml has no service {name!r}"
    return services[name]


def command(name):
    value = service(name).get("command", [])
    return shlex.split(value) if isinstance(value, str) else [str(v) for v in value]


def environment(name):
    value = service(name).get("environment") or {}
    if isinstance(value, list):
        value = dict(item.split("=", 1) if "=" in item else (item, None) for item in value)
    return {key: "" if v is None else str(v) for key, v in value.items()}


def published_ports(name):
    """The host side of each published port, short ("8080:8080") or long syntax."""
    ports = set()
    for port in service(name).get("ports", []):
        if isinstance(port, dict):
            ports.add(int(port["published"]))
        elif ":" in str(port):
            ports.add(int(str(port).split("/")[0].split(":")[-2]))
    return ports


def bound_port(name):
    """The port of gunicorn's --bind in the service's command."""
    args = command(name)
    assert "--bind" in args, f"{name} does not bind gunicorn to an address"
    return int(args[args.index("--bind") + 1].rsplit(":", 1)[1])


def api_services():
    p = processes()
    return [(s, p.app_process(s)) for s in p.SERVICES]


def consumer_services():
    p = processes()
    return [(s, p.consumer_process(s)) for s in p.CONSUMERS]


def service_processes():
    return [name for _, name in api_services() + consumer_services()]


@functools.cache
def gateway_conf():
    """deploy/nginx/gateway.conf without comments and quoted strings (JSON bodies hold braces)."""
    text = (ROOT / "deploy" / "nginx" / "gateway.conf").read_text(encoding="utf-8")
    # One pass, so that a quote in a comment or a # in a string is read as what it is.
    return re.sub(r"'[^']*'|\"[^\"]*\"|#[^\n]*",
                  lambda m: "" if m.group().startswith("#") else "''", text)


def blocks(keyword):
    """{argument: body} of the conf's `keyword <argument> { body }` blocks (not nested)."""
    pattern = rf"\b{keyword}\s+(?:[=~^*]+\s+)?(\S+)\s*\{{([^{{}}]*)\}}"
    return {m.group(1): m.group(2) for m in re.finditer(pattern, gateway_conf())}


def proxied_host(prefix):
    """(host, port) that `location <prefix>` proxies to, through its upstream block if any."""
    locations = blocks("location")
    assert prefix in locations, f"gateway.conf has no location {prefix}"
    target = re.search(r"\bproxy_pass\s+https?://([^/;\s]+)", locations[prefix])
    assert target, f"location {prefix} proxies nowhere"
    upstream = blocks("upstream").get(target.group(1))
    server = re.search(r"\bserver\s+([^;\s]+)", upstream) if upstream is not None else None
    assert upstream is None or server, f"upstream {target.group(1)} has no server"
    address = server.group(1) if server else target.group(1)
    host, _, port = address.partition(":")
    return host, int(port or 80)


def test_every_process_of_the_local_stack_is_a_compose_service():
    missing = [name for name in service_processes() if name not in compose_services()]
    assert not missing


@pytest.mark.parametrize("svc, name", api_services())
def test_each_api_service_serves_its_wsgi_app_under_gunicorn(svc, name):
    args = command(name)
    assert "gunicorn" in args[:3]
    assert args[-1] == f"services.{svc}.wsgi:app"


@pytest.mark.parametrize("svc, name", consumer_services())
def test_each_consumer_service_runs_its_consumer_module(svc, name):
    args = command(name)
    assert args[-2:] == ["-m", f"services.{svc}.consumer"]


@pytest.mark.parametrize("name", service_processes())
def test_every_service_process_sets_every_variable_the_services_read(name):
    env = environment(name)
    unset = [var for var in processes().ENV_VARS if not env.get(var)]
    assert not unset, f"{name} leaves {unset} unset"


def test_a_one_shot_service_creates_the_kafka_topics():
    assert command("ideahub-init") == ["ideahub", "topics", "create"]
    assert service("ideahub-init").get("restart", "no") == "no"


@pytest.mark.parametrize("name", [name for _, name in consumer_services()])
def test_consumers_wait_for_the_topics_to_be_created(name):
    depends_on = service(name).get("depends_on")
    assert isinstance(depends_on, dict), f"{name} sets no depends_on conditions"
    assert depends_on.get("ideahub-init", {}).get("condition") == "service_completed_successfully"


def test_gateway_publishes_the_gateway_port():
    assert processes().GATEWAY_PORT in published_ports("gateway")


def test_kafka_runs_the_apache_image_as_broker_and_controller():
    assert service("kafka")["image"].startswith("apache/kafka:")
    roles = {r.strip() for r in environment("kafka").get("KAFKA_PROCESS_ROLES", "").split(",")}
    assert {"broker", "controller"} <= roles


def test_mongo_runs_as_a_replica_set():
    assert "--replSet" in command("mongo")


@pytest.mark.parametrize("prefix, svc", list(processes().ROUTES.items()))
def test_gateway_routes_each_prefix_to_its_service_api(prefix, svc):
    name = processes().app_process(svc)
    assert proxied_host(prefix) == (name, bound_port(name))


def test_gateway_limits_request_bodies_to_one_mebibyte():
    assert re.search(r"\bclient_max_body_size\s+1m\s*;", gateway_conf())


def test_only_the_gateway_is_published_beyond_the_hosts_loopback():
    exposed = {name: [p for p in service.get("ports", []) if not str(p).startswith("127.0.0.1:")]
               for name, service in compose_services().items()}

    assert {name for name, ports in exposed.items() if ports} == {"gateway"}


@pytest.mark.parametrize("name", service_processes())
def test_the_production_file_has_no_demo_sign_in_and_no_repository_secret(name):
    env = environment(name)
    assert env.get("HUB_ENV", "") != "local"
    assert env.get("HUB_DEMO_SIGNIN", "") != "1"
    for secret in ("HUB_SESSION_SECRET", "HUB_MAIL_LINK_SECRET"):
        if secret in env:  # the deployment's own, or compose refuses to start
            assert re.fullmatch(r"\$\{" + secret + r":\?[^}]+\}", env[secret]), env[secret]


def test_only_the_pages_hold_the_tokens_private_key():
    holders = {name for name in service_processes()
               if "HUB_TOKEN_PRIVATE_KEY_FILE" in environment(name)}
    assert holders == {processes().app_process("web")}
