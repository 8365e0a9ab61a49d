"""HTTP route of the hub's figures (stats.py), for moderators and managers."""
import time

from flask.views import MethodView

from shared.api import Blueprint, hub
from shared.auth import requires
from shared.events import now_iso
from services.ideas import stats
from services.ideas.stats_schemas import Stats, StatsArgs

blp = Blueprint("stats", __name__, url_prefix="/api/stats",
                description="Statistiques du hub (modération, responsables)")

# Figures over every idea of a large hub take most of a second (bench/README.md): a result is
# kept ten times as long as it took, a minute at most, so that they cost a tenth of a core at
# most however often they are asked, and a small hub's (a few ms) are always fresh.
KEEP_FOR, KEEP_AT_MOST, KEPT_AT_MOST = 10, 60.0, 256


@blp.route("")
class StatsView(MethodView):
    @requires("moderator", "manager")
    @blp.arguments(StatsArgs, location="query")
    @blp.response(200, Stats)
    @blp.doc(security=[{"bearer": []}])
    def get(self, query):
        """Les chiffres du hub : idées, soutiens, délais de réponse, services, étiquettes"""
        catalogue = hub().extra["ideas"].catalogue
        return cached(tuple(sorted(query.items())), lambda: stats.figures(
            catalogue.all(), now_iso(), unit=query.get("unit"), campaign=query.get("campaign"),
            from_day=query.get("from_day"), to_day=query.get("to_day"),
            spelling=catalogue.spelling, weeks=catalogue.support_weeks))


def cached(key, compute):
    kept = hub().extra.setdefault("stats_kept", {})
    started = time.monotonic()
    found = kept.get(key)
    if found is not None and found[0] > started:
        return found[1]
    figures = compute()
    took = time.monotonic() - started
    if len(kept) >= KEPT_AT_MOST:
        kept.clear()
    kept[key] = (started + min(KEEP_AT_MOST, KEEP_FOR * took), figures)
    return figures
