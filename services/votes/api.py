"""HTTP routes of the votes service."""
from flask.views import MethodView
from flask_smorest import abort

from shared.api import Blueprint, hub
from shared.auth import current_identity, requires
from shared.events import now_iso
from shared.phases import PhaseClosed
from services.votes import examples, handlers
from services.votes.domain import CapReached, IdeaUnknown, OwnIdea, VotingClosed
from services.votes.schemas import IDEA_ID, SupportedList, SupportOut

blp = Blueprint("votes", __name__, url_prefix="/api/votes", description="Soutiens",
                path_examples={"idea_id": IDEA_ID})

CLOSED_REASONS = {
    "rejected": "l'idée a été refusée",
    "implemented": "l'idée est déjà réalisée",
    "duplicate": "l'idée a été fusionnée avec une autre",
    "hidden": "l'idée est masquée par la modération",
    "withdrawn": "l'idée a été retirée par son auteur",
}


def store():
    return hub().extra["votes"]


def answer(action):
    try:
        return action()
    except IdeaUnknown:
        abort(404, message="Idée introuvable.")
    except VotingClosed as closed:
        reason = CLOSED_REASONS.get(closed.status, closed.status)
        abort(409, message=f"Les soutiens sont fermés : {reason}.")
    except OwnIdea:
        abort(409, message="C'est votre idée : seuls vos collègues peuvent la soutenir.")
    except PhaseClosed as closed:
        abort(409, message=str(closed))
    except CapReached as reached:
        if reached.campaign is not None:
            abort(409, message=f"Vous soutenez déjà {reached.cap} idée"
                               f"{'s' if reached.cap > 1 else ''} de cet appel "
                               f"(« {reached.campaign['title']} »), le maximum : retirez un "
                               "de ces soutiens pour en donner un nouveau.")
        abort(409, message=f"Vous soutenez déjà {reached.cap} idées ouvertes, le maximum : "
                           "retirez un soutien pour en donner un nouveau.")


@blp.route("/mine")
class Mine(MethodView):
    @requires("agent")
    @blp.response(200, SupportedList)
    @blp.doc(security=[{"bearer": []}])
    def get(self):
        """Les idées que je soutiens"""
        return {"items": handlers.list_supported(current_identity().sub, store())}


@blp.route("/<idea_id>")
class Support(MethodView):
    @requires("agent")
    @blp.response(200, SupportOut)
    @blp.doc(security=[{"bearer": []}])
    def get(self, idea_id):
        """Savoir si je soutiens une idée"""
        me = current_identity()
        return answer(lambda: handlers.get_support(idea_id, me.sub, store()))

    @requires("agent")
    @blp.response(200, SupportOut)
    @blp.doc(security=[{"bearer": []}])
    def put(self, idea_id):
        """Soutenir une idée (idempotent)"""
        me = current_identity()
        return answer(lambda: handlers.set_support(idea_id, me.sub, True, store(),
                                                   hub().publisher.publish,
                                                   cap=hub().config.votes_cap, now=now_iso()))

    @requires("agent")
    @blp.response(200, SupportOut, example=examples.WITHDRAWN)
    @blp.doc(security=[{"bearer": []}])
    def delete(self, idea_id):
        """Retirer mon soutien (idempotent)"""
        me = current_identity()
        return answer(lambda: handlers.set_support(idea_id, me.sub, False, store(),
                                                   hub().publisher.publish,
                                                   cap=hub().config.votes_cap, now=now_iso()))
