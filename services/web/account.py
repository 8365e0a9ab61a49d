"""Signing in and out, and my space. The demo sign-in page, where anyone picks a demo person,
exists only with HUB_DEMO_SIGNIN=1 (the local stack and the tests), never in production."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l

from shared.auth import Identity
from services.web import forms, oidc
from services.web.client import ApiError
from services.web.exports import passed_through
from services.web.session import (api, local_path, person, requires, sign_in, sign_out,
                                  token_for, web)

bp = Blueprint("account", __name__)

# key -> (name, roles, unit); the e-mail is key@example.fr.
DEMO_PEOPLE = {
    "agnes": ("Agnès Müller", ("agent",), "Service urbanisme"),
    "joel": ("Joël N'Diaye", ("agent",), "CCAS"),
    "maelle": ("Maëlle Le Goff", ("agent", "moderator"), "Direction générale"),
    "aurelie": ("Aurélie Dupont", ("manager",), "Service urbanisme"),
    "lea": ("Léa Garnier", ("agent", "admin"), "Direction du numérique"),
}
ROLE_LABELS = {"agent": _l("agent"), "moderator": _l("modératrice"), "manager": _l("responsable"),
               "admin": _l("administratrice")}
# Ideas I support that my space shows, with their titles (one API call each).
MY_SUPPORTS_SHOWN = 50


def signin_offered():
    """The sign-in page exists with the provider's sign-in or the demo picker (local only)."""
    if not web().config.demo_signin and not oidc.enabled():
        abort(404)


@bp.route("/signin", methods=["GET", "POST"])
def signin():
    signin_offered()
    next_url = local_path(request.values.get("next"))
    error = None
    if request.method == "POST":
        if not web().config.demo_signin:
            abort(404)
        key = request.form.get("person", "")
        if key in DEMO_PEOPLE:
            sign_in_as_demo(key)
            return redirect(next_url, 303)
        error = True
    return render_template("signin.html", people=DEMO_PEOPLE if web().config.demo_signin else {},
                           role_labels=ROLE_LABELS, next_url=next_url, error=error,
                           provider=oidc.enabled()), 422 if error else 200


def sign_in_as_demo(key):
    """The demo person `key`, with the roles the demo gives them, granted by the demo itself
    as an admin would (the change is in their audit)."""
    name, roles, unit = DEMO_PEOPLE[key]
    held = sign_in({"sub": key, "name": name, "email": f"{key}@example.fr", "unit": unit})
    if set(roles) - set(held["roles"]):
        demo = Identity("demo", "Connexion de démonstration", "", frozenset(["admin"]), "")
        web().make_client(token_for(demo)).set_roles(key, {*roles, *held["roles"]})
        g.pop("person", None)  # read again, with the roles


@bp.post("/signout")
def signout():
    """Out of the hub, and out of the provider too when signed in through it."""
    at_provider = oidc.end_session_url()
    sign_out()
    return redirect(at_provider or url_for("browse.home"), 303)


@bp.post("/me/unit")
@requires("agent")
def choose_unit():
    """My unit, when my provider did not give it (or gave an old one): ideas I propose carry
    it, and managers follow units."""
    unit = forms.text("unit", line=True)
    if not 1 <= len(unit) <= forms.UNIT:
        flash(_("Votre service : entre 1 et %(n)s caractères.", n=forms.UNIT), "error")
        return redirect(url_for("account.me") + "#mon-service", 303)
    return forms.attempt(lambda: api().set_my_unit(unit), _("Votre service est enregistré."),
                         url_for("account.me"))


@bp.get("/me")
@requires()
def me():
    mine = api().list_ideas(author="me", sort="new", limit=100)["items"] \
        if person().has("agent") else []
    supported = []
    if person().has("agent"):
        for support in api().my_supports()[:MY_SUPPORTS_SHOWN]:
            try:
                supported.append(api().get_idea(support["idea_id"]))
            except ApiError as error:  # hidden since: not for me to read
                if error.status != 404:
                    raise
    return render_template("me.html", mine=mine, supported=supported)


@bp.get("/me/mes-donnees")
@requires()
def my_data():
    """All I gave the hub and all it keeps of me, as one JSON file (RGPD, right of access):
    the API gathers it from every service (GET /api/me/export); the page passes it through,
    since the browser holds no API token."""
    return passed_through(api().download("/api/me/export"))
