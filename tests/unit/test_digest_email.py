"""services.digest.email: a digest as a two-part email a mail client can unsubscribe from."""
from urllib.parse import parse_qs, urlsplit

import pytest

from services.digest import domain, email, links
from tests.unit.builders import DURING, WEEK, digest_view, make_idea, make_subscription

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def subscription():
    return make_subscription()


def content_for(*ideas):
    return domain.build(make_subscription(), WEEK, [digest_view(i, ("bob", DURING)) for i in ideas])


@pytest.fixture
def rendered(subscription, config):
    return email.render(content_for(make_idea(title=HOSTILE)), subscription, config)


@pytest.fixture
def message(rendered, subscription, config):
    return email.message(rendered, subscription, domain.message_id("manager-1", WEEK), config)


def parts(message):
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


def test_the_email_has_a_text_and_an_html_part(message, rendered):
    assert message.get_content_type() == "multipart/alternative"
    assert parts(message) == {"text/plain": rendered["text"], "text/html": rendered["html"]}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_subject_names_the_week(config, language):
    rendered = email.render(content_for(make_idea()), make_subscription(language=language),
                            config)

    assert WEEK in rendered["subject"]


def test_the_subject_counts_new_ideas_in_french():
    assert email.subject({"period": WEEK, "new_count": 1}, "fr").endswith(": 1 nouvelle idée")
    assert email.subject({"period": WEEK, "new_count": 3}, "fr").endswith(
        ": 3 nouvelles idées")
    assert "nouvelle" not in email.subject({"period": WEEK, "new_count": 0}, "fr")


def test_headers_let_a_mail_client_unsubscribe_in_one_click(message, rendered, subscription,
                                                          config):
    assert message["List-Unsubscribe"] == f"<{rendered['one_click_url']}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["To"] == subscription["email"]
    assert message["From"] == config.mail_from
    assert message["Message-ID"] == domain.message_id("manager-1", WEEK)
    assert rendered["one_click_url"].startswith(f"{config.public_url}/api/digest/unsubscribe?")


def test_the_one_click_address_goes_out_whole_not_folded_into_encoded_words(message, rendered):
    # A token makes the address longer than a line: folded, it became =?utf-8?q?=3Chttp…?=,
    # which mail clients cannot POST to.
    raw = message.as_bytes()
    assert len(rendered["one_click_url"]) > 78
    assert f"List-Unsubscribe: <{rendered['one_click_url']}>\n".encode() in raw
    assert b"=?utf-8?q?=3Chttp" not in raw


def test_the_unsubscribe_link_of_the_text_leads_to_the_page_that_confirms(rendered, config):
    # The API answers machines; a person following the link lands on the web service's page.
    assert rendered["unsubscribe_url"].startswith(f"{config.public_url}/digest/unsubscribe?")
    assert f"Me désabonner : {rendered['unsubscribe_url']}\n" in rendered["text"]
    assert rendered["one_click_url"] not in rendered["text"] + rendered["html"]


def test_a_digest_in_english_links_to_the_english_page(config):
    rendered = email.render(content_for(make_idea()), make_subscription(language="en"), config)

    assert rendered["unsubscribe_url"].endswith("&lang=en")


def test_user_text_is_escaped_in_html_and_verbatim_in_text(rendered):
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered["html"]
    assert HOSTILE not in rendered["html"]
    assert HOSTILE in rendered["text"]


def test_the_unsubscribe_links_carry_a_token_for_this_subscription(rendered, subscription,
                                                                    config):
    for url in (rendered["unsubscribe_url"], rendered["one_click_url"]):
        token = parse_qs(urlsplit(url).query)["token"][0]
        assert links.read_unsubscribe_token(config, token) == (
            "manager-1", subscription.get("created_at"))


def test_a_digest_rendered_once_for_a_scope_gets_each_subscriptions_own_unsubscribe_link(
        config):
    shared = email.render_for_all(content_for(make_idea()), "fr", config)
    first, second = (email.personal(shared, make_subscription(_id=sub), config)
                     for sub in ("manager-1", "manager-2"))

    for one in (first, second):
        assert one["unsubscribe_url"] in one["text"]
        assert one["unsubscribe_url"] in one["html"]  # URL-safe: escaping leaves it as is
        assert "ideahub.invalid" not in one["text"] + one["html"]
    assert first["unsubscribe_url"] != second["unsubscribe_url"]
