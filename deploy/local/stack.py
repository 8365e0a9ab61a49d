"""The local stack without Docker: provisions the real engines once, then starts, watches and
stops every process of the hub as plain processes, by pid.

    python3 deploy/local/stack.py up [--profile dev|test] [--no-demo]
    python3 deploy/local/stack.py down|status|logs [--profile ...]
    python3 deploy/local/stack.py test [pytest arguments]   # up (test profile), pytest, down

Profiles keep their own ports and state: `dev` (var/, the ports of processes.py) for `make up`,
`test` (var/test/, ports + 10000) for `make test`, so the tests never touch the demo hub.
HUB_KAFKA_BOOTSTRAP and HUB_MONGO_URL point at an existing Kafka and MongoDB instead: then
those are neither provisioned nor started.

Standard library only: it runs before the virtual environment exists.
"""
import argparse
import hashlib
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
KAFKA_VERSION = "4.3.1"
KAFKA_LIBS = CACHE / "kafka" / "libs"
# The store: mongo-java-server over H2 (deploy/local/mongo), jars from Maven Central.
STORE_DIR = CACHE / "mongo"
STORE_SOURCE = ROOT / "deploy" / "local" / "mongo"
# H2's page cache: a query on anything but `_id` reads the whole collection, which takes
# ~150 ms for 100,000 documents of 1 KB held in the cache and ~1.9 s read from the file.
STORE_CACHE_MB = 256
# The browser tests drive Debian's Chromium (never a browser Playwright would download) and
# inject axe-core, fetched from the npm registry into the cache, never committed.
CHROMIUM = Path("/usr/bin/chromium")
AXE_VERSION = "4.14.1"
AXE_DIR = CACHE / "axe" / AXE_VERSION
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# The State design system (HUB_THEME=dsfr), from the npm registry into the cache, never
# committed: its licence reserves the Marianne brand to State sites. The web app serves its
# dist/ from here (services/web/themes.py reads HUB_DSFR_DIR).
DSFR_VERSION = "1.15.3"
DSFR_DIR = CACHE / "dsfr" / DSFR_VERSION
DSFR_DIST = DSFR_DIR / "node_modules" / "@gouvfr" / "dsfr" / "dist"
DSFR_WEB_PORT = 8006
# Keycloak, the local OpenID Connect provider: its dist from Maven Central, built once with
# KEYCLOAK_BUILD, then run by each profile from a home of its own (its data) in var/.
KEYCLOAK_VERSION = "26.7.3"
KEYCLOAK_DIST = CACHE / "keycloak" / f"keycloak-{KEYCLOAK_VERSION}"
KEYCLOAK_REALM = ROOT / "deploy" / "local" / "keycloak" / "ideahub-realm.json"
KEYCLOAK_BUILD = ("build", "--db=dev-file")
KEYCLOAK_CLIENT = ("ideahub-web", "ideahub-local-client-secret")  # the realm file's; local only
# C1 only and the serial collector: a warm start takes ~9 s of CPU instead of ~18 s, and
# ~330 MB resident instead of ~450 MB; a local provider never runs long enough to need C2.
KEYCLOAK_JVM = ("-Xms64m", "-Xmx512m", "-XX:MaxMetaspaceSize=256m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC")

_spec = importlib.util.spec_from_file_location("processes", Path(__file__).with_name("processes.py"))
P = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(P)


class Profile:
    def __init__(self, name):
        self.name = name
        # Several test stacks can run side by side (one per working copy or helper), each
        # on its own ports and in its own folder: HUB_STACK_OFFSET=20000, 30000...
        offset = 0 if name == "dev" else int(os.environ.get("HUB_STACK_OFFSET", 10000))
        self.offset = offset
        self.var = ROOT / "var" if name == "dev" else ROOT / "var" / (
            name if offset == 10000 else f"{name}-{offset}")
        self.gateway = P.GATEWAY_PORT + offset
        self.services = {s: port + offset for s, port in P.SERVICES.items()}
        # The test profile runs a second web app in the State design system (HUB_THEME=dsfr),
        # straight on its port (it calls the APIs through the gateway like the first): the
        # browser tests check both themes on one stack.
        self.dsfr_web = DSFR_WEB_PORT + offset if name == "test" else None
        self.kafka = P.KAFKA_PORT + offset
        self.controller = P.KAFKA_CONTROLLER_PORT + offset
        self.mongo = P.MONGO_PORT + offset
        self.smtp = P.SMTP_PORT + offset
        self.keycloak = P.KEYCLOAK_PORT + offset
        self.oidc_issuer = f"http://127.0.0.1:{self.keycloak}/realms/ideahub"
        # Set to another address than this profile's own, they name engines we do not run.
        own_kafka, own_mongo = f"127.0.0.1:{self.kafka}", f"mongodb://127.0.0.1:{self.mongo}"
        self.external_kafka = os.environ.get("HUB_KAFKA_BOOTSTRAP", own_kafka) != own_kafka \
            and os.environ["HUB_KAFKA_BOOTSTRAP"]
        self.external_mongo = os.environ.get("HUB_MONGO_URL", own_mongo) != own_mongo \
            and os.environ["HUB_MONGO_URL"]

    def path(self, *parts):
        return self.var.joinpath(*parts)

    def env(self):
        """The environment every process of the hub (and every test) gets."""
        own_kafka, own_mongo = f"127.0.0.1:{self.kafka}", f"mongodb://127.0.0.1:{self.mongo}"
        env = dict(os.environ)
        env.update({
            "HUB_KAFKA_BOOTSTRAP": self.external_kafka or own_kafka,
            "HUB_MONGO_URL": self.external_mongo or own_mongo,
            "HUB_SMTP_HOST": "127.0.0.1",
            "HUB_SMTP_PORT": str(self.smtp),
            "HUB_PUBLIC_URL": f"http://127.0.0.1:{self.gateway}",
            "HUB_API_URL": f"http://127.0.0.1:{self.gateway}",
            "HUB_MAILDIR": str(self.path("mail")),
            "HUB_STACK_PROFILE": self.name,
            "HUB_STACK_OFFSET": str(self.offset),
            # The repository's secrets are allowed.
            "HUB_ENV": "local",
            "HUB_TOKEN_PRIVATE_KEY_FILE": str(self.path("keys", "token-private.pem")),
            "HUB_TOKEN_PUBLIC_KEYS_FILE": str(self.path("keys", "token-public.pem")),
            "HUB_OIDC_ISSUER": self.oidc_issuer,
            "HUB_OIDC_CLIENT_ID": KEYCLOAK_CLIENT[0],
            "HUB_OIDC_CLIENT_SECRET": KEYCLOAK_CLIENT[1],
            # The demo people's administration (the realm's email domain) may enter; Léa runs
            # the hub.
            "HUB_ADMIT_EMAIL_DOMAINS": "demo.ideahub.local",
            "HUB_ADMIN_EMAILS": "lea@demo.ideahub.local",
            "HUB_DSFR_DIR": str(DSFR_DIST),
            "PYTHONUNBUFFERED": "1",
        })
        # The demo administration, as the header, the footer and the legal pages name it.
        env.setdefault("HUB_ORG_NAME", "Mairie de Démoville")
        env.setdefault("HUB_ORG_CONTACT", "ideahub@demo.ideahub.local")
        # Its legal notice, personal data page and accessibility statement (sample values).
        env.setdefault("HUB_LEGAL_FILE", str(ROOT / "deploy" / "local" / "legal.toml"))
        env.setdefault("HUB_ACCESSIBILITY", "partial")
        # Keycloak's admin (master realm) at its first start: <oidc issuer's host>/admin/
        env.setdefault("KC_BOOTSTRAP_ADMIN_USERNAME", "admin")
        env.setdefault("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin")
        if self.name == "test":
            # The demo picker (no password) signs the tests in fast; `make up` signs in
            # through Keycloak, as a deployment would through its provider.
            env["HUB_DEMO_SIGNIN"] = "1"
            env.setdefault("HUB_DB_PREFIX", "ideahub_test_")
            env.setdefault("HUB_TOPIC_PREFIX", "ideahub-test")
            # Tests make a pair and look for it at once: the possible duplicates are computed
            # again every 2 s rather than 30 (services/ideas/latest_pairs.py).
            env.setdefault("HUB_DUPLICATES_EVERY", "2")
        return env

    def processes(self):
        """name -> (command, readiness probe), in start order."""
        procs = {}
        procs["keycloak"] = (keycloak_java(
            self.path("keycloak"), "start", "--optimized", "--http-enabled=true",
            "--http-host=127.0.0.1", f"--http-port={self.keycloak}",
            f"--hostname=http://127.0.0.1:{self.keycloak}", "--cache=local", "--import-realm"),
            ("http", f"{self.oidc_issuer}/.well-known/openid-configuration"))
        if not self.external_mongo:
            procs["mongo"] = (["java", "-Xms256m", "-Xmx1g", "-cp",
                               f"{STORE_DIR / 'classes'}:{STORE_DIR / 'libs'}/*",
                               "StoreLauncher", "127.0.0.1", str(self.mongo),
                               str(self.path("mongo", "hub.mv.db")), str(STORE_CACHE_MB)],
                              ("tcp", self.mongo))
        if not self.external_kafka:
            procs["kafka"] = (["java", "-Xms256m", "-Xmx512m",
                               f"-Dlog4j2.configurationFile={self.path('kafka', 'log4j2.properties')}",
                               "-cp", f"{KAFKA_LIBS}/*", "kafka.Kafka",
                               str(self.path("kafka", "server.properties"))],
                              ("kafka", None))
        procs["smtp"] = ([str(VENV_PYTHON), "-m", "aiosmtpd", "-n", "-l",
                          f"127.0.0.1:{self.smtp}", "-c", "aiosmtpd.handlers.Mailbox",
                          str(self.path("mail"))], ("tcp", self.smtp))
        procs["topics"] = ([str(VENV_PYTHON), "-m", "services.cli", "topics", "create"],
                           ("once", None))
        for service, port in self.services.items():
            procs[P.app_process(service)] = (P.app_command(service, port, str(VENV_PYTHON)),
                                             ("http", f"http://127.0.0.1:{port}/readyz"))
            if service in P.CONSUMERS:
                procs[P.consumer_process(service)] = (
                    P.consumer_command(service, str(VENV_PYTHON)), ("alive", None))
        if self.dsfr_web:
            procs["web-dsfr-api"] = (
                ["env", "HUB_THEME=dsfr", "HUB_WORKERS=1",
                 *P.app_command("web", self.dsfr_web, str(VENV_PYTHON))],
                ("http", f"http://127.0.0.1:{self.dsfr_web}/readyz"))
        procs["gateway"] = ([nginx_binary() or "nginx", "-e", str(self.path("log", "nginx-error.log")),
                             "-p", str(self.path("nginx")), "-c",
                             str(self.path("nginx", "nginx.conf")), "-g", "daemon off;"],
                            ("http", f"http://127.0.0.1:{self.gateway}/healthz"))
        return procs


# ---------------------------------------------------------------- provisioning (once, cached)

def run(command, **kwargs):
    print("+", " ".join(map(str, command)), flush=True)
    subprocess.run(command, check=True, **kwargs)


def apt_install(*packages):
    run(["apt-get", "update", "-qq"])
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def nginx_binary():
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)


def provision(profile):
    if not profile.external_kafka and not (KAFKA_LIBS / f"kafka_2.13-{KAFKA_VERSION}.jar").exists():
        if not shutil.which("mvn") or not shutil.which("java"):
            apt_install("maven", "default-jre-headless")
        pom_dir = CACHE / "kafka"
        pom_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "deploy" / "local" / "kafka-pom.xml", pom_dir / "pom.xml")
        run(["mvn", "-q", "-B", "dependency:copy-dependencies", "-DincludeScope=runtime",
             "-DoutputDirectory=libs"], cwd=pom_dir)
    if not profile.external_mongo:
        provision_store()
    provision_keycloak()
    if profile.dsfr_web or os.environ.get("HUB_THEME") == "dsfr":
        provision_dsfr()
    if not nginx_binary():
        apt_install("nginx")


def provision_store():
    """The store's jars (Maven Central) and our launcher, compiled again when its sources
    change. By their content, not their dates: every checkout (a clone, a worktree) writes
    them anew, and one stack's rebuild must not pull the classes from under another's store
    sharing the cache."""
    sources = sorted(STORE_SOURCE.rglob("*.java"))
    digest = hashlib.sha256()
    for path in [*sources, STORE_SOURCE / "pom.xml"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    built = STORE_DIR / "built-from"
    if built.exists() and built.read_text() == digest.hexdigest():
        return
    if not shutil.which("mvn") or not shutil.which("javac"):
        apt_install("maven", "default-jdk-headless")
    STORE_DIR.mkdir(parents=True, exist_ok=True)
    shutil.copy(STORE_SOURCE / "pom.xml", STORE_DIR / "pom.xml")
    shutil.rmtree(STORE_DIR / "libs", ignore_errors=True)
    run(["mvn", "-q", "-B", "dependency:copy-dependencies", "-DincludeScope=runtime",
         "-DoutputDirectory=libs"], cwd=STORE_DIR)
    shutil.rmtree(STORE_DIR / "classes", ignore_errors=True)
    run(["javac", "-d", str(STORE_DIR / "classes"), "-cp", f"{STORE_DIR / 'libs'}/*",
         *map(str, sources)])
    built.write_text(digest.hexdigest())


def provision_keycloak():
    """Keycloak's dist (Maven Central), unpacked and built once: `kc.sh build` fixes the
    build-time options, so that every start is a `start --optimized` of seconds."""
    built = KEYCLOAK_DIST / "built-with"
    if built.exists() and built.read_text() == " ".join(KEYCLOAK_BUILD):
        return
    if not shutil.which("mvn") or not shutil.which("java"):
        apt_install("maven", "default-jre-headless")
    if not (KEYCLOAK_DIST / "lib" / "quarkus-run.jar").exists():
        download = CACHE / "keycloak" / "download"
        shutil.rmtree(download, ignore_errors=True)
        download.mkdir(parents=True)
        run(["mvn", "-q", "-B", "dependency:copy", "-DoutputDirectory=.",
             f"-Dartifact=org.keycloak:keycloak-quarkus-dist:{KEYCLOAK_VERSION}:tar.gz"],
            cwd=download)
        run(["tar", "-xzf", f"keycloak-quarkus-dist-{KEYCLOAK_VERSION}.tar.gz"], cwd=download)
        shutil.rmtree(KEYCLOAK_DIST, ignore_errors=True)
        (download / KEYCLOAK_DIST.name).rename(KEYCLOAK_DIST)
        shutil.rmtree(download)
    run(keycloak_java(KEYCLOAK_DIST, *KEYCLOAK_BUILD, jvm=()))
    built.write_text(" ".join(KEYCLOAK_BUILD))


def keycloak_java(home, *args, jvm=KEYCLOAK_JVM):
    """Keycloak as its bin/kc.sh runs it, but one plain java process whose home (data/, the
    realm to import) is `home`, not the dist."""
    opens = ("java.util", "java.util.concurrent", "java.security", "java.lang")
    return ["java", *jvm, "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8",
            *(f"--add-opens=java.base/{package}=ALL-UNNAMED" for package in opens),
            "--enable-native-access=ALL-UNNAMED", "-Djava.util.concurrent.ForkJoinPool.common."
            "threadFactory=io.quarkus.bootstrap.forkjoin.QuarkusForkJoinWorkerThreadFactory",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
            "-Dpicocli.disable.closures=true", f"-Dkc.home.dir={home}",
            f"-Djboss.server.config.dir={KEYCLOAK_DIST / 'conf'}",
            "-cp", str(KEYCLOAK_DIST / "lib" / "quarkus-run.jar"),
            "io.quarkus.bootstrap.runner.QuarkusEntryPoint", *args]


def keycloak_home(profile):
    """The profile's Keycloak home: the dist's code, linked, and data/ of its own. The realm
    file is imported at the first start; when it changes, the next start begins on a fresh
    database (people and sessions are the file's again)."""
    home = profile.path("keycloak")
    (home / "data" / "import").mkdir(parents=True, exist_ok=True)
    for part in ("lib", "conf", "providers", "themes"):
        link = home / part
        if not link.is_symlink() or link.readlink() != KEYCLOAK_DIST / part:
            link.unlink(missing_ok=True)
            link.symlink_to(KEYCLOAK_DIST / part)
    imported = home / "data" / "import" / KEYCLOAK_REALM.name
    realm = KEYCLOAK_REALM.read_bytes()
    if (imported.exists() and imported.read_bytes() == realm) or pid_of(profile, "keycloak"):
        return
    shutil.rmtree(home / "data" / "h2", ignore_errors=True)
    imported.write_bytes(realm)


def npm_install(folder, package):
    """One npm package into `folder`, its install scripts never run."""
    if not shutil.which("npm"):
        apt_install("npm")
    folder.mkdir(parents=True, exist_ok=True)
    run(["npm", "install", "--prefix", str(folder), "--no-save", "--no-package-lock",
         "--no-audit", "--no-fund", "--ignore-scripts", package])


def provision_dsfr():
    if not (DSFR_DIST / "dsfr.min.css").exists():
        npm_install(DSFR_DIR, f"@gouvfr/dsfr@{DSFR_VERSION}")


def provision_browser_tests():
    """Only `make test` needs these: `make up` runs without a browser."""
    if not CHROMIUM.exists():
        # Liberation fonts (a recommendation we skip otherwise) keep screenshots legible.
        apt_install("chromium", "fonts-liberation")
    if not AXE_JS.exists():
        npm_install(AXE_DIR, f"axe-core@{AXE_VERSION}")


def write_configs(profile):
    for folder in ("log", "run", "mail", "mongo", "kafka", "nginx/temp"):
        profile.path(folder).mkdir(parents=True, exist_ok=True)
    for sub in ("cur", "new", "tmp"):
        profile.path("mail", sub).mkdir(exist_ok=True)
    kafka_dir = profile.path("kafka")
    (kafka_dir / "server.properties").write_text(f"""\
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:{profile.controller}
listeners=PLAINTEXT://127.0.0.1:{profile.kafka},CONTROLLER://127.0.0.1:{profile.controller}
advertised.listeners=PLAINTEXT://127.0.0.1:{profile.kafka}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs={kafka_dir / 'data'}
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
""")
    (kafka_dir / "log4j2.properties").write_text("""\
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
logger.kafka.name = kafka
logger.kafka.level = INFO
""")
    (profile.path("nginx", "nginx.conf")).write_text(nginx_conf(profile))
    keycloak_home(profile)
    # The key pair of the hub's tokens, made once per profile.
    if not profile.path("keys", "token-public.pem").exists():
        run([str(VENV_PYTHON), "-m", "services.cli", "keys", "--dir", str(profile.path("keys"))],
            cwd=ROOT, stdout=subprocess.DEVNULL)


GATEWAY_CONF = ROOT / "deploy" / "nginx" / "gateway.conf"


def nginx_conf(profile):
    """The compose stack's gateway (one file for both), its upstreams on 127.0.0.1."""
    temp = profile.path("nginx", "temp")
    gateway = GATEWAY_CONF.read_text(encoding="utf-8")
    for service, port in profile.services.items():
        gateway = gateway.replace(f"server {P.app_process(service)}:8000;",
                                  f"server 127.0.0.1:{port};")
    gateway = gateway.replace("listen 8080;", f"listen 127.0.0.1:{profile.gateway};")
    return f"""\
worker_processes 1;
pid {profile.path('run', 'nginx.pid')};
error_log {profile.path('log', 'nginx-error.log')} warn;
events {{ worker_connections 1024; }}
http {{
    access_log {profile.path('log', 'nginx-access.log')};
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    default_type application/json;
    charset utf-8;
    # Bodies and answers stay in memory, never in temp files: nginx's workers run as an
    # unprivileged user, who cannot open files under a clone in a private (0700) folder.
    client_body_buffer_size 1m;
    proxy_max_temp_file_size 0;
{gateway}
}}
"""


def format_kafka(profile):
    data = profile.path("kafka", "data")
    if (data / "meta.properties").exists():
        return
    cluster = subprocess.run(["java", "-cp", f"{KAFKA_LIBS}/*", "kafka.tools.StorageTool",
                              "random-uuid"], check=True, capture_output=True, text=True)
    run(["java", "-cp", f"{KAFKA_LIBS}/*", "kafka.tools.StorageTool", "format", "-t",
         cluster.stdout.strip().splitlines()[-1], "-c",
         str(profile.path("kafka", "server.properties")), "--standalone"],
        stdout=subprocess.DEVNULL)


# ---------------------------------------------------------------- processes, by pid

def pid_of(profile, name):
    pidfile = profile.path("run", f"{name}.pid")
    try:
        pid = int(pidfile.read_text())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None


def start(profile, name):
    """Start one process unless it runs already; returns its pid (None for one-shot jobs)."""
    command, (kind, _) = profile.processes()[name]
    if kind != "once" and pid_of(profile, name):
        return pid_of(profile, name)
    log = open(profile.path("log", f"{name}.log"), "ab")
    if kind == "once":
        subprocess.run(command, check=True, cwd=ROOT, env=profile.env(), stdout=log,
                       stderr=subprocess.STDOUT)
        return None
    process = subprocess.Popen(command, cwd=ROOT, env=profile.env(), stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    profile.path("run", f"{name}.pid").write_text(str(process.pid))
    return process.pid


def stop(profile, name, timeout=15):
    pid = pid_of(profile, name)
    if pid:
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.1)
        if _alive(pid):
            kill(profile, name)  # and wait until it is gone: its ports are free only then
    profile.path("run", f"{name}.pid").unlink(missing_ok=True)


def kill(profile, name):
    """SIGKILL, as a crash would (for the tests)."""
    pid = pid_of(profile, name)
    if pid:
        os.killpg(pid, signal.SIGKILL)
        while _alive(pid):
            time.sleep(0.05)
    profile.path("run", f"{name}.pid").unlink(missing_ok=True)


def _alive(pid):
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split()[2] != "Z"


def wait_ready(profile, name, timeout=90):
    _, (kind, target) = profile.processes()[name]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if kind in ("alive", "once") or _probe(kind, target, profile):
            if kind == "alive" or kind == "once" or pid_of(profile, name):
                return
        if kind != "once" and not pid_of(profile, name):
            break
        time.sleep(0.2)
    tail = profile.path("log", f"{name}.log").read_text(errors="replace")[-3000:]
    raise SystemExit(f"{name} did not become ready; end of its log:\n{tail}")


def _probe(kind, target, profile):
    try:
        if kind == "tcp":
            socket.create_connection(("127.0.0.1", target), timeout=1).close()
        elif kind == "kafka":
            socket.create_connection(("127.0.0.1", profile.kafka), timeout=1).close()
            return "Kafka Server started" in profile.path("log", "kafka.log").read_text(
                errors="replace")
        elif kind == "http":
            with urllib.request.urlopen(target, timeout=2) as response:
                return response.status == 200
        return True
    except (OSError, urllib.error.URLError):
        return False


def up(profile, demo=True):
    started = time.monotonic()
    provision(profile)
    write_configs(profile)
    if not profile.external_kafka:
        format_kafka(profile)
    for name in profile.processes():
        start(profile, name)
        if name != "keycloak":  # it needs none of the others, and boots while they do
            wait_ready(profile, name)
    # Its first start creates its database and imports the realm: minutes on a busy machine.
    wait_ready(profile, "keycloak", timeout=300)
    if demo:
        subprocess.run([str(VENV_PYTHON), "-m", "services.cli", "demo"], check=True, cwd=ROOT,
                       env=profile.env())
    print(f"Ideahub ({profile.name}) is ready in {time.monotonic() - started:.0f} s: "
          f"http://127.0.0.1:{profile.gateway}")


def down(profile):
    for name in reversed(list(profile.processes())):
        stop(profile, name)


def status(profile):
    for name, (_, (kind, _)) in profile.processes().items():
        if kind == "once":
            continue
        pid = pid_of(profile, name)
        print(f"{name:18} {'running, pid ' + str(pid) if pid else 'stopped'}")


def logs(profile, lines=20):
    for log in sorted(profile.path("log").glob("*.log")):
        print(f"==> {log.relative_to(ROOT)} <==")
        print("\n".join(log.read_text(errors="replace").splitlines()[-lines:]))


def test(profile, pytest_args):
    """Start the test stack, run the whole suite against it, stop it, even if tests fail."""
    code = 1
    provision_browser_tests()
    down(profile)
    for state in ("mongo", "kafka", "mail", "log"):  # every run starts from empty stores
        shutil.rmtree(profile.path(state), ignore_errors=True)
    try:
        up(profile, demo=False)
        env = profile.env()
        code = subprocess.run([str(VENV_PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT,
                              env=env).returncode
    finally:
        down(profile)
    return code


def replay(profile, projection):
    """Stop the projection's consumer, rebuild its read model from offset 0, start it again."""
    consumer = P.consumer_process(projection)
    stop(profile, consumer)
    try:
        subprocess.run([str(VENV_PYTHON), "-m", "services.cli", "replay", projection],
                       check=True, cwd=ROOT, env=profile.env())
    finally:
        start(profile, consumer)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["up", "down", "status", "logs", "test", "env",
                                           "provision", "replay"])
    parser.add_argument("--projection", choices=sorted(P.CONSUMERS))
    parser.add_argument("--profile", choices=["dev", "test"], default=None)
    parser.add_argument("--no-demo", action="store_true")
    args, rest = parser.parse_known_args(argv)
    profile = Profile(args.profile or ("test" if args.action == "test" else "dev"))
    if args.action == "up":
        up(profile, demo=not args.no_demo)
    elif args.action == "down":
        down(profile)
    elif args.action == "status":
        status(profile)
    elif args.action == "logs":
        logs(profile)
    elif args.action == "env":
        print(json.dumps({k: v for k, v in profile.env().items() if k.startswith("HUB_")}))
    elif args.action == "provision":
        provision(profile)
        provision_browser_tests()
    elif args.action == "replay":
        replay(profile, args.projection)
    elif args.action == "test":
        return test(profile, rest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
