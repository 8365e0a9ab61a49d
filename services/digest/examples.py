"""Whole examples for /openapi.json, where the schemas' field examples cannot tell it: a preview
that would be sent (the field examples show a quiet week, with nothing to send)."""
from services.digest.schemas import PERIOD

_LINK = "https://ideahub.example.fr/ideas/040257db69a64c4e9482dcb84a2d0ab6"
_TITLE = "Améliorer l'accueil du public — « guichet unique »"
_UNSUBSCRIBE = ("https://ideahub.example.fr/digest/unsubscribe"
                "?token=Im1hbmFnZXItMSI.lAW7OlIYVaAeBhVz-0JKOJrPQZI")

PREVIEW = {
    "period": PERIOD["example"],
    "would_send": True,
    "subject": f"Ideahub — semaine {PERIOD['example']} : 1 nouvelle idée",
    "text": f"""\
Bonjour,

Voici ce qui s'est passé dans votre périmètre pendant la semaine {PERIOD['example']}.

NOUVELLES IDÉES : 1
- {_TITLE} (Service urbanisme, 2 soutiens)
  {_LINK}

PAR RAPPORT À LA SEMAINE PRÉCÉDENTE
- nouvelles idées : 1 (contre 0)
- soutiens gagnés : 2 (contre 0)
- réponses apportées : 0 (contre 0)

--
Ideahub, la boîte à idées des agents.
Gérer mon abonnement : https://ideahub.example.fr/digest
Me désabonner : {_UNSUBSCRIBE}
""",
    # Abridged: the styles of the real message are left out.
    "html": f"""\
<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8">
<title>Ideahub — semaine {PERIOD['example']} : 1 nouvelle idée</title></head>
<body>
<h1>Ideahub — semaine {PERIOD['example']}</h1>
<p>Voici ce qui s'est passé dans votre périmètre.</p>
<h2>Nouvelles idées : 1</h2>
<ul><li><a href="{_LINK}">Améliorer l&#39;accueil du public — « guichet unique »</a>
— Service urbanisme, 2 soutiens</li></ul>
<p>Ideahub, la boîte à idées des agents. <a href="{_UNSUBSCRIBE}">Me désabonner</a></p>
</body>
</html>
""",
}
