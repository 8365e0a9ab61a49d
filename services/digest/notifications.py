"""Notifications: who hears what of the ideas they follow, decided from the hub's events.

Pure functions; services.digest.notification_store keeps what they decide. Each notification
is made for one (event, person): its `_id` is built from both, so a redelivered or replayed
event makes nothing new (and a support milestone, from the idea and the milestone).
"""
import re
from datetime import date, datetime, time, timedelta, timezone

from shared.tally import person_key
from shared.text import fold
from services.digest.periods import PARIS, bounds, period_of

# What a person may hear, and how each kind comes by mail unless they choose otherwise.
KINDS = ("status", "comment", "reply", "mention", "merge", "withdrawn", "milestone",
         "progress", "hidden")
MODES = ("immediate", "daily", "weekly", "never")
# An implementation update comes at once: they are few (weeks apart), and hearing nothing of
# an accepted idea's fate is what its followers complained of.
DEFAULT_MAIL = {"status": "immediate", "comment": "daily", "reply": "immediate",
                "mention": "immediate", "merge": "immediate", "withdrawn": "daily",
                "milestone": "weekly", "progress": "immediate", "hidden": "immediate"}
DEFAULT_PREFERENCES = {"mail": DEFAULT_MAIL, "follow_on_support": True,
                       "follow_on_comment": True, "language": "fr"}
# Supports that make an author hear of their idea's progress: 1, 10, 50, 100, 500, 1000...
MILESTONES = (1, 10, 50, 100, 500, 1000, 5000, 10000)
# A comment's text, as much as a notification shows of it.
EXCERPT = 280
# "@Agnès", "@Agnès Müller", "@agnes.muller": up to three words after the @.
_MENTION = re.compile(r"(?<![\w@])@([^\W\d_][\w.'’-]*(?:[ \u00a0][^\W\d_][\w'’-]*){0,2})")


def preferences(saved):
    """A person's preferences, the defaults filling what they never chose."""
    saved = saved or {}
    return {**DEFAULT_PREFERENCES, **{k: v for k, v in saved.items() if k in DEFAULT_PREFERENCES},
            "mail": {**DEFAULT_MAIL, **(saved.get("mail") or {})}}


def notification_id(cause, person_id):
    return f"{cause}:{person_key(person_id)}"


def milestone_reached(count):
    """The highest milestone `count` supports reach, or None: an idea that jumps from 9 to 11
    tells 10 once, and one that falls back and climbs again tells nothing twice."""
    reached = [m for m in MILESTONES if m <= count]
    return reached[-1] if reached else None


def excerpt(text):
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[:EXCERPT - 1].rstrip() + "…"


def mention_keys(text):
    """The folded words after each @ of `text`: the candidates services.digest resolves to
    people (one to three words: "@Agnès", "@Agnès Müller", "@agnes.muller")."""
    found = []
    for match in _MENTION.finditer(text or ""):
        words = fold(match.group(1)).replace("’", "'").split()
        found.append([w.strip(".'-") for w in words if w.strip(".'-")])
    return [words for words in found if words]


def person_keys(name, email):
    """How a person can be mentioned: the folded first word of their name, and their address
    before the @ ("agnes.muller")."""
    words = fold(name).split()
    return {"name_key": " ".join(words), "first_key": words[0] if words else "",
            "local_key": fold(email.partition("@")[0]) if email else ""}


def resolve_mentions(mentions, candidates):
    """The ids of the people `mentions` (from mention_keys) name, among `candidates` (people
    with their keys). The longest full name wins ("@Agnès Müller" over "@Agnès"); a first
    name alone names someone only if no one else has it; an address's local part names
    its holder."""
    named = set()
    for words in mentions:
        for n in range(len(words), 0, -1):
            typed = " ".join(words[:n])
            exact = [p for p in candidates if p["name_key"] == typed or
                     (n == 1 and p.get("local_key") == typed)]
            if not exact and n == 1:
                exact = [p for p in candidates if p["first_key"] == typed]
            if len(exact) == 1:
                named.add(exact[0]["_id"])
                break
    return named


def follow_id(idea_id, person_id):
    return f"{idea_id}:{person_key(person_id)}"


def follow(idea_id, person_id, how, since, following=True):
    return {"_id": follow_id(idea_id, person_id), "idea_id": idea_id,
            "person_id": person_id, "following": following, "how": how, "since": since}


def notices(name, payload, envelope, followers, mentioned=()):
    """The notifications an idea or comment event makes: {person id: notification}. At most
    one per person: a mention or a reply says more than "a new comment"; no one hears of
    their own act. `followers`: ids of the people following the idea when it happened."""
    idea = payload["idea"]
    base = {"at": envelope["time"], "idea_id": payload["idea_id"], "idea_title": idea["title"],
            "read": False, "idea_hidden": idea["status"] == "hidden", "comment_hidden": False}
    made = {}
    if name == "idea.status_changed":
        for person in followers:
            made[person] = {**base, "kind": "status", "actor": payload["by"],
                            "status": payload["status"], "note": payload["note"]}
    elif name in ("idea.merged", "idea.unmerged"):
        # An unmerge names no title for the idea it leaves: the notice does without it.
        merged = name == "idea.merged"
        into = {"id": payload["into"], "title": payload["into_title"]} if merged else None
        for person in followers:
            made[person] = {**base, "kind": "merge", "actor": payload["by"], "merged": merged,
                            "into": into}
    elif name == "idea.withdrawn":
        for person in followers:
            made[person] = {**base, "kind": "withdrawn", "actor": payload["by"]}
    elif name == "idea.progress_updated":
        # Its author hears of it even without following: what became of an accepted idea is
        # what an author most wants to know.
        progress = {k: payload[k] for k in ("milestone", "percent", "update")}
        for person in {*followers, idea["author"]["id"]}:
            made[person] = {**base, "kind": "progress", "actor": payload["by"],
                            "progress": progress, "excerpt": excerpt(payload["update"])}
    elif name == "idea.hidden":
        # Its author hears why, followers or not: a hidden idea leaves every list, and its
        # author would otherwise find it gone without a word. This notice is the one about
        # the idea that stays visible while it is hidden (NotificationStore.hide).
        made[idea["author"]["id"]] = {**base, "kind": "hidden", "actor": payload["by"],
                                      "note": payload.get("reason") or "",
                                      "confirmed": bool(payload.get("confirmed")),
                                      "idea_hidden": False}
    elif name == "comment.added":
        comment = {**base, "actor": payload["author"], "comment_id": payload["comment_id"],
                   "excerpt": excerpt(payload.get("body") or "")}
        for person in followers:
            made[person] = {**comment, "kind": "comment"}
        parent_author = (payload.get("parent_author") or {}).get("id")
        if parent_author:
            made[parent_author] = {**comment, "kind": "reply"}
        for person in mentioned:
            made[person] = {**comment, "kind": "mention"}
    actor = (made and next(iter(made.values())).get("actor")) or {}
    made.pop(actor.get("id"), None)
    return {person: {**notice, "_id": notification_id(envelope["id"], person),
                     "person_id": person} for person, notice in made.items()}


def milestone_notice(idea_id, idea, count, at):
    """The author's notification that their idea reached a milestone, or None. `idea`: the
    idea's snapshot as the digest's view keeps it (services.digest.store)."""
    reached = milestone_reached(count)
    author = (idea.get("author") or {}).get("id")
    if reached is None or not author:
        return None
    return {"_id": notification_id(f"milestone:{idea_id}:{reached}", author),
            "person_id": author, "kind": "milestone", "milestone": reached, "at": at,
            "idea_id": idea_id, "idea_title": idea["title"], "actor": None, "read": False,
            "idea_hidden": idea.get("status") == "hidden", "comment_hidden": False}


def mail_channel(kind, prefs):
    """How a notification of `kind` goes by mail, decided when it is made: "due" (sent within
    seconds), "daily", "weekly", or None."""
    mode = preferences(prefs)["mail"][kind]
    return {"immediate": "due", "daily": "daily", "weekly": "weekly"}.get(mode)


def visible(notice):
    return not notice.get("idea_hidden") and not notice.get("comment_hidden")


def link(notice):
    """Where the notification leads, in the pages: the comment's anchor when there is one."""
    anchor = f"#commentaire-{notice['comment_id']}" if notice.get("comment_id") else ""
    return f"/ideas/{notice['idea_id']}{anchor}"


def item(notice):
    """A notification as the API shows it."""
    return {"id": notice["_id"], "kind": notice["kind"], "at": notice["at"],
            "read": notice["read"], "idea": {"id": notice["idea_id"],
                                             "title": notice["idea_title"]},
            "actor": notice.get("actor"), "comment_id": notice.get("comment_id"),
            "excerpt": notice.get("excerpt"), "status": notice.get("status"),
            "note": notice.get("note"), "milestone": notice.get("milestone"),
            "into": notice.get("into"), "merged": notice.get("merged"),
            "progress": notice.get("progress"), "link": link(notice)}


# Summaries: a daily one covers a day in Paris, a weekly one an ISO week in Paris, and each
# goes out the next morning.
SUMMARY_HOUR = 7


def day_bounds(day):
    """[start, end) of a Paris day ("2026-12-01") in UTC; a day with a clock change lasts 23
    or 25 hours."""
    start = datetime.combine(date.fromisoformat(day), time(0), PARIS)
    end = datetime.combine(date.fromisoformat(day) + timedelta(days=1), time(0), PARIS)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def summaries_due(now):
    """The summaries whose period has ended and whose morning has come at `now`:
    [("daily", "2026-11-30"), ("weekly", "2026-W48")]."""
    local = now.astimezone(PARIS)
    yesterday = local.date() - timedelta(days=1)
    if local.hour < SUMMARY_HOUR:
        yesterday -= timedelta(days=1)
    last_week_day = local.date() - timedelta(days=local.weekday() + 1)
    if local.weekday() == 0 and local.hour < SUMMARY_HOUR:
        last_week_day -= timedelta(days=7)
    return [("daily", yesterday.isoformat()), ("weekly", period_of(
        datetime.combine(last_week_day, time(12), PARIS)))]


def summary_bounds(frequency, period):
    return day_bounds(period) if frequency == "daily" else bounds(period)
