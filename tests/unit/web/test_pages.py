"""The pages on a fake API: sign-in, forms with CSRF, errors shown to the person, roles."""
import re
import time

import jwt
import pytest

from shared.auth import TOKEN_TTL, TokenVerifier
from services.web.app import create_app
from services.web.client import ApiUnavailable
from tests.hostile import ATTRIBUTE, SCRIPT

HOSTILE = f"{SCRIPT} {ATTRIBUTE}"


def text(response):
    return response.get_data(as_text=True)


def test_signing_in_as_a_demo_person_shows_who_is_signed_in(browser, sign_in):
    page = text(browser.get("/signin"))
    for name in ("Agnès Müller", "Joël N&#39;Diaye", "Maëlle Le Goff", "Aurélie Dupont"):
        assert name in page
    sign_in("maelle")
    home = text(browser.get("/"))
    assert "Se déconnecter" in home and "Modération" in home and "Synthèse" not in home


def test_a_post_without_the_csrf_token_is_refused_with_a_readable_page(browser, fake):
    browser.get("/signin")
    response = browser.post("/signin", data={"person": "agnes"})
    assert response.status_code == 400
    assert "Le formulaire a expiré" in text(response)
    wrong = browser.post("/signin", data={"person": "agnes", "csrf_token": "forged"})
    assert wrong.status_code == 400


def test_the_demo_sign_in_page_exists_only_with_hub_demo_signin(config, fake):
    app = create_app(config.with_overrides(demo_signin=False), make_client=fake.client)
    browser = app.test_client()
    assert browser.get("/signin").status_code == 404
    assert browser.post("/signin", data={"person": "agnes"}).status_code in (400, 404)


def test_the_pages_outside_the_local_stack_refuse_the_repositorys_secrets(config, fake):
    with pytest.raises(SystemExit, match="HUB_SESSION_SECRET"):
        create_app(config.with_overrides(env="production"), make_client=fake.client)


def test_a_session_the_people_service_ended_signs_the_pages_out_at_once(browser, sign_in, fake):
    """Expired, closed by an admin, or signed out elsewhere: the people service's word."""
    sign_in("agnes")
    assert browser.get("/me").status_code == 200

    fake.sessions.clear()

    assert browser.get("/me").status_code == 303
    assert "Se connecter" in text(browser.get("/signin"))


def test_a_role_granted_reaches_the_next_page(browser, sign_in, fake):
    sign_in("agnes")
    assert browser.get("/moderation").status_code == 403

    fake.people["agnes"]["roles"] = ["agent", "moderator"]

    assert browser.get("/moderation").status_code == 200


def test_the_demo_picker_grants_the_demo_roles_as_an_admin_would(browser, sign_in, fake):
    sign_in("maelle")

    assert fake.people["maelle"]["roles"] == ["agent", "moderator"]
    grant = next(call for call in fake.calls if call[0] == "set_roles")
    assert grant[1][0] == "maelle"


def test_the_apis_get_a_minutes_long_token_the_same_for_a_person_while_it_lives(
        browser, sign_in, fake, config, monkeypatch):
    """The session holds the person, not a token; the gateway counts a person's requests by
    their token, so it is used again until its last minute."""
    def agnes_tokens():
        return [t for t in fake.tokens if t and jwt.decode(
            t, options={"verify_signature": False})["sub"] == "agnes"]
    sign_in("agnes")
    browser.get("/me")
    browser.get("/me")

    first = agnes_tokens()[-1]
    assert agnes_tokens()[-2] == first
    me = TokenVerifier(config).verify(first)
    assert me.sub == "agnes" and me.has("agent")
    claims = jwt.decode(first, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == TOKEN_TTL

    later = time.time() + TOKEN_TTL - 30  # its last minute: another one
    monkeypatch.setattr("services.web.session.time.time", lambda: later)
    browser.get("/me")
    assert agnes_tokens()[-1] != first


@pytest.mark.parametrize("path", ["/moderation", "/moderation/log", "/digest", "/me",
                                  "/ideas/new"])
def test_pages_needing_a_role_send_the_signed_out_to_sign_in(browser, path):
    response = browser.get(path)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/signin?next={path}"


@pytest.mark.parametrize("path", ["/moderation", "/digest"])
def test_the_wrong_role_gets_a_french_403_page(browser, sign_in, path):
    sign_in("agnes")
    response = browser.get(path)
    assert response.status_code == 403 and "Accès refusé" in text(response)


def test_a_refused_proposal_keeps_what_was_typed_and_says_why(browser, sign_in, post):
    sign_in()
    response = post("/ideas", {"title": "Vél", "body": "Trop court ?", "tags": "vélo"},
                    from_page="/ideas/new")
    page = text(response)
    assert response.status_code == 422
    assert 'role="alert"' in page
    assert 'value="Vél"' in page and "Trop court ?" in page and 'value="vélo"' in page
    assert re.search(r'id="title"[^>]*aria-describedby="title-aide title-erreur title-direct"', page)
    assert 'id="title-erreur"' in page


def test_an_api_refusal_of_a_proposal_is_shown_beside_its_field(browser, sign_in, post, fake):
    sign_in()
    fake.refuse("propose", 422, "Données invalides : voir « errors ».",
                {"title": ["Titre refusé par l'API."]})
    response = post("/ideas", {"title": "Un titre correct", "body": "Une description assez longue."},
                    from_page="/ideas/new")
    assert response.status_code == 422
    assert 'id="title-erreur">Titre refusé par l&#39;API.' in text(response)


def test_similar_ideas_are_shown_before_the_idea_is_proposed_without_javascript(
        browser, sign_in, post, fake):
    fake.add_idea(title="Des pistes cyclables vers la gare")
    sign_in()
    form = {"title": "Pistes cyclables sécurisées", "body": "Pour venir à vélo sans danger."}
    first = post("/ideas", form, from_page="/ideas/new")
    assert first.status_code == 200
    assert "Une idée proche existe peut-être" in text(first)
    assert "Des pistes cyclables vers la gare" in text(first)
    assert len(fake.ideas) == 1

    second = post("/ideas", {**form, "similar_checked": "1"}, from_page="/ideas/new")
    assert second.status_code == 303 and second.headers["Location"] == "/ideas/i2"
    assert fake.ideas["i2"]["title"] == "Pistes cyclables sécurisées"


def test_similar_ideas_answer_json_for_the_script(browser, sign_in, fake):
    fake.add_idea(title="Des pistes cyclables vers la gare")
    sign_in()
    answer = browser.get("/ideas/similar?text=pistes cyclables",
                         headers={"Accept": "application/json"}).get_json()
    assert answer["items"] == [{"id": "i1", "title": "Des pistes cyclables vers la gare",
                                "url": "/ideas/i1"}]


def test_similar_ideas_are_for_signed_in_agents(browser):
    answer = browser.get("/ideas/similar?text=pistes cyclables")

    assert answer.status_code == 303 and answer.headers["Location"].startswith("/signin")


def test_supporting_without_javascript_comes_back_to_the_idea_with_its_new_count(
        browser, sign_in, post, fake):
    fake.add_idea()
    sign_in()
    response = post("/ideas/i1/support", {"next": "/?sort=new"}, from_page="/?sort=new")
    assert response.status_code == 303
    assert response.headers["Location"] == "/?sort=new#idea-i1"
    page = text(browser.get("/?sort=new"))
    block = page[page.index('id="idea-i1"'):]
    assert '<span class="support-count">1 soutien</span>' in block
    assert 'aria-pressed="true">Retirer mon soutien' in block


def test_supporting_from_the_script_answers_json_with_the_labels(browser, sign_in, post, fake):
    fake.add_idea()
    sign_in()
    answer = post("/ideas/i1/support", headers={"Accept": "application/json"}).get_json()
    assert answer == {"idea_id": "i1", "voted": True, "count": 1,
                      "button": "Retirer mon soutien", "count_text": "1 soutien",
                      "action": "/ideas/i1/unsupport"}


def test_a_support_off_site_next_goes_back_to_the_idea_instead(browser, sign_in, post, fake):
    fake.add_idea()
    sign_in()
    response = post("/ideas/i1/support", {"next": "//evil.example/"})
    assert response.headers["Location"] == "/ideas/i1#idea-i1"


def test_the_idea_page_makes_paragraphs_and_links_but_escapes_markup(browser, sign_in, fake):
    sign_in()
    fake.add_idea(title=f"Piège {HOSTILE}",
                  body=f"Première ligne.\n\nVoir https://exemple.fr/a?b=1&c=2.\n{HOSTILE}")
    page = text(browser.get("/ideas/i1"))
    assert "<p>Première ligne.</p>" in page
    assert ('<a href="https://exemple.fr/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">'
            in page)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_search_says_which_ideas_are_there_for_their_meaning_not_their_words(
        browser, sign_in, fake):
    sign_in()
    fake.add_idea(title="Des vélos électriques", match="words")
    fake.add_idea(title="Prêter des VAE au personnel", match="meaning")
    page = text(browser.get("/?q=des"))  # the fake finds both by their words
    words, meaning = page.index("Des vélos électriques"), page.index("Prêter des VAE")
    assert page.count("Sans vos mots, mais proche par le sens") == 1
    assert words < meaning < page.index("Sans vos mots, mais proche par le sens")


def test_a_comment_the_api_refuses_keeps_its_text_and_says_why(browser, sign_in, post, fake):
    fake.add_idea()
    sign_in()
    fake.refuse("comment", 429, "Trop de demandes en peu de temps : réessayez dans 60 s.")
    response = post("/ideas/i1/comments", {"body": "Très bonne idée"}, from_page="/ideas/i1")
    page = text(response)
    assert response.status_code == 422
    assert "réessayez dans 60 s" in page and ">Très bonne idée</textarea>" in page


def test_a_title_is_counted_as_the_api_will_keep_it_composed(browser, sign_in, post, fake):
    sign_in()
    decomposed = "e\u0301" * 140  # 280 code points typed, 140 characters composed
    response = post("/ideas", {"title": decomposed, "body": "Une description assez longue.",
                               "similar_checked": "1"}, from_page="/ideas/new")
    assert response.status_code == 303, text(response)
    assert [idea["title"] for idea in fake.ideas.values()] == ["é" * 140]


@pytest.mark.parametrize("path, field", [("/ideas/i1/flags", "note"),
                                         ("/ideas/i1/hide", "reason")])
def test_a_report_or_a_reason_too_long_is_refused_never_cut(browser, sign_in, post, fake,
                                                            path, field):
    fake.add_idea()
    sign_in("maelle")
    response = post(path, {"reason": "other", field: "é" * 1001}, from_page="/ideas/i1")
    assert response.status_code == 303
    assert "1 001 saisis" in text(browser.get("/ideas/i1")).replace("\u202f", " ")
    assert not [call for call in fake.calls if call[0] in ("report", "moderate")]  # nothing cut


def test_a_one_button_form_refused_by_the_api_says_why_not_where(browser, sign_in, post, fake):
    fake.add_idea()
    fake.add_idea(title="Des bancs dans le parc")
    sign_in("maelle")
    fake.refuse("merge", 422, "Données invalides : voir « errors ».",
                {"into": ["Entre 1 et 64 caractères."]})
    post("/ideas/i1/merge", {"into": "i2", "reason": "Même demande", "confirmed": "1"},
         from_page="/ideas/i1")
    page = text(browser.get("/ideas/i1"))
    assert "Entre 1 et 64 caractères." in page and "« errors »" not in page


def test_a_moderator_answers_and_the_timeline_shows_the_note(browser, sign_in, post, fake):
    fake.add_idea()
    sign_in("maelle")
    response = post("/ideas/i1/status", {"status": "accepted", "note": "Retenue pour 2027."},
                    from_page="/ideas/i1")
    assert response.status_code == 303
    page = text(browser.get("/ideas/i1"))
    timeline = page[page.index("Historique"):page.index("Commentaires")]
    assert "retenue" in timeline and "Retenue pour 2027." in timeline


def test_the_status_menu_starts_on_the_current_status_and_offers_only_its_next_steps(
        browser, sign_in, fake):
    fake.add_idea(status="accepted")
    sign_in("maelle")
    page = text(browser.get("/ideas/i1"))

    start = page.index('<select id="status"')
    menu = page[start:page.index("</select>", start)]
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', menu)
    assert options == [("", " selected", "retenue (statut actuel)"),
                       ("under_review", "", "à l'étude"), ("in_progress", "", "en cours"),
                       ("rejected", "", "non retenue")]


def test_an_idea_no_answer_can_move_has_no_status_menu(browser, sign_in, fake):
    fake.add_idea(status="withdrawn")
    sign_in("maelle")
    assert '<select id="status"' not in text(browser.get("/ideas/i1"))


@pytest.mark.parametrize("status, why", [("rejected", "appelle une explication"),
                                         ("implemented", "ce qui a été fait")])
def test_a_closing_answer_without_a_note_is_refused_before_the_api(browser, sign_in, post,
                                                                    fake, status, why):
    fake.add_idea()
    sign_in("maelle")
    response = post("/ideas/i1/status", {"status": status, "note": ""},
                    from_page="/ideas/i1")

    assert response.status_code == 422
    assert why in text(response)
    assert not [call for call in fake.calls if call[0] == "answer"]


def test_a_refused_answer_is_shown_not_a_500(browser, sign_in, post, fake):
    fake.add_idea()
    sign_in("maelle")
    fake.refuse("answer", 409, "Une idée proposée ne peut pas passer à « réalisée ».")
    response = post("/ideas/i1/status", {"status": "implemented", "note": "Fait."},
                    from_page="/ideas/i1")
    assert response.status_code == 422
    assert "ne peut pas passer à « réalisée »" in text(response)


def test_an_unreachable_api_gives_a_503_page_not_a_500(browser, sign_in, fake):
    sign_in()
    fake.refuse("list_ideas", 503, "unused")
    fake.refusals["list_ideas"] = ApiUnavailable("Connection refused")
    response = browser.get("/")
    assert response.status_code == 503
    assert "momentanément indisponible" in text(response)
    assert "Connection refused" not in text(response)


def test_a_manager_previews_the_digest_of_a_week(browser, sign_in, post, fake):
    sign_in("aurelie")
    assert post("/digest", {"units": "Service urbanisme", "weekday": "1", "hour": "9",
                            "language": "fr"}, from_page="/digest").status_code == 303
    page = text(browser.get("/digest?period=2026-W48"))
    assert "Aperçu de la synthèse" in page and "Votre synthèse" in page
    assert '<a href="https://hub.test/ideas/i1"' in page
    assert ("preview_digest", ("2026-W48", None), {}) in fake.calls


def test_english_on_demand_then_remembered(browser, sign_in, fake):
    sign_in()
    fake.add_idea()
    page = browser.get("/?lang=en")
    assert '<html lang="en">' in text(page) and "Français" in text(page)
    assert "no supports" in text(page)
    assert '<html lang="en">' in text(browser.get("/ideas/i1"))
    assert '<html lang="fr">' in text(browser.get("/ideas/i1?lang=fr"))


def test_dates_and_numbers_follow_the_reader_s_locale(browser, sign_in, fake):
    sign_in()
    fake.add_idea(vote_count=1234)
    french, english = text(browser.get("/ideas/i1")), text(browser.get("/ideas/i1?lang=en"))
    assert "24 novembre 2026" in french and "1\u202f234 soutiens" in french
    assert "24 November 2026" in english and "1,234 supports" in english


def test_the_propose_form_states_the_api_limits_in_the_reader_s_format(browser, sign_in):
    sign_in("agnes")
    french, english = text(browser.get("/ideas/new")), text(browser.get("/ideas/new?lang=en"))
    assert 'minlength="10" data-maxlength="10000"' in french
    assert ' maxlength="140"' not in french  # a browser would cut a pasted title silently
    assert "De 10 à 10\u202f000 caractères" in french and "10 to 10,000 characters" in english
    assert 'data-max-items="5"' in french and "at most 5, separated by commas" in english


def test_pages_send_a_strict_content_security_policy(browser):
    csp = browser.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_an_unknown_idea_is_a_french_404_page(browser, sign_in):
    sign_in()
    response = browser.get("/ideas/nope")
    assert response.status_code == 404 and "Page introuvable" in text(response)


@pytest.mark.parametrize("path", ["/", "/ideas/i1"])
def test_reading_needs_a_sign_in_unless_the_hub_reads_in_public(config, fake, path):
    fake.add_idea()
    closed = create_app(config, make_client=fake.client).test_client().get(path)
    public = create_app(config.with_overrides(public_read=True),
                        make_client=fake.client).test_client().get(path)

    assert closed.status_code == 303 and "/signin?next=" in closed.headers["Location"]
    assert public.status_code == 200 and "Des bancs à l&#39;ombre" in text(public)


def test_an_author_edits_and_withdraws_their_idea_but_neither_supports_nor_reports_it(
        browser, sign_in, post, fake):
    fake.add_idea()  # Agnès's
    sign_in("agnes")
    page = text(browser.get("/ideas/i1"))

    assert "Modifier mon idée" in page and "Retirer mon idée" in page
    assert "Soutenir" not in page and "Signaler cette idée" not in page
    assert "Oui, retirer mon idée" in text(browser.get("/ideas/i1/withdraw"))
    edited = post("/ideas/i1/edit", {"title": "Des bancs à l'ombre, et de l'eau",
                                     "body": "Les usagers attendent au soleil.", "tags": ""},
                  from_page="/ideas/i1/edit")
    assert edited.status_code == 303
    assert ("edit_idea", ("i1", {"title": "Des bancs à l'ombre, et de l'eau",
                                 "body": "Les usagers attendent au soleil.", "tags": []}), {}) \
        in fake.calls


def test_someone_elses_idea_cannot_be_edited_from_the_pages(browser, sign_in, fake):
    fake.add_idea()  # Agnès's
    sign_in("joel")

    assert browser.get("/ideas/i1/edit").status_code == 403
    page = text(browser.get("/ideas/i1"))
    assert "Modifier mon idée" not in page and "Soutenir" in page and "Signaler cette idée" in page


def test_hiding_without_a_reason_is_refused_in_french_and_calls_nothing(browser, sign_in, post,
                                                                        fake):
    fake.add_idea()
    sign_in("maelle")
    response = post("/ideas/i1/hide", {"reason": "  "}, from_page="/ideas/i1")
    assert response.status_code == 303
    assert "Indiquez le motif du masquage" in text(browser.get("/ideas/i1"))
    assert not [call for call in fake.calls if call[0] == "moderate"]


def test_hiding_asks_to_confirm_before_the_api_hides(browser, sign_in, post, fake):
    fake.add_idea()
    sign_in("maelle")
    asked = post("/ideas/i1/hide", {"reason": "Données personnelles"}, from_page="/ideas/i1")
    assert asked.status_code == 200 and "Confirmer le masquage" in text(asked)
    assert 'name="confirmed" value="1"' in asked.get_data(as_text=True)
    assert not [call for call in fake.calls if call[0] == "moderate"]

    done = post("/ideas/i1/hide", {"reason": "Données personnelles", "confirmed": "1"},
                from_page="/ideas/i1")
    assert done.status_code == 303
    [(_, args, _)] = [c for c in fake.calls if c[0] == "moderate"]
    assert args[-2:] == ("hide", "Données personnelles")


def test_merging_by_words_of_a_title_offers_choices_then_confirms_with_both_titles(
        browser, sign_in, post, fake):
    fake.add_idea(title="Des bancs devant la gare")
    fake.add_idea(title="Un guichet unique en mairie")
    sign_in("maelle")
    found = post("/ideas/i1/merge", {"into": "guichet", "reason": "Même demande"},
                 from_page="/ideas/i1")
    assert found.status_code == 200 and 'value="i2"' in found.get_data(as_text=True)
    assert "Un guichet unique en mairie" in text(found)

    asked = post("/ideas/i1/merge", {"into": "i2", "reason": "Même demande"},
                 from_page="/ideas/i1")
    page = text(asked)
    assert "Des bancs devant la gare" in page and "Un guichet unique en mairie" in page
    assert "Confirmer la fusion" in page and not [c for c in fake.calls if c[0] == "merge"]


def test_a_merge_needs_a_reason(browser, sign_in, post, fake):
    fake.add_idea()
    fake.add_idea(title="Un guichet unique en mairie")
    sign_in("maelle")
    refused = post("/ideas/i1/merge", {"into": "i2", "reason": ""}, from_page="/ideas/i1")
    assert refused.status_code == 422 and "Motif de la fusion" in text(refused)


@pytest.mark.parametrize("pending, items, shown", [
    (True, False, "La recherche des doublons est en cours ; rechargez la page dans un instant."),
    (True, True, "Mise à jour en cours"),
    (False, False, "Aucun doublon possible parmi les idées ouvertes."),
], ids=["first-computation", "newer-computation", "none"])
def test_the_duplicate_finder_says_when_its_pairs_are_on_their_way(browser, sign_in, fake,
                                                                   pending, items, shown):
    a, b = (fake.add_idea(title=title) for title in ("Des VAE", "Des vélos électriques"))
    pair = {"a": a, "b": b, "score": 0.6}
    fake.duplicates = {"items": [pair] if items else [], "next_cursor": None,
                       "computed_at": None if not items else "2026-11-20T14:00:00.000Z",
                       "pending": pending}
    sign_in("maelle")

    page = text(browser.get("/moderation/duplicates"))

    assert shown.replace("'", "&#39;") in page
    assert (f'id="pair-{a["id"]}-{b["id"]}"' in page) is items
    assert ("Aucun doublon possible" in page) is (not pending and not items)
