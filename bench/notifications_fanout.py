"""Benchmark of a notification fan-out (issue 13): an idea with 10,000 followers changes
status; the time until every in-app notification exists, and the mails per second handed
to the local SMTP server.

    .venv/bin/python bench/notifications_fanout.py [--followers 10000] [--mail immediate never]
        [--parts 1000]

Against the running stack (`make up`, or the test stack with its HUB_* variables from
`deploy/local/stack.py env --profile test`): it proposes an idea through the gateway, inserts
the followers straight into the digest database (their `follows` as
services.digest.notifications.follow builds them, `since` long ago; their people rows by
NotificationStore.know_person; their preferences with mail for status "immediate" or
"never"), answers the idea through the gateway as a moderator, then watches the digest
database: the time until the 10,000 notifications of that event exist, then, when mailed,
the rate at which they go to "sent" (from their `mailed_at`) and the Maildir's new files.
Those rows and notifications stay in the stack (bench.local addresses); its mails are taken
out of the Maildir at the end, so that the tests reading it stay fast.

`--parts N` then times each step of the two paths in this process, on a scratch database
(bench/scratch.py) with N followers: the consumer's handler (the follower query, the
notices, the preferences, the bulk insert) and the mail sender's loop (the claims, the
people and preferences, the rendering, SMTP, the record of each mail). Its N mails go to
the same SMTP server.
"""
import argparse
import mailbox
import os
import sys
import time
import uuid
from collections import defaultdict
from functools import partial

import pymongo
import requests

from shared.auth import mint_token
from shared.config import load_config
from shared.events import now_iso
from services.digest import email, jobs, notification_handlers, notification_mail
from services.digest import notifications as N
from services.digest.notification_store import NotificationStore
from services.digest.store import OUTBOX, ensure_indexes
from scratch import scratch_hub  # bench/scratch.py, beside this script

LONG_AGO = "2020-01-01T00:00:00.000Z"
CHUNK = 1000
# The mail rate is measured until every mail is recorded, or nothing moved for this long.
STALLED = 60
log = partial(print, file=sys.stderr, flush=True)  # progress; stdout holds the report


def seed_followers(notes, idea_id, count, mode, tag):
    """`count` followers of the idea, each with an address and mail for status as `mode`;
    the seconds each kind of write took."""
    people = [f"fanout-{tag}-{n:05d}" for n in range(count)]
    took = {}
    started = time.perf_counter()
    for chunk in range(0, count, CHUNK):
        notes.db.follows.insert_many([N.follow(idea_id, person, "chosen", LONG_AGO)
                                      for person in people[chunk:chunk + CHUNK]])
    took["follows"] = time.perf_counter() - started
    started = time.perf_counter()
    for n, person in enumerate(people):
        notes.know_person(person, f"Suiveur{n} Banc", f"{person}@bench.local")
    took["people"] = time.perf_counter() - started
    started = time.perf_counter()
    for chunk in range(0, count, CHUNK):
        notes.db.preferences.insert_many([
            {"_id": person, **N.preferences({"mail": {"status": mode}})}
            for person in people[chunk:chunk + CHUNK]])
    took["preferences"] = time.perf_counter() - started
    return took


def forget_bench_mails(maildir):
    """Remove the Maildir's messages to bench.local addresses; how many."""
    box = mailbox.Maildir(maildir, factory=None, create=False)
    mine = [key for key in box.keys()
            if "@bench.local" in (box.get_message(key)["To"] or "")]
    for key in mine:
        box.remove(key)
    return len(mine)


def maildir_size(maildir):
    return sum(len(os.listdir(os.path.join(maildir, sub))) for sub in ("new", "cur")
               if os.path.isdir(os.path.join(maildir, sub)))


def fan_out(config, db, count, mode):
    """One answered idea with `count` followers: the figures of its fan-out."""
    gateway, tag = config.public_url.rstrip("/"), uuid.uuid4().hex[:6]
    bearer = partial(mint_token, config, unit="Banc d'essai", ttl=3600)
    author = bearer(f"fanout-author-{tag}", "Autrice du banc", ["agent"])
    moderator = bearer(f"fanout-moderator-{tag}", "Modératrice du banc",
                       ["agent", "moderator"])
    proposed = requests.post(f"{gateway}/api/ideas", timeout=10,
                             headers={"Authorization": f"Bearer {author}"},
                             json={"title": f"Une idée suivie par {count} personnes ({tag})",
                                   "body": "Pour mesurer ce que coûte de prévenir chacun.",
                                   "tags": ["banc"]})
    proposed.raise_for_status()
    idea_id = proposed.json()["id"]
    notes = NotificationStore(db)
    log(f"{mode}: seeding {count} followers of {idea_id}")
    seeded = seed_followers(notes, idea_id, count, mode, tag)
    maildir = os.environ.get("HUB_MAILDIR", "var/mail")
    mails_before = maildir_size(maildir)

    made = {"idea_id": idea_id, "kind": "status"}
    count += 1  # the author follows their idea
    started = time.monotonic()
    answered = requests.post(f"{gateway}/api/ideas/{idea_id}/status", timeout=30,
                             headers={"Authorization": f"Bearer {moderator}"},
                             json={"status": "accepted", "note": "Retenue par le banc."})
    answered.raise_for_status()
    answered_at = time.monotonic()
    first = None
    while (exist := db.notifications.count_documents(made)) < count:
        if exist and first is None:
            first = time.monotonic()
        if time.monotonic() - started > 600:
            break
        time.sleep(0.05)
    notified = time.monotonic()
    figures = {"mode": mode, "followers": count - 1, "seeded": seeded, "notifications": exist,
               "answer_s": answered_at - started, "first_s": (first or notified) - started,
               "all_s": notified - started}
    if mode == "never":
        return figures

    log(f"{mode}: {exist} notifications in {notified - started:.1f} s; waiting for the mails")
    last, moved, finished = -1, time.monotonic(), None
    while True:
        done = db.notifications.count_documents({**made, "mail": {"$in": [
            "sent", "failed", "skipped"]}})
        if done >= count:
            finished = time.monotonic() - started
            break
        if done != last:
            last, moved = done, time.monotonic()
        elif time.monotonic() - moved > STALLED:
            break
        time.sleep(1)
    stamps = sorted(doc["mailed_at"] for doc in db.notifications.find(
        {**made, "mail": "sent"}, {"mailed_at": True}))
    outcomes = defaultdict(int)
    for doc in db.notifications.find(made, {"mail": True}):
        outcomes[doc.get("mail")] += 1
    span = stamps[-1] - stamps[0] if len(stamps) > 1 else 0
    figures.update(mail=dict(outcomes), sent=len(stamps), mail_span_s=span,
                   mails_per_s=(len(stamps) - 1) / span if span else 0,
                   maildir_new=maildir_size(maildir) - mails_before,
                   all_mailed_s=finished)
    return figures


class Stopwatch:
    """Seconds spent in each wrapped callable, and how many calls."""

    def __init__(self):
        self.seconds, self.calls = defaultdict(float), defaultdict(int)

    def wrap(self, name, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started
                self.calls[name] += 1
        return timed

    def lines(self, total):
        return [f"    {name:<22} {self.seconds[name]:7.2f} s  {self.calls[name]:6d} calls  "
                f"{100 * self.seconds[name] / total:5.1f} %"
                for name in sorted(self.seconds, key=self.seconds.get, reverse=True)]


def parts(count):
    """Each step of the consumer's handler and of the mail sender, timed in this process on a
    scratch database with `count` followers. Returns the report's lines."""
    lines = []
    with scratch_hub("digest", ensure_indexes, OUTBOX) as hub:
        notes = NotificationStore(hub.db)
        idea_id, tag = f"bench-idea-{uuid.uuid4().hex[:6]}", uuid.uuid4().hex[:6]
        seed_followers(notes, idea_id, count, "immediate", tag)
        clock = Stopwatch()
        for name in ("followers", "preferences_of", "add"):
            setattr(notes, name, clock.wrap(name, getattr(notes, name)))
        notices = N.notices
        N.notices = clock.wrap("notices", notices)
        payload = {"idea_id": idea_id, "status": "accepted", "note": "Retenue.",
                   "previous_status": "submitted", "by": {"id": "moderator", "name": "M"},
                   "idea": {"title": "Une idée très suivie", "status": "accepted"}}
        envelope = {"id": uuid.uuid4().hex, "time": now_iso()}
        started = time.perf_counter()
        try:
            notification_handlers.on_idea_event("idea.status_changed", payload, envelope,
                                                notes)
        finally:
            N.notices = notices
        total = time.perf_counter() - started
        lines += [f"  consumer's handler, {count} followers: {total:.2f} s "
                  f"({count / total:.0f} notifications/s)", *clock.lines(total)]

        clock, notes = Stopwatch(), NotificationStore(hub.db)
        for name in ("claim_due", "people", "preferences_of", "mail_done"):
            setattr(notes, name, clock.wrap(name, getattr(notes, name)))
        mailer = jobs.Mailer(hub.config)
        mailer.send = clock.wrap("smtp send", mailer.send)
        saved = notification_mail.render, email.message
        notification_mail.render = clock.wrap("render", saved[0])
        email.message = clock.wrap("email.message", saved[1])
        started = time.perf_counter()
        try:
            with mailer:
                sent = notification_mail.send_due(notes, mailer, hub.config,
                                                  claimer="bench-parts")
        finally:
            notification_mail.render, email.message = saved
        total = time.perf_counter() - started
        lines += [f"  mail sender's loop, {count} due: {sent} sent in {total:.2f} s "
                  f"({sent / total:.0f} mails/s)", *clock.lines(total)]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--mail", nargs="+", default=["immediate", "never"],
                        choices=["immediate", "never"],
                        help="one run per mode: mail for status immediately, or never")
    parser.add_argument("--parts", type=int, default=0,
                        help="then time each step in this process with this many followers")
    args = parser.parse_args()
    config = load_config()
    client = pymongo.MongoClient(config.mongo_url)
    db = client[config.database_name("digest")]
    runs = [fan_out(config, db, args.followers, mode) for mode in args.mail]
    client.close()
    removed = forget_bench_mails(os.environ.get("HUB_MAILDIR", "var/mail"))
    print(f"Ideahub notification fan-out benchmark, {time.strftime('%Y-%m-%d %H:%M')}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    for run in runs:
        seeded = ", ".join(f"{k} {v:.1f} s" for k, v in run["seeded"].items())
        print(f"  mail {run['mode']:<9} {run['followers']} followers and the author (seeded: "
              f"{seeded})")
        print(f"    in the app   {run['notifications']} notifications; the answer took "
              f"{run['answer_s']:.2f} s; first after {run['first_s']:.1f} s, all after "
              f"{run['all_s']:.1f} s")
        if "mail" in run:
            print(f"    by mail      {run['sent']} sent at {run['mails_per_s']:.1f} mails/s "
                  f"(first to last {run['mail_span_s']:.1f} s; all recorded "
                  f"{run['all_mailed_s'] and round(run['all_mailed_s'], 1)} s after the "
                  f"answer); states {run['mail']}; Maildir +{run['maildir_new']} files")
    print(f"  ({removed} mails of the benchmark removed from the Maildir)")
    if args.parts:
        print("  parts, in this process, on a scratch database:")
        print("\n".join(parts(args.parts)))


if __name__ == "__main__":
    main()
