"""Replying to a comment without JavaScript: the "Répondre" disclosure under the comment
opens its form, the reply lands at its own anchor, nested under its parent; the page with
the form open stays accessible and fits a phone."""
import re

from playwright.sync_api import expect

from tests.browser.axe import accessible


def test_a_reply_without_javascript_lands_nested_under_its_comment_at_its_anchor(
        tab, http, token, axe_source):
    created = http("POST", "/api/ideas", token(), json={
        "title": "Des horaires d'accueil élargis le jeudi soir",
        "body": "Pour les usagers qui travaillent en journée.", "tags": ["accueil"]})
    assert created.status_code == 201, created.text
    idea = created.json()["id"]
    parent = http("POST", f"/api/ideas/{idea}/comments", token(name="Inès Marchand"),
                  json={"body": "Jusqu'à quelle heure ?"})
    assert parent.status_code == 201, parent.text
    parent_id = parent.json()["id"]
    joel = tab("joel", js=False)
    reply = "Jusqu'à 19 h, avec deux agents volontaires."

    joel.goto(f"/ideas/{idea}")
    thread = joel.page.locator(f"#commentaire-{parent_id}")
    thread.locator("summary", has_text=joel.text["reply"]).click()
    thread.get_by_label(joel.text["reply_field"]).fill(reply)
    thread.get_by_role("button", name=joel.text["reply_submit"]).click()

    expect(joel.page).to_have_url(re.compile(rf"/ideas/{idea}#commentaire-[0-9a-f]+$"))
    anchor = joel.page.url.rsplit("#", 1)[1]
    nested = thread.locator(f".replies #{anchor}")
    expect(nested).to_contain_text(reply)

    # axe runs in the page's JavaScript: the same page in a tab that has it, the form open.
    reader = tab("joel")
    reader.goto(f"/ideas/{idea}")
    reader.page.locator(f"#commentaire-{parent_id} summary",
                        has_text=reader.text["reply"]).click()
    accessible(reader, axe_source, "the idea page")
