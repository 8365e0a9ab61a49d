"""The one way the pages list ideas (the home page's list, a call's): sorts, filters, the
result count and pagination, with the signed-in agent's supports marked."""
from flask import request, session, url_for
from flask_babel import format_number, gettext as _

from shared.text import clean_line, fold
from services.web import forms
from services.web.client import ApiError
from services.web.i18n import SORT_LABELS, STATUS_LABELS
from services.web.session import api, has

PAGE_SIZE = 20
FILTERS = ("status", "tag", "unit", "q")
# The count the votes service gave after a support, shown on the next page even if the
# ideas service's count (updated from the vote's event) is a moment behind.
FRESH = "fresh_counts"


def supported_ids():
    if not has("agent"):
        return set()
    return {item["idea_id"] for item in api().my_supports()}


def with_fresh_counts(ideas):
    fresh = session.pop(FRESH, {})
    for idea in ideas:
        if idea["id"] in fresh:
            idea["vote_count"] = fresh[idea["id"]]
    return ideas


def idea_listing(endpoint, url_args=None, **only):
    """The one way of listing ideas (the home page's, a call's): sort, filters, result count
    and pagination, as a template's context. `endpoint` and `url_args` make the list's links;
    `only`: what the list is always narrowed to (a call's ideas: campaign=<id>)."""
    url_args = url_args or {}
    sort = request.args.get("sort", "trending")
    sort = sort if sort in SORT_LABELS else "trending"
    filters = {name: clean_line(request.args.get(name, "")) for name in FILTERS}
    cursor = request.args.get("cursor") or None
    error = None
    try:
        page = api().list_ideas(sort=sort, limit=PAGE_SIZE, cursor=cursor, **filters, **only)
    except ApiError as refusal:
        if refusal.status not in (400, 403, 422):
            raise
        page, error = {"items": [], "next_cursor": None}, forms.message(refusal)
    statuses = {k: v for k, v in STATUS_LABELS.items() if k != "hidden" or has("moderator")}
    chosen = {k: v for k, v in filters.items() if v}

    def page_link(at):
        return url_for(endpoint, **url_args, sort=sort, **({"cursor": at} if at else {}),
                       **chosen)
    # Any page after the first has a previous one: the first when the API gives no cursor.
    return dict(ideas=with_fresh_counts(page["items"]), sort=sort, sorts=SORT_LABELS,
                statuses=statuses, filters=filters,
                facets=filter_choices(filters, only.get("campaign")),
                total=page.get("total", 0), supported=supported_ids(), error=error,
                list_url=url_for(endpoint, **url_args),
                next_page=page.get("next_cursor") and page_link(page["next_cursor"]),
                previous_page=cursor and page_link(page.get("prev_cursor")))


def filter_choices(filters, campaign=None):
    """The units and tags in use (in a call's ideas, for its page) as the menus offer them,
    "name (count)", after "Tous": {"unit"|"tag": {"options": [(value, label)], "chosen"}}. One
    no longer in use (an old link) stays offered, so the form shows what the list is filtered
    by."""
    facets = api().idea_facets(campaign)
    menus = {}
    for name, plural in (("unit", "units"), ("tag", "tags")):
        wanted, options, chosen = filters[name], [("", _("Tous"))], ""
        for choice in facets[plural]:
            options.append((choice[name], f"{choice[name]} ({format_number(choice['count'])})"))
            if wanted and fold(choice[name]) == fold(wanted) and not chosen:
                chosen = choice[name]
        if wanted and not chosen:
            options.insert(1, (wanted, f"{wanted} ({format_number(0)})"))
            chosen = wanted
        menus[name] = {"options": options, "chosen": chosen}
    return menus
