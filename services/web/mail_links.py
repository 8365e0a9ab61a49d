"""The pages the links of the hub's mails lead to (the digest's, the notifications'), open to
whoever holds the link: its signed token is the proof, checked by the API. Opening the page
changes nothing, its button does: a mail scanner following links unsubscribes or confirms no
one."""
from flask import render_template, request

from services.web.client import ApiError


def link_page(template, follow):
    """The page asks (GET), then says it is done (POST); a forged, expired or outdated link
    gets a page that says what to do instead."""
    token = request.values.get("token", "").strip()
    if not token:
        return render_template(template, state="invalid"), 404
    if request.method == "GET":
        return render_template(template, token=token, state="ask")
    try:
        follow(token)
    except ApiError as error:
        if error.status not in (404, 422):
            raise
        return render_template(template, state="invalid"), 404
    return render_template(template, state="done")
