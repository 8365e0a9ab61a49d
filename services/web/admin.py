"""Admins: find people, grant and revoke roles, set a person's unit and a manager's default
scope, close a person's sessions, read what was changed (the people service's audit)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web import forms
from services.web.client import ApiError
from services.web.i18n import GRANTED_ROLES
from services.web.session import api, person, requires

bp = Blueprint("admin", __name__)
SHOWN = 50  # the people API's page: the first, by name


def person_url(person_id):
    return url_for("admin.person_page", person_id=person_id)


@bp.get("/admin/personnes")
@requires("admin")
def people():
    q = request.args.get("q", "")[:100]
    role = request.args.get("role") if request.args.get("role") in GRANTED_ROLES else None
    return render_template("admin_people.html", people=api().find_people(q, role), q=q,
                           role=role, roles=GRANTED_ROLES, shown=SHOWN)


@bp.get("/admin/personnes/<person_id>")
@requires("admin")
def person_page(person_id, status=200, values=None, errors=None):
    held = api().get_person(person_id)
    return render_template("admin_person.html", held=held, changes=api().person_changes(person_id),
                           values=values or held, errors=errors or {}, roles=GRANTED_ROLES,
                           myself=held["id"] == person().sub), status


@bp.post("/admin/personnes/<person_id>")
@requires("admin")
def save_person(person_id):
    roles = [r for r in request.form.getlist("roles") if r in GRANTED_ROLES]
    unit = forms.text("unit", line=True)
    scope = forms.split_tags(forms.text("scope", line=True))
    errors = {}
    if len(unit) > forms.UNIT or any(len(u) > forms.UNIT for u in scope):
        errors["unit" if len(unit) > forms.UNIT else "scope"] = [
            _("Un service : %(n)s caractères au plus.", n=forms.UNIT)]
    if not errors:
        try:
            api().set_roles(person_id, roles, unit, scope)
        except ApiError as error:
            errors = forms.refused(error, ("roles", "unit", "scope"))
        else:
            flash(_("Les droits sont enregistrés : ils s'appliquent dès sa prochaine page."), "info")
            return redirect(person_url(person_id), 303)
    return person_page(person_id, 422, {"roles": roles, "unit": unit, "scope": scope}, errors)


@bp.post("/admin/personnes/<person_id>/sessions")
@requires("admin")
def end_sessions(person_id):
    return forms.attempt(lambda: api().end_sessions(person_id),
                         _("Ses sessions sont fermées : cette personne devra se reconnecter."),
                         person_url(person_id))
