"""Managers: their weekly digest's subscription (scope, day, hour, language, the address to
confirm) and the preview of a week's digest, last week's by default. Anyone holding a link of
the digest's mails: the pages that unsubscribe and that confirm an address."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web import forms
from services.web.client import ApiError
from services.web.i18n import LANGUAGES, WEEKDAYS
from services.web.session import api, requires

bp = Blueprint("digest", __name__)

DEFAULTS = {"email": "", "units": [], "tags": [], "weekday": 0, "hour": 8, "language": "fr"}


def current_subscription():
    try:
        return api().get_subscription()
    except ApiError as error:
        if error.status != 404:
            raise
        return None


def preview(period):
    """(preview, errors) of the period (None: last week); no preview without a subscription."""
    try:
        return api().preview_digest(period), {}
    except ApiError as error:
        if error.status == 404:
            return None, {}
        return None, forms.refused(error, ("period",))


def render(values, subscription, errors=None, status=200):
    """`subscription`: as saved (None if there is none), `values` what the form shows."""
    period = request.args.get("period", "").strip() or None
    subscribed = subscription is not None
    found, period_errors = preview(period) if subscribed else (None, {})
    unconfirmed = subscription["email"] if subscribed and not subscription.get(
        "email_verified") else None
    return render_template("digest.html", values=values, subscribed=subscribed,
                           unconfirmed=unconfirmed, errors=errors or {}, preview=found,
                           period=period or "", period_errors=period_errors,
                           weekdays=WEEKDAYS, languages=LANGUAGES), status


@bp.get("/digest")
@requires("manager")
def digest_page():
    subscription = current_subscription()
    # Not subscribed yet: the scope an admin set for this manager (services/people).
    first = {} if subscription else {"units": api().me().get("scope", [])}
    return render({**DEFAULTS, **first, **(subscription or {})}, subscription)


def number(name, low, high, default):
    try:
        value = int(request.form.get(name, default))
    except ValueError:
        return default
    return min(max(value, low), high)


@bp.post("/digest")
@requires("manager")
def subscribe():
    values = {
        "email": forms.text("email"),
        "units": forms.split_tags(forms.text("units")),
        "tags": forms.split_tags(forms.text("tags")),
        "weekday": number("weekday", 0, 6, 0),
        "hour": number("hour", 0, 23, 8),
        "language": request.form.get("language") if request.form.get("language") in LANGUAGES
        else "fr",
    }
    subscription = {k: v for k, v in values.items() if k != "email" or v}
    try:
        api().save_subscription(subscription)
    except ApiError as error:
        return render(values, current_subscription(), forms.refused(error, tuple(values)), 422)
    flash(_("Votre abonnement est enregistré."), "info")
    return redirect(url_for("digest.digest_page"), 303)


# The pages the links of the digest's mails lead to, open to whoever holds the link: its signed
# token is the proof, checked by the digest API. Opening the page changes nothing, its button
# does: a mail scanner following links unsubscribes or confirms no one.
@bp.route("/digest/unsubscribe", methods=("GET", "POST"))
def unsubscribe():
    return link_page("digest_unsubscribe.html", lambda token: api().unsubscribe_from_digest(token))


@bp.route("/digest/confirm-address", methods=("GET", "POST"))
def confirm_address():
    return link_page("digest_confirm_address.html",
                     lambda token: api().confirm_digest_address(token))


def link_page(template, follow):
    """The page asks (GET), then says it is done (POST); a forged, expired or outdated link
    gets a page that says what to do instead."""
    token = request.values.get("token", "").strip()
    if not token:
        return render_template(template, state="invalid"), 404
    if request.method == "GET":
        return render_template(template, token=token, state="ask")
    try:
        follow(token)
    except ApiError as error:
        if error.status not in (404, 422):
            raise
        return render_template(template, state="invalid"), 404
    return render_template(template, state="done")
