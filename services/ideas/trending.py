"""Trending: what gathers supports and comments now, as one number an index can sort by.

    heat = Σ_supports e^{(t_i − T0)/τ} + ½ Σ_comments e^{(t_j − T0)/τ} + e^{(t_created − T0)/τ}

Each support, comment (and the idea's creation) weighs e^{(t − T0)/τ}: an event τ later weighs
e times more, so an idea's heat relative to the others decays with time constant τ without ever
being recomputed, and a new idea starts with the weight of one support. We store
trend = ln(heat) (adding in log space keeps the numbers small: ln grows by 1 every τ) and sort
ideas by it, descending. Withdrawn supports leave the sum: the supports' part is recomputed
from the idea's supporters, each remembered with the time of their support. Like Fider's and
CONSUL's hot scores, fresh interest outranks old totals; unlike theirs, it needs no batch job.
"""
import math
from datetime import datetime

T0 = datetime.fromisoformat("2026-01-01T00:00:00+00:00")
TAU = 4 * 24 * 3600.0  # four days, in seconds
COMMENT_WEIGHT = 0.5


def exponent(moment):
    """(t − T0)/τ for an ISO 8601 time."""
    t = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return (t - T0).total_seconds() / TAU


def log_add(a, b):
    """ln(e^a + e^b) without overflow."""
    if a is None:
        return b
    high, low = max(a, b), min(a, b)
    return high + math.log1p(math.exp(low - high))


def log_sum(exponents):
    total = None
    for x in exponents:
        total = log_add(total, x)
    return total


def trend(created_at, support_times, comment_heat):
    """ln(heat) of an idea: its creation, its active supports' times, its comments' heat."""
    heat = log_sum([exponent(created_at), *(exponent(t) for t in support_times)])
    if comment_heat is not None:
        heat = log_add(heat, comment_heat)
    return round(heat, 9)


def add_comment(comment_heat, at):
    return log_add(comment_heat, exponent(at) + math.log(COMMENT_WEIGHT))
