"""The pages a French public service must carry, linked from every page's footer: the
accessibility statement, the legal notice, personal data, the terms of use with the
moderation charter, and help. They stay public whatever HUB_PUBLIC_READ says: one must be
able to read what a service keeps and whom to ask before signing in."""
from flask import Blueprint, render_template

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


def _page(template):
    def view():
        return render_template(template, flag_threshold=web().config.flag_threshold,
                               public_read=web().config.public_read)
    return view


for endpoint, path, template in PAGES:
    bp.add_url_rule(path, endpoint, _page(template))
