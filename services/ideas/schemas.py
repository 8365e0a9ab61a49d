"""The shapes of the ideas API: strict on input, documented for /openapi.json."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.answers import EXPLAINED
from shared.api import Cursor, InputSchema, Text
from shared.events import STATUSES
from services.ideas.domain import SORTS, is_cursor_of
from services.ideas.implementation_schemas import FOLLOWED, ImplementationOut
from services.ideas.lifecycle import ANSWERS
from services.ideas.moderation import REASONS, WAITING
from services.ideas.search_pages import is_meaning_cursor

ANSWERABLE = set().union(*ANSWERS.values())

# The values the examples of /openapi.json share: one idea, answered, and the people around it.
TITLE = "Améliorer l'accueil du public — « guichet unique »"
IDEA_ID = "040257db69a64c4e9482dcb84a2d0ab6"
COMMENT_ID = "088c889d72f44b4a8cad43ffb034541d"
AGENT = {"id": "agent-1", "name": "Agnès Müller"}
MODERATOR = {"id": "moderator-1", "name": "Marc Lefèvre"}
SUBMITTED_AT = "2026-11-16T08:42:17.512Z"
ANSWERED_AT = "2026-11-24T10:05:00.000Z"
NOTE = "Retenue : un guichet pilote ouvre en janvier."
# The cursor after that idea in sort=top: [vote_count, created_at, id], URL-safe base64 JSON.
TOP_CURSOR = ("WzQyLCAiMjAyNi0xMS0xNlQwODo0MjoxNy41MTJaIiwgIjA0MDI1N2RiNjlhNjRjNGU5NDgyZGNiODRh"
              "MmQwYWI2Il0")
# The moderation queue's cursor after that idea: [created_at, id].
QUEUE_CURSOR = ("WyIyMDI2LTExLTE2VDA4OjQyOjE3LjUxMloiLCAiMDQwMjU3ZGI2OWE2NGM0ZTk0ODJkY2I4NGEy"
                "ZDBhYjYiXQ")


class IdeaIn(InputSchema):
    title = Text(required=True, line=True, validate=validate.Length(min=5, max=140),
                 metadata={"example": TITLE})
    body = Text(required=True, validate=validate.Length(min=10, max=10000),
                metadata={"example": "Un seul guichet pour les démarches courantes, "
                                     "avec prise de rendez-vous en ligne."})
    tags = fields.List(Text(line=True, validate=validate.Length(min=1, max=40)),
                       load_default=list, validate=validate.Length(max=5),
                       metadata={"example": ["accueil", "simplification"]})
    campaign_id = fields.String(load_default=None, allow_none=True,
                                validate=validate.Length(min=1, max=64), metadata={
                                    "description": "L'appel à idées auquel l'idée répond",
                                    "example": None})


class Person(Schema):
    id = fields.String(metadata={"example": AGENT["id"]})
    name = fields.String(metadata={"example": AGENT["name"]})


class Report(Schema):
    reason = fields.String(validate=validate.OneOf(REASONS), metadata={"example": "spam"})
    note = fields.String(metadata={"example": "Publicité pour un logiciel."})
    at = fields.String(metadata={"example": ANSWERED_AT})


class IdeaOut(Schema):
    id = fields.String(metadata={"example": IDEA_ID})
    title = fields.String(metadata={"example": TITLE})
    body = fields.String(metadata={"example": "Un seul guichet pour les démarches courantes, "
                                              "avec prise de rendez-vous en ligne."})
    tags = fields.List(fields.String(), metadata={"example": ["accueil", "simplification"]})
    unit = fields.String(metadata={"example": "Service urbanisme"})
    author = fields.Nested(Person, metadata={"example": AGENT})
    status = fields.String(validate=validate.OneOf(STATUSES), metadata={"example": "accepted"})
    status_note = fields.String(metadata={"example": NOTE})
    merged_into = fields.String(allow_none=True, metadata={"example": None})
    vote_count = fields.Integer(metadata={"example": 42})
    comment_count = fields.Integer(metadata={"example": 3})
    created_at = fields.String(metadata={"example": SUBMITTED_AT})
    updated_at = fields.String(metadata={"example": ANSWERED_AT})
    campaign_id = fields.String(allow_none=True, metadata={
        "description": "L'appel à idées auquel l'idée répond, ou null", "example": None})
    match = fields.String(metadata={
        "description": "Dans une recherche (q=) seulement : words, l'idée contient les mots "
                       "cherchés ; meaning, elle en est proche par le sens",
        "example": "words"})
    timeline = fields.List(fields.Dict(), metadata={
        "description": "Réponses, fusions, retraits, désignation de qui la met en œuvre "
                       "(implementation) et avancement (progress), du plus ancien au plus "
                       "récent",
        "example": [{"at": ANSWERED_AT, "kind": "status", "status": "accepted",
                     "previous": "submitted", "note": NOTE, "by": MODERATOR}]})
    hidden_reason = fields.String(metadata={
        "description": "Masquée : pourquoi (pour les modérateurs et l'auteur seulement)",
        "example": "Le texte donne le téléphone personnel d'un agent."})
    contest = fields.Dict(allow_none=True, metadata={
        "description": "Masquée : la contestation de l'auteur {at, text, open}, ou null",
        "example": None})
    reports = fields.List(fields.Nested(Report), metadata={
        "description": "Pour les modérateurs : les signalements qui attendent un examen"})
    implementation = fields.Nested(ImplementationOut, allow_none=True, metadata={
        "description": "Retenue : qui la met en œuvre, pour quand, et son avancement ; null "
                       "avant qu'on le désigne", "example": FOLLOWED})
    history = fields.List(fields.Dict(), metadata={
        "description": "Les versions précédentes du texte, avec qui l'a modifié et quand",
        "example": [{"at": "2026-11-16T09:10:03.204Z", "by": AGENT,
                     "title": "Un guichet unique à l'accueil",
                     "body": "Un seul guichet pour les démarches courantes.",
                     "tags": ["accueil"]}]})


class IdeaPatch(IdeaIn):
    """The fields to change; at least one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)

    @validates_schema
    def something_to_change(self, data, **kwargs):
        if not data:
            raise ValidationError("Indiquez au moins un champ à modifier.", "_schema")


UNEXPLAINED = {
    "rejected": "Une idée non retenue appelle une explication pour son auteur.",
    "implemented": "Une idée réalisée appelle quelques mots pour son auteur : ce qui a été "
                   "fait, où le voir.",
}


class AnswerIn(InputSchema):
    status = fields.String(required=True, validate=validate.OneOf(sorted(ANSWERABLE)),
                           metadata={"example": "accepted"})
    note = Text(load_default="", validate=validate.Length(max=2000),
                metadata={"description": "Publique ; obligatoire pour « non retenue » et "
                                         "« réalisée » : l'auteur doit savoir pourquoi, "
                                         "ou ce qui a été fait",
                          "example": "Retenue : un guichet pilote ouvre en janvier."})

    @validates_schema
    def closing_explained(self, data, **kwargs):
        if data.get("status") in EXPLAINED and not data.get("note"):
            raise ValidationError(UNEXPLAINED[data["status"]], "note")


class MergeIn(InputSchema):
    into = fields.String(required=True, validate=validate.Length(min=1, max=64),
                         metadata={"description": "L'idée qui reçoit la fusion",
                                   "example": "d9b2b87cadaf45a1afbf0c058f304335"})
    # Required, like a hiding's: supports move and an author loses their idea, so the log and
    # the idea's history say why.
    reason = Text(required=True, validate=validate.Length(min=1, max=1000),
                  metadata={"description": "Pourquoi, inscrit au journal et à l'historique",
                            "example": "Même demande : un guichet unique à l'accueil."})


class IdeaListArgs(InputSchema):
    sort = fields.String(load_default="new", validate=validate.OneOf(sorted(SORTS)),
                         metadata={"example": "top"})
    status = fields.String(validate=validate.OneOf(STATUSES), metadata={"example": "accepted"})
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100),
                           metadata={"example": 20})
    cursor = Cursor(metadata={"description": "next_cursor de la page précédente, même tri",
                              "example": TOP_CURSOR})
    tag = Text(line=True, validate=validate.Length(min=1, max=40),
               metadata={"example": "accueil"})
    unit = Text(line=True, validate=validate.Length(min=1, max=120),
                metadata={"example": "Service urbanisme"})
    campaign = fields.String(validate=validate.Length(min=1, max=64), metadata={
        "description": "Les idées d'un appel à idées (son id)",
        "example": "6f1c1f6ad0b44d0e9cbbd1c4c0a2e51b"})
    author = fields.String(validate=validate.OneOf(["me"]),
                           metadata={"description": "me : mes idées (jeton requis)",
                                     "example": "me"})
    q = Text(line=True, validate=validate.Length(min=1, max=200), metadata={
        "description": "Recherche sans accents ni majuscules, singulier ou pluriel : d'abord "
                       "les idées qui contiennent ces mots, dans l'ordre du tri ; puis, après "
                       "la dernière, jusqu'à 50 idées proches par le sens (« vélo électrique » "
                       "trouve « VAE »), les plus proches d'abord, parmi celles ouvertes à la "
                       "discussion ; une page peut réunir les deux. total compte les deux ; "
                       "le curseur des pages d'idées proches est [\"meaning\", score, id]",
        "example": "pistes cyclables"})

    @validates_schema
    def cursor_fits_sort(self, data, **kwargs):
        if "cursor" in data and data.get("q") and is_meaning_cursor(data["cursor"]):
            return
        if "cursor" in data and not is_cursor_of(data["sort"], data["cursor"]):
            raise ValidationError("Ce curseur n'appartient pas à ce tri.", "cursor")


class ExportArgs(IdeaListArgs):
    """GET /api/ideas/export: a list's filters (all its ideas, no pages) and the format."""
    format = fields.String(load_default="csv", validate=validate.OneOf(["csv", "ods", "xlsx"]),
                           metadata={"example": "xlsx"})

    class Meta(IdeaListArgs.Meta):
        exclude = ("limit", "cursor")


class IdeaPage(Schema):
    items = fields.List(fields.Nested(IdeaOut))
    next_cursor = Cursor(allow_none=True, metadata={
        "description": "null sur la dernière page", "example": TOP_CURSOR})
    prev_cursor = Cursor(allow_none=True, metadata={
        "description": "Le curseur de la page précédente ; null sans curseur (première page) "
                       "et quand la précédente est la première", "example": None})
    total = fields.Integer(metadata={"description": "Combien d'idées le filtre trouve en tout",
                                     "example": 12})


class UnitCount(Schema):
    unit = fields.String(metadata={"example": "Service urbanisme"})
    count = fields.Integer(metadata={"example": 12})


class TagCount(Schema):
    tag = fields.String(metadata={"description": "L'orthographe la plus fréquente",
                                  "example": "accueil"})
    count = fields.Integer(metadata={"example": 7})


class FacetArgs(InputSchema):
    campaign = fields.String(validate=validate.Length(min=1, max=64), metadata={
        "description": "Ceux des idées d'un appel à idées (son id)",
        "example": "6f1c1f6ad0b44d0e9cbbd1c4c0a2e51b"})


class Facets(Schema):
    units = fields.List(fields.Nested(UnitCount), metadata={
        "example": [{"unit": "Service urbanisme", "count": 12},
                    {"unit": "Direction des solidarités", "count": 5}]})
    tags = fields.List(fields.Nested(TagCount), metadata={
        "example": [{"tag": "accueil", "count": 7}, {"tag": "mobilité", "count": 3}]})


class CommentIn(InputSchema):
    body = Text(required=True, validate=validate.Length(min=1, max=5000),
                metadata={"example": "Bonne idée : à la médiathèque aussi, svp !"})
    parent_id = fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(min=1, max=64), metadata={
                                  "description": "Pour répondre : le commentaire (visible, de "
                                                 "premier niveau) auquel on répond",
                                  "example": COMMENT_ID})


class HideCommentIn(InputSchema):
    reason = Text(required=True, validate=validate.Length(min=3, max=500),
                  metadata={"example": "Propos injurieux"})


class CommentOut(Schema):
    id = fields.String(metadata={"example": COMMENT_ID})
    author = fields.Nested(Person, metadata={"example": {"id": "agent-2",
                                                         "name": "Joël N'Diaye"}})
    body = fields.String(metadata={"description": "Absent d'un commentaire masqué",
                                   "example": "Bonne idée : à la médiathèque aussi, svp !"})
    created_at = fields.String(metadata={"example": "2026-11-18T12:31:45.090Z"})
    hidden = fields.Boolean(metadata={"example": False})
    hidden_reason = fields.String(metadata={"description": "Pour les modérateurs seulement",
                                            "example": ""})
    parent_id = fields.String(allow_none=True, metadata={
        "description": "Le commentaire auquel celui-ci répond ; null au premier niveau",
        "example": None})
    deleted = fields.Boolean(metadata={"description": "Supprimé par son auteur : sans texte, "
                                                      "il garde sa place et ses réponses",
                                       "example": False})
    edited_at = fields.String(allow_none=True, metadata={
        "description": "Quand son auteur l'a modifié pour la dernière fois ; null sinon",
        "example": None})


class CommentList(Schema):
    items = fields.List(fields.Nested(CommentOut))


class SimilarArgs(InputSchema):
    # A draft's title and its first lines: the cost of a query grows with its terms, and
    # anyone may ask, signed in or not.
    text = Text(required=True, validate=validate.Length(min=3, max=1000),
                metadata={"example": "Un guichet unique pour l'accueil"})


class Similar(Schema):
    id = fields.String(metadata={"example": IDEA_ID})
    title = fields.String(metadata={"example": TITLE})
    score = fields.Float(metadata={"example": 0.82})


class SimilarList(Schema):
    items = fields.List(fields.Nested(Similar))


class FlagIn(InputSchema):
    """A report of an idea or of a comment."""

    reason = fields.String(required=True, validate=validate.OneOf(REASONS),
                           metadata={"example": "offensive"})
    note = Text(load_default="", validate=validate.Length(max=1000),
                metadata={"example": "Insulte envers les collègues."})


class HideIn(InputSchema):
    reason = Text(required=True, validate=validate.Length(min=1, max=1000),
        metadata={"description": "Le motif, inscrit au journal et montré à l'auteur",
                  "example": "Le texte donne le téléphone personnel d'un agent."})


class ContestIn(InputSchema):
    text = Text(required=True, validate=validate.Length(min=3, max=1000),
        metadata={"example": "Le numéro cité est celui du standard, il est public."})


class ModerationIn(InputSchema):
    reason = Text(load_default="", validate=validate.Length(max=1000),
                  metadata={"description": "Motif ou note, inscrit au journal",
                            "example": "Le texte donne le téléphone personnel d'un agent."})


class QueueItem(IdeaOut):
    pending_flags = fields.Integer(metadata={"example": 2})
    hidden_reason = fields.String(metadata={"example": ""})
    reasons = fields.List(fields.String(), metadata={"example": ["duplicate", "off_topic"]})
    notes = fields.List(fields.String(), metadata={
        "example": ["Même idée que « Un accueil unique en mairie »."]})
    contest = fields.Dict(allow_none=True, metadata={
        "description": "La contestation de l'auteur qui attend un examen {at, text}, ou null",
        "example": None})


class QueueArgs(InputSchema):
    why = fields.String(validate=validate.OneOf(WAITING), metadata={
        "description": "hidden : masquée ; reported : signalée depuis la dernière revue ; "
                       "unanswered : sans réponse. Absent : toutes",
        "example": "reported"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100),
                           metadata={"example": 50})
    cursor = Cursor(metadata={"description": "next_cursor de la page précédente",
                              "example": QUEUE_CURSOR})

    @validates_schema
    def cursor_fits_order(self, data, **kwargs):
        if "cursor" in data and not is_cursor_of("new", data["cursor"]):
            raise ValidationError("Ce curseur n'appartient pas à la file.", "cursor")


class WaitingCounts(Schema):
    hidden = fields.Integer(metadata={"example": 1})
    reported = fields.Integer(metadata={"example": 2})
    unanswered = fields.Integer(metadata={"example": 37})


class Queue(Schema):
    items = fields.List(fields.Nested(QueueItem))
    next_cursor = Cursor(allow_none=True, metadata={
        "description": "null sur la dernière page", "example": QUEUE_CURSOR})
    counts = fields.Nested(WaitingCounts, metadata={
        "description": "Les idées en attente, par raison (toutes pages comprises)"})


# The duplicate finder's example pair: the answered idea, and a newer one worded differently.
NEWER_ID = "7c1e4f0a9b2d4e6f8a0b1c2d3e4f5a6b"
PAIR_A = {"id": IDEA_ID, "title": TITLE, "unit": "Service urbanisme", "vote_count": 42,
          "created_at": SUBMITTED_AT}
PAIR_B = {"id": NEWER_ID, "title": "Un accueil unique pour toutes les démarches",
          "unit": "Direction des solidarités", "vote_count": 3,
          "created_at": "2026-11-20T14:02:51.000Z"}
# The cursor after that pair: [score, the pair's ids sorted].
PAIR_CURSOR = ("WzAuNjEyLCAiMDQwMjU3ZGI2OWE2NGM0ZTk0ODJkY2I4NGEyZDBhYjYiLCAiN2MxZTRmMGE5YjJkNGU2"
               "ZjhhMGIxYzJkM2U0ZjVhNmIiXQ")


class PairArgs(InputSchema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100),
                           metadata={"example": 20})
    cursor = Cursor(metadata={"description": "next_cursor de la page précédente",
                              "example": PAIR_CURSOR})

    @validates_schema
    def cursor_of_a_pair(self, data, **kwargs):
        after = data.get("cursor")
        if after is not None and not (
                len(after) == 3 and isinstance(after[0], (int, float))
                and not isinstance(after[0], bool) and all(isinstance(i, str) for i in after[1:])):
            raise ValidationError("Ce curseur n'appartient pas à cette liste.", "cursor")


class PairIdea(Schema):
    id = fields.String(metadata={"example": IDEA_ID})
    title = fields.String(metadata={"example": TITLE})
    unit = fields.String(metadata={"example": "Service urbanisme"})
    vote_count = fields.Integer(metadata={"example": 42})
    created_at = fields.String(metadata={"example": SUBMITTED_AT})


class Pair(Schema):
    a = fields.Nested(PairIdea, metadata={"description": "La plus ancienne des deux",
                                          "example": PAIR_A})
    b = fields.Nested(PairIdea, metadata={"description": "La plus récente (celle qu'on "
                                                         "fusionne d'ordinaire dans l'autre)",
                                          "example": PAIR_B})
    score = fields.Float(metadata={
        "description": "Ressemblance de 0 à 1 (sens et mots rares partagés), au moins le seuil "
                       "des idées similaires (0,25)", "example": 0.612})


class Pairs(Schema):
    items = fields.List(fields.Nested(Pair), metadata={
        "description": "Les paires du dernier calcul, vérifiées à chaque requête : celles "
                       "qu'un modérateur a écartées, et celles dont une idée n'est plus "
                       "ouverte (fusionnée, masquée, retirée, close), n'y sont plus"})
    next_cursor = Cursor(allow_none=True, metadata={
        "description": "null sur la dernière page", "example": PAIR_CURSOR})
    computed_at = fields.String(allow_none=True, metadata={
        "description": "Quand les paires ont été calculées, les idées telles qu'elles étaient "
                       "alors : une idée proposée ou modifiée depuis n'y figure qu'au calcul "
                       "suivant. null avant le premier calcul (items est alors vide)",
        "example": "2026-11-20T14:05:12.000Z"})
    pending = fields.Boolean(metadata={
        "description": "true pendant qu'un calcul plus récent est en cours (les idées ont "
                       "changé depuis computed_at) : relire dans un instant. Le calcul se fait "
                       "en arrière-plan, par défaut au plus une fois toutes les 30 secondes par "
                       "processus",
        "example": False})


class DismissIn(InputSchema):
    a = fields.String(required=True, validate=validate.Length(min=1, max=64),
                      metadata={"example": IDEA_ID})
    b = fields.String(required=True, validate=validate.Length(min=1, max=64),
                      metadata={"example": NEWER_ID})

    @validates_schema
    def two_ideas(self, data, **kwargs):
        if data.get("a") is not None and data.get("a") == data.get("b"):
            raise ValidationError("Une paire réunit deux idées différentes.", "b")


class Dismissal(Schema):
    a = fields.String(metadata={"description": "Le plus petit des deux identifiants",
                                "example": IDEA_ID})
    b = fields.String(metadata={"example": NEWER_ID})
    by = fields.Nested(Person, metadata={"description": "Qui l'a écartée le premier",
                                         "example": MODERATOR})
    at = fields.String(metadata={"example": ANSWERED_AT})


class LogEntry(Schema):
    event_id = fields.String(metadata={"example": "a4d6b17b-1c4d-4489-82a3-3355c699615d"})
    at = fields.String(metadata={"example": ANSWERED_AT})
    action = fields.String(metadata={
        "description": "answer, merge, unmerge, hide, confirm, restore, dismiss, contest, "
                       "hide_comment ou not_duplicate (une paire écartée du détecteur de "
                       "doublons)",
        "example": "answer"})
    idea_id = fields.String(metadata={"example": IDEA_ID})
    title = fields.String(metadata={"example": TITLE})
    by = fields.Nested(Person, allow_none=True, metadata={
        "description": "null quand le seuil de signalements a masqué l'idée",
        "example": MODERATOR})
    why = fields.String(metadata={"example": NOTE})
    status = fields.String(metadata={"example": "accepted"})
    into = fields.String(metadata={"description": "Fusion : l'idée qui la regroupe",
                                   "example": "d9b2b87cadaf45a1afbf0c058f304335"})
    into_title = fields.String(metadata={"description": "Fusion : son titre",
                                         "example": "Un accueil unique en mairie"})
    other = fields.String(metadata={"description": "Pas un doublon : l'autre idée de la paire",
                                    "example": NEWER_ID})
    other_title = fields.String(metadata={"description": "Pas un doublon : son titre",
                                          "example": PAIR_B["title"]})


class Log(Schema):
    items = fields.List(fields.Nested(LogEntry))
