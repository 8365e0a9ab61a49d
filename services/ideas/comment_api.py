"""HTTP routes of a published comment: its author edits or deletes it, other agents report
it, moderators hide it or dismiss its reports and see the reported ones. Refusals become
HTTP errors here and only here."""
from flask.views import MethodView
from flask_smorest import abort

from shared.api import Blueprint, hub
from shared.auth import current_identity, requires
from shared.events import now_iso
from services.ideas import comment_handlers as handlers
from services.ideas import examples
from services.ideas.api import act, spend, store
from services.ideas.comment_schemas import (CommentPatch, CommentReportOut, DismissCommentIn,
                                            ReportedCommentArgs, ReportedComments)
from services.ideas.comments import (AlreadyReportedComment, CommentRefused, NotCommentAuthor,
                                     OwnComment)
from services.ideas.schemas import COMMENT_ID, IDEA_ID, CommentOut, FlagIn, HideCommentIn

blp = Blueprint("comments", __name__, url_prefix="/api/ideas", description="Commentaires",
                path_examples={"idea_id": IDEA_ID, "comment_id": COMMENT_ID})
moderation_blp = Blueprint("comment_moderation", __name__, url_prefix="/api/moderation",
                           description="Modération des commentaires")


def comments():
    return hub().extra["comments"]


def run(action):
    """A comment's change; its refusals become HTTP errors (the idea's, through `act`)."""
    def attempt():
        try:
            return action()
        except NotCommentAuthor as refused:
            abort(403, message=str(refused))
        except CommentRefused as refused:
            abort(409, message=str(refused))
        except OwnComment:
            abort(409, message="C'est votre commentaire : modifiez-le ou supprimez-le plutôt "
                               "que de le signaler.")
        except AlreadyReportedComment:
            abort(409, message="Vous avez déjà signalé ce commentaire.")
    return act(attempt)


def me_and_stores():
    return current_identity().person, store(), comments()


@blp.route("/<idea_id>/comments/<comment_id>")
class Comment(MethodView):
    @requires("agent")
    @blp.arguments(CommentPatch)
    @blp.response(200, CommentOut, example=examples.EDITED_COMMENT)
    @blp.doc(security=[{"bearer": []}])
    def patch(self, cmd, idea_id, comment_id):
        """Modifier mon commentaire (tant que l'idée accepte des commentaires et qu'il n'est
        pas masqué) : il porte ensuite la mention « modifié »"""
        spend("comment")
        return run(lambda: handlers.edit_comment(idea_id, comment_id, cmd["body"],
                                                 *me_and_stores(), hub().publisher.publish,
                                                 now_iso()))

    @requires("agent")
    @blp.response(200, CommentOut, example=examples.DELETED_COMMENT)
    @blp.doc(security=[{"bearer": []}])
    def delete(self, idea_id, comment_id):
        """Supprimer mon commentaire : son texte disparaît, ses réponses restent"""
        return run(lambda: handlers.delete_comment(idea_id, comment_id, *me_and_stores(),
                                                   hub().publisher.publish, now_iso()))


@blp.route("/<idea_id>/comments/<comment_id>/flags")
class CommentFlags(MethodView):
    @requires("agent")
    @blp.arguments(FlagIn)
    @blp.response(201, CommentReportOut)
    @blp.doc(security=[{"bearer": []}])
    def post(self, cmd, idea_id, comment_id):
        """Signaler le commentaire d'un autre (une fois par personne) : il rejoint la file de
        modération"""
        spend("report")
        return run(lambda: handlers.report_comment(idea_id, comment_id, cmd, *me_and_stores(),
                                                   now_iso()))


@blp.route("/<idea_id>/comments/<comment_id>/hide")
class HideComment(MethodView):
    @requires("moderator")
    @blp.arguments(HideCommentIn)
    @blp.response(200, CommentOut, example=examples.HIDDEN_COMMENT)
    @blp.doc(security=[{"bearer": []}])
    def post(self, cmd, idea_id, comment_id):
        """Masquer un commentaire, avec le motif (il quitte la file de modération)"""
        return run(lambda: handlers.hide_comment(idea_id, comment_id, cmd["reason"],
                                                 *me_and_stores(), hub().publisher.publish,
                                                 now_iso()))


@blp.route("/<idea_id>/comments/<comment_id>/dismiss")
class DismissCommentReports(MethodView):
    @requires("moderator")
    @blp.arguments(DismissCommentIn)
    @blp.response(200, CommentOut)
    @blp.doc(security=[{"bearer": []}])
    def post(self, cmd, idea_id, comment_id):
        """Classer sans suite les signalements d'un commentaire : il reste visible"""
        return run(lambda: handlers.dismiss_comment_reports(
            idea_id, comment_id, cmd["reason"], *me_and_stores(), hub().publisher.publish,
            now_iso()))


@moderation_blp.route("/comments")
class ReportedCommentQueue(MethodView):
    @requires("moderator")
    @moderation_blp.arguments(ReportedCommentArgs, location="query")
    @moderation_blp.response(200, ReportedComments)
    @moderation_blp.doc(security=[{"bearer": []}])
    def get(self, query):
        """Les commentaires signalés qui attendent la modération, le plus ancien d'abord"""
        return handlers.reported_comments(comments(), query["limit"])
