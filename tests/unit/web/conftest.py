"""The web app on a fake API client: the hub's APIs as the pages see them, in memory."""
import re

from datetime import datetime, timedelta, timezone

import jwt

import pytest

from shared import phases
from shared.events import iso

from services.web.app import create_app
from services.web.client import ApiError

NOW = "2026-11-24T09:00:00+00:00"


class FakeHub:
    """The ideas, votes and digest APIs behind one object; `calls` records what was asked,
    `refuse` makes the next call of a method raise an ApiError."""

    def __init__(self):
        self.ideas, self.comments, self.supports = {}, {}, {}
        self.subscriptions = {}
        # person -> their notifications, newest first; person -> preferences; (person, idea)
        self.notifications, self.preferences, self.follows = {}, {}, set()
        self.people, self.sessions = {}, {}
        self.campaigns = {}
        self.calls = []
        self.tokens = []
        self.refusals = {}
        self.duplicates = {"items": [], "next_cursor": None, "computed_at": None,
                           "pending": False}

    def add_idea(self, title="Des bancs à l'ombre", body="Les usagers attendent au soleil.",
                 status="submitted", **extra):
        idea_id = f"i{len(self.ideas) + 1}"
        self.ideas[idea_id] = {
            "id": idea_id, "title": title, "body": body, "tags": [], "unit": "Service urbanisme",
            "author": {"id": "agnes", "name": "Agnès Müller"}, "status": status,
            "status_note": "", "merged_into": None, "vote_count": 0, "comment_count": 0,
            "created_at": NOW, "updated_at": NOW, "timeline": [], **extra}
        self.comments[idea_id] = []
        return self.ideas[idea_id]

    def add_campaign(self, opens=-1, closes=5, **extra):
        """A call whose proposals opened `opens` days ago (negative: ago) and close in
        `closes` days; supports close a week later, evaluation a week after."""
        now = datetime.now(timezone.utc)
        at = {"proposals_from": opens, "proposals_until": closes, "supports_from": opens,
              "supports_until": closes + 7, "evaluation_until": closes + 14}
        call_id = f"a{len(self.campaigns) + 1}"
        self.campaigns[call_id] = {
            "id": call_id, "title": "Données et risques d'inondation",
            "question": "Comment les données d'inondation peuvent-elles servir ailleurs ?",
            "description": "Trois semaines pour proposer.", "colour": "bleu", "units": [],
            **{k: iso(now + timedelta(days=d)) for k, d in at.items()}, "support_cap": 0,
            "criteria": [{"key": "impact", "label": "Impact pour le public"}], "owners": [],
            "evaluators": [], "figures": {"ideas": 0, "supporters": 0, "units": 0},
            "version": 1, **extra}
        return FakeApi.get_campaign(self, None, call_id)

    def notify(self, person, kind="comment", idea=None, **fields):
        """A notification for `person`, newest first, about `idea` (the first one if None)."""
        idea = idea or next(iter(self.ideas.values()))
        mine = self.notifications.setdefault(person, [])
        item = {"id": f"n{sum(map(len, self.notifications.values())) + 1}", "kind": kind,
                "at": NOW, "read": False, "idea": {"id": idea["id"], "title": idea["title"]},
                "actor": {"id": "joel", "name": "Joël N'Diaye"}, "comment_id": None,
                "status": None, "note": None, "milestone": None, "into": None, "merged": None,
                "link": f"/ideas/{idea['id']}", **fields}
        mine.insert(0, item)
        return item

    def refuse(self, method, status, message="Refusé.", errors=None):
        self.refusals[method] = ApiError(status, message, errors)

    def client(self, token):
        """The pages mint a token per request: the fake knows the caller by its subject, and
        keeps the tokens it was given."""
        self.tokens.append(token)
        return FakeClient(self, token and jwt.decode(token, options={"verify_signature": False})
                          ["sub"])


class FakeClient:
    def __init__(self, hub, token):
        self.hub, self.token = hub, token

    def __getattr__(self, name):
        method = getattr(FakeApi, name)

        def call(*args, **kwargs):
            self.hub.calls.append((name, args, kwargs))
            if name in self.hub.refusals:
                raise self.hub.refusals.pop(name)
            return method(self.hub, self.token, *args, **kwargs)
        return call


def _idea(hub, idea_id):
    if idea_id not in hub.ideas:
        raise ApiError(404, "Idée introuvable.")
    return hub.ideas[idea_id]


def _comment(hub, idea_id, comment_id):
    for comment in hub.comments[_idea(hub, idea_id)["id"]]:
        if comment["id"] == comment_id:
            return comment
    raise ApiError(404, "Commentaire introuvable.")


def _me(token):
    if not token:
        raise ApiError(401, "Authentification requise : jeton Bearer manquant.")
    return token


class FakeApi:
    """Each method: (hub, token, *arguments) -> what the real API answers."""

    # people: the sessions the pages open, and what admins change
    @staticmethod
    def open_session(hub, token, claims):
        person = hub.people.setdefault(claims["sub"], {
            "id": claims["sub"], "name": claims["name"], "email": claims["email"],
            "unit": claims["unit"], "roles": ["agent"], "scope": []})
        session_id = f"s{len(hub.sessions) + 1}"
        hub.sessions[session_id] = claims["sub"]
        return {"session": session_id, "person": dict(person)}

    @staticmethod
    def session_person(hub, token, session_id):
        if session_id not in hub.sessions:
            raise ApiError(404, "Session inconnue, expirée ou fermée.")
        return dict(hub.people[hub.sessions[session_id]])

    @staticmethod
    def close_session(hub, token, session_id):
        hub.sessions.pop(session_id, None)

    @staticmethod
    def me(hub, token):
        return dict(hub.people[_me(token)])

    @staticmethod
    def set_roles(hub, token, person_id, roles, unit=None, scope=None):
        person = hub.people[person_id]
        person["roles"] = ["agent", *sorted(set(roles) - {"agent"})]
        person.update({k: v for k, v in {"unit": unit, "scope": scope}.items() if v is not None})
        return dict(person)

    @staticmethod
    def list_ideas(hub, token, **query):
        """Pages of `limit` ideas; a cursor is the index of the page's first idea."""
        items = [i for i in hub.ideas.values() if i["status"] != "hidden"]
        if query.get("q"):
            items = [i for i in items if query["q"].lower() in i["title"].lower()]
        for name in ("tag", "unit"):
            if query.get(name):
                items = [i for i in items if query[name] in (i["unit"], *i["tags"])]
        if query.get("campaign"):
            items = [i for i in items if i.get("campaign_id") == query["campaign"]]
        start, limit = int(query.get("cursor") or 0), query.get("limit", 20)
        before = start - limit
        return {"items": items[start:start + limit], "total": len(items),
                "next_cursor": str(start + limit) if start + limit < len(items) else None,
                "prev_cursor": str(before) if before > 0 else None}

    @staticmethod
    def idea_facets(hub, token, campaign=None):
        listed = [i for i in hub.ideas.values() if i["status"] != "hidden"
                  and campaign in (None, i.get("campaign_id"))]
        units = sorted({i["unit"] for i in listed})
        tags = sorted({t for i in listed for t in i["tags"]})
        return {"units": [{"unit": u, "count": sum(i["unit"] == u for i in listed)}
                          for u in units],
                "tags": [{"tag": t, "count": sum(t in i["tags"] for i in listed)}
                         for t in tags]}

    @staticmethod
    def get_idea(hub, token, idea_id):
        return dict(_idea(hub, idea_id))

    @staticmethod
    def similar_ideas(hub, token, text):
        words = set(re.findall(r"\w{4,}", text.lower()))
        return [{"id": i["id"], "title": i["title"], "score": 0.5} for i in hub.ideas.values()
                if words & set(re.findall(r"\w{4,}", i["title"].lower()))]

    @staticmethod
    def propose(hub, token, title, body, tags, campaign_id=None):
        _me(token)
        if campaign_id:
            call = FakeApi.get_campaign(hub, token, campaign_id)
            unit = hub.people.get(token, {}).get("unit")
            if call["units"] and unit not in call["units"]:
                raise ApiError(403, "Cet appel s'adresse aux agents de : "
                               + ", ".join(call["units"]) + ".")
            if call["phase"] != "proposals":
                raise ApiError(409, f"L'appel « {call['title']} » ne reçoit plus de "
                                    "propositions.")
        return hub.add_idea(title, body, tags=tags, campaign_id=campaign_id)

    # calls for ideas
    @staticmethod
    def list_campaigns(hub, token, state=None):
        calls = [FakeApi.get_campaign(hub, token, c) for c in hub.campaigns]
        return [{k: v for k, v in c.items() if k != "figures"} for c in calls
                if state in (None, c["state"])]

    @staticmethod
    def get_campaign(hub, token, campaign_id):
        if campaign_id not in hub.campaigns:
            raise ApiError(404, "Appel à idées introuvable.")
        call = dict(hub.campaigns[campaign_id])
        now = iso(datetime.now(timezone.utc))
        return {**call, "phase": phases.phase(call, now), "state": phases.state(call, now),
                "next_change": phases.next_change(call, now)}

    @staticmethod
    def create_campaign(hub, token, fields):
        call = hub.add_campaign()
        try:
            return FakeApi.change_campaign(hub, token, call["id"], fields)
        except ApiError:
            del hub.campaigns[call["id"]]
            raise

    @staticmethod
    def change_campaign(hub, token, campaign_id, changes):
        call = hub.campaigns[campaign_id]
        changes = {k: phases.utc(v) if k in phases.DATES else v for k, v in changes.items()}
        problems = phases.dates_problems({**call, **changes})
        if problems:
            raise ApiError(422, "Les dates de l'appel ne se suivent pas.", problems)
        call.update(changes)
        return FakeApi.get_campaign(hub, token, campaign_id)

    # evaluation: the idea page asks only who the idea's call makes its evaluator or owner
    @staticmethod
    def idea_evaluation(hub, token, idea_id):
        idea, me = _idea(hub, idea_id), _me(token)
        call = hub.campaigns.get(idea.get("campaign_id")) or {}
        roles = {role for role in ("evaluator", "owner")
                 if any(p["id"] == me for p in call.get(f"{role}s", []))}
        if "moderator" in hub.people.get(me, {}).get("roles", []):
            roles.add("moderator")
        if not roles:
            raise ApiError(403, "Réservé aux évaluateurs et responsables de l'appel.")
        return {"roles": sorted(roles), "mine": None}

    @staticmethod
    def find_people(hub, token, q="", role=None):
        return [{"id": p["id"], "name": p["name"], "unit": p["unit"]}
                for p in hub.people.values() if q.lower() in p["name"].lower()]

    @staticmethod
    def edit_idea(hub, token, idea_id, changes):
        idea = _idea(hub, idea_id)
        idea.update(changes)
        return idea

    @staticmethod
    def withdraw(hub, token, idea_id):
        idea = _idea(hub, idea_id)
        idea["status"] = "withdrawn"
        return idea

    @staticmethod
    def list_comments(hub, token, idea_id):
        return list(hub.comments[_idea(hub, idea_id)["id"]])

    @staticmethod
    def comment(hub, token, idea_id, body, parent_id=None):
        _me(token)
        listed = hub.comments[_idea(hub, idea_id)["id"]]
        comment = {"id": f"c{len(listed) + 1}", "author": {"id": "x", "name": "Joël N'Diaye"},
                   "body": body, "created_at": NOW, "hidden": False, "parent_id": parent_id}
        hub.comments[_idea(hub, idea_id)["id"]].append(comment)
        return comment

    @staticmethod
    def report(hub, token, idea_id, reason, note=""):
        return _idea(hub, idea_id)

    @staticmethod
    def answer(hub, token, idea_id, status, note):
        idea = _idea(hub, idea_id)
        idea.update(status=status, status_note=note)
        idea["timeline"].append({"at": NOW, "kind": "status", "status": status, "note": note})
        return idea

    @staticmethod
    def set_implementation(hub, token, idea_id, owner, target_date):
        idea = _idea(hub, idea_id)
        idea["implementation"] = {"percent": 0, "milestones": [], "last_update": None,
                                  **(idea.get("implementation") or {}), "owner": owner,
                                  "target_date": target_date}
        return idea

    @staticmethod
    def report_progress(hub, token, idea_id, milestone, percent, update):
        idea = _idea(hub, idea_id)
        step = {"at": NOW, "milestone": milestone, "percent": percent, "update": update,
                "by": {"id": "maelle", "name": "Maëlle"}}
        followed = idea["implementation"]
        followed.update(percent=percent, milestones=[*followed["milestones"], step],
                        last_update=step)
        idea["timeline"].append({"kind": "progress", **step})
        return idea

    @staticmethod
    def call_results(hub, token, campaign_id):
        if campaign_id not in hub.campaigns:
            raise ApiError(404, "Appel à idées introuvable.")
        chosen = [i for i in hub.ideas.values() if i.get("campaign_id") == campaign_id]
        return {"campaign": hub.campaigns[campaign_id], "items": [{
            **i, "owner": (i.get("implementation") or {}).get("owner"),
            "target_date": (i.get("implementation") or {}).get("target_date"),
            "percent": (i.get("implementation") or {}).get("percent", 0),
            "last_update": (i.get("implementation") or {}).get("last_update")}
            for i in chosen]}

    @staticmethod
    def moderate(hub, token, idea_id, action, reason=""):
        return _idea(hub, idea_id)

    @staticmethod
    def hide_comment(hub, token, idea_id, comment_id, reason):
        for comment in hub.comments[_idea(hub, idea_id)["id"]]:
            if comment["id"] == comment_id:
                comment["hidden"] = True
                return comment
        raise ApiError(404, "Commentaire introuvable.")

    @staticmethod
    def edit_comment(hub, token, idea_id, comment_id, body):
        comment = _comment(hub, idea_id, comment_id)
        comment.update(body=body, edited_at=NOW)
        return comment

    @staticmethod
    def delete_comment(hub, token, idea_id, comment_id):
        comment = _comment(hub, idea_id, comment_id)
        comment.update(deleted=True)
        comment.pop("body", None)
        return comment

    @staticmethod
    def report_comment(hub, token, idea_id, comment_id, reason, note=""):
        _comment(hub, idea_id, comment_id)
        return {"comment_id": comment_id, "reason": reason, "at": NOW}

    @staticmethod
    def dismiss_comment(hub, token, idea_id, comment_id, reason=""):
        return _comment(hub, idea_id, comment_id)

    @staticmethod
    def reported_comments(hub, token):
        items = getattr(hub, "reported", [])
        return {"items": items, "total": len(items)}

    @staticmethod
    def merge(hub, token, idea_id, into, reason=""):
        return _idea(hub, idea_id)

    @staticmethod
    def contest(hub, token, idea_id, text):
        return _idea(hub, idea_id)

    @staticmethod
    def unmerge(hub, token, idea_id):
        return _idea(hub, idea_id)

    @staticmethod
    def moderation_queue(hub, token, why=None, cursor=None):
        items = [{**i, "pending_flags": 1, "reasons": ["spam"], "notes": [], "hidden_reason": ""}
                 for i in hub.ideas.values()]
        return {"items": items, "next_cursor": None,
                "counts": {"hidden": 0, "reported": len(items), "unanswered": 0}}

    @staticmethod
    def moderation_log(hub, token):
        return []

    @staticmethod
    def possible_duplicates(hub, token, cursor=None):
        return hub.duplicates

    @staticmethod
    def support(hub, token, idea_id, supported):
        idea = _idea(hub, idea_id)
        voters = hub.supports.setdefault(idea_id, set())
        (voters.add if supported else voters.discard)(_me(token))
        return {"idea_id": idea_id, "voted": supported, "count": len(voters)}

    @staticmethod
    def get_support(hub, token, idea_id):
        voters = hub.supports.get(idea_id, set())
        return {"idea_id": idea_id, "voted": token in voters, "count": len(voters)}

    @staticmethod
    def my_supports(hub, token):
        return [{"idea_id": i, "status": "submitted", "supported_at": NOW}
                for i, voters in hub.supports.items() if token in voters]

    @staticmethod
    def get_subscription(hub, token):
        if token not in hub.subscriptions:
            raise ApiError(404, "Aucun abonnement à la synthèse.")
        return hub.subscriptions[token]

    @staticmethod
    def save_subscription(hub, token, subscription):
        # An address other than the account's waits for its confirmation.
        hub.subscriptions[token] = {"email": "aurelie@example.fr", "units": [], "tags": [],
                                    "weekday": 0, "hour": 8, "language": "fr",
                                    "email_verified": "email" not in subscription,
                                    **subscription}
        return hub.subscriptions[token]

    @staticmethod
    def unsubscribe_from_digest(hub, token, link_token):
        if link_token != "genuine":
            raise ApiError(404, "Lien de désabonnement invalide ou expiré.")

    @staticmethod
    def confirm_digest_address(hub, token, link_token):
        if link_token != "genuine":
            raise ApiError(404, "Lien de confirmation invalide ou expiré.")

    @staticmethod
    def list_notifications(hub, token, unread=False, cursor=None, limit=None):
        """Pages of `limit` (20 by default); a cursor is the index of the page's first item."""
        mine = hub.notifications.get(_me(token), [])
        items = [n for n in mine if not (unread and n["read"])]
        start, limit = int(cursor or 0), 20 if limit is None else limit
        return {"items": [dict(n) for n in items[start:start + limit]],
                "unread": sum(not n["read"] for n in mine),
                "next_cursor": str(start + limit) if limit and start + limit < len(items)
                else None}

    @staticmethod
    def mark_read(hub, token, ids=None):
        mine = hub.notifications.get(_me(token), [])
        for item in mine:
            if ids is None or item["id"] in ids:
                item["read"] = True
        return {"unread": sum(not n["read"] for n in mine)}

    @staticmethod
    def notification_preferences(hub, token):
        return hub.preferences.setdefault(_me(token), {
            "mail": {kind: "immediate" if kind in ("status", "reply", "mention") else "daily"
                     for kind in ("status", "comment", "reply", "mention", "merge",
                                  "withdrawn", "milestone")},
            "follow_on_support": True, "follow_on_comment": True, "language": "fr"})

    @staticmethod
    def save_notification_preferences(hub, token, preferences):
        held = FakeApi.notification_preferences(hub, token)
        held.update({**preferences, "mail": {**held["mail"], **preferences.get("mail", {})}})
        return held

    @staticmethod
    def unsubscribe_from_notifications(hub, token, link_token):
        if link_token != "genuine":
            raise ApiError(404, "Lien de désabonnement invalide ou expiré.")

    @staticmethod
    def get_follow(hub, token, idea_id):
        _idea(hub, idea_id)
        return (_me(token), idea_id) in hub.follows

    @staticmethod
    def follow(hub, token, idea_id, following):
        _idea(hub, idea_id)
        (hub.follows.add if following else hub.follows.discard)((_me(token), idea_id))
        return {"following": following}

    @staticmethod
    def preview_digest(hub, token, period=None, scope=None):
        if scope is None:
            FakeApi.get_subscription(hub, token)
        units = ", ".join((scope or hub.subscriptions[token])["units"]) or "tous les services"
        return {"period": period or "2026-W47", "would_send": True,
                "subject": "Votre synthèse",
                "text": f"Idées de la semaine ({units})\nhttps://hub.test/ideas/i1",
                "html": "<p>x</p>"}


@pytest.fixture
def fake():
    return FakeHub()


@pytest.fixture
def app(config, fake):
    return create_app(config, make_client=fake.client)


@pytest.fixture
def browser(app):
    """A test client that keeps its cookies, like a browser without JavaScript."""
    return app.test_client()


def csrf_of(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


@pytest.fixture
def post(browser):
    """post(path, data, from_page="/") -> the answer to a form posted with the page's CSRF
    token, as a browser would send it."""
    def send(path, data=None, from_page="/signin", **kwargs):
        token = csrf_of(browser.get(from_page))
        return browser.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)
    return send


@pytest.fixture
def sign_in(post):
    def as_(person="agnes"):
        response = post("/signin", {"person": person})
        assert response.status_code == 303
    return as_
