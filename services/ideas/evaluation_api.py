"""HTTP routes of the evaluation of a call's ideas; its refusals become HTTP errors here and
only here. Scores and notes are served by these routes alone, never with an idea."""
from flask.views import MethodView
from flask_smorest import abort

from shared.api import Blueprint, hub
from shared.auth import current_identity, requires
from shared.events import now_iso
from services.ideas import evaluation
from services.ideas import evaluation_handlers as handlers
from services.ideas.campaign_schemas import CAMPAIGN_ID
from services.ideas.campaigns import CampaignNotFound
from services.ideas.domain import IdeaNotFound
from services.ideas.evaluation_schemas import (CampaignEvaluation, CampaignEvaluationArgs,
                                               Evaluation, EvaluationIn, IdeaEvaluation)
from services.ideas.schemas import IDEA_ID

blp = Blueprint("evaluation", __name__, url_prefix="/api",
                description="Évaluation des idées d'un appel (évaluateurs désignés)",
                path_examples={"idea_id": IDEA_ID, "campaign_id": CAMPAIGN_ID})


def stores():
    extra = hub().extra
    return extra["ideas"], extra["campaigns"], extra["evaluations"]


@blp.route("/ideas/<idea_id>/evaluation")
class IdeaEvaluationView(MethodView):
    @requires()
    @blp.response(200, IdeaEvaluation)
    @blp.doc(security=[{"bearer": []}])
    def get(self, idea_id):
        """Lire l'évaluation d'une idée (la sienne ; toutes : modération, responsables)"""
        me = current_identity()
        return act(lambda: handlers.get_idea_evaluation(
            idea_id, me.person, me.has("moderator"), *stores(), now_iso()))

    @requires()
    @blp.arguments(EvaluationIn)
    @blp.response(200, Evaluation)
    @blp.doc(security=[{"bearer": []}])
    def put(self, cmd, idea_id):
        """Noter une idée sur chaque critère de l'appel (évaluateurs désignés ; remplace)"""
        return act(lambda: handlers.evaluate_idea(idea_id, cmd, current_identity().person,
                                                  *stores(), hub().publisher.publish,
                                                  now_iso()))


@blp.route("/campaigns/<campaign_id>/evaluation")
class CampaignEvaluationView(MethodView):
    @requires()
    @blp.arguments(CampaignEvaluationArgs, location="query")
    @blp.response(200, CampaignEvaluation)
    @blp.doc(security=[{"bearer": []}])
    def get(self, query, campaign_id):
        """Les idées d'un appel et leurs notes côte à côte (modération, responsables) ou à
        noter (évaluateurs)"""
        me = current_identity()
        _, calls, evaluations = stores()
        return act(lambda: handlers.get_campaign_evaluation(
            campaign_id, query["sort"], me.person, me.has("moderator"), calls, evaluations,
            now_iso()))


def act(action):
    try:
        return action()
    except IdeaNotFound:
        abort(404, message="Idée introuvable.")
    except CampaignNotFound:
        abort(404, message="Appel à idées introuvable.")
    except evaluation.NotAllowed as refused:
        abort(403, message=str(refused))
    except (evaluation.NotInCall, evaluation.EvaluationClosed) as refused:
        abort(409, message=str(refused))
    except evaluation.InvalidScores as invalid:
        abort(422, message="Les notes ne suivent pas la grille de l'appel.",
              errors=invalid.problems)
