"""HTTP routes of ideas carried out: appoint an owner, publish progress, a call's results.
Their refusals become HTTP errors here and only here."""
from flask.views import MethodView
from flask_smorest import abort

from shared.api import Blueprint, hub
from shared.auth import current_identity, requires, requires_reader
from shared.events import now_iso
from services.ideas import implementation_handlers as handlers
from services.ideas.api import act
from services.ideas.campaign_schemas import CAMPAIGN_ID
from services.ideas.campaigns import CampaignNotFound
from services.ideas.implementation import NotAllowed
from services.ideas.implementation_schemas import ImplementationIn, ProgressIn, Results
from services.ideas.schemas import IDEA_ID, IdeaOut

blp = Blueprint("implementation", __name__, url_prefix="/api", description="Mise en œuvre",
                path_examples={"idea_id": IDEA_ID, "campaign_id": CAMPAIGN_ID})


def stores():
    return hub().extra["ideas"], hub().extra["campaigns"]


def allowed(action):
    """A refusal of who may act (403), beside the idea's own refusals (ideas.api.act)."""
    def run():
        try:
            return action()
        except NotAllowed as refused:
            abort(403, message=str(refused))
    return act(run)


@blp.route("/ideas/<idea_id>/implementation")
class Implementation(MethodView):
    @requires("agent", "moderator")
    @blp.arguments(ImplementationIn)
    @blp.response(200, IdeaOut)
    @blp.doc(security=[{"bearer": []}])
    def put(self, cmd, idea_id):
        """Désigner qui met en œuvre une idée retenue, et pour quand (modérateurs,
        responsables de l'appel)"""
        me = current_identity()
        cmd = {**cmd, "target_date": cmd["target_date"].isoformat()}
        return allowed(lambda: handlers.set_implementation(
            idea_id, cmd, me.person, me.has("moderator"), *stores(), now_iso()))


@blp.route("/ideas/<idea_id>/progress")
class Progress(MethodView):
    @requires("agent", "moderator")
    @blp.arguments(ProgressIn)
    @blp.response(200, IdeaOut)
    @blp.doc(security=[{"bearer": []}])
    def post(self, cmd, idea_id):
        """Publier l'avancement d'une idée : une étape, un pourcentage, quelques mots (la
        même mise à jour envoyée deux fois dans la minute n'en fait qu'une)"""
        me = current_identity()
        return allowed(lambda: handlers.report_progress(
            idea_id, cmd, me.person, me.has("moderator"), *stores(), hub().publisher.publish,
            now_iso()))


@blp.route("/campaigns/<campaign_id>/results")
class CallResults(MethodView):
    @requires_reader
    @blp.response(200, Results)
    def get(self, campaign_id):
        """Les idées retenues d'un appel et où en est chacune"""
        try:
            return handlers.list_results(campaign_id, *stores(), now_iso())
        except CampaignNotFound:
            abort(404, message="Appel à idées introuvable.")
