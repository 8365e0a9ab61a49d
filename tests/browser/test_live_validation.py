"""The propose form says what is wrong as it is filled in, before any submit: once a field
has been left, each change updates its message (aria-live) and its aria-invalid."""
import pytest
from playwright.sync_api import expect


SAID = {"fr": ("Encore 2 caractère(s) au moins.", "Au plus 5 mots-clés."),
        "en": ("At least 2 more character(s).", "At most 5 tags.")}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_short_title_and_too_many_tags_are_named_as_they_are_typed(tab, lang):
    agnes = tab("agnes", lang)
    agnes.goto("/ideas/new")
    page, text = agnes.page, agnes.text
    title = page.get_by_label(text["title"], exact=True)
    too_short, too_many = SAID[lang]

    title.fill("Vél")
    title.press("Tab")  # left: from now on it is checked as it changes
    expect(page.locator("#title-direct")).to_have_text(too_short)
    expect(title).to_have_attribute("aria-invalid", "true")
    title.press_sequentially("os")
    expect(page.locator("#title-direct")).to_have_text("")
    expect(title).not_to_have_attribute("aria-invalid", "true")

    tags = page.get_by_label(text["tags"], exact=True)
    tags.fill("a, b, c, d, e, f")
    tags.press("Tab")
    expect(page.locator("#tags-direct")).to_have_text(too_many)
    assert page.url.endswith("/ideas/new")  # nothing was submitted
