"""HTTP routes of the ideas service; domain errors become HTTP errors here and only here."""
from flask.views import MethodView
from flask_smorest import abort

from shared.api import Blueprint, hub
from shared.auth import current_identity, requires
from shared.events import now_iso
from services.ideas import handlers
from services.ideas.domain import IdeaNotFound
from services.ideas.schemas import IdeaIn, IdeaListArgs, IdeaOut, IdeaPage

blp = Blueprint("ideas", __name__, url_prefix="/api/ideas", description="Idées")


def store():
    return hub().extra["ideas"]


@blp.route("")
class Ideas(MethodView):
    @blp.arguments(IdeaListArgs, location="query")
    @blp.response(200, IdeaPage)
    def get(self, query):
        """Lister les idées"""
        return handlers.list_ideas(query, store())

    @requires("agent")
    @blp.arguments(IdeaIn)
    @blp.response(201, IdeaOut)
    @blp.doc(security=[{"bearer": []}])
    def post(self, cmd):
        """Proposer une idée"""
        me = current_identity()
        return handlers.submit_idea(cmd, me.person, me.unit, store(), hub().publisher.publish,
                                    now_iso())


@blp.route("/<idea_id>")
class Idea(MethodView):
    @blp.response(200, IdeaOut)
    def get(self, idea_id):
        """Lire une idée"""
        try:
            return handlers.get_idea(idea_id, store())
        except IdeaNotFound:
            abort(404, message="Idée introuvable.")
