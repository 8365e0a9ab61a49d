"""HTTP route of the hub's figures (stats.py), for moderators and managers."""
from flask.views import MethodView

from shared.api import Blueprint, hub
from shared.auth import requires
from shared.events import now_iso
from services.ideas import stats
from services.ideas.stats_schemas import Stats, StatsArgs

blp = Blueprint("stats", __name__, url_prefix="/api/stats",
                description="Statistiques du hub (modération, responsables)")


@blp.route("")
class StatsView(MethodView):
    @requires("moderator", "manager")
    @blp.arguments(StatsArgs, location="query")
    @blp.response(200, Stats)
    @blp.doc(security=[{"bearer": []}])
    def get(self, query):
        """Les chiffres du hub : idées, soutiens, délais de réponse, services, étiquettes"""
        catalogue = hub().extra["ideas"].catalogue
        return stats.figures(catalogue.all(), now_iso(), unit=query.get("unit"),
                             campaign=query.get("campaign"), from_day=query.get("from_day"),
                             to_day=query.get("to_day"), spelling=catalogue.spelling)
