"""Whole examples for /openapi.json, where the schemas' field examples (a support given) would
mislead: the answer to withdrawing one's support."""
from services.votes.schemas import IDEA_ID

WITHDRAWN = {"idea_id": IDEA_ID, "voted": False, "count": 41}
