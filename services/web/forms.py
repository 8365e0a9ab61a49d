"""What the forms check before calling the API, in the reader's language, and how an API
refusal becomes errors shown beside the fields. The limits are the ideas API's (its 422 stays
the authority: anything it refuses that is not checked here is shown as it says)."""
from flask import flash, redirect, request
from flask_babel import format_number, gettext as _

from shared.text import clean, clean_line
from services.web.client import ApiError
from services.web.session import local_path

TITLE = (5, 140)
BODY = (10, 10000)
TAGS, TAG_LENGTH = 5, 40
COMMENT = 5000
NOTE = 2000
UNIT = 120  # a person's unit, as the people API keeps it
REASON = 1000  # a report's details, why a moderator hides or restores an idea
COMMENT_REASON = (3, 500)  # why a moderator hides a comment
# The same, for the templates' field attributes and hints.
LIMITS = {"title": TITLE, "body": BODY, "tags": TAGS, "tag": TAG_LENGTH, "comment": COMMENT,
          "note": NOTE, "reason": REASON}
# Refusals the person can act on; anything else (503...) is the error page's.
REFUSALS = (400, 404, 409, 413, 414, 422, 429)


def text(name, line=False):
    """A field as the API will keep it (shared.text: NFC, Unix line breaks, no control
    characters; `line`: on one line), so that its length is counted as the API counts it."""
    value = request.form.get(name, "")
    return clean_line(value) if line else clean(value)


def length(errors, name, value, bounds, label):
    low, high = bounds
    if not low <= len(value) <= high:
        errors[name] = [_("%(label)s : entre %(low)s et %(high)s caractères (%(count)s saisis).",
                          label=label, low=format_number(low), high=format_number(high),
                          count=format_number(len(value)))]


def split_tags(value):
    return [tag.strip() for tag in value.split(",") if tag.strip()]


def check_idea(title, body, tags):
    errors = {}
    length(errors, "title", title, TITLE, _("Titre"))
    length(errors, "body", body, BODY, _("Description"))
    if len(tags) > TAGS or any(len(tag) > TAG_LENGTH for tag in tags):
        errors["tags"] = [_("Au plus %(n)s mots-clés de %(length)s caractères chacun, séparés "
                            "par des virgules.", n=TAGS, length=TAG_LENGTH)]
    return errors


def refused(error, fields):
    """{field: [messages]} from an API refusal; what no field of the form explains goes under
    "form". Raises again what the person cannot act on."""
    if error.status not in REFUSALS:
        raise error
    errors = {}
    for field, messages in error.errors.items():
        messages = messages if isinstance(messages, list) else [str(messages)]
        errors.setdefault(field if field in fields else "form", []).extend(map(str, messages))
    if not errors or error.status != 422:
        errors.setdefault("form", []).insert(0, error.message)
    return errors


def message(error):
    """A refusal in one sentence, for a flash: the API's messages, not its pointer to them."""
    return " ".join(refused(error, ())["form"])


def back(default):
    """303 to the page the form came from (its `next` field), if it is on this site."""
    return redirect(local_path(request.form.get("next"), default), 303)


def attempt(action, done, default):
    """Run an API `action` for a one-button form: flash `done` or the refusal, then go back."""
    try:
        action()
    except ApiError as error:
        if error.status not in REFUSALS:
            raise
        flash(message(error), "error")
    else:
        flash(done, "info")
    return back(default)
