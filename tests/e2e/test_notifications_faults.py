"""The notification consumer killed during a burst of comments (issue 13): afterwards each
follower's centre holds one notification per comment, and their mailbox one mail per
comment, none lost and none doubled.

The digest consumer makes the notifications (services/digest/notification_handlers.py) and
its background thread mails them (services/digest/notification_mail.py), so one `kill -9`
of `digest-consumer` interrupts both. A mail handed to SMTP whose "sent" was not yet
recorded when the process died is sent again at the restart with the same Message-ID: no
mail can be both handed to SMTP and recorded in one step, so a kill in that window (a few
milliseconds a mail; seen once in seven runs when killed while mails went out) resends one.
The test counts those resends apart: each must carry the Message-ID of a mail already
delivered, and there can be at most one per kill (the sender hands SMTP one mail at a
time). Any other double, and any loss, fails it."""
import email
import email.policy
import mailbox
import os
import threading
import time
from collections import Counter, defaultdict

import pymongo
import pytest

from tests.helpers import eventually

pytestmark = pytest.mark.outage

FOLLOWERS = 5
COMMENTS = 40
# The ideas service lets a person write 30 comments in 10 minutes (services/ideas/app.py):
# the burst comes from several writers in turn.
WRITERS = 4
BETWEEN_COMMENTS = 0.1
# Kill the consumer when this many notifications of the burst exist, then again when its
# mail sender holds claims (or, failing that, at this many).
FIRST_KILL_AT = 15
SECOND_KILL_AT = 100
DOWN_FOR = 1.0
SETTLE = 120


@pytest.fixture
def digest_db(config):
    client = pymongo.MongoClient(config.mongo_url)
    yield client[config.database_name("digest")]
    client.close()


@pytest.fixture
def crash(stack, digest_db):
    """crash("digest-consumer", made) -> seconds from the kill until the restarted process
    is at work again: a notification of `made` (a query) made or mailed since the kill."""
    module, profile = stack
    down = []

    def kill_and_restart(name, made):
        killed = time.monotonic()
        module.kill(profile, name)
        down.append(name)
        before = progress(digest_db, made)
        time.sleep(DOWN_FOR)
        module.start(profile, name)
        module.wait_ready(profile, name)
        down.remove(name)
        try:
            eventually(lambda: progress(digest_db, made) != before, timeout=60,
                       interval=0.05, message="the restarted consumer at work")
        except AssertionError:
            return None  # nothing was left for it to do
        return time.monotonic() - killed
    yield kill_and_restart
    for name in down:
        module.start(profile, name)
        module.wait_ready(profile, name)


def progress(db, made):
    return (db.notifications.count_documents(made),
            db.notifications.count_documents({**made, "mail": "sent"}))


class Burst(threading.Thread):
    """COMMENTS comments on the idea, from the writers in turn, as fast as BETWEEN_COMMENTS
    lets them; `ids` those the API accepted."""

    def __init__(self, http, idea_id, writers):
        super().__init__(daemon=True)
        self.http, self.idea_id, self.writers = http, idea_id, writers
        self.ids, self.refused = [], []

    def run(self):
        for n in range(COMMENTS):
            answer = self.http("POST", f"/api/ideas/{self.idea_id}/comments",
                               self.writers[n % len(self.writers)],
                               json={"body": f"Commentaire n° {n} de la rafale."})
            if answer.status_code == 201:
                self.ids.append(answer.json()["id"])
            else:
                self.refused.append((n, answer.status_code, answer.text[:200]))
            time.sleep(BETWEEN_COMMENTS)


def comment_ids_in_centre(http, who):
    """The comment ids of every `comment` notification in the person's centre, all pages."""
    found, cursor = [], None
    while True:
        params = {"limit": 50, **({"cursor": cursor} if cursor else {})}
        answer = http("GET", "/api/notifications", who, params=params)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        found += [item["comment_id"] for item in page["items"] if item["kind"] == "comment"]
        cursor = page.get("next_cursor")
        if not cursor:
            return found


def mailbox_of(maildir, addresses):
    """{address: [Message-ID of each mail delivered to it]}, the Maildir read once."""
    box = mailbox.Maildir(maildir, factory=None, create=False)
    found = defaultdict(list)
    for key in box.keys():
        mail = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
        for address in addresses:
            if address in (mail["To"] or ""):
                found[address].append(mail["Message-ID"])
    return found


def test_killing_the_notification_consumer_mid_burst_loses_and_doubles_nothing(
        http, token, agent, propose, person, stack, crash, digest_db):
    started = time.monotonic()
    followers = [person(f"Suiveuse{n}") for n in range(FOLLOWERS)]
    addresses = [address for _, address, _ in followers]
    writers = [token(name=f"Rédacteur {n}") for n in range(WRITERS)]
    for who, _, _ in followers:
        saved = http("PUT", "/api/notifications/preferences", who,
                     json={"mail": {"comment": "immediate"}})
        assert saved.status_code == 200, saved.text
    for who in writers:  # writers hear nothing of each other's comments
        saved = http("PUT", "/api/notifications/preferences", who,
                     json={"follow_on_comment": False})
        assert saved.status_code == 200, saved.text
    idea = propose(title="Une rafale de commentaires sous les pannes", as_=agent)
    for who, _, _ in followers:
        eventually(lambda: http("PUT", f"/api/ideas/{idea['id']}/follow",
                                who).status_code == 200, message="the digest knows the idea")
    # A mail goes only to a person whose address the digest knows (person.joined).
    eventually(lambda: digest_db.people.count_documents(
        {"email": {"$in": addresses}}) == FOLLOWERS, message="the followers' addresses known")

    made = {"idea_id": idea["id"], "kind": "comment"}
    burst = Burst(http, idea["id"], writers)
    burst.start()
    restarts, claims_at_kill = [], []
    eventually(lambda: digest_db.notifications.count_documents(made) >= FIRST_KILL_AT,
               timeout=60, interval=0.02, message="the first notifications of the burst")
    claims_at_kill.append(digest_db.notifications.count_documents({**made, "mail": "sending"}))
    restarts.append(crash("digest-consumer", made))
    try:
        eventually(lambda: digest_db.notifications.count_documents(
            {**made, "mail": "sending"}) or digest_db.notifications.count_documents(
            made) >= SECOND_KILL_AT, timeout=60, interval=0.01,
            message="the sender at work again")
    except AssertionError:
        pass  # the burst outran the sender: kill it anyway
    claims_at_kill.append(digest_db.notifications.count_documents({**made, "mail": "sending"}))
    restarts.append(crash("digest-consumer", made))
    burst.join(timeout=120)
    assert not burst.refused, f"comments refused: {burst.refused[:5]}"
    assert len(burst.ids) == COMMENTS
    burst_done = time.monotonic()

    expected = set(burst.ids)
    eventually(lambda: all(len(comment_ids_in_centre(http, who)) >= COMMENTS
                           for who, _, _ in followers), timeout=SETTLE, interval=0.5,
               message="every follower's centre holds the burst")
    maildir = os.environ["HUB_MAILDIR"]
    eventually(lambda: digest_db.notifications.count_documents(
        {**made, "mail": {"$in": ["due", "sending"]}}) == 0, timeout=SETTLE, interval=0.5,
        message="every mail of the burst sent")
    centre_settled = time.monotonic()
    time.sleep(3)  # a late double would land now
    centres = {address: comment_ids_in_centre(http, who) for who, address, _ in followers}
    mails = mailbox_of(maildir, addresses)

    lost = {a: len(expected - set(ids)) for a, ids in centres.items() if expected - set(ids)}
    doubled = {a: len(ids) - len(set(ids)) for a, ids in centres.items()
               if len(ids) != len(set(ids))}
    mail_missing = {a: COMMENTS - len(set(mails[a])) for a in addresses
                    if len(set(mails[a])) < COMMENTS}
    # The same Message-ID twice: a resend after a kill (SMTP took it, "sent" not yet saved).
    resent = {a: sum(n - 1 for n in Counter(mails[a]).values()) for a in addresses
              if len(mails[a]) != len(set(mails[a]))}
    extra_ids = {a: len(set(mails[a])) - COMMENTS for a in addresses
                 if len(set(mails[a])) > COMMENTS}
    states = Counter(doc.get("mail") for doc in digest_db.notifications.find(
        {**made, "person_id": {"$in": [a.partition("@")[0] for a in addresses]}}, {"mail": 1}))
    report = (f"notification kill runs: {len(burst.ids)} comments x {FOLLOWERS} followers; "
              f"digest-consumer killed {len(restarts)} times (kill to at work again, s: "
              f"{[r and round(r, 1) for r in restarts]}; claims held at each kill: "
              f"{claims_at_kill}); "
              f"notifications {sum(len(ids) for ids in centres.values())} in the centres "
              f"(mail states {dict(states)}); mails {sum(len(mails[a]) for a in addresses)} "
              f"({sum(len(set(mails[a])) for a in addresses)} distinct Message-IDs); "
              f"centre lost {lost or 0}, doubled {doubled or 0}; mail missing "
              f"{mail_missing or 0}, resent with the same Message-ID {resent or 0}, "
              f"unexpected Message-IDs {extra_ids or 0}; burst "
              f"{burst_done - started:.0f} s, settled {centre_settled - burst_done:.0f} s later")
    print(report)
    assert not lost and not doubled, report
    assert not mail_missing and not extra_ids, report
    assert sum(resent.values()) <= len(restarts), \
        "more resends than kills (one mail in flight per kill at most): " + report
