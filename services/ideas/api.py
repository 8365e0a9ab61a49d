"""HTTP routes of the ideas service; domain errors become HTTP errors here and only here."""
from flask import request
from flask.views import MethodView
from flask_smorest import abort

from shared.api import Blueprint, hub
from shared.auth import current_identity, requires, requires_reader
from shared.events import now_iso
from shared.phases import PhaseClosed
from services.ideas import examples, handlers
from services.ideas.campaigns import CampaignNotFound, OutOfScope
from services.ideas.domain import CommentNotFound, IdeaNotFound, ReplyRefused
from services.ideas.lifecycle import NotAuthor, TransitionRefused
from services.ideas.schemas import (COMMENT_ID, IDEA_ID, AnswerIn, CommentIn, CommentList,
                                    CommentOut, ContestIn, DismissIn, Dismissal, FacetArgs,
                                    Facets, FlagIn, HideIn, IdeaIn, IdeaListArgs,
                                    IdeaOut,
                                    IdeaPage, IdeaPatch, Log, MergeIn, ModerationIn, PairArgs,
                                    Pairs, Queue, QueueArgs, SimilarArgs, SimilarList)

blp = Blueprint("ideas", __name__, url_prefix="/api/ideas", description="Idées",
                path_examples={"idea_id": IDEA_ID, "comment_id": COMMENT_ID})
moderation_blp = Blueprint("moderation", __name__, url_prefix="/api/moderation",
                           description="Modération")


def store():
    return hub().extra["ideas"]


def spend(action):
    """One more act of `action` by the caller, or 429 with Retry-After."""
    hub().extra["limits"].spend(action, current_identity().sub)


@blp.route("")
class Ideas(MethodView):
    @requires_reader
    @blp.arguments(IdeaListArgs, location="query")
    @blp.response(200, IdeaPage)
    def get(self, query):
        """Lister les idées (les idées masquées : modérateurs, avec status=hidden)"""
        if query.get("status") == "hidden" and not is_moderator():
            abort(403, message="Seuls les modérateurs voient les idées masquées.")
        me = current_identity().sub if query.get("author") == "me" else None
        return handlers.list_ideas(query, store(), me)

    @requires("agent")
    @blp.arguments(IdeaIn)
    @blp.response(201, IdeaOut, example=examples.SUBMITTED)
    @blp.doc(security=[{"bearer": []}])
    def post(self, cmd):
        """Proposer une idée"""
        spend("propose")
        me = current_identity()
        return act(lambda: handlers.submit_idea(cmd, me.person, me.unit, store(),
                                                hub().publisher.publish, now_iso(),
                                                hub().extra["campaigns"]))


@blp.route("/facets")
class IdeaFacets(MethodView):
    @requires_reader
    @blp.arguments(FacetArgs, location="query")
    @blp.response(200, Facets)
    def get(self, args):
        """Les services et mots-clés en usage, avec leur nombre d'idées (pour les filtres) ;
        ceux des idées d'un appel avec campaign="""
        return handlers.list_facets(store(), args.get("campaign"))


@blp.route("/similar")
class SimilarIdeas(MethodView):
    @requires_reader
    @blp.arguments(SimilarArgs, location="query")
    @blp.response(200, SimilarList)
    def get(self, args):
        """Des idées proches d'un brouillon (« une idée proche existe peut-être »)"""
        return handlers.similar_ideas(args["text"], store())


@blp.route("/<idea_id>")
class Idea(MethodView):
    @requires_reader
    @blp.response(200, IdeaOut)
    def get(self, idea_id):
        """Lire une idée (masquée : modérateurs et son auteur seulement, avec le motif)"""
        idea = act(lambda: handlers.get_idea(idea_id, store()))
        if idea["status"] == "hidden" and not (is_moderator() or is_author(idea)):
            abort(404, message="Idée introuvable.")
        if is_moderator():  # what the moderator weighs, on the page where they act
            idea["reports"] = handlers.list_reports(idea_id, store())
        return shown(idea)

    @requires("agent", "moderator")
    @blp.arguments(IdeaPatch)
    @blp.response(200, IdeaOut)
    @blp.doc(security=[{"bearer": []}])
    def patch(self, changes, idea_id):
        """Modifier une idée (son auteur tant qu'elle attend une réponse ; un modérateur)"""
        moderator = current_identity().has("moderator")
        if not moderator:
            spend("edit")  # each edit keeps the former text in the idea's history
        return act(lambda: handlers.edit_idea(idea_id, changes, moderator, *change_args()))


def act(action):
    """Run a change of an idea; its refusals become HTTP errors."""
    try:
        return action()
    except IdeaNotFound:
        abort(404, message="Idée introuvable.")
    except CommentNotFound:
        abort(404, message="Commentaire introuvable.")
    except ReplyRefused as refused:
        abort(422, message="Impossible de répondre à ce commentaire.",
              errors={"parent_id": [str(refused)]})
    except NotAuthor as refused:
        abort(403, message=str(refused))
    except CampaignNotFound:
        abort(422, message="Cet appel à idées n'existe pas.",
              errors={"campaign_id": ["Appel à idées introuvable."]})
    except OutOfScope as refused:
        abort(403, message="Cet appel s'adresse aux agents de : " + ", ".join(refused.units)
              + ".")
    except PhaseClosed as refused:
        abort(409, message=str(refused))
    except TransitionRefused as refused:
        abort(409, message=str(refused))
    except handlers.AlreadyReported:
        abort(409, message="Vous avez déjà signalé cette idée.")
    except handlers.OwnIdea:
        abort(409, message="C'est votre idée : modifiez-la ou retirez-la plutôt que de la "
                           "signaler.")
    except handlers.UnknownTarget:
        abort(422, message="L'idée cible n'existe pas.",
              errors={"into": ["Aucune idée ne porte cet identifiant."]})


def change_args():
    me = current_identity()
    return me.person, store(), hub().publisher.publish, now_iso()


@blp.route("/<idea_id>/status")
class Answer(MethodView):
    @requires("moderator")
    @blp.arguments(AnswerIn)
    @blp.response(200, IdeaOut)
    @blp.doc(security=[{"bearer": []}])
    def post(self, cmd, idea_id):
        """Répondre à une idée : un statut et une note publique"""
        return act(lambda: handlers.answer_idea(idea_id, cmd, *change_args()))


@blp.route("/<idea_id>/withdraw")
class Withdraw(MethodView):
    @requires("agent")
    @blp.response(200, IdeaOut, example=examples.WITHDRAWN)
    @blp.doc(security=[{"bearer": []}])
    def post(self, idea_id):
        """Retirer mon idée"""
        return act(lambda: handlers.withdraw_idea(idea_id, *change_args()))


@blp.route("/<idea_id>/merge")
class Merge(MethodView):
    @requires("moderator")
    @blp.arguments(MergeIn)
    @blp.response(200, IdeaOut, example=examples.MERGED)
    @blp.doc(security=[{"bearer": []}])
    def post(self, cmd, idea_id):
        """Fusionner un doublon dans une autre idée (ses soutiens la suivent)"""
        return act(lambda: handlers.merge_idea(idea_id, cmd["into"], cmd["reason"],
                                               *change_args()))


@blp.route("/<idea_id>/unmerge")
class Unmerge(MethodView):
    @requires("moderator")
    @blp.response(200, IdeaOut, example=examples.UNMERGED)
    @blp.doc(security=[{"bearer": []}])
    def post(self, idea_id):
        """Annuler une fusion : les deux idées redeviennent ce qu'elles étaient"""
        return act(lambda: handlers.unmerge_idea(idea_id, *change_args()))


def is_moderator():
    """Comments show moderators what they hid; anyone else reads without a token."""
    if not request.headers.get("Authorization"):
        return False
    return current_identity().has("moderator")


def caller_id():
    return current_identity().sub if request.headers.get("Authorization") else None


def is_author(idea):
    return caller_id() == idea["author"]["id"]


def shown(idea):
    """An idea as the caller may see it. A hidden idea is hidden to all but moderators and
    its author (who reads why, and may contest): to anyone else, its id and status only. Its
    earlier texts (`history`) are for moderators and its author: a moderator who redacts an
    idea removes what it said from public view."""
    if is_moderator() or is_author(idea):
        return idea
    if idea["status"] == "hidden":
        return {"id": idea["id"], "status": "hidden"}
    return {**idea, "history": []}


@blp.route("/<idea_id>/comments")
class Comments(MethodView):
    @requires_reader
    @blp.response(200, CommentList)
    def get(self, idea_id):
        """Lire les commentaires d'une idée, du plus ancien au plus récent"""
        return act(lambda: handlers.list_comments(idea_id, store(), is_moderator(),
                                                  caller_id()))

    @requires("agent")
    @blp.arguments(CommentIn)
    @blp.response(201, CommentOut, example=examples.NEW_COMMENT)
    @blp.doc(security=[{"bearer": []}])
    def post(self, cmd, idea_id):
        """Commenter une idée, ou répondre à l'un de ses commentaires (`parent_id`)"""
        spend("comment")
        return act(lambda: handlers.add_comment(idea_id, cmd["body"], *change_args(),
                                                parent_id=cmd["parent_id"]))


@blp.route("/<idea_id>/flags")
class Flags(MethodView):
    @requires("agent")
    @blp.arguments(FlagIn)
    @blp.response(201, IdeaOut)
    @blp.doc(security=[{"bearer": []}])
    def post(self, cmd, idea_id):
        """Signaler une idée (une fois par personne ; masquée au seuil, en attente d'examen)"""
        spend("report")
        threshold = hub().config.flag_threshold
        return shown(act(lambda: handlers.report_idea(idea_id, cmd, *change_args(),
                                                      threshold)))


@blp.route("/<idea_id>/contest")
class Contest(MethodView):
    @requires("agent")
    @blp.arguments(ContestIn)
    @blp.response(200, IdeaOut)
    @blp.doc(security=[{"bearer": []}])
    def post(self, cmd, idea_id):
        """Contester le masquage de mon idée (une fois) : elle revient dans la file"""
        spend("report")
        return act(lambda: handlers.contest_hiding(idea_id, cmd["text"], *change_args()))


def moderation_action(name, handler, summary, example, schema=ModerationIn):
    """POST /api/ideas/{id}/<name> {reason}: one moderator act on a hidden or visible idea."""
    @requires("moderator")
    @blp.arguments(schema)
    @blp.response(200, IdeaOut, example=example)
    @blp.doc(security=[{"bearer": []}], summary=summary)
    def post(self, cmd, idea_id):
        return act(lambda: handler(idea_id, cmd["reason"], *change_args()))
    blp.route(f"/<idea_id>/{name}")(type(name.capitalize(), (MethodView,), {"post": post}))


moderation_action("hide", handlers.hide_idea, "Masquer une idée, avec le motif (requis)",
                  examples.HIDDEN, HideIn)
moderation_action("restore", handlers.restore_idea,
                  "Rétablir une idée masquée (signalements infondés)", examples.RESTORED)
moderation_action("confirm", handlers.confirm_hidden,
                  "Confirmer le masquage (signalements ou contestation examinés)",
                  examples.HIDDEN)
moderation_action("dismiss", handlers.dismiss_reports,
                  "Classer sans suite les signalements d'une idée visible", examples.SUBMITTED)


@moderation_blp.route("/queue")
class ModerationQueue(MethodView):
    @requires("moderator")
    @moderation_blp.arguments(QueueArgs, location="query")
    @moderation_blp.response(200, Queue)
    @moderation_blp.doc(security=[{"bearer": []}])
    def get(self, query):
        """Ce qui attend la modération : signalé, masqué, sans réponse ; le plus ancien d'abord"""
        return handlers.moderation_queue(query, store())


@moderation_blp.route("/log")
class ModerationLog(MethodView):
    @requires("moderator")
    @moderation_blp.response(200, Log)
    @moderation_blp.doc(security=[{"bearer": []}])
    def get(self):
        """Le journal de modération : qui, quoi, quand, pourquoi ; le plus récent d'abord"""
        return handlers.moderation_log(store())


@moderation_blp.route("/duplicates")
class PossibleDuplicates(MethodView):
    @requires("moderator")
    @moderation_blp.arguments(PairArgs, location="query")
    @moderation_blp.response(200, Pairs)
    @moderation_blp.doc(security=[{"bearer": []}])
    def get(self, query):
        """Doublons possibles : les paires d'idées ouvertes qui se ressemblent, la plus proche
        d'abord, sauf celles écartées (« pas un doublon »)"""
        return handlers.list_possible_duplicates(query, store())


@moderation_blp.route("/duplicates/dismiss")
class DismissDuplicate(MethodView):
    @requires("moderator")
    @moderation_blp.arguments(DismissIn)
    @moderation_blp.response(200, Dismissal)
    @moderation_blp.doc(security=[{"bearer": []}])
    def post(self, cmd):
        """Pas un doublon : la paire quitte la liste pour de bon (une fois, même cliqué deux
        fois)"""
        return act(lambda: handlers.dismiss_duplicate(cmd["a"], cmd["b"],
                                                      current_identity().person, store(),
                                                      now_iso()))
