"""Deleting my account, from my space: a page that says what goes and what stays, asks what
becomes of my texts when the administration leaves the choice (HUB_ERASURE_TEXTS), and asks
for a confirmation; then the hub erases (POST /api/me/erase), signs me out and says so."""
from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from services.web.client import ApiError
from services.web.forms import REFUSALS, message
from services.web.session import api, requires, sign_out, web

bp = Blueprint("erase_account", __name__)


@bp.route("/me/supprimer", methods=("GET", "POST"))
@requires("agent")
def erase():
    policy = web().config.erasure_texts
    values, errors = {"texts": request.form.get("texts", "")}, {}
    if request.method == "POST":
        if policy == "choice" and values["texts"] not in ("keep", "remove"):
            errors["texts"] = [_("Choisissez ce que deviennent vos idées et commentaires.")]
        if request.form.get("confirm") != "yes":
            errors["confirm"] = [_("Cochez la case pour confirmer : la suppression est "
                                   "définitive.")]
        if not errors:
            try:
                api().erase_me(values["texts"] if policy == "choice" else policy)
            except ApiError as error:
                if error.status not in REFUSALS:
                    raise
                errors["texts"] = [message(error)]
            else:
                sign_out()
                return render_template("erased_account.html")
    return render_template("erase_account.html", policy=policy, values=values,
                           errors=errors), 422 if errors else 200
