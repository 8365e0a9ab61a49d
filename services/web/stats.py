"""The statistics page (/statistiques) for moderators and managers: the figures of
GET /api/stats, each as a chart drawn on the server (charts.py) with its numbers in a table
right under it; filters by unit, period and call in a GET form (no JavaScript)."""
from datetime import date

from flask import Blueprint, render_template, request
from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _

from services.web import charts
from services.web.client import ApiError
from services.web.i18n import STATUS_LABELS
from services.web.session import api, requires

bp = Blueprint("stats", __name__)
FILTERS = ("unit", "from", "to", "campaign")


@bp.get("/statistiques")
@requires("moderator", "manager")
def stats_page():
    query = {name: request.args.get(name, "").strip() for name in FILTERS}
    client, errors = api(), {}
    try:
        figures = client.stats(**query)
    except ApiError as error:
        if error.status != 422:
            raise
        errors = {name: [_("Date invalide ou période à l'envers.")]
                  for name in ("from", "to") if name in error.errors or not error.errors}
        figures = client.stats(unit=query["unit"], campaign=query["campaign"])
    units = [u["unit"] for u in client.idea_facets()["units"]]
    calls = client.list_campaigns()
    return render_template("stats.html", query=query, errors=errors, figures=figures,
                           units=units, calls=calls, charts=figure_charts(figures),
                           month=month_label, week=week_label, hours=hours_label,
                           share=share_label)


def figure_charts(figures):
    """The page's charts, by figure."""
    ideas, answers = figures["ideas"], figures["first_answer"]
    per_month = [(month_label(m["month"], short=True), m["count"]) for m in ideas["per_month"]]
    per_status = [(STATUS_LABELS.get(s["status"], s["status"]), s["count"])
                  for s in ideas["per_status"]]
    weeks = [(week_label(w["week"], short=True), w["count"])
             for w in figures["supports"]["per_week"]]
    waits = [(month_label(m["month"], short=True), m["median_hours"])
             for m in answers["per_month"]]
    units = [(u["unit"], u["ideas"]) for u in figures["units"]["items"]]
    tags = [(t["tag"], t["ideas"]) for t in figures["tags"]]
    return {
        "per_month": charts.columns("graphique-idees-mois", _("Idées proposées par mois"), _(
            "Histogramme : nombre d'idées proposées chaque mois de la période ; les "
            "chiffres sont dans le tableau qui suit."), per_month),
        "per_status": charts.bars("graphique-idees-statut", _("Idées par statut"), _(
            "Barres horizontales : nombre d'idées de la période dans chaque statut ; les "
            "chiffres sont dans le tableau qui suit."), per_status),
        "supports": charts.columns("graphique-soutiens", _("Soutiens par semaine"), _(
            "Histogramme : soutiens toujours valables, par semaine où ils ont été donnés ; "
            "les chiffres sont dans le tableau qui suit."), weeks),
        "waits": charts.columns("graphique-delais", _("Délai médian de première réponse"), _(
            "Histogramme : délai médian, en heures, entre la proposition d'une idée et la "
            "première réponse de la modération, par mois de proposition ; les chiffres sont "
            "dans le tableau qui suit."), waits),
        "units": charts.bars("graphique-services", _("Idées par service"), _(
            "Barres horizontales : nombre d'idées proposées par chaque service participant ; "
            "les chiffres sont dans le tableau qui suit."), units),
        "tags": charts.bars("graphique-etiquettes", _("Étiquettes les plus portées"), _(
            "Barres horizontales : nombre d'idées portant chacune des étiquettes les plus "
            "fréquentes ; les chiffres sont dans le tableau qui suit."), tags),
    }


def month_label(key, short=False):
    """"2026-03" as "mars 2026" (short: "mars 26")."""
    year, month = map(int, key.split("-"))
    return format_date(date(year, month, 1), "MMM yy" if short else "MMMM y")


def week_label(key, short=False):
    """"2026-W14" as "semaine 14 (du 30 mars 2026)" (short: "S14")."""
    year, week = key.split("-W")
    if short:
        return _("S%(week)s", week=int(week))
    monday = date.fromisocalendar(int(year), int(week), 1)
    return _("semaine %(week)s (du %(monday)s)", week=int(week),
             monday=format_date(monday, "d MMMM y"))


def hours_label(value):
    if value is None:
        return "—"
    if value >= 48:
        return _("%(days)s jours", days=format_decimal(round(value / 24, 1)))
    return _("%(hours)s h", hours=format_decimal(round(value, 1)))


def share_label(value):
    return "—" if value is None else format_percent(value)
