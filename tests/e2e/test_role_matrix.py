"""Who may call what: every endpoint, every role, in one table. 401 without a token where one
is needed, 403 with the wrong role, and anything but 401/403 with the right one (the call may
still be refused for another reason, such as a closed idea)."""
import time

import pytest

from tests.helpers import call_dates

ROLES = ("anonymous", "agent", "moderator", "manager", "admin")
ANY = set(ROLES)
AUTHENTICATED = ANY - {"anonymous"}
# A call for ideas taking proposals and supports now.
CALL = {"title": "Appel de la matrice", "question": "Qui peut faire quoi dans un appel ?",
        **call_dates()}
# The roles a call gives (agents all): appointed to evaluate it, to own it, or to evaluate
# another call.
CALL_ROLES = ("evaluator", "owner", "other_evaluator")
SCORES = {"impact": 4, "faisabilite": 3, "cout": 5, "alignement": 2}

# (method, path, body, who may) — {idea} is an idea of someone else's, {comment} one of its
# comments, {mine} another by the agent, {own} an idea of the agent's own, {call} a call for
# ideas and {called} an idea proposed into it.
# Reading ideas and comments needs a sign-in: the stack runs without HUB_PUBLIC_READ, as a
# deployment does by default.
MATRIX = [
    ("GET", "/api/ideas", None, AUTHENTICATED),
    ("POST", "/api/ideas", {"title": "Une idée de matrice", "body": "Pour vérifier les rôles."},
     {"agent"}),
    ("GET", "/api/ideas/{idea}", None, AUTHENTICATED),
    ("PATCH", "/api/ideas/{idea}", {"title": "Un titre modifié"}, {"moderator"}),
    ("GET", "/api/ideas/similar?text=guichet", None, AUTHENTICATED),
    ("GET", "/api/ideas/facets", None, AUTHENTICATED),
    # Exports: the ideas of a list's filter for moderators and managers; the anonymised open
    # data for anyone who may read the hub.
    ("GET", "/api/ideas/export?format=csv", None, {"moderator", "manager"}),
    ("GET", "/api/ideas/opendata.csv", None, AUTHENTICATED),
    ("GET", "/api/ideas/opendata.json", None, AUTHENTICATED),
    ("GET", "/api/ideas/{idea}/comments", None, AUTHENTICATED),
    ("POST", "/api/ideas/{idea}/comments", {"body": "Un commentaire"}, {"agent"}),
    ("POST", "/api/ideas/{idea}/comments/{comment}/hide", {"reason": "Hors sujet"},
     {"moderator"}),
    # A comment's author edits and deletes it ({mine}: the agent's own), others report it,
    # moderators hide it or dismiss its reports and see the reported ones.
    ("PATCH", "/api/ideas/{idea}/comments/{mine}", {"body": "Modifié"}, {"agent"}),
    ("DELETE", "/api/ideas/{idea}/comments/{mine}", None, {"agent"}),
    ("POST", "/api/ideas/{idea}/comments/{comment}/flags", {"reason": "spam"}, {"agent"}),
    ("POST", "/api/ideas/{idea}/comments/{comment}/dismiss", {"reason": "Infondé"},
     {"moderator"}),
    ("GET", "/api/moderation/comments", None, {"moderator"}),
    ("POST", "/api/ideas/{idea}/flags", {"reason": "spam"}, {"agent"}),
    ("POST", "/api/ideas/{idea}/status", {"status": "under_review", "note": ""}, {"moderator"}),
    ("POST", "/api/ideas/{idea}/merge", {"into": "{other}", "reason": "Doublon"}, {"moderator"}),
    ("POST", "/api/ideas/{idea}/unmerge", None, {"moderator"}),
    ("POST", "/api/ideas/{idea}/hide", {"reason": "Test"}, {"moderator"}),
    ("POST", "/api/ideas/{idea}/restore", {"reason": "Test"}, {"moderator"}),
    ("POST", "/api/ideas/{idea}/confirm", {"reason": "Test"}, {"moderator"}),
    ("POST", "/api/ideas/{idea}/dismiss", {"reason": "Test"}, {"moderator"}),
    ("POST", "/api/ideas/{own}/withdraw", None, {"agent"}),
    # Only the author of a hidden idea contests it; another's idea: 403 (or 409 if visible).
    ("POST", "/api/ideas/{own}/contest", {"text": "Je conteste."}, {"agent"}),
    ("GET", "/api/moderation/queue", None, {"moderator"}),
    ("GET", "/api/moderation/log", None, {"moderator"}),
    ("GET", "/api/moderation/duplicates", None, {"moderator"}),
    ("POST", "/api/moderation/duplicates/dismiss", {"a": "{idea}", "b": "{other}"},
     {"moderator"}),
    # Calls for ideas: moderators launch and change them; everyone signed in reads them.
    ("GET", "/api/campaigns", None, AUTHENTICATED),
    ("POST", "/api/campaigns", CALL, {"moderator"}),
    ("GET", "/api/campaigns/{call}", None, AUTHENTICATED),
    ("PATCH", "/api/campaigns/{call}", {"description": "Modifié par la matrice."},
     {"moderator"}),
    # Evaluation: the call's evaluators score; its owners and moderators read the scores (a
    # moderator scores only if appointed: none here; see CALL_MATRIX for the call's roles).
    ("GET", "/api/ideas/{called}/evaluation", None, {"moderator"}),
    ("PUT", "/api/ideas/{called}/evaluation", {"scores": SCORES}, set()),
    ("GET", "/api/campaigns/{call}/evaluation", None, {"moderator"}),
    ("GET", "/api/votes/{idea}", None, {"agent"}),
    ("PUT", "/api/votes/{idea}", None, {"agent"}),
    ("DELETE", "/api/votes/{idea}", None, {"agent"}),
    ("GET", "/api/votes/mine", None, {"agent"}),
    ("GET", "/api/digest/subscription", None, {"manager"}),
    ("PUT", "/api/digest/subscription", {"units": []}, {"manager"}),
    ("DELETE", "/api/digest/subscription", None, {"manager"}),
    ("GET", "/api/digest/preview?period=2026-W48", None, {"manager"}),
    ("POST", "/api/digest/runs", {"period": "2000-W01"}, {"admin"}),
    ("GET", "/api/digest/runs/unknown", None, {"admin"}),
    # The links of the digest's mails: their signed token is the proof, whoever holds it.
    ("GET", "/api/digest/unsubscribe?token=forged", None, ANY),
    ("POST", "/api/digest/unsubscribe?token=forged", None, ANY),
    ("POST", "/api/digest/confirm-address?token=forged", None, ANY),
    # Implementation: moderators (and, per call, its owners; per idea, the person appointed)
    # follow chosen ideas; everyone reads a call's results.
    ("PUT", "/api/ideas/{idea}/implementation",
     {"owner": {"kind": "unit", "name": "Services techniques"}, "target_date": "2027-06-30"},
     {"moderator"}),
    ("POST", "/api/ideas/{idea}/progress", {"milestone": "Étape franchie", "percent": 10},
     {"moderator"}),
    ("GET", "/api/campaigns/{call}/results", None, AUTHENTICATED),
    ("GET", "/api/stats", None, {"moderator", "manager"}),
    # Notifications: everyone signed in follows ideas and reads their own; mail links as above.
    ("GET", "/api/ideas/{idea}/follow", None, AUTHENTICATED),
    ("PUT", "/api/ideas/{idea}/follow", None, AUTHENTICATED),
    ("DELETE", "/api/ideas/{idea}/follow", None, AUTHENTICATED),
    ("GET", "/api/notifications", None, AUTHENTICATED),
    ("POST", "/api/notifications/read", {"all": True}, AUTHENTICATED),
    ("GET", "/api/notifications/preferences", None, AUTHENTICATED),
    ("PUT", "/api/notifications/preferences", {"mail": {"comment": "weekly"}}, AUTHENTICATED),
    ("GET", "/api/notifications/unsubscribe?token=forged", None, ANY),
    ("POST", "/api/notifications/unsubscribe?token=forged", None, ANY),
    # People: admins grant roles; moderators find people to appoint to a call (their id,
    # name and unit only); everyone chooses their own unit.
    ("GET", "/api/people?q=matrice", None, {"moderator", "admin"}),
    ("GET", "/api/people/me", None, {"agent"}),
    ("PUT", "/api/people/me", {"unit": "Service urbanisme"}, {"agent"}),
    ("GET", "/api/people/{person}", None, {"admin"}),
    ("PUT", "/api/people/{person}/roles", {"roles": ["moderator"]}, {"admin"}),
    ("GET", "/api/people/{person}/changes", None, {"admin"}),
    ("DELETE", "/api/people/{person}/sessions", None, {"admin"}),
    # Erasure (asked here without saying what becomes of the texts: refused with 422, so the
    # matrix's people stay).
    ("POST", "/api/me/erase", {}, {"agent"}),
    ("POST", "/api/people/{person}/erase", {}, {"admin"}),
    # My data (RGPD): everyone signed in exports their own, whole or by service; an admin
    # (for the data-protection officer) anyone's, with ?person=.
    *[row for part in ("", "/ideas", "/votes", "/digest", "/people") for row in (
        ("GET", f"/api/me/export{part}", None, AUTHENTICATED),
        ("GET", f"/api/me/export{part}?person={{person}}", None, {"admin"}))],
    # Sessions: only the pages (their own `sessions` role, no person's) open and read them.
    ("POST", "/api/people/sessions", {"sub": "matrix-agent", "name": "Agent de la matrice",
                                      "email": "agent@matrix.test"}, set()),
    ("GET", "/api/people/sessions/forged", None, set()),
    ("DELETE", "/api/people/sessions/forged", None, set()),
]


# What a call's roles may do on its endpoints (and on another call's, for other_evaluator).
CALL_MATRIX = [
    ("GET", "/api/campaigns/{call}", None, set(CALL_ROLES)),
    ("PATCH", "/api/campaigns/{call}", {"description": "Modifié par sa responsable."},
     {"owner"}),
    ("GET", "/api/ideas/{called}/evaluation", None, {"evaluator", "owner"}),
    ("PUT", "/api/ideas/{called}/evaluation", {"scores": SCORES}, {"evaluator"}),
    ("GET", "/api/campaigns/{call}/evaluation", None, {"evaluator", "owner"}),
]


@pytest.fixture(scope="module")
def bearer(token):
    """One token per role, each holding that role alone; a call's roles are agents'."""
    return {**{role: token(sub=f"matrix-{role}", roles=(role,), email=f"{role}@matrix.test")
               for role in AUTHENTICATED},
            **{role: token(sub=f"matrix-{role}") for role in CALL_ROLES}}


def launch(http, token, title, **people):
    """A call open for proposals now, with `people` appointed (evaluators, owners)."""
    created = http("POST", "/api/campaigns", token(sub="matrix-launcher",
                                                   roles=("agent", "moderator")), json={
        "title": title, "question": "Quelle question la matrice pose-t-elle ?",
        **call_dates(),
        **{role: [{"id": f"matrix-{who}", "name": who} for who in names]
           for role, names in people.items()}})
    assert created.status_code == 201, created.text
    return created.json()["id"]


@pytest.fixture(scope="module")
def fixtures(http, token, bearer):
    author = token(sub="matrix-author")
    ideas = [http("POST", "/api/ideas", author, json={
        "title": f"Idée {n} de la matrice des rôles", "body": "Un texte assez long."}).json()["id"]
        for n in range(2)]
    comment = http("POST", f"/api/ideas/{ideas[0]}/comments", author,
                   json={"body": "Un commentaire"}).json()["id"]
    mine = http("POST", f"/api/ideas/{ideas[0]}/comments", bearer["agent"],
                json={"body": "Le commentaire de l'agent de la matrice"}).json()["id"]
    own = http("POST", "/api/ideas", bearer["agent"], json={
        "title": "L'idée de l'agent de la matrice", "body": "Un texte assez long."}).json()["id"]
    call = launch(http, token, "L'appel de la matrice", evaluators=["evaluator"],
                  owners=["owner"])
    launch(http, token, "Un autre appel de la matrice", evaluators=["other_evaluator"])
    called = http("POST", "/api/ideas", author, json={
        "title": "Une idée de l'appel de la matrice", "body": "Un texte assez long.",
        "campaign_id": call}).json()["id"]
    return {"idea": ideas[0], "other": ideas[1], "comment": comment, "mine": mine, "own": own,
            "person": "matrix-author", "call": call, "called": called}


def fill(template, values):
    if isinstance(template, dict):
        return {k: fill(v, values) for k, v in template.items()}
    return template.format(**values) if isinstance(template, str) else template


def call_as(http, bearer, fixtures, method, path, body, role):
    for _ in range(10):  # one token per role writes faster than the gateway's rate allows
        response = http(method, fill(path, fixtures), bearer.get(role),
                        json=fill(body, fixtures) if body is not None else None)
        if response.status_code != 429:
            return response
        time.sleep(float(response.headers.get("Retry-After", 1)))
    return response


@pytest.mark.parametrize("method, path, body, allowed", CALL_MATRIX,
                         ids=[f"{m} {p}" for m, p, _, _ in CALL_MATRIX])
@pytest.mark.parametrize("role", CALL_ROLES)
def test_call_role_matrix(http, bearer, fixtures, method, path, body, allowed, role):
    response = call_as(http, bearer, fixtures, method, path, body, role)

    if role in allowed:
        assert response.status_code not in (401, 403), response.text
    else:
        assert response.status_code == 403, response.text


@pytest.mark.parametrize("method, path, body, allowed", MATRIX,
                         ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(http, bearer, fixtures, method, path, body, allowed, role):
    response = call_as(http, bearer, fixtures, method, path, body, role)

    if role in allowed:
        assert response.status_code not in (401, 403), response.text
    elif role == "anonymous":
        assert response.status_code == 401, response.text
    else:
        assert response.status_code == 403, response.text
