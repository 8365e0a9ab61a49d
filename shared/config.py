"""Configuration from the environment, read once per process in create_app or main()."""
import os
from dataclasses import dataclass, replace

# Secrets of the local stack and the tests only (HUB_ENV=local): they are in this repository,
# so a hub anywhere else refuses to start with them (`refuse_local_secrets`).
LOCAL_SESSION_SECRET = "ideahub-local-only-session-change-me-in-production"
LOCAL_MAIL_LINK_SECRET = "ideahub-local-only-mail-links-change-me-in-production"


class MissingSecret(SystemExit):
    pass


@dataclass(frozen=True)
class Config:
    kafka_bootstrap: str = "127.0.0.1:9092"
    mongo_url: str = "mongodb://127.0.0.1:27017"
    # Databases are "<db_prefix><service>", topics "<topic_prefix>.<name>": tests use their own.
    db_prefix: str = "ideahub_"
    topic_prefix: str = "ideahub"
    # "local": the local stack and the tests, where the repository's secrets are allowed.
    env: str = "production"
    # The hub's tokens (shared.auth): the private key (PEM) only where people sign in, the
    # public keys (PEM, several while rotating) everywhere.
    token_private_key: str = ""
    token_public_keys: str = ""
    jwt_audience: str = "ideahub"
    # The demo sign-in page (pick a demo person, no password): the local stack only.
    demo_signin: bool = False
    # Signing in through OpenID Connect (services/web/oidc.py): the provider, by discovery.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    # The least `acr` the hub accepts, among ProConnect's eIDAS levels (services/web/oidc.py).
    oidc_acr_min: str = "eidas1"
    # Who may enter: any rule that matches admits (lists, comma-separated in the environment).
    admit_email_domains: tuple = ()
    admit_sirets: tuple = ()
    admit_idp_ids: tuple = ()
    # The first admins (services/people), by address, at their sign-in.
    admin_emails: tuple = ()
    # Who reads the ideas and their comments: signed-in people only (an internal idea box),
    # or anyone with HUB_PUBLIC_READ=1 (a public showcase).
    public_read: bool = False
    # Whom a refused person should ask, in their words, on the refusal page; empty: the
    # organisation's contact (org_contact).
    admission_contact: str = ""
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    mail_from: str = "Ideahub <ne-pas-repondre@ideahub.local>"
    public_url: str = "http://127.0.0.1:8080"
    # Where the pages (services/web) call the JSON APIs; empty: the public URL. Inside a
    # container network the gateway has another address than the browser's.
    api_url: str = ""
    # Signs the pages' session cookie.
    session_secret: str = LOCAL_SESSION_SECRET
    # Signs the links of the digest's mails (unsubscribe, confirm an address).
    mail_link_secret: str = LOCAL_MAIL_LINK_SECRET
    # How many open ideas one person may support at once; 0: no cap (the default).
    votes_cap: int = 0
    # Reports awaiting review that hide an idea until a moderator looks at it.
    flag_threshold: int = 3
    # The moderators' possible duplicates are computed again at most this often, in seconds,
    # in each ideas process, however fast ideas arrive (services/ideas/latest_pairs.py).
    duplicates_every: float = 30.0
    # The pages' look (services/web/themes.py): "ideahub", ours, or "dsfr", the State design
    # system, whose licence reserves the Marianne brand to State sites (so never the default).
    theme: str = "ideahub"
    # Where @gouvfr/dsfr's dist/ is, for HUB_THEME=dsfr (the local stack fetches it from npm).
    dsfr_dir: str = ""
    # Who publishes this hub, as the header, the footer and the legal pages name them.
    org_name: str = "Votre administration"
    org_contact: str = "l'équipe qui administre ce hub dans votre administration"
    # The organisation's logo: a path on this site (the CSP allows images from 'self' only).
    org_logo_url: str = ""
    # The accessibility status the footer declares (RGAA): "none" until an audit says more.
    accessibility: str = "none"
    # What happens to the texts (ideas, comments) of a person who erases their account:
    # "choice" (theirs), "keep" (signed "Agent anonymisé") or "remove" (the administration's
    # policy, as its personal data page states it).
    erasure_texts: str = "choice"
    # What the legal pages say that only the deployer knows (publisher, host, data
    # protection officer, accessibility audit): a TOML file (services/web/legal_info.py).
    legal_file: str = ""
    # Retention (services/people/retention.py), as the personal data page states it:
    # accounts without a sign-in for this many months are anonymised, their holder warned by
    # mail this many days before; sign-in records and the people's audit are kept this many
    # months.
    retention_accounts_months: int = 24
    retention_warning_days: int = 30
    retention_logs_months: int = 12

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
        return self.env == "local"

    def refuse_local_secrets(self):
        """Exit with a clear message if a secret is still the repository's, outside the
        local stack: every process calls this when it starts."""
        if self.is_local():
            return
        left = [variable for variable, value, local in (
            ("HUB_SESSION_SECRET", self.session_secret, LOCAL_SESSION_SECRET),
            ("HUB_MAIL_LINK_SECRET", self.mail_link_secret, LOCAL_MAIL_LINK_SECRET))
            if value == local]
        if left:
            raise MissingSecret(f"{', '.join(left)}: set the deployment's own secret (the "
                                "default is public, in the repository); HUB_ENV=local allows "
                                "it on the local stack only.")

    def with_overrides(self, **overrides):
        return replace(self, **overrides)


_ENV = {
    "kafka_bootstrap": "HUB_KAFKA_BOOTSTRAP",
    "mongo_url": "HUB_MONGO_URL",
    "db_prefix": "HUB_DB_PREFIX",
    "topic_prefix": "HUB_TOPIC_PREFIX",
    "env": "HUB_ENV",
    "demo_signin": "HUB_DEMO_SIGNIN",
    "public_read": "HUB_PUBLIC_READ",
    "oidc_issuer": "HUB_OIDC_ISSUER",
    "oidc_client_id": "HUB_OIDC_CLIENT_ID",
    "oidc_client_secret": "HUB_OIDC_CLIENT_SECRET",
    "oidc_acr_min": "HUB_OIDC_ACR_MIN",
    "admit_email_domains": "HUB_ADMIT_EMAIL_DOMAINS",
    "admit_sirets": "HUB_ADMIT_SIRETS",
    "admit_idp_ids": "HUB_ADMIT_IDP_IDS",
    "admin_emails": "HUB_ADMIN_EMAILS",
    "admission_contact": "HUB_ADMISSION_CONTACT",
    "token_private_key": "HUB_TOKEN_PRIVATE_KEY",
    "token_public_keys": "HUB_TOKEN_PUBLIC_KEYS",
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
    "duplicates_every": "HUB_DUPLICATES_EVERY",
    "theme": "HUB_THEME",
    "dsfr_dir": "HUB_DSFR_DIR",
    "org_name": "HUB_ORG_NAME",
    "org_contact": "HUB_ORG_CONTACT",
    "org_logo_url": "HUB_ORG_LOGO_URL",
    "accessibility": "HUB_ACCESSIBILITY",
    "erasure_texts": "HUB_ERASURE_TEXTS",
    "legal_file": "HUB_LEGAL_FILE",
    "retention_accounts_months": "HUB_RETENTION_ACCOUNTS_MONTHS",
    "retention_warning_days": "HUB_RETENTION_WARNING_DAYS",
    "retention_logs_months": "HUB_RETENTION_LOGS_MONTHS",
}


_FROM_FILE = ("token_private_key", "token_public_keys", "session_secret", "mail_link_secret",
              "oidc_client_secret")


def load_config(environ=None, **overrides):
    environ = os.environ if environ is None else environ
    values = {}
    for name, variable in _ENV.items():
        if environ.get(variable):
            values[name] = environ[variable]
        elif name in _FROM_FILE and environ.get(variable + "_FILE"):
            # Keys and secrets may come as files (container secrets, the local stack's keys).
            with open(environ[variable + "_FILE"], encoding="utf-8") as held:
                values[name] = held.read()
    for number in ("smtp_port", "votes_cap", "flag_threshold", "retention_accounts_months",
                   "retention_warning_days", "retention_logs_months"):
        if number in values:
            values[number] = int(values[number])
    if "duplicates_every" in values:
        values["duplicates_every"] = float(values["duplicates_every"])
    for listed in ("admit_email_domains", "admit_sirets", "admit_idp_ids",
                   "admin_emails"):
        if listed in values:
            values[listed] = tuple(v.strip().lower() if listed.endswith(("domains", "emails"))
                                   else v.strip() for v in values[listed].split(",") if v.strip())
    for switch in ("demo_signin", "public_read"):
        if switch in values:
            values[switch] = values[switch] == "1"
    values.update(overrides)
    return Config(**values)
