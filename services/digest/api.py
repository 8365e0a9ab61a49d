"""HTTP routes of the digest service."""
from flask import redirect
from flask.views import MethodView
from flask_smorest import abort

from shared.api import Blueprint, hub
from shared.auth import current_identity, requires
from services.digest import examples, handlers, links
from services.digest.periods import InvalidPeriod
from services.digest.schemas import (RUN_ID, ConfirmAddressArgs, PreviewArgs, PreviewOut, RunIn,
                                     RunOut, RunStarted, SubscriptionIn, SubscriptionOut,
                                     UnsubscribeArgs)

blp = Blueprint("digest", __name__, url_prefix="/api/digest", description="Synthèse hebdomadaire",
                path_examples={"run_id": RUN_ID})


def store():
    return hub().extra["digest"]


def no_subscription():
    abort(404, message="Aucun abonnement à la synthèse.")


def invalid_period(error):
    abort(422, message=str(error), errors={"period": [str(error)]})


@blp.route("/subscription")
class Subscription(MethodView):
    @requires("manager")
    @blp.response(200, SubscriptionOut)
    @blp.doc(security=[{"bearer": []}])
    def get(self):
        """Mon abonnement"""
        try:
            return handlers.get_subscription(current_identity(), store())
        except handlers.NoSubscription:
            no_subscription()

    @requires("manager")
    @blp.arguments(SubscriptionIn)
    @blp.response(200, SubscriptionOut)
    @blp.doc(security=[{"bearer": []}])
    def put(self, cmd):
        """M'abonner, ou changer mon abonnement"""
        me = current_identity()
        if not cmd.get("email") and not me.email:
            abort(422, message="Adresse électronique requise.",
                  errors={"email": ["Le jeton ne porte pas d'adresse : indiquez-en une."]})
        return handlers.put_subscription(cmd, me, store())

    @requires("manager")
    @blp.response(204)
    @blp.doc(security=[{"bearer": []}])
    def delete(self):
        """Me désabonner"""
        try:
            handlers.delete_subscription(current_identity(), store())
        except handlers.NoSubscription:
            no_subscription()


# What mail clients call: RFC 8058's one-click POST, and a GET (RFC 2369) when one opens the
# List-Unsubscribe address in a browser, sent on to the page of the web service. People follow
# the links of the mail's text to that page, whose button confirms: a mail scanner opening
# links unsubscribes no one.
@blp.route("/unsubscribe")
class Unsubscribe(MethodView):
    @blp.arguments(UnsubscribeArgs, location="query")
    @blp.response(303, description="Vers la page de désabonnement, dont un bouton confirme")
    def get(self, args):
        """L'adresse de désabonnement ouverte dans un navigateur : la page qui confirme"""
        return redirect(links.unsubscribe_page(hub().config, args["token"]), 303)

    @blp.arguments(UnsubscribeArgs, location="query")
    @blp.response(204)
    def post(self, args):
        """Désabonnement en un clic (RFC 8058), par le lien signé de la synthèse"""
        if not handlers.unsubscribe(args["token"], store(), hub().config):
            abort(404, message="Lien de désabonnement invalide ou expiré.")


@blp.route("/confirm-address")
class ConfirmAddress(MethodView):
    @blp.arguments(ConfirmAddressArgs, location="query")
    @blp.response(204)
    def post(self, args):
        """Confirmer l'adresse d'un abonnement, par le lien signé du message de confirmation"""
        if not handlers.confirm_address(args["token"], store(), hub().config):
            abort(404, message="Lien de confirmation invalide ou expiré, ou l'adresse de "
                               "l'abonnement a changé depuis.")


@blp.route("/preview")
class Preview(MethodView):
    @requires("manager")
    @blp.arguments(PreviewArgs, location="query")
    @blp.response(200, PreviewOut, example=examples.PREVIEW)
    @blp.doc(security=[{"bearer": []}])
    def get(self, args):
        """Voir la synthèse d'une semaine telle qu'elle serait envoyée"""
        scope = args if args["scope"] == "query" else None
        try:
            return handlers.preview(current_identity(), args.get("period"), store(),
                                    hub().config, scope)
        except InvalidPeriod as error:
            invalid_period(error)
        except handlers.NoSubscription:
            no_subscription()


@blp.route("/runs")
class Runs(MethodView):
    @requires("admin")
    @blp.arguments(RunIn)
    @blp.response(202, RunStarted)
    @blp.doc(security=[{"bearer": []}])
    def post(self, args):
        """Envoyer les synthèses d'une semaine (le service de synthèse s'en charge dans
        les secondes qui suivent)"""
        try:
            run = handlers.start_run(args["period"], store())
        except InvalidPeriod as error:
            invalid_period(error)
        return {"run_id": run["_id"]}


@blp.route("/runs/<run_id>")
class Run(MethodView):
    @requires("admin")
    @blp.response(200, RunOut)
    @blp.doc(security=[{"bearer": []}])
    def get(self, run_id):
        """Où en est un envoi"""
        run = store().run(run_id)
        if run is None:
            abort(404, message="Envoi introuvable.")
        return run
