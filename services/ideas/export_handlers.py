"""Exports of ideas, as functions of their query and dependencies: each returns the file's
name, its media type and the generator of its bytes. The ideas are read as the generator
runs, a page at a time, in the list's order (new: newest first), so that memory stays
constant whatever their number."""
from services.ideas import domain, export_formats, exports, opendata

PAGE = 100  # ideas read in one round trip (`_id $in`)
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json",
               "ods": "application/vnd.oasis.opendocument.spreadsheet",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
WRITERS = {"csv": export_formats.csv_bytes, "ods": export_formats.ods_bytes,
           "xlsx": export_formats.xlsx_bytes}


def walk_ideas(store, accepts, sort="new", fields=exports.FIELDS, page=PAGE):
    """Every idea whose catalogue row `accepts(row)`, in `sort` order, as stored (with
    `fields`), read `page` at a time."""
    after = None
    while True:
        rows = store.catalogue.page(sort, after, accepts, page)
        if rows:
            yield from store.ideas_of([row.id for row in rows], fields)
        if len(rows) < page:
            return
        after = rows[-1].key(sort)


def call_titles(calls):
    """Call id -> title: a hub holds a few dozen calls, read once per export."""
    return {call["_id"]: call["title"] for call in calls.all()}


def export_ideas(query, me, store, calls, public_url, now):
    """GET /api/ideas/export: the ideas of the list's filter (`query`; `me`: the caller's id,
    for author=me) in `query["format"]`."""
    kind = query["format"]
    accepts = domain.list_filter(query, me)
    titles, url = call_titles(calls), idea_url(public_url)
    rows = (exports.export_row(idea, titles, url)
            for idea in walk_ideas(store, accepts, query["sort"]))
    header = [title for title, _ in exports.COLUMNS]
    return (exports.export_filename("idées", kind, now), MEDIA_TYPES[kind],
            WRITERS[kind](header, rows))


def export_open_data(kind, store, calls, now):
    """GET /api/ideas/opendata.csv|json: every idea, anonymised (opendata.py)."""
    titles = call_titles(calls)
    items = (opendata.open_item(idea, titles)
             for idea in walk_ideas(store, lambda row: True, "new"))
    if kind == "json":
        body = export_formats.json_bytes(opendata.document_head(now), items)
    else:
        body = export_formats.csv_bytes(list(opendata.NAMES),
                                        (opendata.open_row(item) for item in items),
                                        delimiter=",", bom=False)
    return exports.export_filename("idees-opendata", kind, now), MEDIA_TYPES[kind], body


def idea_url(public_url):
    base = public_url.rstrip("/")
    return lambda idea_id: f"{base}/ideas/{idea_id}"
