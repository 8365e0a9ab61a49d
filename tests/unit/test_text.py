"""shared.text (user text made storable) and shared.supports (counts that survive redelivery)."""
import itertools
import unicodedata

import pytest

from shared.supports import apply_support, count
from shared.text import clean, clean_line, fold

RLM, LRM, ZWJ = "\u200f", "\u200e", "\u200d"


def test_clean_composes_accents_so_equal_text_is_stored_equal():
    decomposed = unicodedata.normalize("NFD", "Préfecture")
    assert len(decomposed) > len("Préfecture")

    assert clean(decomposed) == "Préfecture"


def test_clean_turns_windows_and_old_mac_line_breaks_into_line_feeds():
    assert clean("un\r\ndeux\rtrois\nquatre") == "un\ndeux\ntrois\nquatre"


def test_clean_removes_control_characters_but_keeps_tabs_and_line_feeds():
    assert clean("a\x00b\x07c\x1bd\x7fe\tf\ng") == "abcde\tf\ng"


def test_clean_keeps_bidi_and_joiner_marks():
    text = f"{RLM}مرحبا{LRM} Anne{ZWJ}Marie"

    assert clean(text) == text


def test_clean_strips_surrounding_blanks_only():
    assert clean("  \n deux  mots \t\n") == "deux  mots"


def test_clean_line_collapses_every_run_of_white_space_to_one_space():
    assert clean_line(" Un\ttitre \r\n sur\n\ndeux  lignes ") == "Un titre sur deux lignes"


def test_clean_line_keeps_the_no_break_spaces_of_french_typography():
    title = "Un guichet\u00a0« unique\u00a0» pour tous\u202f!"

    assert clean_line(title) == title


@pytest.mark.parametrize("text, folded", [
    ("Vélo", "velo"), ("ÉCOLE", "ecole"), ("Ça", "ca"), ("Straße", "strasse"),
    (unicodedata.normalize("NFD", "Noël"), "noel"),
])
def test_fold_drops_case_and_accents(text, folded):
    assert fold(text) == folded


def test_a_support_counts_once_its_person_supports():
    supporters = {}

    assert apply_support(supporters, "bob", 1, True) is True
    assert apply_support(supporters, "carol", 1, True) is True
    assert count(supporters) == 2


def test_a_retracted_support_no_longer_counts():
    supporters = {}
    apply_support(supporters, "bob", 1, True)
    apply_support(supporters, "bob", 2, False)

    assert count(supporters) == 0


@pytest.mark.parametrize("stale_seq", [1, 2])
def test_a_change_not_newer_than_the_known_one_is_ignored(stale_seq):
    supporters = {}
    apply_support(supporters, "bob", 2, False)

    assert apply_support(supporters, "bob", stale_seq, True) is False
    assert count(supporters) == 0


def test_voter_ids_with_dots_and_dollars_are_kept_apart():
    supporters = {}
    for voter in ("a.b", "a$b", "ab"):
        apply_support(supporters, voter, 1, True)

    assert count(supporters) == 3
    assert not any(set(key) & {".", "$"} for key in supporters)


CHANGES = [("bob", 1, True), ("carol", 1, True), ("bob", 2, False), ("dan", 1, True),
           ("carol", 2, False), ("carol", 3, True), ("bob", 3, True), ("dan", 2, False)]


def test_any_arrival_order_and_duplicates_end_at_the_same_count():
    in_order = {}
    for change in CHANGES:
        apply_support(in_order, *change)
    expected = count(in_order)
    assert expected == 2  # bob and carol support in the end, dan withdrew

    for order in itertools.islice(itertools.permutations(CHANGES), 0, None, 997):
        supporters = {}
        for change in order + order[:3]:
            apply_support(supporters, *change)
        assert count(supporters) == expected, order
