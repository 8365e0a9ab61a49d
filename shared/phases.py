"""The phases of a call for ideas (campaign), from its dates: which one a moment falls in, and
what each allows. Pure; shared because the ideas service decides on proposals and the votes
service on supports, each from its own copy of the call's dates (campaign.* events).

A call moves through `upcoming` → `proposals` → `supports` → `evaluation` → `results`.
Proposals are taken in [proposals_from, proposals_until), supports in [supports_from,
supports_until); supports may open while proposals still are (the phase then says
`proposals`, the one that closes first). Times are stored in UTC ('…Z' strings, which compare
as times); a time given without an offset is Paris time, as the people who set the dates
read them.
"""
from datetime import datetime
from zoneinfo import ZoneInfo

from shared.events import iso

PARIS = ZoneInfo("Europe/Paris")
PHASES = ("upcoming", "proposals", "supports", "evaluation", "results")
# How a list of calls groups them (GET /api/campaigns?state=).
STATES = {"upcoming": "upcoming", "proposals": "open", "supports": "open",
          "evaluation": "closed", "results": "closed"}
DATES = ("proposals_from", "proposals_until", "supports_from", "supports_until",
         "evaluation_until")
PHASE_NAMES = {"upcoming": "à venir", "proposals": "propositions", "supports": "soutiens",
               "evaluation": "évaluation", "results": "résultats"}
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


class PhaseClosed(Exception):
    """What the call does not take now: 409, with the phase and the dates in the message."""

    def __init__(self, message, phase):
        super().__init__(message)
        self.phase = phase


def utc(moment):
    """A datetime (naive: Paris time) or ISO 8601 string as the stored UTC string."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    return iso(moment)


def dates_problems(dates):
    """{field: [message]} for dates that do not follow one another; {} when they do."""
    rules = [  # (field, must be, than field, words)
        ("proposals_until", ">", "proposals_from", "après l'ouverture des propositions"),
        ("supports_from", ">=", "proposals_from", "au plus tôt à l'ouverture des propositions"),
        ("supports_from", "<=", "proposals_until",
         "au plus tard à la clôture des propositions (pas de creux entre les phases)"),
        ("supports_until", ">", "supports_from", "après l'ouverture des soutiens"),
        ("supports_until", ">=", "proposals_until", "au plus tôt à la clôture des propositions"),
        ("evaluation_until", ">=", "supports_until", "au plus tôt à la clôture des soutiens")]
    tests = {">": str.__gt__, ">=": str.__ge__, "<=": str.__le__}
    problems = {}
    for field, relation, other, words in rules:
        if not tests[relation](dates[field], dates[other]):
            problems.setdefault(field, []).append(f"Doit tomber {words}.")
    return problems


def phase(campaign, now):
    """The phase `now` (a UTC string) falls in."""
    if now < campaign["proposals_from"]:
        return "upcoming"
    if now < campaign["proposals_until"]:
        return "proposals"
    if now < campaign["supports_until"]:
        return "supports"
    if now < campaign["evaluation_until"]:
        return "evaluation"
    return "results"


def state(campaign, now):
    return STATES[phase(campaign, now)]


def next_change(campaign, now):
    """The next date at which the call's phase changes (for a countdown), or None."""
    ahead = sorted(campaign[name] for name in DATES if campaign[name] > now)
    return ahead[0] if ahead else None


def check_proposals(campaign, now):
    if not campaign["proposals_from"] <= now < campaign["proposals_until"]:
        raise PhaseClosed(_refusal(campaign, now, "proposals"), phase(campaign, now))


def check_supports(campaign, now):
    if not campaign["supports_from"] <= now < campaign["supports_until"]:
        raise PhaseClosed(_refusal(campaign, now, "supports"), phase(campaign, now))


_WINDOWS = {"proposals": ("propositions", "ouvertes", "elles"),
            "supports": ("soutiens", "ouverts", "ils")}


def _refusal(campaign, now, window):
    what, opened, they = _WINDOWS[window]
    start, end = campaign[f"{window}_from"], campaign[f"{window}_until"]
    current = PHASE_NAMES[phase(campaign, now)]
    if now < start:
        return (f"L'appel « {campaign['title']} » ne reçoit pas encore de {what} : {they} "
                f"ouvrent {french_time(start)}, jusqu'{french_time(end, until=True)} (phase "
                f"actuelle : {current}).")
    return (f"L'appel « {campaign['title']} » ne reçoit plus de {what} : {opened} "
            f"{french_time(start)}, {they} ont fermé {french_time(end)} (phase actuelle : "
            f"{current}).")


def french_time(stamp, until=False):
    """'le 1er décembre 2026 à 14 h 16', Paris time ('au …' after 'jusqu'')."""
    local = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(PARIS)
    day = "1er" if local.day == 1 else str(local.day)
    return (f"{'au' if until else 'le'} {day} {MONTHS[local.month - 1]} {local.year} à "
            f"{local.hour}\u00a0h\u00a0{local.minute:02d}")
