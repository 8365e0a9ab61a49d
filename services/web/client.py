"""The one way the pages reach the hub: the ideas, votes and digest JSON APIs over HTTP, with
the signed-in person's bearer token. Every refusal becomes an ApiError in the API's error shape
(code, message, errors by field), so a view turns it into a message, never into a 500."""
from urllib.parse import quote

import requests

TIMEOUT = 10


def segment(value):
    """One path segment, whatever the person typed in the address bar."""
    return quote(str(value), safe="")


class ApiError(Exception):
    def __init__(self, status, message, errors=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or {}


class ApiUnavailable(ApiError):
    """No answer at all (connection refused, timeout): the hub, not the person, is at fault."""

    def __init__(self, message):
        super().__init__(503, message)


class ApiClient:
    def __init__(self, base_url, token=None, session=None, headers=None):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.http = session or requests.Session()
        self.headers = dict(headers or {})

    def call(self, method, path, json=None, params=None):
        headers = {"Accept": "application/json", **self.headers}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = self.http.request(method, self.base_url + path, json=json,
                                         params=params, headers=headers, timeout=TIMEOUT)
        except requests.RequestException as error:
            raise ApiUnavailable(str(error)) from None
        if response.status_code == 204:
            return None
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400:
            body = body if isinstance(body, dict) else {}
            errors = body.get("errors") if isinstance(body.get("errors"), dict) else {}
            raise ApiError(response.status_code, str(body.get("message") or response.reason),
                           errors)
        return body

    def download(self, path, params=None):
        """A file the API streams (exports): the open `requests` response, read as it comes;
        a refusal is an ApiError as for `call`."""
        headers = {**self.headers, **({"Authorization": f"Bearer {self.token}"}
                                      if self.token else {})}
        try:
            response = self.http.get(self.base_url + path, params=params, headers=headers,
                                     timeout=TIMEOUT, stream=True)
        except requests.RequestException as error:
            raise ApiUnavailable(str(error)) from None
        if response.status_code >= 400:
            try:
                body = response.json()
            finally:
                response.close()
            body = body if isinstance(body, dict) else {}
            raise ApiError(response.status_code, str(body.get("message") or response.reason))
        return response

    # ideas
    def list_ideas(self, **query):
        return self.call("GET", "/api/ideas",
                         params={k: v for k, v in query.items() if v not in (None, "")})

    def idea_facets(self, campaign=None):
        """{units: [{unit, count}], tags: [{tag, count}]}: what the list's filters offer."""
        return self.call("GET", "/api/ideas/facets",
                         params={"campaign": campaign} if campaign else None)

    def get_idea(self, idea_id):
        return self.call("GET", f"/api/ideas/{segment(idea_id)}")

    def similar_ideas(self, text):
        return self.call("GET", "/api/ideas/similar", params={"text": text})["items"]

    def propose(self, title, body, tags, campaign_id=None):
        """An idea, into the call for ideas `campaign_id` when given."""
        cmd = {"title": title, "body": body, "tags": tags}
        return self.call("POST", "/api/ideas",
                         json=cmd | ({"campaign_id": campaign_id} if campaign_id else {}))

    def edit_idea(self, idea_id, changes):
        return self.call("PATCH", f"/api/ideas/{segment(idea_id)}", json=changes)

    def withdraw(self, idea_id):
        return self.call("POST", f"/api/ideas/{segment(idea_id)}/withdraw")

    def list_comments(self, idea_id):
        return self.call("GET", f"/api/ideas/{segment(idea_id)}/comments")["items"]

    def comment(self, idea_id, body, parent_id=None):
        """A comment, or with `parent_id` a reply to one."""
        cmd = {"body": body} | ({"parent_id": parent_id} if parent_id else {})
        return self.call("POST", f"/api/ideas/{segment(idea_id)}/comments", json=cmd)

    def report(self, idea_id, reason, note=""):
        return self.call("POST", f"/api/ideas/{segment(idea_id)}/flags",
                         json={"reason": reason, "note": note})

    def answer(self, idea_id, status, note):
        return self.call("POST", f"/api/ideas/{segment(idea_id)}/status",
                         json={"status": status, "note": note})

    def moderate(self, idea_id, action, reason=""):
        """hide, restore, confirm (the hiding) or dismiss (the reports), with the reason
        written to the moderation log."""
        return self.call("POST", f"/api/ideas/{segment(idea_id)}/{action}", json={"reason": reason})

    def hide_comment(self, idea_id, comment_id, reason):
        return self.call("POST", f"/api/ideas/{segment(idea_id)}/comments/"
                                 f"{segment(comment_id)}/hide", json={"reason": reason})

    def _comment_path(self, idea_id, comment_id, action=""):
        return f"/api/ideas/{segment(idea_id)}/comments/{segment(comment_id)}{action}"

    def edit_comment(self, idea_id, comment_id, body):
        return self.call("PATCH", self._comment_path(idea_id, comment_id), json={"body": body})

    def delete_comment(self, idea_id, comment_id):
        return self.call("DELETE", self._comment_path(idea_id, comment_id))

    def report_comment(self, idea_id, comment_id, reason, note=""):
        return self.call("POST", self._comment_path(idea_id, comment_id, "/flags"),
                         json={"reason": reason, "note": note})

    def dismiss_comment(self, idea_id, comment_id, reason=""):
        return self.call("POST", self._comment_path(idea_id, comment_id, "/dismiss"),
                         json={"reason": reason})

    def reported_comments(self):
        """The reported comments awaiting a moderator: {items, total}."""
        return self.call("GET", "/api/moderation/comments")

    def merge(self, idea_id, into, reason=""):
        return self.call("POST", f"/api/ideas/{segment(idea_id)}/merge",
                         json={"into": into, "reason": reason})

    def contest(self, idea_id, text):
        """The author asks the moderators to look again at the hiding of their idea."""
        return self.call("POST", f"/api/ideas/{segment(idea_id)}/contest", json={"text": text})

    def unmerge(self, idea_id):
        return self.call("POST", f"/api/ideas/{segment(idea_id)}/unmerge")

    def set_implementation(self, idea_id, owner, target_date):
        """Who carries out a chosen idea ({kind, name, id}) and by when (YYYY-MM-DD)."""
        return self.call("PUT", f"/api/ideas/{segment(idea_id)}/implementation",
                         json={"owner": owner, "target_date": target_date})

    def report_progress(self, idea_id, milestone, percent, update):
        return self.call("POST", f"/api/ideas/{segment(idea_id)}/progress",
                         json={"milestone": milestone, "percent": percent, "update": update})

    def call_results(self, campaign_id):
        """{campaign, items}: a call's chosen ideas and where each stands."""
        return self.call("GET", f"/api/campaigns/{segment(campaign_id)}/results")

    def moderation_queue(self, why=None, cursor=None):
        """A page of the queue: {items, next_cursor, counts by reason}."""
        return self.call("GET", "/api/moderation/queue",
                         params={k: v for k, v in {"why": why, "cursor": cursor}.items() if v})

    def moderation_log(self):
        return self.call("GET", "/api/moderation/log")["items"]

    def possible_duplicates(self, cursor=None):
        """A page of pairs of open ideas that may be one: {items: [{a, b, score}], next_cursor}."""
        return self.call("GET", "/api/moderation/duplicates",
                         params={"cursor": cursor} if cursor else None)

    def dismiss_duplicate(self, a, b):
        """Not a duplicate: the pair leaves the finder for good."""
        return self.call("POST", "/api/moderation/duplicates/dismiss", json={"a": a, "b": b})

    def stats(self, **query):
        """The hub's figures (GET /api/stats): unit, from, to, campaign, each optional."""
        return self.call("GET", "/api/stats",
                         params={k: v for k, v in query.items() if v not in (None, "")})

    # calls for ideas (served by the ideas service)
    def list_campaigns(self, state=None):
        """Open calls first, then upcoming, then closed ones; no figures in a list."""
        return self.call("GET", "/api/campaigns",
                         params={"state": state} if state else None)["items"]

    def get_campaign(self, campaign_id):
        """A call, its phase, next change and figures."""
        return self.call("GET", f"/api/campaigns/{segment(campaign_id)}")

    def create_campaign(self, fields):
        return self.call("POST", "/api/campaigns", json=fields)

    def change_campaign(self, campaign_id, changes):
        return self.call("PATCH", f"/api/campaigns/{segment(campaign_id)}", json=changes)
    # evaluation of a call's ideas (its evaluators, owners and moderators)
    def idea_evaluation(self, idea_id):
        """My evaluation of an idea (evaluators); everyone's, side by side (overseers)."""
        return self.call("GET", f"/api/ideas/{segment(idea_id)}/evaluation")

    def evaluate(self, idea_id, scores, note):
        return self.call("PUT", f"/api/ideas/{segment(idea_id)}/evaluation",
                         json={"scores": scores, "note": note})

    def campaign_evaluation(self, campaign_id, sort=None):
        """A call's ideas: the side-by-side table, or the ones I score and my progress."""
        return self.call("GET", f"/api/campaigns/{segment(campaign_id)}/evaluation",
                         params={"sort": sort} if sort else None)

    # votes
    def support(self, idea_id, supported):
        return self.call("PUT" if supported else "DELETE", f"/api/votes/{segment(idea_id)}")

    def get_support(self, idea_id):
        return self.call("GET", f"/api/votes/{segment(idea_id)}")

    def my_supports(self):
        return self.call("GET", "/api/votes/mine")["items"]

    # digest
    def get_subscription(self):
        return self.call("GET", "/api/digest/subscription")

    def save_subscription(self, subscription):
        return self.call("PUT", "/api/digest/subscription", json=subscription)

    def preview_digest(self, period=None, scope=None):
        """The digest of `period` (None: last week) for my subscription, or for `scope`
        ({units, tags, language}) before it is saved."""
        params = {"period": period} if period else {}
        if scope is not None:
            params.update(scope="query", units=scope["units"], tags=scope["tags"],
                          language=scope["language"])
        return self.call("GET", "/api/digest/preview", params=params)

    def unsubscribe_from_digest(self, token):
        """The signed token of a digest's link: no sign-in needed."""
        return self.call("POST", "/api/digest/unsubscribe", params={"token": token})

    def confirm_digest_address(self, token):
        """The signed token of a confirmation message's link: no sign-in needed."""
        return self.call("POST", "/api/digest/confirm-address", params={"token": token})

    # notifications (served by the digest service)
    def erase_me(self, texts):
        return self.call("POST", "/api/me/erase", json={"texts": texts})

    def list_notifications(self, unread=False, cursor=None, limit=None):
        """{items, unread, next_cursor}, newest first; limit=0: the unread count alone."""
        params = {"unread": "1" if unread else None, "cursor": cursor, "limit": limit}
        return self.call("GET", "/api/notifications",
                         params={k: v for k, v in params.items() if v not in (None, "")})

    def mark_read(self, ids=None):
        """The notifications `ids`, or all of mine when None: {unread}."""
        return self.call("POST", "/api/notifications/read",
                         json={"all": True} if ids is None else {"ids": list(ids)})

    def notification_preferences(self):
        return self.call("GET", "/api/notifications/preferences")

    def save_notification_preferences(self, preferences):
        return self.call("PUT", "/api/notifications/preferences", json=preferences)

    def unsubscribe_from_notifications(self, token):
        """The signed token of a notification mail's link: no sign-in needed."""
        return self.call("POST", "/api/notifications/unsubscribe", params={"token": token})

    def get_follow(self, idea_id):
        return self.call("GET", f"/api/ideas/{segment(idea_id)}/follow")["following"]

    def follow(self, idea_id, following):
        return self.call("PUT" if following else "DELETE",
                         f"/api/ideas/{segment(idea_id)}/follow")

    # people
    def open_session(self, claims):
        """The pages' own client: {session, person} for the person of `claims`."""
        return self.call("POST", "/api/people/sessions", json=claims)

    def session_person(self, session_id):
        return self.call("GET", f"/api/people/sessions/{segment(session_id)}")

    def close_session(self, session_id):
        return self.call("DELETE", f"/api/people/sessions/{segment(session_id)}")

    def find_people(self, q="", role=None):
        return self.call("GET", "/api/people",
                         params={k: v for k, v in {"q": q, "role": role}.items() if v})["items"]

    def get_person(self, person_id):
        return self.call("GET", f"/api/people/{segment(person_id)}")

    def person_changes(self, person_id):
        return self.call("GET", f"/api/people/{segment(person_id)}/changes")["items"]

    def set_roles(self, person_id, roles, unit=None, scope=None):
        body = {"roles": sorted(roles), **({"unit": unit} if unit is not None else {}),
                **({"scope": scope} if scope is not None else {})}
        return self.call("PUT", f"/api/people/{segment(person_id)}/roles", json=body)

    def end_sessions(self, person_id):
        return self.call("DELETE", f"/api/people/{segment(person_id)}/sessions")

    def me(self):
        return self.call("GET", "/api/people/me")

    def set_my_unit(self, unit):
        return self.call("PUT", "/api/people/me", json={"unit": unit})
