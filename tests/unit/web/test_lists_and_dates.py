"""Everyday comfort on the list and the idea pages: filters from the units and tags in use,
a result count, previous and next pages, one way of saying when, and "aucun" for none."""
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
NBSP = "\u00a0"


def text(response):
    return response.get_data(as_text=True)


def times(page):
    """What the page's <time> elements say, no-break spaces as spaces."""
    return [said.replace(NBSP, " ") for said in re.findall(r"<time [^>]*>([^<]*)</time>", page)]


def iso(moment):
    return moment.astimezone(timezone.utc).isoformat()


def test_the_filters_offer_the_units_and_tags_in_use_with_their_counts(browser, sign_in,
                                                                        fake):
    sign_in()
    fake.add_idea(tags=["urbanisme", "vélo"])
    fake.add_idea(tags=["urbanisme"], unit="Direction des solidarités")

    page = text(browser.get("/?tag=urbanisme"))

    assert '<select id="tag" name="tag">' in page and '<select id="unit" name="unit">' in page
    assert '<option value="urbanisme" selected>urbanisme (2)</option>' in page
    assert '<option value="vélo">vélo (1)</option>' in page
    assert '<option value="Service urbanisme">Service urbanisme (1)</option>' in page
    assert '<option value="Direction des solidarités">Direction des solidarités (1)' in page
    assert ("list_ideas", (), {"sort": "trending", "limit": 20, "cursor": None,
                               "status": "", "tag": "urbanisme", "unit": "", "q": ""}) \
        in fake.calls


def test_a_filter_no_longer_in_use_stays_chosen_rather_than_silently_dropped(browser, sign_in,
                                                                              fake):
    sign_in()
    fake.add_idea(tags=["vélo"])

    page = text(browser.get("/?unit=Ancien+service"))

    assert '<option value="Ancien service" selected>Ancien service (0)</option>' in page
    assert "aucune idée" in page


def test_tags_on_a_card_and_an_idea_page_link_to_the_list_of_that_tag(browser, sign_in, fake):
    sign_in()
    fake.add_idea(tags=["mobilité douce"])

    for page in (text(browser.get("/")), text(browser.get("/ideas/i1"))):
        assert re.search(r'<a [^>]*href="/\?tag=mobilit%C3%A9\+douce">mobilité douce</a>', page)


def test_the_list_counts_its_results_and_pages_back_and_forth(browser, sign_in, fake):
    sign_in()
    for n in range(45):
        fake.add_idea(title=f"Idée numéro {n}")

    first = text(browser.get("/"))
    assert "45 idées" in first
    assert 'rel="prev"' not in first
    second = text(browser.get(re.search(r'href="([^"]+)" rel="next"', first).group(1)
                              .replace("&amp;", "&")))
    assert "Idée numéro 20" in second and "Idée numéro 0<" not in second
    previous = re.search(r'href="([^"]+)" rel="prev">Page précédente', second).group(1)
    assert "cursor" not in previous  # back to the first page
    third = text(browser.get(re.search(r'href="([^"]+)" rel="next"', second).group(1)
                             .replace("&amp;", "&")))
    assert "Idée numéro 40" in third and 'rel="next"' not in third
    assert "cursor=20" in re.search(r'href="([^"]+)" rel="prev"', third).group(1)
    assert "1 idée<" in text(browser.get("/?q=numéro+44"))


def test_none_is_said_in_words_not_as_zero(browser, sign_in, fake):
    sign_in()
    fake.add_idea()

    french, english = text(browser.get("/")), text(browser.get("/?lang=en"))

    assert "aucun soutien" in french and "aucun commentaire" in french
    assert "0 soutien" not in french and "0 commentaire" not in french
    assert "no supports" in english and "no comments" in english


def test_dates_are_said_one_french_way_relative_for_the_last_two_days(browser, sign_in, fake):
    sign_in()
    now = datetime.now(PARIS)
    yesterday = (now - timedelta(days=1)).replace(hour=14, minute=16)
    fake.add_idea(title="Récente", created_at=iso(now - timedelta(minutes=5, seconds=10)))
    fake.add_idea(title="D'hier", created_at=iso(yesterday))
    fake.add_idea(title="Ancienne", created_at="2026-11-01T13:16:00+00:00")  # 14 h 16 à Paris

    french = times(text(browser.get("/")))
    english = times(text(browser.get("/?lang=en")))

    assert "il y a 5 minutes" in french and "hier à 14 h 16" in french
    assert "le 1er novembre 2026 à 14 h 16" in french
    assert "5 minutes ago" in english and "yesterday at 2:16 PM" in english
    assert "on 1 November 2026 at 2:16 PM" in english


def test_every_page_says_a_date_the_same_way_in_a_time_element(browser, sign_in, fake):
    sign_in()
    fake.add_idea(created_at="2026-11-01T13:16:00+00:00")

    for path in ("/", "/ideas/i1", "/me"):
        assert "le 1er novembre 2026 à 14 h 16" in times(text(browser.get(path))), path
