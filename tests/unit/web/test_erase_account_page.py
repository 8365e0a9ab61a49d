"""The page to delete one's account: what goes and what stays, the texts' choice when the
administration leaves it, a confirmation; and a link to keep a copy of one's data first."""
import pytest

pytestmark = pytest.mark.unit


def test_the_page_offers_the_choice_the_confirmation_and_a_copy_of_my_data(browser, sign_in):
    sign_in("agnes")

    page = browser.get("/me/supprimer").get_data(as_text=True)

    assert 'name="texts" value="keep"' in page and 'name="texts" value="remove"' in page
    assert 'name="confirm"' in page and 'href="/me/mes-donnees"' in page
