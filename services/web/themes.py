"""The pages' two looks over one set of templates: "ideahub", ours (static/hub.css and
static/themes/ideahub.css), the default; "dsfr", the State design system, for State sites only
(its licence reserves the Marianne brand to them). The templates never test the theme: the
components of macros.html ask `ui(...)` for their classes, and base.html's header and footer
are macros too, so a theme is a class table, a stylesheet list and two macros' branches.

@gouvfr/dsfr is never committed: the local stack fetches it from npm (deploy/local/stack.py,
provision_dsfr) and this app serves its dist/ under /dsfr/, so the CSP's 'self' covers its CSS,
fonts and icons."""
from dataclasses import dataclass

from flask import send_from_directory, url_for
from pathlib import Path


class ThemeMisconfigured(SystemExit):
    pass


# Each component's classes, by theme: what macros.html puts on the element.
CLASSES = {
    "ideahub": {
        "button": "button", "button-secondary": "button secondary", "badge": "badge",
        "badge-new": "badge badge-new",
        "tag": "tag", "tags": "tags", "alert": "alert", "alert-error": "alert alert-error",
        "alert-success": "alert alert-success", "breadcrumb": "breadcrumb",
        "breadcrumb-list": "", "breadcrumb-link": "", "pagination": "pagination",
        "pagination-list": "", "pagination-link": "", "card": "card", "card-body": "",
        "card-content": "", "card-title": "card-title", "card-desc": "",
        "table": "table-wrap", "field": "field", "label": "", "input": "",
        "hint": "hint", "field-error": "field-error", "field-invalid": "field invalid",
        "select": "", "fieldset": "", "legend": "", "choice-checkbox": "choice",
        "choice-radio": "choice",
    },
    "dsfr": {
        "button": "fr-btn", "button-secondary": "fr-btn fr-btn--secondary",
        "badge": "fr-badge fr-badge--sm", "badge-new": "fr-badge fr-badge--sm fr-badge--new",
        "tag": "fr-tag", "tags": "fr-tags-group",
        "alert": "fr-alert fr-alert--info fr-alert--sm",
        "alert-error": "fr-alert fr-alert--error fr-alert--sm",
        "alert-success": "fr-alert fr-alert--success fr-alert--sm",
        "breadcrumb": "fr-breadcrumb", "breadcrumb-list": "fr-breadcrumb__list",
        "breadcrumb-link": "fr-breadcrumb__link", "pagination": "fr-pagination",
        "pagination-list": "fr-pagination__list", "pagination-link": "fr-pagination__link",
        "card": "fr-card fr-enlarge-link", "card-body": "fr-card__body",
        "card-content": "fr-card__content", "card-title": "fr-card__title",
        "card-desc": "fr-card__desc", "table": "table-wrap", "field": "fr-input-group",
        "label": "fr-label", "input": "fr-input", "hint": "fr-hint-text",
        "field-error": "fr-error-text", "field-invalid": "fr-input-group fr-input-group--error",
        "select": "fr-select", "fieldset": "", "legend": "",
        "choice-checkbox": "fr-checkbox-group", "choice-radio": "fr-radio-group",
    },
}
# Statuses as badges: a colour each, with the word always there (never colour alone).
BADGES = {
    "ideahub": {"submitted": "badge-new", "under_review": "badge-info",
                "accepted": "badge-success", "in_progress": "badge-info",
                "implemented": "badge-success", "rejected": "badge-muted",
                "duplicate": "badge-muted", "hidden": "badge-warning",
                "withdrawn": "badge-muted"},
    "dsfr": {"submitted": "fr-badge--new", "under_review": "fr-badge--info",
             "accepted": "fr-badge--success", "in_progress": "fr-badge--info",
             "implemented": "fr-badge--success", "rejected": "", "duplicate": "",
             "hidden": "fr-badge--warning", "withdrawn": ""},
}
ACCESSIBILITY = ("none", "partial", "full")


@dataclass(frozen=True)
class Organisation:
    name: str
    contact: str
    logo: str

    @property
    def contact_is_email(self):
        return "@" in self.contact and " " not in self.contact.strip()


def init_app(app, config):
    """Check the theme's settings (a misconfigured hub exits at start, not at the first page),
    serve its files, and give the templates `ui`, `badge_class`, `theme`, `org` and
    `accessibility`."""
    name = config.theme
    if name not in CLASSES:
        raise ThemeMisconfigured(f"HUB_THEME={name!r}: choose one of {', '.join(CLASSES)}.")
    if config.accessibility not in ACCESSIBILITY:
        raise ThemeMisconfigured(f"HUB_ACCESSIBILITY={config.accessibility!r}: choose one of "
                                 f"{', '.join(ACCESSIBILITY)}.")
    logo = config.org_logo_url
    if logo and not (logo.startswith("/") and not logo.startswith("//")):
        raise ThemeMisconfigured(
            f"HUB_ORG_LOGO_URL={logo!r}: give a path on this site (/static/...), the pages' CSP "
            "allows images from the hub's own address only.")
    if name == "dsfr":
        _serve_dsfr(app, config.dsfr_dir)
    classes, badges = CLASSES[name], BADGES[name]
    app.jinja_env.globals.update(
        theme=name,
        ui=lambda component: classes[component],
        badge_class=lambda status: f"{classes['badge']} {badges.get(status, '')}".strip(),
        org=Organisation(config.org_name, config.org_contact, logo),
        accessibility=config.accessibility,
        stylesheets=lambda: _stylesheets(name),
    )


def _serve_dsfr(app, folder):
    dist = Path(folder) if folder else None
    if not dist or not (dist / "dsfr.min.css").exists():
        raise ThemeMisconfigured(
            f"HUB_THEME=dsfr needs HUB_DSFR_DIR, @gouvfr/dsfr's dist/ folder (now {folder!r}): "
            "`python3 deploy/local/stack.py provision` fetches it from npm.")

    @app.get("/dsfr/<path:filename>")
    def dsfr_file(filename):
        """The design system's CSS, fonts and icons, as static files of this site."""
        return send_from_directory(dist, filename, max_age=24 * 3600)


def _stylesheets(name):
    if name == "dsfr":
        return [url_for("dsfr_file", filename="dsfr.min.css"),
                url_for("static", filename="hub.css"),
                url_for("static", filename="themes/dsfr.css")]
    return [url_for("static", filename="hub.css"),
            url_for("static", filename="themes/ideahub.css")]
