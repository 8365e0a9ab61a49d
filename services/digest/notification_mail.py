"""Notifications by mail: each one within seconds, or gathered in a daily or weekly summary,
as each person chose per kind.

A notification due by mail is taken by one sender (NotificationStore.claim_due), sent, then
marked: a sender killed in between leaves it taken, and its restart gives it back
(release_claims); the resend carries the same Message-ID, so it is recognisable downstream.
A summary is claimed by inserting its (person, frequency, period) record before it is built,
so two senders or a retry never send it twice. Nothing hidden is mailed, nor a kind the person
has turned off since.
"""
import hashlib
import logging
import smtplib
import socket
import time
from datetime import datetime, timezone

from shared.events import iso
from services.digest import email, links, notifications as N
from services.digest.periods import PARIS

log = logging.getLogger(__name__)

# One sender per host (the digest consumer's process): the name its claims carry.
CLAIMER = f"notifications@{socket.gethostname()}"
MONTHS = {"fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre"),
          "en": ("January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December")}
KIND_NAMES = {
    "fr": {"status": "les réponses apportées aux idées", "comment": "les nouveaux commentaires",
           "reply": "les réponses à vos commentaires", "mention": "les mentions de votre nom",
           "merge": "les fusions d'idées", "withdrawn": "les idées retirées",
           "milestone": "les paliers de soutiens de vos idées",
           "progress": "l'avancement des idées mises en œuvre",
           "hidden": "le masquage de vos idées"},
    "en": {"status": "answers to ideas", "comment": "new comments",
           "reply": "replies to your comments", "mention": "mentions of your name",
           "merge": "merged ideas", "withdrawn": "withdrawn ideas",
           "milestone": "support milestones of your ideas",
           "progress": "progress of ideas being carried out",
           "hidden": "your ideas being hidden"},
}


def sentence(notice, language="fr"):
    """What happened, in one sentence (plain text: the HTML template escapes it)."""
    who = (notice.get("actor") or {}).get("name") or ("Someone" if language == "en"
                                                       else "Quelqu'un")
    title = notice["idea_title"]
    status = email.STATUS_LABELS[language].get(notice.get("status"), notice.get("status"))
    into = (notice.get("into") or {}).get("title") or ""
    progress = notice.get("progress") or {}
    step, percent = progress.get("milestone", ""), progress.get("percent", 0)
    reason = notice.get("note") or ""
    if language == "en":
        return {
            "status": f"“{title}” is now {status}",
            "comment": f"{who} commented on “{title}”",
            "reply": f"{who} replied to your comment on “{title}”",
            "mention": f"{who} mentioned you on “{title}”",
            "merge": (f"“{title}” was merged into “{into}”: its supports followed it"
                      if notice.get("merged") else
                      f"“{title}” is no longer merged: its supports are back on it"),
            "withdrawn": f"“{title}” was withdrawn by its author",
            "milestone": f"Your idea “{title}” reached {notice.get('milestone')} "
                         f"support{'s' if notice.get('milestone') != 1 else ''}",
            "progress": f"“{title}” moves on: {step} ({percent}\u00a0%)",
            "hidden": f"Your idea “{title}” was hidden by the moderators: {reason}",
        }[notice["kind"]]
    return {
        "status": f"« {title} » est désormais {status}",
        "comment": f"{who} a commenté « {title} »",
        "reply": f"{who} a répondu à votre commentaire sur « {title} »",
        "mention": f"{who} vous a mentionné sur « {title} »",
        "merge": (f"« {title} » a été fusionnée dans « {into} » : ses soutiens l'ont suivie"
                  if notice.get("merged") else
                  f"« {title} » n'est plus fusionnée : ses soutiens lui reviennent"),
        "withdrawn": f"« {title} » a été retirée par son auteur",
        "milestone": f"Votre idée « {title} » a atteint {notice.get('milestone')} "
                     f"soutien{'s' if notice.get('milestone', 0) > 1 else ''}",
        "progress": f"« {title} » avance : {step} ({percent}\u00a0%)",
        "hidden": f"Votre idée « {title} » a été masquée par la modération : {reason}",
    }[notice["kind"]]


def when(at, language="fr"):
    """"le 1er décembre 2026 à 14 h 16", in Paris."""
    moment = datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(PARIS)
    month = MONTHS[language][moment.month - 1]
    if language == "en":
        return f"{month} {moment.day}, {moment.year} at {moment:%H:%M}"
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"le {day} {month} {moment.year} à {moment.hour} h {moment:%M}"


def subject(notices, language, frequency=None, period=None):
    if frequency is None:
        return f"Ideahub — {sentence(notices[0], language)}"
    n = len(notices)
    if language == "en":
        span = f"week {period}" if frequency == "weekly" else _day(period, "en")
        return f"Ideahub — {n} notification{'s' if n != 1 else ''}, {span}"
    span = f"semaine {period}" if frequency == "weekly" else _day(period, "fr")
    return f"Ideahub — {n} notification{'s' if n > 1 else ''}, {span}"


def _day(day, language):
    """"2026-12-01" as "1er décembre 2026" or "December 1, 2026"."""
    year, month, date = (int(part) for part in day.split("-"))
    if language == "en":
        return f"{MONTHS['en'][month - 1]} {date}, {year}"
    return f"{'1er' if date == 1 else date} {MONTHS['fr'][month - 1]} {year}"


def render(notices, person, config, frequency=None, period=None):
    """{subject, text, html, one_click_url}: what `person` ({_id, email, language}) gets."""
    language = person.get("language", "fr")
    base = config.public_url.rstrip("/")
    kinds = sorted({n["kind"] for n in notices})
    token = links.notification_unsubscribe_token(config, person["_id"], kinds)
    context = {
        "items": [{"sentence": sentence(n, language), "when": when(n["at"], language),
                   "link": base + N.link(n), "note": n.get("note") or "",
                   "excerpt": n.get("excerpt") or ""} for n in notices],
        "summary": frequency,
        "period": period if frequency != "daily" else _day(period, language),
        "subject": subject(notices, language, frequency, period),
        "preferences_url": f"{base}/notifications/preferences",
        "unsubscribe_url": links.notification_unsubscribe_page(config, token, language),
        "kinds": ", ".join(KIND_NAMES[language][k] for k in kinds),
    }
    env = email.templates()
    return {"subject": context["subject"],
            "text": env.get_template(f"notifications.{language}.txt").render(context),
            "html": env.get_template(f"notifications.{language}.html").render(context),
            "one_click_url": links.notification_one_click(config, token)}


def message_id(key, domain="ideahub.local"):
    """The same Message-ID for the same notification or summary: a resend is recognisable."""
    return f"<notification.{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def send_due(notes, mailer, config, claimer=CLAIMER):
    """Mail the notifications due now; how many were sent. When SMTP is away, what was taken
    is given back, due again, for the next round."""
    sent = 0
    while (taken := notes.claim_due(claimer)):
        people = notes.people({n["person_id"] for n in taken})
        prefs = notes.preferences_of({n["person_id"] for n in taken})
        for n, notice in enumerate(taken):
            person = people.get(notice["person_id"]) or {}
            wanted = prefs[notice["person_id"]]
            if not (N.visible(notice) and wanted["mail"][notice["kind"]] != "never"):
                notes.mail_done(notice["_id"], "skipped", claimer)
                continue
            if not person.get("email"):
                # Their address comes with person.joined, on another topic, which may be read
                # after this: the notification waits for it (NotificationStore.know_person).
                notes.mail_done(notice["_id"], "no_address", claimer)
                continue
            rendered = render([notice], {**person, "language": wanted["language"]}, config)
            outcome = _send(mailer, email.message(rendered, person, message_id(notice["_id"]),
                                                  config))
            notes.mail_done(notice["_id"], outcome, claimer)
            if outcome == "due":
                for left in taken[n + 1:]:
                    notes.mail_done(left["_id"], "due", claimer)
                return sent
            sent += outcome == "sent"
    return sent


def _send(mailer, message):
    """"sent"; "failed" when this message can never go (an address the server refuses, or
    one it cannot carry); "due" when SMTP is away (tried again later)."""
    try:
        mailer.send(message)
        return "sent"
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPNotSupportedError, UnicodeError) as error:
        log.warning("notification mail refused for good: %s", error)
        return "failed"
    except (OSError, smtplib.SMTPException) as error:
        log.warning("notification mail not sent, tried again later: %s", error)
        return "due"


def send_summaries(now, notes, mailer, config, finished=None):
    """The daily and weekly summaries whose period ended and whose morning came: each
    (person, frequency, period) once. `finished`: the (frequency, period) this process has
    sent in full, not looked at again (a scan on the embedded engine); those sent in full now
    are added to it. Returns how many were sent."""
    sent = 0
    finished = set() if finished is None else finished
    for frequency, period in N.summaries_due(now):
        if (frequency, period) in finished:
            continue
        start, end = N.summary_bounds(frequency, period)
        gathered = notes.for_summary(frequency, iso(start), iso(end))
        people = notes.people(gathered)
        prefs = notes.preferences_of(gathered)
        complete = True
        for person_id, found in gathered.items():
            wanted = prefs[person_id]
            found = [n for n in found if wanted["mail"][n["kind"]] != "never"]
            person = people.get(person_id) or {}
            if not found or not person.get("email") or \
                    not notes.claim_summary(person_id, frequency, period):
                continue
            rendered = render(found, {**person, "language": wanted["language"]}, config,
                              frequency, period)
            key = f"{person_id}:{frequency}:{period}"
            outcome = _send(mailer, email.message(rendered, person, message_id(key), config))
            # SMTP away: "failed", taken up again at the next round; refused for good: kept.
            notes.summary_done(person_id, frequency, period,
                               {"sent": "sent", "failed": "refused", "due": "failed"}[outcome])
            sent += outcome == "sent"
            complete = complete and outcome != "due"
        if complete:
            finished.add((frequency, period))
    return sent


# Without a word from the consumer beside it, the sender still looks this often: for what
# another process made, and what SMTP refused for a while.
SWEEP = 30.0


def run_sender(stopping, notes, mailer, config, every=1.0, summaries_every=60.0):
    """At most every `every` seconds, the notifications due, when the consumer made some (or
    every SWEEP seconds); every `summaries_every` seconds, the summaries."""
    notes.release_claims(CLAIMER)
    last_sweep = last_summaries = None
    finished = set()
    while not stopping.is_set():
        try:
            with mailer:
                if notes.mail_due.is_set() or last_sweep is None \
                        or time.monotonic() - last_sweep >= SWEEP:
                    notes.mail_due.clear()
                    last_sweep = time.monotonic()
                    if send_due(notes, mailer, config):
                        log.info("sent notification mails")
                if last_summaries is None or time.monotonic() - last_summaries >= summaries_every:
                    last_summaries = time.monotonic()
                    send_summaries(datetime.now(timezone.utc), notes, mailer, config, finished)
        except Exception:  # the database or SMTP away: the next round tries again
            log.exception("notification mail round failed")
            notes.mail_due.set()
        stopping.wait(every)
