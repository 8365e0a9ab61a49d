"""Downloads for the pages: an export of the list as shown (its filters) for moderators and
managers, and the open data for anyone who reads the hub. The browser holds no API token: the
page asks the API as the signed-in person and passes the file through as it streams."""
from flask import Blueprint, Response, request, stream_with_context

from services.web.listing import FILTERS
from services.web.session import api, readable, requires

bp = Blueprint("exports", __name__)

FORMATS = ("csv", "ods", "xlsx")  # the order the page offers them in
PASSED = ("Content-Type", "Content-Disposition", "Cache-Control")


@bp.app_template_global()
def export_args(filters, sort=None):
    """The query of the export of a list filtered by `filters` (empty ones left out)."""
    return {**{k: v for k, v in filters.items() if v}, **({"sort": sort} if sort else {})}


def passed_through(upstream):
    def body():
        with upstream:
            yield from upstream.iter_content(64 * 1024)
    return Response(stream_with_context(body()), status=200,
                    headers={name: upstream.headers[name] for name in PASSED
                             if name in upstream.headers})


@bp.get("/exporter/<any(csv, ods, xlsx):kind>")
@requires("moderator", "manager")
def export(kind):
    query = {name: request.args[name] for name in (*FILTERS, "sort") if request.args.get(name)}
    return passed_through(api().download("/api/ideas/export", {**query, "format": kind}))


@bp.get("/donnees-ouvertes/idees.<any(csv, json):kind>")
@readable
def open_data(kind):
    return passed_through(api().download(f"/api/ideas/opendata.{kind}"))
