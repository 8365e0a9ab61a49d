"""shared.text: user text made storable."""
import unicodedata

import pytest

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


@pytest.mark.parametrize("typed, kept", [
    ("Payé \u202e0001 €", "Payé \u202e0001 €\u202c"),  # an override left open is closed
    ("a \u2067b \u202ec", "a \u2067b \u202ec\u202c\u2069"),  # innermost first
    ("a \u2067b \u202ec\u2069 d", "a \u2067b \u202ec\u2069 d"),  # a PDI closes what it holds
    ("\u202eune ligne\nune autre", "\u202eune ligne\u202c\nune autre"),  # closed per line
    ("a\u202c b\u2069", "a\u202c b\u2069"),  # closers without openers change nothing
])
def test_bidi_controls_are_closed_on_their_line(typed, kept):
    assert clean(typed) == kept
