"""HTTP routes of the notifications: following ideas, the notification centre, what comes by
mail. The gateway sends /api/notifications and /api/ideas/{id}/follow here."""
from flask import redirect
from flask.views import MethodView
from flask_smorest import abort

from shared.api import Blueprint, hub
from shared.auth import current_identity, requires
from shared.events import now_iso
from services.digest import links, notifications as N
from services.digest.notification_schemas import (FollowOut, ListArgs, Page, PreferencesIn,
                                                  PreferencesOut, ReadIn, UnreadOut,
                                                  UnsubscribeArgs)

blp = Blueprint("notifications", __name__, url_prefix="/api/notifications",
                description="Notifications")
follows = Blueprint("follows", __name__, url_prefix="/api/ideas", description="Suivre une idée",
                    path_examples={"idea_id": "6650f1d2c9e77b0a1c2d3e4f"})
BEARER = [{"bearer": []}]


def notes():
    return hub().extra["notifications"]


def known_idea(idea_id):
    """404 unless the read model knows the idea (hidden ones are not followed anew)."""
    found = hub().extra["digest"].counts([idea_id])
    if not found or found[0]["idea"].get("status") == "hidden":
        abort(404, message="Idée introuvable.")


@follows.route("/<idea_id>/follow")
class Follow(MethodView):
    @requires()
    @follows.response(200, FollowOut)
    @follows.doc(security=BEARER)
    def get(self, idea_id):
        """Est-ce que je suis cette idée ?"""
        known_idea(idea_id)
        return {"following": notes().following(idea_id, current_identity().sub)}

    @requires()
    @follows.response(200, FollowOut)
    @follows.doc(security=BEARER)
    def put(self, idea_id):
        """Suivre cette idée"""
        known_idea(idea_id)
        notes().choose_follow(idea_id, current_identity().sub, True, now_iso())
        return {"following": True}

    @requires()
    @follows.response(200, FollowOut)
    @follows.doc(security=BEARER)
    def delete(self, idea_id):
        """Ne plus suivre cette idée (ni la suivre de nouveau en la soutenant ou commentant)"""
        known_idea(idea_id)
        notes().choose_follow(idea_id, current_identity().sub, False, now_iso())
        return {"following": False}


@blp.route("")
class Notifications(MethodView):
    @requires()
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, Page)
    @blp.doc(security=BEARER)
    def get(self, args):
        """Mes notifications, les plus récentes d'abord"""
        me = current_identity().sub
        found, cursor = notes().page(me, args["unread"], args.get("cursor"), args["limit"])
        return {"items": [N.item(n) for n in found], "unread": notes().unread(me),
                "next_cursor": cursor}


@blp.route("/read")
class Read(MethodView):
    @requires()
    @blp.arguments(ReadIn, example={"ids": ["9b1f2c3d:a1b2c3"]})
    @blp.response(200, UnreadOut)
    @blp.doc(security=BEARER)
    def post(self, args):
        """Marquer comme lues certaines de mes notifications, ou toutes"""
        me = current_identity().sub
        notes().mark_read(me, None if args.get("all") else args["ids"])
        return {"unread": notes().unread(me)}


@blp.route("/preferences")
class Preferences(MethodView):
    @requires()
    @blp.response(200, PreferencesOut)
    @blp.doc(security=BEARER)
    def get(self):
        """Ce qui me parvient par courriel, et ce que je suis d'office"""
        return notes().preferences(current_identity().sub)

    @requires()
    @blp.arguments(PreferencesIn)
    @blp.response(200, PreferencesOut)
    @blp.doc(security=BEARER)
    def put(self, changes):
        """Changer mes préférences (ce qui n'est pas donné reste tel quel)"""
        return notes().save_preferences(current_identity().sub, changes)


# As the digest's: RFC 8058's one-click POST for mail clients, and a GET, for a person who
# opens the address in a browser, sent on to the page whose button confirms.
@blp.route("/unsubscribe")
class Unsubscribe(MethodView):
    @blp.arguments(UnsubscribeArgs, location="query")
    @blp.response(303, description="Vers la page qui confirme")
    def get(self, args):
        """L'adresse de désabonnement ouverte dans un navigateur : la page qui confirme"""
        return redirect(links.notification_unsubscribe_page(hub().config, args["token"]), 303)

    @blp.arguments(UnsubscribeArgs, location="query")
    @blp.response(204)
    def post(self, args):
        """Ne plus recevoir par courriel les types de notification du lien (RFC 8058)"""
        found = links.read_notification_unsubscribe_token(hub().config, args["token"])
        if found is None or not set(found[1]) <= set(N.KINDS):
            abort(404, message="Lien de désabonnement invalide ou expiré.")
        notes().turn_off(*found)
