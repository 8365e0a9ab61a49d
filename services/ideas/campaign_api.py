"""HTTP routes of calls for ideas; their refusals become HTTP errors here and only here."""
from flask.views import MethodView
from flask_smorest import abort

from shared.api import Blueprint, hub
from shared.auth import current_identity, requires, requires_reader
from shared.events import now_iso
from services.ideas import campaign_handlers as handlers
from services.ideas.campaign_schemas import (CAMPAIGN_ID, CampaignIn, CampaignList,
                                             CampaignListArgs, CampaignOut, CampaignPatch)
from services.ideas.campaigns import CampaignNotFound, InvalidDates

blp = Blueprint("campaigns", __name__, url_prefix="/api/campaigns",
                description="Appels à idées", path_examples={"campaign_id": CAMPAIGN_ID})


def store():
    return hub().extra["campaigns"]


@blp.route("")
class Campaigns(MethodView):
    @requires_reader
    @blp.arguments(CampaignListArgs, location="query")
    @blp.response(200, CampaignList)
    def get(self, query):
        """Lister les appels à idées (ouverts, à venir, clos)"""
        return handlers.list_campaigns(query.get("state"), store(), now_iso())

    @requires("moderator")
    @blp.arguments(CampaignIn)
    @blp.response(201, CampaignOut)
    @blp.doc(security=[{"bearer": []}])
    def post(self, cmd):
        """Lancer un appel à idées"""
        return act(lambda: handlers.create_campaign(cmd, current_identity().person, store(),
                                                    hub().publisher.publish, now_iso()))


@blp.route("/<campaign_id>")
class Campaign(MethodView):
    @requires_reader
    @blp.response(200, CampaignOut)
    def get(self, campaign_id):
        """Lire un appel à idées, sa phase et ses chiffres"""
        return act(lambda: handlers.get_campaign(campaign_id, store(), now_iso()))

    @requires("agent", "moderator")
    @blp.arguments(CampaignPatch)
    @blp.response(200, CampaignOut)
    @blp.doc(security=[{"bearer": []}])
    def patch(self, changes, campaign_id):
        """Modifier un appel (modérateurs, responsables de l'appel)"""
        me = current_identity()
        return act(lambda: handlers.change_campaign(
            campaign_id, changes, me.person, me.has("moderator"), store(),
            hub().publisher.publish, now_iso()))


def act(action):
    try:
        return action()
    except CampaignNotFound:
        abort(404, message="Appel à idées introuvable.")
    except InvalidDates as invalid:
        abort(422, message="Les dates de l'appel ne se suivent pas.", errors=invalid.problems)
    except handlers.NotOwner as refused:
        abort(403, message=str(refused))
