"""The trending score (services.ideas.trending): fresh interest outranks old totals."""
import math

import pytest

from services.ideas import trending

DAY = "2026-11-{:02d}T12:00:00.000Z"


def test_an_event_one_tau_later_weighs_e_times_more():
    early, late = trending.exponent(DAY.format(1)), trending.exponent(DAY.format(5))
    assert late - early == pytest.approx(1.0)  # four days apart, tau is four days


def test_log_add_is_the_log_of_the_sum_and_never_overflows():
    assert trending.log_add(math.log(2), math.log(3)) == pytest.approx(math.log(5))
    assert trending.log_add(5000.0, 5000.0) == pytest.approx(5000.0 + math.log(2))


def heat(*times):
    """The supports' heat of supports given at `times`, added one at a time as the
    consumer does."""
    total = None
    for at in times:
        total = trending.add_support(total, at)
    return total


def test_recent_supports_outrank_more_numerous_old_ones():
    old = trending.trend(DAY.format(1), heat(*[DAY.format(1)] * 5), None)
    fresh = trending.trend(DAY.format(20), heat(*[DAY.format(20)] * 2), None)
    assert fresh > old


def test_with_the_same_times_more_supports_score_higher_and_a_comment_counts_half():
    one = trending.trend(DAY.format(10), heat(DAY.format(10)), None)
    two = trending.trend(DAY.format(10), heat(DAY.format(10), DAY.format(10)), None)
    commented = trending.trend(DAY.format(10), heat(DAY.format(10)),
                               trending.add_comment(None, DAY.format(10)))
    assert one < commented < two
    assert math.exp(commented) - math.exp(one) == pytest.approx(
        0.5 * math.exp(trending.exponent(DAY.format(10))))


def test_a_withdrawn_support_leaves_with_the_weight_it_came_with():
    kept = heat(DAY.format(3))
    both = heat(DAY.format(3), DAY.format(9))

    assert trending.remove_support(both, DAY.format(9)) == pytest.approx(kept)


def test_withdrawing_the_last_support_leaves_no_heat():
    assert trending.remove_support(heat(DAY.format(3)), DAY.format(3)) is None
    assert trending.trend(DAY.format(3), None, None) == pytest.approx(
        trending.exponent(DAY.format(3)))
