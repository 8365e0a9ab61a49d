"""The first web pages, served by the ideas service on the gateway's origin: the list of ideas
and an idea's page, in French, readable without JavaScript. User text is escaped by Jinja2's
autoescaping; the Content-Security-Policy allows no inline script."""
from flask import Blueprint, abort, render_template, request

from shared.api import hub
from services.ideas import domain, handlers
from services.ideas.lifecycle import LABELS

pages = Blueprint("pages", __name__, template_folder="templates", static_folder="static",
                  static_url_path="/static")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SORT_LABELS = {"trending": "Tendances", "top": "Les plus soutenues", "new": "Nouvelles",
               "discussed": "Les plus discutées"}


def store():
    return hub().extra["ideas"]


@pages.after_request
def security_headers(response):
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@pages.errorhandler(404)
def not_found(error):
    return render_template("not_found.html"), 404


@pages.app_template_filter("status_label")
def status_label(status):
    return LABELS.get(status, status)


@pages.route("/")
def home():
    sort = request.args.get("sort", "trending")
    if sort not in domain.SORTS:
        sort = "trending"
    page = handlers.list_ideas({"sort": sort, "limit": 20, "q": request.args.get("q") or None},
                               store())
    return render_template("home.html", ideas=page["items"], sort=sort, sorts=SORT_LABELS,
                           q=request.args.get("q", ""))


@pages.route("/ideas/<idea_id>")
def idea_page(idea_id):
    try:
        idea = handlers.get_idea(idea_id, store())
    except domain.IdeaNotFound:
        abort(404)
    if idea["status"] == "hidden":
        abort(404)
    comments = handlers.list_comments(idea_id, store())["items"]
    return render_template("idea.html", idea=idea, comments=comments)
