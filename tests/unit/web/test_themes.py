"""Two themes over one set of templates: ours by default, the State design system with
HUB_THEME=dsfr (served from the folder the stack fetched it into), the components' classes
from the theme, and a misconfigured theme refused at start."""
import pytest

from services.web.app import create_app
from services.web.themes import ThemeMisconfigured
from shared.config import load_config


def text(response):
    return response.get_data(as_text=True)


@pytest.fixture
def dsfr_dist(tmp_path):
    (tmp_path / "dsfr.min.css").write_text(".fr-btn{}")
    (tmp_path / "favicon").mkdir()
    (tmp_path / "favicon" / "favicon.svg").write_text("<svg/>")
    return tmp_path


def render(app, source, **context):
    with app.test_request_context("/"):
        app.preprocess_request()
        return app.jinja_env.from_string(source).render(**context)


def test_the_default_theme_is_ours_and_serves_no_dsfr(browser):
    page = text(browser.get("/signin"))

    assert "/static/themes/ideahub.css" in page and "dsfr" not in page
    assert 'class="site-header"' in page
    assert browser.get("/dsfr/dsfr.min.css").status_code == 404
    assert browser.get("/static/favicon.svg").status_code == 200


def test_hub_theme_dsfr_serves_the_design_system_and_uses_its_frame(config, fake, dsfr_dist):
    app = create_app(config.with_overrides(theme="dsfr", dsfr_dir=str(dsfr_dist)),
                     make_client=fake.client)
    browser = app.test_client()

    page = text(browser.get("/signin"))

    assert '<link rel="stylesheet" href="/dsfr/dsfr.min.css">' in page
    assert "/static/themes/dsfr.css" in page and "themes/ideahub.css" not in page
    assert 'class="fr-header"' in page and 'class="fr-footer"' in page
    assert "République<br>Française" in page
    css = browser.get("/dsfr/dsfr.min.css")
    assert css.status_code == 200 and text(css) == ".fr-btn{}"
    assert "Content-Security-Policy" in css.headers  # served by the app, under its headers


def test_the_components_take_their_classes_from_the_theme(config, fake, dsfr_dist):
    source = ('{% from "macros.html" import badge, button, alert with context %}'
              '{{ badge("accepted") }}{{ button("Envoyer") }}'
              '{% call alert("error") %}Non{% endcall %}')
    ours = render(create_app(config, make_client=fake.client), source)
    state = render(create_app(config.with_overrides(theme="dsfr", dsfr_dir=str(dsfr_dist)),
                              make_client=fake.client), source)

    assert '<span class="badge badge-success">retenue</span>' in ours
    assert '<span class="fr-badge fr-badge--sm fr-badge--success">retenue</span>' in state
    assert 'class="button"' in ours and 'class="fr-btn"' in state
    assert 'class="alert alert-error" role="alert"' in ours
    assert 'class="fr-alert fr-alert--error fr-alert--sm" role="alert"' in state


def test_a_table_says_it_scrolls_and_a_field_is_described_by_its_hint_and_error(app):
    source = ('{% from "macros.html" import table, field with context %}'
              '{% call table("Journal", "journal") %}<table></table>{% endcall %}'
              '{{ field("title", "Titre", {"title": ["Trop long."]}, hint="140 caractères") }}')

    html = render(app, source)

    assert 'aria-describedby="journal-defiler"' in html and 'tabindex="0"' in html
    assert 'id="journal-defiler">Faites défiler le tableau de côté' in html
    assert 'aria-describedby="title-aide title-erreur"' in html
    assert 'aria-invalid="true"' in html and 'id="title-erreur">Trop long.</p>' in html


def test_tags_link_to_the_ideas_that_carry_them(app):
    html = render(app, '{% from "macros.html" import tags with context %}{{ tags(["vélo"]) }}')

    assert 'href="/?tag=v%C3%A9lo"' in html


@pytest.mark.parametrize("overrides, says", [
    ({"theme": "marianne"}, "HUB_THEME"),
    ({"theme": "dsfr", "dsfr_dir": ""}, "HUB_DSFR_DIR"),
    ({"org_logo_url": "https://cdn.example.org/logo.png"}, "HUB_ORG_LOGO_URL"),
    ({"org_logo_url": "//cdn.example.org/logo.png"}, "HUB_ORG_LOGO_URL"),
    ({"accessibility": "yes"}, "HUB_ACCESSIBILITY"),
])
def test_a_misconfigured_theme_stops_the_app_at_start_saying_which_setting(
        config, fake, overrides, says):
    with pytest.raises(ThemeMisconfigured, match=says):
        create_app(config.with_overrides(**overrides), make_client=fake.client)


def test_an_organisation_logo_on_the_site_shows_in_the_header(config, fake):
    app = create_app(config.with_overrides(org_logo_url="/static/favicon.svg"),
                     make_client=fake.client)

    page = text(app.test_client().get("/signin"))

    assert '<img class="brand-logo" src="/static/favicon.svg" alt="">' in page


def test_the_theme_and_organisation_come_from_the_environment():
    config = load_config({"HUB_THEME": "dsfr", "HUB_DSFR_DIR": "/srv/dsfr",
                          "HUB_ORG_NAME": "Ville d'Ici", "HUB_ORG_CONTACT": "a@ici.fr",
                          "HUB_ORG_LOGO_URL": "/static/ici.svg", "HUB_ACCESSIBILITY": "partial"})

    assert (config.theme, config.dsfr_dir, config.org_name, config.org_contact,
            config.org_logo_url, config.accessibility) == (
        "dsfr", "/srv/dsfr", "Ville d'Ici", "a@ici.fr", "/static/ici.svg", "partial")
    assert load_config({}).theme == "ideahub"
