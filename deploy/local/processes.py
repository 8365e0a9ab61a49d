"""The processes of the hub and the ports they listen on: one table for the local stack,
the compose file's test and the gateway configuration.

Kept free of imports from the project so that `deploy/local/stack.py` can read it before the
virtual environment exists.
"""

# Each service's HTTP app runs under gunicorn on its port.
SERVICES = {"ideas": 8001, "votes": 8002, "digest": 8003, "people": 8005, "web": 8004}
# The services that also run a Kafka consumer. web is stateless: it renders the pages by
# calling the others' JSON APIs through the gateway (its sessions are the people service's).
CONSUMERS = ("ideas", "votes", "digest", "people")

GATEWAY_PORT = 8080
KAFKA_PORT = 9092
KAFKA_CONTROLLER_PORT = 9093
MONGO_PORT = 27017
SMTP_PORT = 1025
# Keycloak, the local stack's OpenID Connect provider (deploy/local/keycloak).
KEYCLOAK_PORT = 8180

# Routes of the gateway: path prefix (or nginx's regular expression) -> service. Everything
# else (the pages) goes to web.
# deploy/nginx/gateway.conf holds them; tests/unit/test_compose.py checks it against these.
ROUTES = {"/api/ideas": "ideas", "/api/moderation": "ideas", "/api/campaigns": "ideas",
          "/api/stats": "ideas", "/openapi.json": "ideas",
          "/api/votes": "votes", "/api/digest": "digest", "/api/notifications": "digest",
          "^/api/ideas/[^/]+/follow$": "digest", "/api/people": "people",
          "/api/me/erase": "people", "/api/me/export": "people",
          "/api/me/export/ideas": "ideas", "/api/me/export/votes": "votes",
          "/api/me/export/digest": "digest", "/api/me/export/people": "people", "/": "web"}

# Every variable the local stack sets for the services; the compose file must set the same.
# Optional knobs a deployment may add (HUB_VOTES_CAP, HUB_OIDC_ACR_MIN...) are in
# shared/config.py.
ENV_VARS = (
    "HUB_KAFKA_BOOTSTRAP",
    "HUB_MONGO_URL",
    "HUB_TOKEN_PUBLIC_KEYS_FILE",
    "HUB_MAIL_LINK_SECRET",
    "HUB_SMTP_HOST",
    "HUB_SMTP_PORT",
    "HUB_MAIL_FROM",
    "HUB_PUBLIC_URL",
    "HUB_API_URL",
)


def app_process(service):
    return f"{service}-api"


def consumer_process(service):
    return f"{service}-consumer"


def app_command(service, port, python="python"):
    return [python, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
            "--bind", f"127.0.0.1:{port}", f"services.{service}.wsgi:app"]


def consumer_command(service, python="python"):
    return [python, "-m", f"services.{service}.consumer"]
