"""French first, English by choice: `?lang=en|fr` sets a `lang` cookie. Texts are written in
French in the code and templates; translations/en holds the English catalogue as a .po file,
compiled in memory at start (no .mo file to build or commit). Dates and numbers follow the
reader's locale, in Paris time."""
import io
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo
from pathlib import Path
from urllib.parse import urlencode

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import g, request
from flask_babel import (Babel, Domain, format_date, format_number, format_percent,
                         format_time, get_locale, gettext, ngettext, to_user_timezone)
from flask_babel import lazy_gettext as _l

# The pages' and mails' languages, each named in itself.
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
LANGUAGES = tuple(LANGUAGE_NAMES)
DEFAULT = "fr"
COOKIE = "lang"
CATALOGUES = Path(__file__).with_name("translations")
PARIS = ZoneInfo("Europe/Paris")

STATUS_LABELS = {
    "submitted": _l("proposée"), "under_review": _l("à l'étude"), "accepted": _l("retenue"),
    "in_progress": _l("en cours"), "implemented": _l("réalisée"),
    "rejected": _l("non retenue"), "duplicate": _l("fusionnée"), "hidden": _l("masquée"),
    "withdrawn": _l("retirée"),
}
SORT_LABELS = {"trending": _l("Tendances"), "top": _l("Les plus soutenues"),
               "new": _l("Les plus récentes"), "discussed": _l("Les plus discutées")}
REPORT_REASONS = {"spam": _l("Spam ou publicité"), "offensive": _l("Propos injurieux"),
                  "off_topic": _l("Hors sujet"), "duplicate": _l("Doublon"),
                  "other": _l("Autre motif")}
# Why an idea waits in the moderation queue (the API's `why`), in the API's order.
WAITING_LABELS = {"hidden": _l("Masquées"), "reported": _l("Signalées"),
                  "unanswered": _l("Sans réponse")}
LOG_ACTIONS = {"answer": _l("réponse"), "merge": _l("fusion"), "unmerge": _l("fusion annulée"),
               "hide": _l("masquage"), "restore": _l("rétablissement"),
               "confirm": _l("masquage confirmé"), "dismiss": _l("signalements classés sans suite"),
               "contest": _l("contestation de l'auteur"), "hide_comment": _l("commentaire masqué"),
               "not_duplicate": _l("pas un doublon"),
               "dismiss_comment": _l("signalements d'un commentaire classés sans suite")}
# The roles an admin grants, as the administration page names them.
GRANTED_ROLES = {"moderator": _l("Modération"), "manager": _l("Responsable (synthèse hebdomadaire)"),
                 "admin": _l("Administration du hub")}
# The languages as a menu offers them: (code, name, the name's language).
LANGUAGE_OPTIONS = tuple((code, name, code) for code, name in LANGUAGE_NAMES.items())
WEEKDAYS = (_l("lundi"), _l("mardi"), _l("mercredi"), _l("jeudi"), _l("vendredi"),
            _l("samedi"), _l("dimanche"))


class CatalogueDomain(Domain):
    """Flask-Babel's domain, its cache filled from the .po files instead of .mo files."""

    def __init__(self, catalogues):
        super().__init__()
        self.cache.update({(language, "messages"): t for language, t in catalogues.items()})


def compile_catalogues(folder=CATALOGUES):
    catalogues = {DEFAULT: Translations()}
    for po in folder.glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as f:
            catalog = read_po(f, locale=po.parts[-3])
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        catalogues[po.parts[-3]] = Translations(fp=buffer)
    return catalogues


def select_locale():
    if "lang" not in g:
        asked = request.args.get("lang")
        g.lang = asked if asked in LANGUAGES else request.cookies.get(COOKIE)
        if g.lang not in LANGUAGES:
            g.lang = DEFAULT
    return g.lang


def remember_language(response):
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True)
    return response


def parse_time(value):
    if not value:
        return None
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def when(value):
    """The one way the pages say when: in words for the last two days ("il y a 5 minutes",
    "hier à 14 h 16"), else the date and time as French writes them ("le 1er décembre 2026
    à 14 h 16"), in Paris time."""
    moment = parse_time(value)
    if moment is None:
        return ""
    local, now = to_user_timezone(moment), to_user_timezone(datetime.now(timezone.utc))
    elapsed = now - local
    if abs(elapsed) < timedelta(minutes=1):  # a clock a few seconds ahead says "now" too
        return gettext("à l'instant")
    if timedelta(0) < elapsed < timedelta(hours=1):
        minutes = elapsed.seconds // 60
        return ngettext("il y a %(num)s minute", "il y a %(num)s minutes", minutes)
    days, time = (now.date() - local.date()).days, clock(local)
    if days == 0:
        return gettext("aujourd'hui à %(time)s", time=time)
    if days == 1:
        return gettext("hier à %(time)s", time=time)
    return gettext("le %(date)s à %(time)s", date=calendar_day(local), time=time)


def calendar_day(local, pattern="d MMMM y"):
    """"1er décembre 2026": French writes the first of a month as an ordinal."""
    day = format_date(local, pattern, rebase=False)
    return "1er" + day[1:] if local.day == 1 and str(get_locale()) == "fr" else day


def week_label(monday):
    """"semaine du 23 au 29 novembre 2026", "semaine du 30 novembre au 6 décembre 2026":
    what the start shares with the end is said once."""
    sunday = monday + timedelta(days=6)
    start = "d" if monday.month == sunday.month else "d MMMM" if monday.year == sunday.year \
        else "d MMMM y"
    return gettext("semaine du %(start)s au %(end)s", start=calendar_day(monday, start),
                   end=calendar_day(sunday))


def clock(local):
    """"14 h 16" in French (no-break spaces, never split on a line), "2:16 PM" in English."""
    if str(get_locale()) == "fr":
        return f"{local.hour}\u00a0h\u00a0{local.minute:02d}"
    return format_time(local, "h:mm a", rebase=False)


def supports(count):
    """"aucun soutien" rather than "0 soutiens"; "1 soutien", "12 soutiens"."""
    if not count:
        return gettext("aucun soutien")
    # `count`, not `num`: flask_babel's ngettext fills `num` itself, unformatted ("1234").
    return ngettext("%(count)s soutien", "%(count)s soutiens", count,
                    count=format_number(count))


def comments(count):
    if not count:
        return gettext("aucun commentaire")
    return ngettext("%(count)s commentaire", "%(count)s commentaires", count,
                    count=format_number(count))


def ideas_found(count):
    """The result count of a list."""
    if not count:
        return gettext("aucune idée")
    return ngettext("%(count)s idée", "%(count)s idées", count, count=format_number(count))


def percent(value):
    """"60 %" in French (a no-break space before the sign), "60%" in English."""
    return format_percent((value or 0) / 100)


def target_day(value):
    """A target date ("2027-06-30") as "30 juin 2027"."""
    if not value:
        return ""
    return calendar_day(datetime.fromisoformat(str(value)[:10]))


def init_app(app):
    app.config.update(BABEL_DEFAULT_LOCALE=DEFAULT, BABEL_DEFAULT_TIMEZONE="Europe/Paris")
    babel = Babel(app, locale_selector=select_locale)
    babel.domain_instance = CatalogueDomain(compile_catalogues())
    app.after_request(remember_language)
    app.jinja_env.filters.update(
        status_label=lambda status: STATUS_LABELS.get(status, status), when=when,
        number=format_number, supports=supports, comments=comments, ideas_found=ideas_found,
        percent=percent, target_day=target_day)

    @app.context_processor
    def language():
        current = str(get_locale())
        other = "en" if current == "fr" else "fr"
        args = {**request.args.to_dict(), "lang": other} if request.method == "GET" \
            else {"lang": other}
        return {"lang": current, "other_lang": other, "switch_url": f"?{urlencode(args)}",
                "other_lang_name": LANGUAGE_NAMES[other]}
