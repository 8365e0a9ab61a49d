"""Trending: what gathers supports and comments now, as one number an index can sort by.

    heat = Σ_supports e^{(t_i − T0)/τ} + ½ Σ_comments e^{(t_j − T0)/τ} + e^{(t_created − T0)/τ}

Each support, comment (and the idea's creation) weighs e^{(t − T0)/τ}: an event τ later weighs
e times more, so an idea's heat relative to the others decays with time constant τ without ever
being recomputed, and a new idea starts with the weight of one support. We store
trend = ln(heat) (adding in log space keeps the numbers small: ln grows by 1 every τ) and sort
ideas by it, descending. Withdrawn supports leave the sum with the weight they came with
(each supporter is remembered with the time of their support, shared.tally). The ideas
consumer alone writes these fields, one event at a time, fenced by the event's offset. Like Fider's and
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


def log_sub(a, b):
    """ln(e^a − e^b), or None when nothing is left (b ≥ a up to rounding)."""
    if a is None or b >= a - 1e-9:
        return None
    return a + math.log1p(-math.exp(b - a))


def trend(created_at, support_heat, comment_heat):
    """ln(heat) of an idea: its creation, its active supports' heat, its comments' heat."""
    heat = exponent(created_at)
    for part in (support_heat, comment_heat):
        if part is not None:
            heat = log_add(heat, part)
    return round(heat, 9)


def add_support(support_heat, at):
    return log_add(support_heat, exponent(at))


def remove_support(support_heat, at):
    """A withdrawn support leaves the sum with the weight it came with."""
    return log_sub(support_heat, exponent(at))


def add_comment(comment_heat, at):
    return log_add(comment_heat, exponent(at) + math.log(COMMENT_WEIGHT))
