"""The pages a French public service must carry, linked from every page's footer: the
accessibility statement, the legal notice, personal data, the terms of use with the
moderation charter, and help. They stay public whatever HUB_PUBLIC_READ says: one must be
able to read what a service keeps and whom to ask before signing in.

What only the deployer knows comes from HUB_LEGAL_FILE (services/web/legal_info.py), the
retention periods from HUB_RETENTION_ACCOUNTS_MONTHS and HUB_RETENTION_LOGS_MONTHS; what is
left unset shows as "À compléter par l'administration : …"."""
from flask import Blueprint, current_app, render_template

from services.web import legal_info
from services.web.session import web

bp = Blueprint("legal", __name__)

# (endpoint, path, template): the footer lists them in this order.
PAGES = (
    ("accessibility", "/accessibilite", "legal/accessibility.html"),
    ("legal_notice", "/mentions-legales", "legal/legal_notice.html"),
    ("personal_data", "/donnees-personnelles", "legal/personal_data.html"),
    ("terms", "/conditions-utilisation", "legal/terms.html"),
    ("help", "/aide", "legal/help.html"),
)


def init_app(app, config):
    """Read the legal information once, at start: a misconfigured file stops the app with
    a message naming what is wrong, rather than a page failing later."""
    for variable, months in (
            ("HUB_RETENTION_ACCOUNTS_MONTHS", config.retention_accounts_months),
            ("HUB_RETENTION_LOGS_MONTHS", config.retention_logs_months)):
        if months < 1:
            raise legal_info.LegalMisconfigured(f"{variable}={months}: a number of months, "
                                                "1 or more, is expected.")
    app.extensions["legal"] = legal_info.load(config.legal_file)


def _page(template):
    def view():
        config = web().config
        return render_template(template, flag_threshold=config.flag_threshold,
                               public_read=config.public_read,
                               legal=current_app.extensions["legal"],
                               accounts_months=config.retention_accounts_months,
                               logs_months=config.retention_logs_months)
    return view


for endpoint, path, template in PAGES:
    bp.add_url_rule(path, endpoint, _page(template))
