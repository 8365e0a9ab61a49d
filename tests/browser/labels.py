"""The visible texts the browser tests find elements by, in both languages: exactly those of
the web contract (issue 6), so a renamed button breaks a test rather than passing unseen."""

LABELS = {
    "fr": {
        "sign_in": "Se connecter", "sign_out": "Se déconnecter",
        "nav_ideas": "Idées", "nav_propose": "Proposer", "nav_me": "Mon espace",
        "nav_moderation": "Modération", "nav_digest": "Synthèse",
        "support": "Soutenir", "unsupport": "Retirer mon soutien",
        "propose_heading": "Proposer une idée", "title": "Titre", "description": "Description",
        "tags": "Mots-clés", "propose_submit": "Proposer l'idée",
        "similar_heading": "Une idée proche existe peut-être",
        "comment_field": "Votre commentaire", "comment_submit": "Commenter",
        "reply": "Répondre", "reply_field": "Votre réponse", "reply_submit": "Publier la réponse",
        "flag_reason": "Motif", "flag_submit": "Signaler",
        "new_status": "Nouveau statut", "public_note": "Note publique", "answer": "Répondre",
        "timeline": "Historique",
        "digest_preview": "Aperçu de la synthèse", "week": "Semaine de l'aperçu",
        "preview": "Prévisualiser ce périmètre", "no_supports": "aucun soutien",
        "switch_language": "English",
    },
    "en": {
        "sign_in": "Sign in", "sign_out": "Sign out",
        "nav_ideas": "Ideas", "nav_propose": "Propose", "nav_me": "My space",
        "nav_moderation": "Moderation", "nav_digest": "Digest",
        "support": "Support", "unsupport": "Withdraw my support",
        "propose_heading": "Propose an idea", "title": "Title", "description": "Description",
        "tags": "Tags", "propose_submit": "Propose the idea",
        "similar_heading": "A similar idea may already exist",
        "comment_field": "Your comment", "comment_submit": "Comment",
        "reply": "Reply", "reply_field": "Your reply", "reply_submit": "Post the reply",
        "flag_reason": "Reason", "flag_submit": "Report",
        "new_status": "New status", "public_note": "Public note", "answer": "Answer",
        "timeline": "Timeline",
        "digest_preview": "Digest preview", "week": "Week of the preview",
        "preview": "Preview this scope", "no_supports": "no supports",
        "switch_language": "Français",
    },
}

# The demo people of the /signin page: key posted as `person`, and the name it shows.
PEOPLE = {
    "agnes": "Agnès Müller",        # agent, Service urbanisme
    "joel": "Joël N'Diaye",         # agent, CCAS
    "maelle": "Maëlle Le Goff",     # agent + moderator, Direction générale
    "aurelie": "Aurélie Dupont",    # manager, Service urbanisme
    "lea": "Léa Garnier",           # agent + admin, Direction du numérique
}
