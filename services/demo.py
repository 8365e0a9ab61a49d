"""A small French demo data set, loaded through the gateway like any client would; the
roles of its people granted as an operator grants them."""
import json
import time
import urllib.error
import urllib.request

from shared.auth import mint_token
from services import demo_calls
from services.people.app import grant

PEOPLE = {
    "agent-camille": ("Camille Lefèvre", "agent", "Direction des ressources humaines"),
    "agent-joel": ("Joël N'Diaye", "agent", "Service urbanisme"),
    "agent-heloise": ("Héloïse Marchand", "agent", "Centre communal d'action sociale"),
    "agent-francois": ("François Øster-Bénard", "agent", "Service urbanisme"),
    "moderateur-ines": ("Inès Bouchard", "agent,moderator", "Direction du numérique"),
    "manager-aurelie": ("Aurélie Dupont-Moreau", "agent,manager", "Service urbanisme"),
    "admin-lea": ("Léa Garnier", "agent,moderator,manager,admin", "Direction du numérique"),
}

# The roles the demo's people hold (deploy/local/keycloak/README.md), granted as an operator
# would (`ideahub admin grant`): now, or at their first sign-in.
ROLES = {"maelle": "moderator", "ines": "moderator", "aurelie": "manager",
         "lea": "admin,moderator,manager"}

# (author, title, body, tags[, the title of the call it answers])
IDEAS = [
    ("agent-camille", "Améliorer l'accueil du public — « guichet unique »",
     "Regrouper l'accueil des démarches courantes en un seul guichet,\n"
     "avec prise de rendez-vous en ligne et un écran d'attente lisible.",
     ["accueil", "simplification"], demo_calls.WELCOME),
    ("agent-joel", "Des pistes cyclables sécurisées entre la mairie et la gare",
     "Beaucoup d'agents viennent à vélo ; un itinéraire balisé réduirait les risques "
     "et encouragerait les autres.", ["mobilité", "vélo"]),
    ("agent-heloise", "Partager la cartographie de la précarité énergétique",
     "Ma cartographie de la précarité énergétique doit servir aux autres services : "
     "la publier en données ouvertes, mise à jour chaque trimestre.", ["données", "énergie"],
     demo_calls.FLOODS),
    ("agent-francois", "Dématérialiser les demandes de permis de construire",
     "Un formulaire en ligne avec suivi du dossier éviterait les allers-retours au "
     "guichet et les pièces perdues.", ["numérique", "urbanisme"]),
    ("manager-aurelie", "Former les agents aux outils collaboratifs libres",
     "Des ateliers d'une heure, entre pairs, pour passer d'un numérique subi à un "
     "numérique agi.", ["formation", "numérique"]),
    ("agent-francois", "Croiser la carte des zones inondables avec les permis de construire",
     "L'instruction verrait d'emblée si une parcelle est en zone inondable : des semaines "
     "gagnées, et un avis clair pour les habitants.", ["données", "urbanisme"],
     demo_calls.FLOODS),
    ("agent-heloise", "Prévenir en premier les personnes fragiles quand une crue s'annonce",
     "Le CCAS connaît les personnes isolées ; croisé avec la carte des zones inondables, son "
     "registre dirait qui appeler d'abord.", ["données", "solidarité"], demo_calls.FLOODS),
]

# A conversation and an answer on Joël's idea, so that his notifications have something to
# say: (writer, text, index of the comment answered or None).
COMMENTS = {1: [("agent-camille", "Oui ! Et des arceaux abrités devant la gare, s'il vous plaît.",
                 None),
                ("agent-joel", "Bien vu, je l'ajoute au dossier pour le service mobilité.", 0),
                ("agent-francois", "Le tronçon de la rue des Tanneurs est le plus dangereux.",
                 None)]}
ANSWERS = {1: ("admin-lea", "under_review",
               "Le service mobilité étudie le tracé avec la métropole ; réponse en janvier.")}

SUPPORTS = {0: ["agent-joel", "agent-heloise", "manager-aurelie"],
            1: ["agent-camille", "agent-francois"], 2: ["agent-joel", "moderateur-ines"],
            3: ["agent-camille"], 5: ["agent-joel", "agent-heloise", "manager-aurelie"],
            6: ["agent-camille", "agent-francois"]}


def token(config, sub):
    name, roles, unit = PEOPLE[sub]
    return mint_token(config, sub, name, roles.split(","), unit,
                      f"{sub}@demo.ideahub.local")


def call(url, method, tok, body=None):
    request = urllib.request.Request(
        url, method=method, data=None if body is None else json.dumps(body).encode("utf-8"),
        headers={"Authorization": f"Bearer {tok}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        raw = response.read()
        return json.loads(raw) if raw else None


def load(url, config):
    """Idempotent: ideas already there (by title) are not proposed again; supports and the
    subscription are idempotent requests."""
    base = (url or config.public_url).rstrip("/")
    moderator = token(config, "moderateur-ines")
    calls, launched = demo_calls.ensure(base, call, moderator)
    listed = call(f"{base}/api/ideas?limit=100", "GET", token(config, "agent-camille"))
    known = {idea["title"]: idea["id"] for idea in listed["items"]}
    ids, new = [], set()
    for index, (author, title, body, tags, *answered) in enumerate(IDEAS):
        if title not in known:
            campaign_id = demo_calls.taking(calls, answered[0]) if answered else None
            known[title] = call(f"{base}/api/ideas", "POST", token(config, author),
                                {"title": title, "body": body, "tags": tags,
                                 "campaign_id": campaign_id})["id"]
            new.add(index)
        ids.append(known[title])
    for index, supporters in SUPPORTS.items():
        for sub in supporters:
            _support_when_known(base, ids[index], token(config, sub))
    for index in new:  # a conversation is had once, with its idea
        said = []
        for writer, text, parent in COMMENTS.get(index, ()):
            body = {"body": text, **({"parent_id": said[parent]} if parent is not None else {})}
            said.append(call(f"{base}/api/ideas/{ids[index]}/comments", "POST",
                             token(config, writer), body)["id"])
        if index in ANSWERS:
            moderator, status, note = ANSWERS[index]
            call(f"{base}/api/ideas/{ids[index]}/status", "POST", token(config, moderator),
                 {"status": status, "note": note})
    # A fresh token: waiting for the votes service may outlast the first one's minutes.
    demo_calls.close(base, call, token(config, "moderateur-ines"), calls, launched)
    call(f"{base}/api/digest/subscription", "PUT", token(config, "manager-aurelie"),
         {"units": ["Service urbanisme"], "tags": [], "weekday": 0, "hour": 8,
          "language": "fr"})
    for username, roles in ROLES.items():
        grant(config, f"{username}@demo.ideahub.local", set(roles.split(",")))
    return f"demo data: {len(ids)} ideas, {sum(map(len, SUPPORTS.values()))} supports, " \
           f"{len(calls)} calls for ideas, {len(ROLES)} people with roles"


def _support_when_known(base, idea_id, tok, attempts=50):
    """The votes service learns of a new idea from its event: wait for it, briefly. A
    support the idea's call no longer takes (409, its phase is over) was given when it did."""
    for _ in range(attempts):
        try:
            return call(f"{base}/api/votes/{idea_id}", "PUT", tok)
        except urllib.error.HTTPError as error:
            if error.code == 409:
                return None
            if error.code != 404:
                raise
            time.sleep(0.1)
    raise RuntimeError(f"the votes service never learnt of idea {idea_id}")
