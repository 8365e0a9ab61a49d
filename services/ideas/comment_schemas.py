"""The shapes of what is done to a published comment: edit, report, dismiss its reports, and
the moderators' queue of reported comments."""
from marshmallow import Schema, fields, validate

from shared.api import InputSchema, Text
from services.ideas.moderation import REASONS
from services.ideas.schemas import (AGENT, ANSWERED_AT, COMMENT_ID, IDEA_ID, SUBMITTED_AT,
                                    TITLE, Person)

REPORTED = "Ceux qui proposent ça sont des incapables."


class CommentPatch(InputSchema):
    body = Text(required=True, validate=validate.Length(min=1, max=5000),
                metadata={"example": "Bonne idée : à la médiathèque aussi, et le samedi !"})


class CommentReportOut(Schema):
    comment_id = fields.String(metadata={"example": COMMENT_ID})
    reason = fields.String(metadata={"example": "offensive"})
    at = fields.String(metadata={"example": ANSWERED_AT})


class DismissCommentIn(InputSchema):
    reason = Text(load_default="", validate=validate.Length(max=500), metadata={
        "description": "Pourquoi les signalements sont infondés (inscrit au journal)",
        "example": "Critique vive mais courtoise : conforme à la charte."})


class ReportedComment(Schema):
    comment_id = fields.String(metadata={"example": COMMENT_ID})
    idea_id = fields.String(metadata={"example": IDEA_ID})
    idea_title = fields.String(metadata={"example": TITLE})
    author = fields.Nested(Person, metadata={"example": AGENT})
    reported_body = fields.String(metadata={
        "description": "Le texte tel qu'il était au premier signalement", "example": REPORTED})
    reports = fields.Integer(metadata={"example": 2})
    reasons = fields.List(fields.String(validate=validate.OneOf(REASONS)),
                          metadata={"example": ["offensive"]})
    notes = fields.List(fields.String(), metadata={"example": ["Insulte envers les collègues."]})
    first_at = fields.String(metadata={"example": SUBMITTED_AT})
    last_at = fields.String(metadata={"example": ANSWERED_AT})


class ReportedCommentArgs(InputSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100),
                           metadata={"example": 50})


class ReportedComments(Schema):
    items = fields.List(fields.Nested(ReportedComment))
    total = fields.Integer(metadata={"example": 1})
