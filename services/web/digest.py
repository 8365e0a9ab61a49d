"""Managers: their weekly digest's subscription (scope, day, hour, language, the address to
confirm) and the preview of a week's digest, last week's by default, of the scope saved or of
the one being chosen. Anyone holding a link of the digest's mails: the pages that unsubscribe
and that confirm an address."""
from datetime import date, datetime, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from services.web import forms
from services.web.client import ApiError
from services.web.i18n import LANGUAGE_OPTIONS, LANGUAGES, PARIS, WEEKDAYS, week_label
from services.web.mail_links import link_page
from services.web.session import api, requires

bp = Blueprint("digest", __name__)

DEFAULTS = {"email": "", "units": [], "tags": [], "weekday": 0, "hour": 8, "language": "fr"}
# The weeks a preview offers: the current one and those before it.
RECENT_WEEKS = 8


def current_subscription():
    try:
        return api().get_subscription()
    except ApiError as error:
        if error.status != 404:
            raise
        return None


def preview(period, scope):
    """(preview, errors) of the period for `scope` (None: the saved one)."""
    try:
        return api().preview_digest(period, scope), {}
    except ApiError as error:
        if error.status == 404:
            return None, {}
        return None, forms.refused(error, ("period",))


def recent_weeks(today, chosen=None):
    """(period, label) of the current week and the RECENT_WEEKS - 1 before it, newest first;
    a `chosen` period from further back (a bookmarked address) is offered too."""
    monday = today - timedelta(days=today.weekday())
    weeks = [monday - timedelta(weeks=n) for n in range(RECENT_WEEKS)]
    if chosen and chosen not in {iso_week(w) for w in weeks}:
        try:
            weeks.append(date.fromisocalendar(int(chosen[:4]), int(chosen[6:]), 1))
        except ValueError:
            pass  # not a week: the API's refusal says so beside the field
    return [(iso_week(w), week_label(w)) for w in weeks]


def iso_week(monday):
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def unit_choices(values):
    """The units in use, and those the subscription already follows (still kept if no idea
    bears them now): chosen by ticking, never typed, so none is misspelt."""
    in_use = [u["unit"] for u in api().idea_facets()["units"]]
    return in_use + [u for u in values["units"] if u not in in_use]


def render(values, subscription, errors=None, status=200, period=None, draft=False):
    """`subscription`: as saved (None if there is none), `values` what the form shows;
    `draft`: preview `values`' scope rather than the saved one. Not subscribed yet, the
    preview shows the scope the form starts from."""
    # The week in progress unless one is chosen: what the next digest holds so far (the
    # API's own default, the last complete week, was already sent).
    today = datetime.now(PARIS).date()
    period = period or request.args.get("period", "").strip() or iso_week(
        today - timedelta(days=today.weekday()))
    subscribed = subscription is not None
    scope = values if draft or not subscribed else None
    # A scope the form refuses is not previewed: the API would refuse it too (or the gateway,
    # a query too long), and the person has the form's own messages to act on.
    found, period_errors = preview(period, scope) if not errors else (None, {})
    unconfirmed = subscription["email"] if subscribed and not subscription.get(
        "email_verified") else None
    weeks = recent_weeks(today, period)
    return render_template("digest.html", values=values, subscribed=subscribed, draft=draft,
                           unconfirmed=unconfirmed, errors=errors or {}, preview=found,
                           period=period, preview_week=dict(weeks).get(period, period),
                           period_errors=period_errors, weeks=weeks,
                           unit_options=[(u, u) for u in unit_choices(values)],
                           weekday_options=list(enumerate(WEEKDAYS)),
                           hour_options=[(h, f"{h:02d} h") for h in range(24)],
                           language_options=LANGUAGE_OPTIONS), status


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
        "units": [unit for unit in map(str.strip, request.form.getlist("units")) if unit],
        "tags": forms.split_tags(forms.text("tags")),
        "weekday": number("weekday", 0, 6, 0),
        "hour": number("hour", 0, 23, 8),
        "language": request.form.get("language") if request.form.get("language") in LANGUAGES
        else "fr",
    }
    if request.form.get("action") == "preview":  # the scope being chosen, saved or not
        return render(values, current_subscription(), period=request.form.get("period"),
                      draft=True)
    subscription = {k: v for k, v in values.items() if k != "email" or v}
    try:
        api().save_subscription(subscription)
    except ApiError as error:
        return render(values, current_subscription(), forms.refused(error, tuple(values)), 422)
    flash(_("Votre abonnement est enregistré."), "info")
    return redirect(url_for("digest.digest_page"), 303)


# The pages the links of the digest's mails lead to (services/web/mail_links.py).
@bp.route("/digest/unsubscribe", methods=("GET", "POST"))
def unsubscribe():
    return link_page("digest_unsubscribe.html", lambda token: api().unsubscribe_from_digest(token))


@bp.route("/digest/confirm-address", methods=("GET", "POST"))
def confirm_address():
    return link_page("digest_confirm_address.html",
                     lambda token: api().confirm_digest_address(token))
