"""Configuration from the environment, read once per process in create_app or main()."""
import os
from dataclasses import dataclass, replace

# The secret of the local stack and the tests only; a deployment sets HUB_JWT_SECRET or
# HUB_JWT_JWKS_URL (an OpenID Connect provider), never this.
LOCAL_JWT_SECRET = "ideahub-local-only-secret-change-me-in-production"
# Likewise for the links of the digest's mails: a deployment sets HUB_MAIL_LINK_SECRET.
LOCAL_MAIL_LINK_SECRET = "ideahub-local-only-mail-links-change-me-in-production"


@dataclass(frozen=True)
class Config:
    kafka_bootstrap: str = "127.0.0.1:9092"
    mongo_url: str = "mongodb://127.0.0.1:27017"
    # Databases are "<db_prefix><service>", topics "<topic_prefix>.<name>": tests use their own.
    db_prefix: str = "ideahub_"
    topic_prefix: str = "ideahub"
    jwt_secret: str = LOCAL_JWT_SECRET
    jwt_jwks_url: str = ""
    jwt_audience: str = "ideahub"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    mail_from: str = "Ideahub <ne-pas-repondre@ideahub.local>"
    public_url: str = "http://127.0.0.1:8080"
    # Where the pages (services/web) call the JSON APIs; empty: the public URL. Inside a
    # container network the gateway has another address than the browser's.
    api_url: str = ""
    # Signs the pages' session cookie; empty: derived from jwt_secret. Required with
    # jwt_jwks_url, where jwt_secret stays the public local one.
    session_secret: str = ""
    # Signs the links of the digest's mails (unsubscribe, confirm an address). Not jwt_secret,
    # which stays the public local one with jwt_jwks_url. Required unless is_local().
    mail_link_secret: str = LOCAL_MAIL_LINK_SECRET
    # How many open ideas one person may support at once; 0: no cap (the default).
    votes_cap: int = 0
    # Reports awaiting review that hide an idea until a moderator looks at it.
    flag_threshold: int = 3

    def database_name(self, service):
        return f"{self.db_prefix}{service}"

    def topic(self, name):
        return f"{self.topic_prefix}.{name}"

    def group(self, name):
        """Consumer groups are namespaced like topics, so two hubs never share a group."""
        return f"{self.topic_prefix}.{name}"

    def api_base(self):
        return (self.api_url or self.public_url).rstrip("/")

    def is_local(self):
        """The local stack and the tests: the public local JWT secret, no identity provider.
        Anywhere else, every secret must be the deployment's own."""
        return self.jwt_secret == LOCAL_JWT_SECRET and not self.jwt_jwks_url

    def with_overrides(self, **overrides):
        return replace(self, **overrides)


_ENV = {
    "kafka_bootstrap": "HUB_KAFKA_BOOTSTRAP",
    "mongo_url": "HUB_MONGO_URL",
    "db_prefix": "HUB_DB_PREFIX",
    "topic_prefix": "HUB_TOPIC_PREFIX",
    "jwt_secret": "HUB_JWT_SECRET",
    "jwt_jwks_url": "HUB_JWT_JWKS_URL",
    "jwt_audience": "HUB_JWT_AUDIENCE",
    "smtp_host": "HUB_SMTP_HOST",
    "smtp_port": "HUB_SMTP_PORT",
    "mail_from": "HUB_MAIL_FROM",
    "public_url": "HUB_PUBLIC_URL",
    "api_url": "HUB_API_URL",
    "session_secret": "HUB_SESSION_SECRET",
    "mail_link_secret": "HUB_MAIL_LINK_SECRET",
    "votes_cap": "HUB_VOTES_CAP",
    "flag_threshold": "HUB_FLAG_THRESHOLD",
}


def load_config(environ=None, **overrides):
    environ = os.environ if environ is None else environ
    values = {}
    for name, variable in _ENV.items():
        if environ.get(variable):
            values[name] = environ[variable]
    for number in ("smtp_port", "votes_cap", "flag_threshold"):
        if number in values:
            values[number] = int(values[number])
    values.update(overrides)
    return Config(**values)
