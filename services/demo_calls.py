"""The demo's calls for ideas: one open ("Données et risques d'inondation", its evaluators
Maëlle and Inès, its owner Aurélie, as the local Keycloak names them) and one closed. Found by
title, so a second `make up` creates nothing; a call that is to be closed is launched open,
takes its ideas and supports, then has its dates moved into the past."""
from datetime import datetime, timedelta, timezone

# The Keycloak subs of deploy/local/keycloak/README.md.
MAELLE = {"id": "moderatrice-maelle", "name": "Maëlle Le Goff"}
INES = {"id": "moderateur-ines", "name": "Inès Bouchard"}
AURELIE = {"id": "manager-aurelie", "name": "Aurélie Dupont-Moreau"}

FLOODS = "Données et risques d'inondation"
WELCOME = "Accueillir le public autrement"
CALLS = {
    FLOODS: {
        "question": "Comment les données sur les risques d'inondation peuvent-elles servir "
                    "à d'autres services ?",
        "description": "Le plan de prévention des risques d'inondation dort dans un classeur "
                       "du service urbanisme : ses cartes pourraient guider la voirie, le CCAS, "
                       "les écoles.\nTrois semaines pour proposer, six pour soutenir ; les "
                       "idées les plus soutenues sont ensuite évaluées.",
        "colour": "bleu", "units": [], "support_cap": 3,
        "owners": [AURELIE], "evaluators": [MAELLE, INES]},
    WELCOME: {
        "question": "Comment mieux accueillir le public à l'hôtel de ville ?",
        "description": "Un premier appel, clos : ses idées sont à l'étude.",
        "colour": "orange", "units": [], "support_cap": 0,
        "owners": [AURELIE], "evaluators": [MAELLE]},
}
# Days from now of each date: an open call, and where a closed one's dates end up.
OPEN = {"proposals_from": -7, "proposals_until": 14, "supports_from": -7,
        "supports_until": 35, "evaluation_until": 49}
CLOSED = {"proposals_from": -90, "proposals_until": -60, "supports_from": -90,
          "supports_until": -45, "evaluation_until": -30}
ENDED = (WELCOME,)


def dates(days):
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    return {name: (now + timedelta(days=d)).isoformat().replace("+00:00", "Z")
            for name, d in days.items()}


def ensure(base, call, moderator):
    """{title: call} for the demo's calls, those missing launched (open): and the titles
    launched now, whose dates `close` moves once their ideas are in."""
    known = {c["title"]: c for c in call(f"{base}/api/campaigns", "GET", moderator)["items"]}
    launched = []
    for title, fields in CALLS.items():
        if title not in known:
            known[title] = call(f"{base}/api/campaigns", "POST", moderator,
                                {"title": title, **fields, **dates(OPEN)})
            launched.append(title)
    return known, launched


def taking(calls, title):
    """The call's id if it takes proposals now, else None: the idea goes outside it."""
    found = calls.get(title)
    return found["id"] if found and found["phase"] == "proposals" else None


def close(base, call, moderator, calls, launched):
    for title in ENDED:
        if title in launched:
            call(f"{base}/api/campaigns/{calls[title]['id']}", "PATCH", moderator,
                 dates(CLOSED))
