"""The digest's pages: a manager sees the address waiting for its confirmation; the links of
the digest's mails lead to pages that ask, then confirm in French, whoever follows them."""
import re

import pytest


def text(response):
    return response.get_data(as_text=True)


def test_a_manager_sees_that_another_address_waits_for_its_confirmation(browser, sign_in, post):
    sign_in("aurelie")
    saved = post("/digest", {"email": "secretariat@ville.test", "units": "Service urbanisme"},
                 from_page="/digest")
    assert saved.status_code == 303

    page = text(browser.get("/digest"))

    assert "Adresse à confirmer : un message a été envoyé à secretariat@ville.test." in page


def test_the_managers_own_address_waits_for_nothing(browser, sign_in, post):
    sign_in("aurelie")
    post("/digest", {"units": "Service urbanisme"}, from_page="/digest")

    assert "Adresse à confirmer" not in text(browser.get("/digest"))


PAGES = [("/digest/unsubscribe", "Me désabonner", "Vous ne recevrez plus la synthèse",
          "unsubscribe_from_digest"),
         ("/digest/confirm-address", "Confirmer mon adresse", "Adresse confirmée",
          "confirm_digest_address")]


@pytest.mark.parametrize("path, button, done, call", PAGES)
def test_opening_a_mails_link_asks_and_changes_nothing(browser, fake, path, button, done,
                                                       call):
    page = browser.get(f"{path}?token=genuine")

    assert page.status_code == 200 and '<html lang="fr">' in text(page)
    assert re.search(rf'<button type="submit"[^>]*>{button}</button>', text(page))
    assert '<input type="hidden" name="token" value="genuine">' in text(page)
    assert not [c for c in fake.calls if c[0] == call]


@pytest.mark.parametrize("path, button, done, call", PAGES)
def test_pressing_the_button_of_a_mails_link_ends_on_a_page_that_confirms(
        browser, fake, path, button, done, call):
    page = browser.get(f"{path}?token=genuine")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', text(page)).group(1)

    answer = browser.post(path, data={"csrf_token": csrf, "token": "genuine"})

    assert answer.status_code == 200 and answer.mimetype == "text/html"
    assert done in text(answer)
    assert (call, ("genuine",), {}) in fake.calls


@pytest.mark.parametrize("path, button, done, call", PAGES)
def test_a_forged_or_expired_link_says_what_to_do_instead(browser, path, button, done, call):
    page = browser.get(f"{path}?token=forged")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', text(page)).group(1)

    answer = browser.post(path, data={"csrf_token": csrf, "token": "forged"})

    assert answer.status_code == 404
    assert "invalide" in text(answer) and 'href="/digest"' in text(answer)
    assert browser.get(path).status_code == 404  # no token at all


def test_the_unsubscribe_page_speaks_english_when_the_digest_did(browser):
    page = text(browser.get("/digest/unsubscribe?token=genuine&lang=en"))

    assert '<html lang="en">' in page and "Unsubscribe me" in page


def test_a_manager_not_yet_subscribed_starts_from_the_scope_an_admin_set(browser, sign_in, fake):
    sign_in("aurelie")
    fake.people["aurelie"]["scope"] = ["CCAS", "Service urbanisme"]

    page = browser.get("/digest").get_data(as_text=True)

    for unit in ("CCAS", "Service urbanisme"):
        assert re.search(rf'<input type="checkbox"[^>]*value="{unit}" checked>', page), unit


def test_units_are_ticked_among_those_in_use_and_a_saved_one_stays_offered(browser, sign_in,
                                                                           post, fake):
    sign_in("aurelie")
    fake.add_idea(unit="Service urbanisme")
    fake.add_idea(unit="Direction des solidarités")
    post("/digest", {"units": ["Service urbanisme", "Ancien service"]}, from_page="/digest")

    page = text(browser.get("/digest"))

    assert 'id="units-' in page and '<input id="units"' not in page
    for unit, checked in (("Service urbanisme", True), ("Direction des solidarités", False),
                          ("Ancien service", True)):
        box = re.search(rf'<input type="checkbox"[^>]*value="{unit}"[^>]*>', page).group(0)
        assert (" checked" in box) is checked, unit
    assert fake.subscriptions["aurelie"]["units"] == ["Service urbanisme", "Ancien service"]


def test_the_week_is_chosen_among_recent_weeks_said_in_words(browser, sign_in, post):
    sign_in("aurelie")
    post("/digest", {}, from_page="/digest")

    page = text(browser.get("/digest?period=2026-W48"))

    assert '<select id="period" name="period"' in page
    assert '<option value="2026-W48" selected>semaine du 23 au 29 novembre 2026</option>' in page
    assert "semaine du 30 novembre au 6 décembre 2026" in page  # the current week
    english = text(browser.get("/digest?period=2026-W48&lang=en"))
    assert "week of 23 to 29 November 2026" in english


def test_the_preview_shows_the_scope_being_chosen_before_any_saving(browser, sign_in, post,
                                                                    fake):
    sign_in("aurelie")
    fake.add_idea(unit="Direction des solidarités")

    first = text(browser.get("/digest"))
    chosen = post("/digest", {"units": ["Direction des solidarités"], "period": "2026-W47",
                              "action": "preview"}, from_page="/digest")

    assert "Idées de la semaine (tous les services)" in first  # not subscribed: a default
    assert chosen.status_code == 200
    assert "Idées de la semaine (Direction des solidarités)" in text(chosen)
    assert "pas encore enregistré" in text(chosen)
    assert "aurelie" not in fake.subscriptions  # previewing saves nothing
    box = re.search(r'<input type="checkbox"[^>]*value="Direction des solidarités"[^>]*>',
                    text(chosen)).group(0)
    assert " checked" in box  # the form keeps what was ticked


def test_the_preview_starts_on_the_week_in_progress(browser, sign_in, fake):
    """It started on last week, already sent (issue 17): the manager saw an empty or stale
    digest until they picked a week."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    sign_in("aurelie")
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    year, week, _ = (today - timedelta(days=today.weekday())).isocalendar()

    page = text(browser.get("/digest"))

    assert f'<option value="{year}-W{week:02d}" selected>' in page
    asked = [args for name, args, _ in fake.calls if name == "preview_digest"]
    assert asked[-1][0] == f"{year}-W{week:02d}"
