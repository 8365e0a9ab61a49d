"""A digest as an email: subject, plain text and HTML parts, and the headers that let a mail
client unsubscribe in one click (RFC 8058)."""
from datetime import datetime
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import escape

from shared import phases
from services.digest import links

STATUS_LABELS = {
    "fr": {"submitted": "proposée", "under_review": "à l'étude", "accepted": "retenue",
           "in_progress": "en cours", "implemented": "réalisée", "rejected": "non retenue",
           "duplicate": "fusionnée", "hidden": "masquée", "withdrawn": "retirée"},
    "en": {"submitted": "submitted", "under_review": "under review", "accepted": "accepted",
           "in_progress": "in progress", "implemented": "implemented", "rejected": "rejected",
           "duplicate": "merged", "hidden": "hidden", "withdrawn": "withdrawn"},
}

PHASE_LABELS = {
    "fr": phases.PHASE_NAMES,
    "en": {"upcoming": "upcoming", "proposals": "proposals", "supports": "supports",
           "evaluation": "evaluation", "results": "results"},
}
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")

_env = None


def templates():
    global _env
    if _env is None:
        # User text is escaped in the HTML part and left as typed in the text part.
        _env = Environment(loader=PackageLoader("services.digest", "templates"),
                           autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                           keep_trailing_newline=True)
    return _env


def subject(content, language):
    n = content["new_count"]
    if language == "en":
        figure = f"{n} new idea{'s' if n != 1 else ''}" if n else "answers and supports"
        return f"Ideahub — week {content['period']}: {figure}"
    figure = f"{n} nouvelle{'s' if n > 1 else ''} idée{'s' if n > 1 else ''}" if n \
        else "réponses et soutiens"
    return f"Ideahub — semaine {content['period']} : {figure}"


# Stands for a subscription's unsubscribe link in a digest rendered for many subscriptions.
_THEIRS = "https://ideahub.invalid/unsubscribe"


def render(content, subscription, config):
    """{subject, text, html, unsubscribe_url, one_click_url}: exactly what would be sent."""
    return personal(render_for_all(content, subscription.get("language", "fr"), config),
                    subscription, config)


def render_for_all(content, language, config):
    """The digest as every subscription of the same scope and language gets it, but for the
    unsubscribe link (`personal`): rendering is most of a digest's cost."""
    base = config.public_url.rstrip("/")
    context = {
        "d": content,
        "subject": subject(content, language),
        "link": lambda item: f"{base}/ideas/{item['id']}",
        "call_link": lambda call: f"{base}/appels/{call['id']}",
        "status": lambda s: STATUS_LABELS[language].get(s, s),
        "phase": lambda p: PHASE_LABELS[language].get(p, p),
        "until": lambda stamp: until(stamp, language),
        "manage_url": f"{base}/digest",
        "unsubscribe_url": _THEIRS,
    }
    env = templates()
    return {
        "subject": context["subject"],
        "text": env.get_template(f"digest.{language}.txt").render(context),
        "html": env.get_template(f"digest.{language}.html").render(context),
    }


def until(stamp, language):
    """When a call's phase ends, Paris time, as its moderators set it."""
    if language != "en":
        return f"jusqu'{phases.french_time(stamp, until=True)}"
    local = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(phases.PARIS)
    return (f"until {local.day} {MONTHS_EN[local.month - 1]} {local.year}, "
            f"{local.hour:02d}:{local.minute:02d} (Paris time)")


def personal(rendered, subscription, config):
    """A digest rendered for all with this subscription's own unsubscribe links: the page a
    person follows, in the text, and the one-click address for mail clients, in the headers."""
    token = links.unsubscribe_token(config, subscription)
    url = links.unsubscribe_page(config, token, subscription.get("language", "fr"))
    return {**rendered, "unsubscribe_url": url,
            "one_click_url": links.one_click_unsubscribe(config, token),
            "text": rendered["text"].replace(_THEIRS, url),
            "html": rendered["html"].replace(str(escape(_THEIRS)), str(escape(url)))}


class MailPolicy(EmailPolicy):
    """The standard policy, but List-Unsubscribe stays one line, as written: folding a URI
    longer than a line turns it into RFC 2047 encoded words, which no mail client reads as
    the address to POST to (RFC 8058). A line may hold 998 characters; ours hold ~250."""

    def fold(self, name, value):
        if name.lower() == "list-unsubscribe":
            return f"{name}: {value}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if name.lower() == "list-unsubscribe":
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


MAIL_POLICY = MailPolicy()


def message(rendered, subscription, message_id, config):
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["From"] = config.mail_from
    msg["To"] = subscription["email"]
    msg["Subject"] = rendered["subject"]
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id
    msg["List-Unsubscribe"] = f"<{rendered['one_click_url']}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(rendered["text"])
    msg.add_alternative(rendered["html"], subtype="html")
    return msg
