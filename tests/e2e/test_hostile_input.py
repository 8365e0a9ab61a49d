"""Hostile text (tests/hostile.py) through every web form and JSON API that takes text: kept
as typed (normalised as shared/text.py says) and shown as text, never as markup; or refused
with a clear message, in the API's error shape or in French on the page. Never a 500, never
half a write.

Each field's test writes the whole corpus first, then checks each text in its own subtest:
reads that follow Kafka (lists, the moderation queue) wait once, not once per text."""
import json
from urllib.parse import urlencode

import pytest

from tests.e2e.pages import Page
from tests.helpers import eventually
from tests.hostile import CORPUS, LONE_SURROGATE, NOT_UTF8

TITLE = "Un titre ordinaire"
BODY = "Un corps ordinaire, assez long pour être accepté."


class Site:
    """The people and ideas of one test, each made fresh: no rate limit, report or
    subscription is shared with another test."""

    def __init__(self, http, token, browser):
        self.http, self.token, self.browser = http, token, browser
        self.reader = token()
        self.moderator = token(roles=("agent", "moderator"))
        self.queue, self.queue_pages = {}, {}

    def idea(self, author=None):
        answer = self.http("POST", "/api/ideas", author or self.token(),
                           json={"title": TITLE, "body": BODY, "tags": ["accueil"]})
        assert answer.status_code == 201, answer.text
        return answer.json()["id"]

    def read(self, path, token=None, **params):
        answer = self.http("GET", path, token or self.reader, params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def page(self, path, token=None):
        return Page(self.browser(token=token or self.reader).get(path).text)

    def send(self, channel, token, path, form, api=None):
        """The same write through a page's form at `path`, or through the API: by default
        the same method at /api`path` with the form as JSON."""
        method, api_path, body = api or ("POST", "/api" + path, form)
        if channel == "form":
            browser = self.browser(token=token)
            if method == "GET":
                return Sent(browser.get(path, params=form), browser)
            return Sent(browser.post(path, form), browser)
        payload = {"params": body} if method == "GET" else {"json": body}
        return Sent(self.http(method, api_path, token, **payload))

    def queued(self, why, idea_id):
        """The moderation queue's item for the idea and the queue's page that shows it, once
        the queue lists it (it follows Kafka). One pass over the queue finds all the ideas a
        test wrote."""
        def find():
            if idea_id not in self.queue:
                self.queue.update(self.scan_queue(why))
            return self.queue.get(idea_id)
        item, path = eventually(find, message=f"idea {idea_id} in the queue ({why})")

        def shown():  # by every process of the web, which each follow Kafka
            if f'id="idea-{idea_id}"' not in self.queue_pages.get(path, ""):
                self.queue_pages[path] = self.browser(token=self.moderator).get(path).text
            return f'id="idea-{idea_id}"' in self.queue_pages[path]
        eventually(shown, message=f"idea {idea_id} on the queue's page")
        return item, Page(self.queue_pages[path])

    def scan_queue(self, why):
        """{idea id: (item, path of the queue's page that shows it)}, page by page."""
        found, cursor = {}, None
        while True:
            query = {"why": why, **({"cursor": cursor} if cursor else {})}
            page = self.read("/api/moderation/queue", self.moderator, **query)
            found.update({item["id"]: (item, "/moderation?" + urlencode(query))
                          for item in page["items"]})
            if not page["next_cursor"]:
                return found
            cursor = page["next_cursor"]


@pytest.fixture
def site(http, token, browser):
    return Site(http, token, browser)


class Sent:
    """A write and who made it: a browser (through a form) or nobody (through the API)."""

    def __init__(self, answer, browser=None):
        self.answer, self.browser = answer, browser


def outcome(sent):
    """(accepted, message, page): what the person learns from the answer. A form's refusal
    is a French alert on the page it comes back to; an API's, the contract's error shape."""
    answer = sent.answer
    assert answer.status_code < 500, answer.text[:500]
    if answer.headers["Content-Type"].startswith("application/json"):  # the API's, the gateway's
        if answer.status_code < 300:
            return True, "", None
        body = answer.json()
        assert body["code"] == answer.status_code and body["status"], body
        assert isinstance(body["message"], str) and body["message"], body
        assert answer.status_code != 422 or body["errors"], body
        return False, body["message"], None
    if answer.status_code == 303:
        answer = sent.browser.get(answer.headers["Location"])
        assert answer.status_code == 200, answer.text[:500]
    page = Page(answer.text)
    message = " ".join(page.alerts)
    assert "« errors »" not in message, message  # the API's pointer, meaningless on a page
    return answer.status_code == 200 and not message, message, page


class Field:
    """A text field of a form and of the API behind it. `bounds`: the length the API accepts,
    counted on the text as kept."""

    channels = ("form", "api")
    one_line = False

    def __init__(self, name, bounds):
        self.name, self.bounds = name, bounds

    def expected(self, case):
        return case.kept_on_one_line if self.one_line else case.kept

    def accepts(self, text):
        return self.bounds[0] <= len(text) <= self.bounds[1]

    def write(self, site, channel, text):
        """-> (Sent, target): the answer, and what kept() and untouched() look at."""
        raise NotImplementedError

    def kept(self, site, target):
        """(the text as the hub kept it, the Page that shows it); None: nothing to compare."""
        raise NotImplementedError

    def untouched(self, site, target):
        """After a refusal: nothing of the write was kept."""
        raise NotImplementedError


class Propose(Field):
    def __init__(self, name, bounds):
        super().__init__(name, bounds)
        self.one_line = name in ("title", "tags")

    def write(self, site, channel, text):
        author = site.token()
        form = {"title": TITLE, "body": BODY, "tags": "accueil", self.name: text}
        sent = site.send(channel, author, "/ideas", {**form, "similar_checked": "1"},
                         ("POST", "/api/ideas", {**form, "tags": [form["tags"]]}))
        return sent, (author, sent)

    def kept(self, site, target):
        answer = target[1].answer  # the idea's page (a form's 303) or the idea (the API's 201)
        idea_id = answer.headers["Location"].rsplit("/", 1)[1] if answer.status_code == 303 \
            else answer.json()["id"]
        idea = site.read(f"/api/ideas/{idea_id}")
        return idea[self.name][0] if self.name == "tags" else idea[self.name], \
            site.page(f"/ideas/{idea_id}")

    def untouched(self, site, target):
        # Lists follow Kafka: the corpus was written before the first check, which leaves
        # time for a half-written idea to show.
        return site.read("/api/ideas", target[0], author="me")["items"] == []


class Edit(Field):
    channels = ("api",)  # the pages offer no edit

    def __init__(self, name, bounds):
        super().__init__(name, bounds)
        self.one_line = name == "title"

    def write(self, site, channel, text):
        author = site.token()
        idea_id = site.idea(author)
        return site.send(channel, author, None, None, ("PATCH", f"/api/ideas/{idea_id}",
                                                       {self.name: text})), idea_id

    def kept(self, site, idea_id):
        return site.read(f"/api/ideas/{idea_id}")[self.name], site.page(f"/ideas/{idea_id}")

    def untouched(self, site, idea_id):
        idea = site.read(f"/api/ideas/{idea_id}", site.moderator)
        return (idea["title"], idea["body"], idea["history"]) == (TITLE, BODY, [])


class Comment(Field):
    def write(self, site, channel, text):
        idea_id = site.idea()
        return site.send(channel, site.token(), f"/ideas/{idea_id}/comments",
                         {"body": text}), idea_id

    def kept(self, site, idea_id):
        [comment] = site.read(f"/api/ideas/{idea_id}/comments")["items"]
        return comment["body"], site.page(f"/ideas/{idea_id}")

    def untouched(self, site, idea_id):
        return site.read(f"/api/ideas/{idea_id}/comments")["items"] == []


class HideComment(Field):
    channels = ("api",)  # the pages offer no such form yet

    def write(self, site, channel, text):
        idea_id = site.idea()
        comment = site.http("POST", f"/api/ideas/{idea_id}/comments", site.token(),
                            json={"body": "Un commentaire à masquer."}).json()
        path = f"/api/ideas/{idea_id}/comments/{comment['id']}/hide"
        return site.send(channel, site.moderator, None, None,
                         ("POST", path, {"reason": text})), idea_id

    def kept(self, site, idea_id):
        [comment] = site.read(f"/api/ideas/{idea_id}/comments", site.moderator)["items"]
        return comment["hidden_reason"], None  # for moderators, on no page yet

    def untouched(self, site, idea_id):
        [comment] = site.read(f"/api/ideas/{idea_id}/comments", site.moderator)["items"]
        return not comment["hidden"]


class Report(Field):
    def write(self, site, channel, text):
        idea_id, reporter = site.idea(), site.token()
        return site.send(channel, reporter, f"/ideas/{idea_id}/flags",
                         {"reason": "other", "note": text}), (idea_id, reporter)

    def kept(self, site, target):
        item, page = site.queued("reported", target[0])
        return item["notes"][0], page

    def untouched(self, site, target):
        # One report per person: the same person may still report, so none was kept.
        idea_id, reporter = target
        again = site.http("POST", f"/api/ideas/{idea_id}/flags", reporter,
                          json={"reason": "other"})
        return again.status_code == 201


class Moderate(Field):
    """A moderator's act on an idea with a text: the public note of an answer, why an idea
    is hidden, the idea a duplicate merges into."""

    def __init__(self, name, bounds, action, form=None, confirm=False):
        super().__init__(name, bounds)
        self.action, self.form, self.confirm = action, form or {}, confirm

    def write(self, site, channel, text):
        """The page's second step (`confirm`: the confirmation form) or the API at once."""
        idea_id = site.idea()
        path, body = f"/ideas/{idea_id}/{self.action}", {**self.form, self.name: text}
        form = {**body, "confirmed": "1"} if self.confirm else body
        return site.send(channel, site.moderator, path, form,
                         ("POST", "/api" + path, body)), idea_id

    def kept(self, site, idea_id):
        if self.action == "hide":  # a moderator's hiding waits in no queue: it is reviewed
            idea = site.read(f"/api/ideas/{idea_id}", site.moderator)
            return idea["hidden_reason"], site.page(f"/ideas/{idea_id}", site.moderator)
        return site.read(f"/api/ideas/{idea_id}")["status_note"], site.page(f"/ideas/{idea_id}")

    def untouched(self, site, idea_id):
        idea = site.read(f"/api/ideas/{idea_id}", site.moderator)
        return (idea["status"], idea["status_note"], idea["timeline"]) == ("submitted", "", [])


class Merge(Moderate):
    # The page's field searches titles with the words (tests/e2e/test_moderation.py): a
    # search that finds ideas is not a write; the API's `into` takes only an id.
    channels = ("api",)

    def accepts(self, text):
        return False  # no idea has such an id


class Subscribe(Field):
    one_line = True

    def write(self, site, channel, text):
        manager = site.token(roles=("manager",))
        return site.send(channel, manager, "/digest", {self.name: text, "weekday": "0",
                                                       "hour": "8", "language": "fr"},
                         ("PUT", "/api/digest/subscription", {self.name: [text]})), manager

    def kept(self, site, manager):
        [value] = site.read("/api/digest/subscription", manager)[self.name]
        page = site.page("/digest", manager)
        site.http("DELETE", "/api/digest/subscription", manager)  # no digest to send
        return value, page

    def untouched(self, site, manager):
        return site.http("GET", "/api/digest/subscription", manager).status_code == 404


class Search(Field):
    """A filter of the list, or the similar ideas' hint: nothing is kept; the list's page
    shows the filter in its field."""
    one_line = True

    def __init__(self, name, bounds, path):
        super().__init__(name, bounds)
        self.path = path

    def write(self, site, channel, text):
        # A signed-in agent, as on the page that proposes: the gateway limits the similar
        # ideas asked without a token by address, which every call from the pages shares.
        api_path = "/api" + ("/ideas" if self.path == "/" else self.path)
        sent = site.send(channel, site.token(), self.path, {self.name: text},
                         ("GET", api_path, {self.name: text}))
        return sent, sent

    def kept(self, site, sent):
        if sent.browser is None:
            return None, None
        page = Page(sent.answer.text)
        return (page.value_of(self.name) if self.path == "/" else None), page

    def untouched(self, site, sent):
        """A search writes nothing: its refusal is the message the test asserts beside."""
        return True


FIELDS = [
    Propose("title", (5, 140)), Propose("body", (10, 10_000)), Propose("tags", (1, 40)),
    Edit("title", (5, 140)), Edit("body", (10, 10_000)),
    Comment("comment", (1, 5000)), HideComment("reason", (3, 500)),
    Report("note", (0, 1000)),
    Moderate("note", (0, 2000), "status", {"status": "under_review"}),
    Moderate("reason", (1, 1000), "hide", confirm=True),
    Merge("into", (1, 64), "merge", {"reason": "Doublon"}),
    Subscribe("units", (1, 120)), Subscribe("tags", (1, 40)),
    Search("q", (1, 200), "/"), Search("tag", (1, 40), "/"), Search("unit", (1, 120), "/"),
    Search("text", (3, 1000), "/ideas/similar"),
]


@pytest.mark.parametrize("field, channel", [
    pytest.param(field, channel, id=f"{type(field).__name__.lower()}-{field.name}-{channel}")
    for field in FIELDS for channel in field.channels])
def test_hostile_text_is_kept_as_typed_or_refused_and_never_markup(site, subtests, field,
                                                                   channel):
    written = [(case, *field.write(site, channel, case.text)) for case in CORPUS]

    for case, sent, target in written:
        with subtests.test(case.name):
            expected = field.expected(case)
            accepted, message, answer_page = outcome(sent)
            assert answer_page is None or answer_page.injected() == []
            if not field.accepts(expected):
                assert not accepted, f"{len(expected)} characters accepted"
                assert message and field.untouched(site, target)
                continue
            assert accepted, message
            kept, page = field.kept(site, target)
            assert kept is None or kept == expected
            if page is not None:
                assert page.injected() == []
                assert kept is None or page.shows(expected)


# ---------------------------------------------------------------- bodies that are not text

# Each write's JSON, with @ where the raw bytes go.
JSON_WRITES = {
    "propose": ("POST", "/api/ideas", b'{"title": "Titre @ ici", "body": "Corps @ assez long"}'),
    "edit": ("PATCH", "/api/ideas/{idea}", b'{"body": "Corps @ assez long"}'),
    "comment": ("POST", "/api/ideas/{idea}/comments", b'{"body": "Avis @"}'),
    "report": ("POST", "/api/ideas/{idea}/flags", b'{"reason": "other", "note": "@"}'),
    "answer": ("POST", "/api/ideas/{idea}/status", b'{"status": "accepted", "note": "@"}'),
    "hide": ("POST", "/api/ideas/{idea}/hide", b'{"reason": "@"}'),
    "merge": ("POST", "/api/ideas/{idea}/merge", b'{"into": "@"}'),
    "subscribe": ("PUT", "/api/digest/subscription", b'{"units": ["Service @"]}'),
}


@pytest.mark.parametrize("write", JSON_WRITES)
def test_a_json_body_that_is_not_unicode_text_is_400_and_changes_nothing(site, write):
    author = site.token(roles=("agent", "moderator", "manager"))
    idea_id = site.idea(author)
    method, path, template = JSON_WRITES[write]
    for name, raw in {**NOT_UTF8, "lone surrogate escape": LONE_SURROGATE}.items():
        answer = site.http(method, path.format(idea=idea_id), author,
                           data=template.replace(b"@", raw),
                           headers={"Content-Type": "application/json"})

        assert answer.status_code == 400, (name, answer.text)
        assert answer.json()["code"] == 400 and "JSON" in answer.json()["message"]
    idea = site.read(f"/api/ideas/{idea_id}", site.moderator)
    assert (idea["title"], idea["body"], idea["status"], idea["timeline"]) == (
        TITLE, BODY, "submitted", [])
    assert site.read(f"/api/ideas/{idea_id}/comments")["items"] == []
    assert site.http("GET", "/api/digest/subscription", author).status_code == 404
    # Lists follow Kafka: once they show the idea made before, they would show another.
    eventually(lambda: [i["id"] for i in site.read("/api/ideas", author, author="me")["items"]]
               == [idea_id], message="the author's only idea is listed")


@pytest.mark.parametrize("name", NOT_UTF8)
def test_form_bytes_that_are_not_utf8_are_kept_percent_quoted_as_text(site, name):
    """Werkzeug keeps what is not UTF-8 in a form body as its %XX escapes: text, never markup."""
    browser = site.browser(token=site.token())
    quoted = "".join(f"%{byte:02X}" for byte in NOT_UTF8[name])
    body = f"csrf_token={browser.csrf}&similar_checked=1&body=Corps+{quoted}+assez+long" \
           f"&title=Titre+{quoted}+ici&tags=accueil".encode()
    answer = browser.session.post(browser.base + "/ideas", data=body, allow_redirects=False,
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})

    assert answer.status_code == 303, answer.text
    idea = site.read("/api" + answer.headers["Location"])
    assert (idea["title"], idea["body"]) == (f"Titre {quoted} ici", f"Corps {quoted} assez long")


# ---------------------------------------------------------------- the size limit

MEBIBYTE = 1024 * 1024


def padded_json(size):
    """An idea whose JSON is exactly `size` bytes, its body far over its 10,000 characters."""
    frame = json.dumps({"title": TITLE, "body": ""}).encode()
    return json.dumps({"title": TITLE, "body": "x" * (size - len(frame))}).encode()


def padded_form(size, csrf):
    frame = f"csrf_token={csrf}&title=Titre+ordinaire&body=".encode()
    return frame + b"x" * (size - len(frame))


def test_one_mebibyte_is_read_and_one_byte_more_is_the_gateways_413(site):
    author = site.token()
    headers = {"Content-Type": "application/json"}
    at_limit = site.http("POST", "/api/ideas", author, data=padded_json(MEBIBYTE),
                         headers=headers)
    over = site.http("POST", "/api/ideas", author, data=padded_json(MEBIBYTE + 1),
                     headers=headers)

    assert at_limit.status_code == 422 and "body" in at_limit.json()["errors"], at_limit.text
    assert over.status_code == 413, over.text
    assert over.json() == {"code": 413, "status": "Payload Too Large",
                           "message": "Le corps de la requête dépasse 1 Mio."}
    assert site.read("/api/ideas", author, author="me")["items"] == []


def test_a_form_of_one_mebibyte_and_one_byte_is_refused_with_a_french_message(site):
    browser = site.browser(token=site.token())
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    at_limit = browser.session.post(browser.base + "/ideas", headers=form,
                                    data=padded_form(MEBIBYTE, browser.csrf))
    over = browser.session.post(browser.base + "/ideas", headers=form,
                                data=padded_form(MEBIBYTE + 1, browser.csrf))

    assert at_limit.status_code == 422 and "Description" in " ".join(Page(at_limit.text).alerts)
    assert over.status_code == 413 and "dépasse 1 Mio" in over.text
