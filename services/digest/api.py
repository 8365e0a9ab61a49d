"""HTTP routes of the digest service."""
from flask import Response
from flask.views import MethodView
from flask_smorest import abort

from shared.api import Blueprint, hub
from shared.auth import current_identity, requires
from services.digest import examples, handlers
from services.digest.periods import InvalidPeriod
from services.digest.schemas import (RUN_ID, PreviewArgs, PreviewOut, RunIn, RunOut, RunStarted,
                                     SubscriptionIn, SubscriptionOut, UnsubscribeArgs)

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


# The link of the mail's footer, opened in a browser: a page whose button confirms, so that a
# mail scanner following links does not unsubscribe anyone (the mail client's one-click
# unsubscription, RFC 8058, POSTs to the same address).
CONFIRM_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Se désabonner — Ideahub</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:Arial,Helvetica,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem">
<h1>Se désabonner de la synthèse hebdomadaire</h1>
<form method="post"><button type="submit">Me désabonner</button></form>
</body></html>"""


@blp.route("/unsubscribe")
class Unsubscribe(MethodView):
    @blp.arguments(UnsubscribeArgs, location="query")
    @blp.response(200, content_type="text/html", example=CONFIRM_PAGE)
    def get(self, args):
        """La page du lien de désabonnement : un bouton confirme"""
        return Response(CONFIRM_PAGE, mimetype="text/html")

    @blp.arguments(UnsubscribeArgs, location="query")
    @blp.response(204)
    def post(self, args):
        """Désabonnement en un clic (RFC 8058), par le lien signé de la synthèse"""
        if not handlers.unsubscribe(args["token"], store(), hub().config):
            abort(404, message="Lien de désabonnement invalide.")


@blp.route("/preview")
class Preview(MethodView):
    @requires("manager")
    @blp.arguments(PreviewArgs, location="query")
    @blp.response(200, PreviewOut, example=examples.PREVIEW)
    @blp.doc(security=[{"bearer": []}])
    def get(self, args):
        """Voir la synthèse d'une semaine telle qu'elle serait envoyée"""
        try:
            return handlers.preview(current_identity(), args.get("period"), store(),
                                    hub().config)
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
