"""With the keyboard alone: Tab reaches the support button and every field of the propose
form, in order, Enter supports, and each stop shows where the focus is: an outline or a
shadow, and a look that differs from the same element without the focus."""
import pytest
from playwright.sync_api import expect


PRESSES = 80   # more stops than any page of the hub has before its main content ends

LOOK = """el => {
    const s = getComputedStyle(el);
    return {outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow,
            all: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow,
                  s.borderColor, s.backgroundColor, s.color].join(" | ")};
}"""


def tab_to(page, target):
    """Press Tab until `target` has the focus."""
    for _ in range(PRESSES):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {target} in {PRESSES} presses")


def assert_focus_visible(target, unfocused):
    focused = target.evaluate(LOOK)
    ring = (focused["outline"] != "none" and focused["width"] != "0px") \
        or focused["shadow"] != "none"
    assert ring, f"{target}: neither outline nor shadow with the focus: {focused['all']}"
    assert focused["all"] != unfocused["all"], f"{target}: the focus changes nothing of its look"


def test_the_support_button_is_reached_and_pressed_with_the_keyboard(tab, sample_idea):
    joel = tab("joel")
    joel.goto_listing("/?q=casiers", sample_idea)  # near the top, whatever else was added
    item = joel.page.locator(f"#idea-{sample_idea}")
    button = item.get_by_role("button", name=joel.text["support"], exact=True)
    unfocused = button.evaluate(LOOK)

    tab_to(joel.page, button)
    assert_focus_visible(button, unfocused)
    joel.page.keyboard.press("Enter")
    withdraw = item.get_by_role("button", name=joel.text["unsupport"])
    expect(withdraw).to_have_attribute("aria-pressed", "true")
    withdraw.focus()
    joel.page.keyboard.press("Enter")      # leave the idea as it was for the other tests
    expect(button).to_have_attribute("aria-pressed", "false")


def test_the_propose_form_is_filled_in_order_with_the_keyboard(tab):
    agnes = tab("agnes")
    agnes.goto("/ideas/new")
    text, page = agnes.text, agnes.page
    stops = [page.get_by_label(text["title"]), page.get_by_label(text["description"]),
             page.get_by_label(text["tags"]),
             page.get_by_role("button", name=text["propose_submit"])]
    unfocused = [stop.evaluate(LOOK) for stop in stops]

    tab_to(page, stops[0])
    assert_focus_visible(stops[0], unfocused[0])
    for stop, look in zip(stops[1:], unfocused[1:]):
        page.keyboard.press("Tab")
        expect(stop).to_be_focused()        # the next field, with nothing in between
        assert_focus_visible(stop, look)
