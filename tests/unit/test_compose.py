"""docker-compose.yml and the gateway's nginx configuration follow deploy/local/processes.py.

No Docker engine needed: the files are read as YAML and text.
"""
import functools
import importlib.util
import json
import re
import shlex
import subprocess
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


# The example identity provider: Keycloak behind the `keycloak` profile (deploy/keycloak/).

KEYCLOAK_PROFILE = "keycloak"
KC_HOME = "/opt/keycloak"
OIDC_VARIABLES = ("HUB_OIDC_ISSUER", "HUB_OIDC_CLIENT_ID", "HUB_OIDC_CLIENT_SECRET")
# Keycloak's own secrets: from the deployment, never from the file.
KEYCLOAK_SECRETS = ("KC_BOOTSTRAP_ADMIN_USERNAME", "KC_BOOTSTRAP_ADMIN_PASSWORD", "KC_DB_PASSWORD")
# A deployment's values for Keycloak, as the README asks for them.
KEYCLOAK_DEPLOYMENT = {
    "KC_BOOTSTRAP_ADMIN_USERNAME": "first-admin",
    "KC_BOOTSTRAP_ADMIN_PASSWORD": "a-long-admin-password",
    "KC_DB_PASSWORD": "a-long-database-password",
    "HUB_OIDC_ISSUER": "https://auth.example.org/realms/ideahub",
    "HUB_OIDC_CLIENT_ID": "ideahub-web",
    "HUB_OIDC_CLIENT_SECRET": "a-long-client-secret",
    "HUB_PUBLIC_URL": "https://ideas.example.org",
}


def profiled_services():
    return {name for name, svc in compose_services().items() if svc.get("profiles")}


def as_compose_passes(text):
    """A string of the file as the container gets it: compose reads `$$` as `$`, and would
    interpolate a lone `$` from the deployment's environment (none is left for the shell)."""
    assert re.fullmatch(r"(?:[^$]|\$\$)*", text), f"a lone $ compose would interpolate: {text}"
    return text.replace("$$", "$")


def start_keycloak(tmp_path, **environ):
    """Run the keycloak service's entrypoint as its container would, with a stand-in for
    kc.sh that prints what Keycloak would be started with."""
    entrypoint = [as_compose_passes(str(arg)) for arg in service("keycloak")["entrypoint"]]
    assert entrypoint[:2] == ["bash", "-c"], "the entrypoint is not a bash script"
    kc_sh = f"{KC_HOME}/bin/kc.sh"
    assert kc_sh in entrypoint[2], "the entrypoint never starts kc.sh"
    stand_in = tmp_path / "kc.sh"
    stand_in.write_text('#!/bin/sh\necho "KC_HOSTNAME=$KC_HOSTNAME"\n'
                        'echo "HUB_PUBLIC_URL=$HUB_PUBLIC_URL"\necho "ARGS=$*"\n')
    stand_in.chmod(0o755)
    args = [entrypoint[0], "-c", entrypoint[2].replace(kc_sh, str(stand_in)), *entrypoint[3:],
            *command("keycloak")]
    env = {"PATH": "/usr/bin:/bin", **{k: v for k, v in environ.items() if v is not None}}
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=10)


def realm_files():
    """{name in data/import/: file in the repository} of the realm files the keycloak
    service mounts there, to import."""
    files = {}
    for volume in service("keycloak").get("volumes", []):
        source, _, target = str(volume).partition(":")
        target = target.split(":")[0]
        if target.startswith(f"{KC_HOME}/data/import/"):
            files[target.rsplit("/", 1)[1]] = ROOT / source
    assert files, "the keycloak service imports no realm file"
    return files


def walk(node):
    """Every (key, value) of a JSON document, at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def test_keycloak_is_an_example_behind_its_own_profile():
    keycloak = [name for name in compose_services() if name.startswith("keycloak")]
    assert "keycloak" in keycloak
    for name in keycloak:
        assert service(name).get("profiles") == [KEYCLOAK_PROFILE], name


def test_a_hub_without_the_keycloak_profile_does_not_wait_for_it():
    for name, svc in compose_services().items():
        if name not in profiled_services():
            assert not set(svc.get("depends_on") or ()) & profiled_services(), name


def test_a_hub_without_the_keycloak_profile_needs_no_keycloak_variable():
    """Compose interpolates every service, started or not: a variable that only Keycloak
    requires (`${VAR:?}`) would stop a hub that signs in through ProConnect."""
    def required(names):
        """The variables compose itself requires for these services (`$$` is the shell's)."""
        strings = [str(value).replace("$$", "")
                   for name in names for _, value in walk(service(name))]
        return {var for text in strings for var in re.findall(r"\$\{(\w+):?\?", text)}

    always = required(set(compose_services()) - profiled_services())
    assert required(profiled_services()) <= always


def test_keycloak_runs_in_production_mode_and_imports_the_realm():
    assert service("keycloak")["image"].startswith("quay.io/keycloak/keycloak:26.")
    args = command("keycloak")
    assert args[0] == "start" and "start-dev" not in args
    assert "--import-realm" in args


def keycloak_secrets():
    """KEYCLOAK_SECRETS and any admin variable the keycloak service sets (KEYCLOAK_ADMIN* are
    Keycloak's older names)."""
    env = (compose_services().get("keycloak") or {}).get("environment") or {}
    return sorted(set(KEYCLOAK_SECRETS) | {
        var for var in env if var.startswith(("KC_BOOTSTRAP_ADMIN_", "KEYCLOAK_ADMIN"))})


@pytest.mark.parametrize("variable", keycloak_secrets())
def test_keycloak_has_no_default_admin_or_password(variable, tmp_path):
    value = environment("keycloak").get(variable)
    assert value is not None, f"keycloak does not take {variable} from the deployment"
    # The deployment's value (empty if unset), nothing of the file's own.
    assert re.fullmatch(r"\$\{" + variable + r"(?::?-|:?\?[^}]*)?\}", value), value

    started = start_keycloak(tmp_path, **{**KEYCLOAK_DEPLOYMENT, variable: ""})

    assert started.returncode != 0 and "ARGS=" not in started.stdout
    assert variable in started.stderr


def test_keycloak_starts_at_the_hubs_issuer_once_its_variables_are_set(tmp_path):
    deployment = {**KEYCLOAK_DEPLOYMENT, "HUB_PUBLIC_URL": "https://ideas.example.org/"}

    started = start_keycloak(tmp_path, **deployment)

    assert started.returncode == 0, started.stderr
    assert started.stdout.splitlines() == [
        "KC_HOSTNAME=https://auth.example.org",  # the issuer the browser and web-api see
        "HUB_PUBLIC_URL=https://ideas.example.org",  # the realm's redirect URIs, one slash
        f"ARGS={' '.join(command('keycloak'))}"]


def test_keycloak_refuses_an_issuer_that_is_not_its_realm(tmp_path):
    deployment = {**KEYCLOAK_DEPLOYMENT, "HUB_OIDC_ISSUER": "https://proconnect.gouv.fr/api/v2"}

    started = start_keycloak(tmp_path, **deployment)

    assert started.returncode != 0 and "ARGS=" not in started.stdout
    assert "HUB_OIDC_ISSUER" in started.stderr


def test_keycloaks_database_has_no_default_password():
    assert environment("keycloak-db")["POSTGRES_PASSWORD"] == "${KC_DB_PASSWORD:-}"


def test_the_keycloak_realm_has_no_people_and_no_client_secret():
    for name, path in realm_files().items():
        realm = json.loads(path.read_text(encoding="utf-8"))
        # Keycloak imports <realm>-realm.json only.
        assert name == f"{realm['realm']}-realm.json"
        assert not realm.get("users"), f"{path.name} holds people"
        for key, value in walk(realm):
            assert not (key == "credentials" and value), f"{path.name} holds credentials"
            if key in ("secret", "password", "value") and isinstance(value, str):
                assert re.fullmatch(r"\$\{[A-Z][A-Z0-9_]*\}", value), f"{key}: {value!r}"
        assert {c["secret"] for c in realm["clients"]} == {"${HUB_OIDC_CLIENT_SECRET}"}


def test_the_keycloak_realms_placeholders_are_keycloaks_variables():
    """Keycloak replaces ${VAR} in an imported realm file by its environment's VAR (the
    lower-case ${username}... are its theme's message keys, left as they are)."""
    env = environment("keycloak")
    for path in realm_files().values():
        placeholders = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", path.read_text("utf-8")))
        assert placeholders and placeholders <= set(env), placeholders - set(env)


@pytest.mark.parametrize("variable", OIDC_VARIABLES)
def test_the_pages_identity_provider_is_the_deployments_own(variable):
    for name in ("web-api", "keycloak"):
        value = environment(name).get(variable, "")
        assert re.fullmatch(r"\$\{" + variable + r":\?[^}]+\}", value), f"{name}: {value}"


# What the local and test stacks set and a deployment does not: names of databases and
# topics of a test run, the demo sign-in (refused outside HUB_ENV=local), the local theme
# folder (the image has no DSFR: its terms reserve it to State sites, who build their own),
# the duplicates' test pace, the token audience (fixed); the token keys come as files
# (HUB_TOKEN_..._FILE, checked with the secrets above).
NOT_DEPLOYED = {"HUB_DB_PREFIX", "HUB_TOPIC_PREFIX", "HUB_ENV", "HUB_DEMO_SIGNIN",
                "HUB_THEME", "HUB_DSFR_DIR", "HUB_DUPLICATES_EVERY", "HUB_JWT_AUDIENCE",
                "HUB_TOKEN_PRIVATE_KEY", "HUB_TOKEN_PUBLIC_KEYS"}


def test_a_deployer_can_set_every_setting_the_services_read():
    """Every setting of shared/config.py reaches a container, or is named above with why:
    a policy the compose file leaves out cannot be set without editing it."""
    from shared import config

    set_somewhere = {var for name in compose_services() for var in environment(name)}
    missing = sorted(set(config._ENV.values()) - set_somewhere - NOT_DEPLOYED)
    assert not missing, f"docker-compose.yml does not pass {missing}"


def test_the_pages_read_the_legal_file_from_the_folder_compose_mounts():
    assert "./deploy/legal:/etc/ideahub/legal:ro" in service("web-api")["volumes"]
    assert (ROOT / "deploy" / "legal" / "README.md").exists()
