"""HTTP routes of the people service: the administration of people and roles (admins), a
person's own unit, and the sessions the pages open (their own `sessions` role)."""
from flask.views import MethodView
from flask_smorest import abort

from shared.api import Blueprint, hub
from shared.auth import SESSIONS, current_identity, requires
from services.people import handlers
from services.people.domain import LastAdmin, PersonUnknown
from services.people.schemas import (PERSON_ID, ChangeList, Ended, MeIn, PeopleArgs, PeopleList,
                                     PersonOut, RolesIn, SessionIn, SessionOut)

blp = Blueprint("people", __name__, url_prefix="/api/people", description="Personnes et rôles",
                path_examples={"person_id": PERSON_ID, "session_id": "dGhpcyBpcyBub3Q"})
BEARER = [{"bearer": []}]


def store():
    return hub().extra["people"]


def publish():
    return hub().publisher.publish


def answer(action, unknown="Personne introuvable."):
    try:
        return action()
    except PersonUnknown:
        abort(404, message=unknown)
    except LastAdmin:
        abort(409, message="Vous ne pouvez pas retirer votre propre rôle d'administrateur : "
                           "demandez-le à un autre administrateur.")


@blp.route("")
class People(MethodView):
    @requires("agent", "moderator", "admin")
    @blp.arguments(PeopleArgs, location="query")
    @blp.response(200, PeopleList)
    @blp.doc(security=BEARER)
    def get(self, args):
        """Chercher des personnes (par nom, adresse ou rôle) : administrateurs ; les
        modérateurs et les responsables d'un appel, qui désignent ses responsables et ses
        évaluateurs, n'en voient que l'id, le nom et le service"""
        me = current_identity()
        if not (me.has("admin") or me.has("moderator") or store().owns_a_call(me.sub)):
            abort(403, message="Chercher des personnes est réservé à l'administration, à la "
                               "modération et aux responsables d'un appel à idées.")
        people = store().find(args["q"], args.get("role"))
        if me.has("admin"):
            return {"items": [handlers.visible(p) for p in people]}
        return {"items": [handlers.appointable(p) for p in people]}


@blp.route("/me")
class Me(MethodView):
    @requires("agent")
    @blp.response(200, PersonOut)
    @blp.doc(security=BEARER)
    def get(self):
        """Ce que le hub sait de moi"""
        return answer(lambda: handlers.visible(_known(current_identity().sub)))

    @requires("agent")
    @blp.arguments(MeIn)
    @blp.response(200, PersonOut)
    @blp.doc(security=BEARER)
    def put(self, data):
        """Choisir mon service"""
        me = current_identity()
        return answer(lambda: handlers.change_person(me.sub, store(), publish(), me.person,
                                                     unit=data["unit"]))


@blp.route("/<person_id>")
class Person(MethodView):
    @requires("admin")
    @blp.response(200, PersonOut)
    @blp.doc(security=BEARER)
    def get(self, person_id):
        """Une personne"""
        return answer(lambda: handlers.visible(_known(person_id)))


@blp.route("/<person_id>/roles")
class Roles(MethodView):
    @requires("admin")
    @blp.arguments(RolesIn)
    @blp.response(200, PersonOut)
    @blp.doc(security=BEARER)
    def put(self, data, person_id):
        """Accorder ou retirer des rôles, fixer le service et le périmètre"""
        me = current_identity()
        return answer(lambda: handlers.change_person(
            person_id, store(), publish(), me.person, roles=data["roles"],
            unit=data.get("unit"), scope=data.get("scope")))


@blp.route("/<person_id>/changes")
class Changes(MethodView):
    @requires("admin")
    @blp.response(200, ChangeList)
    @blp.doc(security=BEARER)
    def get(self, person_id):
        """Le journal des changements d'une personne (qui, quoi, quand), récent d'abord"""
        return {"items": store().changes_of(person_id)}


@blp.route("/<person_id>/sessions")
class PersonSessions(MethodView):
    @requires("admin")
    @blp.response(200, Ended)
    @blp.doc(security=BEARER)
    def delete(self, person_id):
        """Fermer toutes les sessions d'une personne (effet immédiat)"""
        return {"ended": store().end_sessions(person_id)}


@blp.route("/sessions")
class Sessions(MethodView):
    @requires(SESSIONS)
    @blp.arguments(SessionIn)
    @blp.response(201, SessionOut)
    @blp.doc(security=BEARER)
    def post(self, claims):
        """Ouvrir une session (les pages, après la connexion)"""
        session_id, person = handlers.sign_in(claims, store(), publish(), hub().config.admin_emails)
        return {"session": session_id, "person": person}


@blp.route("/sessions/<session_id>")
class Session(MethodView):
    @requires(SESSIONS)
    @blp.response(200, PersonOut)
    @blp.doc(security=BEARER)
    def get(self, session_id):
        """La personne d'une session ouverte"""
        return answer(lambda: handlers.get_session(session_id, store()),
                      unknown="Session inconnue, expirée ou fermée.")

    @requires(SESSIONS)
    @blp.response(204)
    @blp.doc(security=BEARER)
    def delete(self, session_id):
        """Fermer une session (se déconnecter)"""
        store().end_session(session_id)


def _known(person_id):
    person = store().person(person_id)
    if person is None:
        raise PersonUnknown(person_id)
    return person
