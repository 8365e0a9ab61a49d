"""Erasing an account (RGPD art. 17): by its person (`POST /api/me/erase`), or by an admin
acting on their request (`POST /api/people/{id}/erase`). What happens is handlers.erase's;
what becomes of the person's texts is the administration's policy (HUB_ERASURE_TEXTS), or
the person's choice when the policy leaves it to them."""
from flask.views import MethodView
from flask_smorest import abort

from shared import keyring
from shared.api import Blueprint, hub
from shared.auth import current_identity, requires
from services.people import handlers
from services.people.api import BEARER, answer, publish, store
from services.people.schemas import PERSON_ID, ErasedOut, EraseIn

me_blp = Blueprint("me", __name__, url_prefix="/api/me", description="Mon compte")
admin_blp = Blueprint("erasure", __name__, url_prefix="/api/people",
                      description="Personnes et rôles", path_examples={"person_id": PERSON_ID})


@me_blp.route("/erase")
class EraseMe(MethodView):
    @requires("agent")
    @me_blp.arguments(EraseIn)
    @me_blp.response(200, ErasedOut)
    @me_blp.doc(security=BEARER)
    def post(self, data):
        """Supprimer mon compte : mon nom et mon adresse disparaissent partout, mes idées
        et soutiens restent (signés « Agent anonymisé »), mes textes selon mon choix"""
        me = current_identity()
        return _erase(me.sub, data, me.person)


@admin_blp.route("/<person_id>/erase")
class ErasePerson(MethodView):
    @requires("admin")
    @admin_blp.arguments(EraseIn)
    @admin_blp.response(200, ErasedOut)
    @admin_blp.doc(security=BEARER)
    def post(self, data, person_id):
        """Supprimer le compte d'une personne, à sa demande (exercice du droit à
        l'effacement)"""
        return _erase(person_id, data, current_identity().person)


def _erase(person_id, data, by):
    policy = hub().config.erasure_texts
    if policy == "choice" and "texts" not in data:
        abort(422, message="Dites ce que deviennent vos idées et commentaires : gardés sans "
                           "votre nom, ou retirés.",
              errors={"texts": ["Choisissez keep (garder) ou remove (retirer)."]})
    if policy in ("keep", "remove") and data.get("texts", policy) != policy:
        abort(422, message=("Votre administration garde les textes des comptes supprimés, "
                            "sans le nom de leur auteur." if policy == "keep" else
                            "Votre administration retire les textes des comptes supprimés."),
              errors={"texts": [f"La règle de votre administration est « {policy} »."]})
    texts = data.get("texts", policy)
    return answer(lambda: handlers.erase(person_id, texts == "keep", by, store(), publish(),
                                         keyring.for_config(hub().config, hub().client)))
