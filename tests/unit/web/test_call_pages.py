"""The pages of calls for ideas on a fake API: listed on the home page and /appels, a call's
page (phases, countdown, figures, its ideas), proposing into it, launching and changing it."""
import html
import re

from tests.hostile import SCRIPT


def text(response):
    """The page as read (entities decoded): what markup it holds is raw()'s to check."""
    return html.unescape(response.get_data(as_text=True))


def raw(response):
    return response.get_data(as_text=True)


def test_the_home_page_lists_open_calls_first_with_their_countdown(browser, sign_in, fake):
    fake.add_campaign(opens=3, closes=10, title="Un appel à venir")
    fake.add_campaign(opens=-30, closes=-20, title="Un appel clos")
    fake.add_campaign(opens=-1, closes=5, title="Un appel ouvert", colour="vert")
    sign_in("agnes")

    page = text(browser.get("/"))

    assert page.index("Un appel ouvert") < page.index("Un appel à venir") \
        < page.index("Un appel clos")
    assert "call-vert" in page and "Propositions ouvertes" in page
    assert re.search(r"Plus que [45] jours pour proposer", page)
    assert "Appels à idées</a>" in page  # the header's link


def test_the_calls_page_groups_calls_by_state(browser, sign_in, fake):
    fake.add_campaign(opens=3, closes=10, title="Un appel à venir")
    fake.add_campaign(opens=-30, closes=-20, title="Un appel clos")
    sign_in("agnes")

    page = text(browser.get("/appels"))

    assert page.index("En cours") < page.index("À venir") < page.index("Un appel à venir") \
        < page.index("Clos") < page.index("Un appel clos")
    assert "Lancer un appel" not in page


def test_a_calls_page_shows_its_phases_figures_ideas_and_escapes_its_text(browser, sign_in,
                                                                           fake):
    call = fake.add_campaign(description=f"Premier paragraphe.\n{SCRIPT}",
                             figures={"ideas": 12, "supporters": 31, "units": 4})
    fake.add_idea("Une carte des zones inondables", campaign_id=call["id"])
    sign_in("agnes")

    response = browser.get(f"/appels/{call['id']}")
    page = text(response)

    assert "<p>Premier paragraphe.</p>" in page and SCRIPT not in raw(response)
    assert 'aria-current="step"' in page and "en cours" in page
    assert "Heures de Paris" in page and " à " in page
    assert re.search(r'id="chiffre-soutiens">31<', page)
    assert "Une carte des zones inondables" in page
    assert "Proposer une idée pour cet appel" in page
    assert f"/ideas/new?appel={call['id']}" in page
    assert "/resultats" not in page and "/evaluation" not in page
    list_call = next(c for c in fake.calls if c[0] == "list_ideas")
    assert list_call[2]["campaign"] == call["id"]


def test_a_call_offers_nothing_to_propose_outside_its_units_or_phase(browser, sign_in, fake):
    narrow = fake.add_campaign(units=["Direction générale"])
    closed = fake.add_campaign(opens=-20, closes=-10)
    sign_in("agnes")

    narrow_page = text(browser.get(f"/appels/{narrow['id']}"))
    closed_page = text(browser.get(f"/appels/{closed['id']}"))

    assert "Proposer une idée pour cet appel" not in narrow_page
    assert "Cet appel s'adresse aux agents de : Direction générale." in narrow_page
    assert "Proposer une idée pour cet appel" not in closed_page
    assert "/resultats" in closed_page


def test_evaluators_owners_and_moderators_see_the_evaluation_link(browser, sign_in, fake):
    call = fake.add_campaign(evaluators=[{"id": "agnes", "name": "Agnès Müller"}])
    sign_in("agnes")
    assert f"/appels/{call['id']}/evaluation" in text(browser.get(f"/appels/{call['id']}"))
    assert "Modifier l'appel" not in text(browser.get(f"/appels/{call['id']}"))


def test_an_agent_proposes_into_a_call_and_the_idea_says_so(browser, sign_in, post, fake):
    call = fake.add_campaign()
    sign_in("agnes")
    form = text(browser.get(f"/ideas/new?appel={call['id']}"))
    assert "Vous répondez à l'appel « Données et risques d'inondation »" in form
    assert call["question"] in form

    answer = post("/ideas", {"title": "Partager les relevés de crue", "campaign_id": call["id"],
                             "body": "Les relevés des capteurs servent aussi aux routes.",
                             "similar_checked": "1"}, from_page="/ideas/new")

    assert answer.status_code == 303
    idea = next(i for i in fake.ideas.values() if i["title"] == "Partager les relevés de crue")
    assert idea["campaign_id"] == call["id"]
    page = text(browser.get(answer.headers["Location"]))
    assert "Proposée pour l'appel" in page and f"/appels/{call['id']}" in page


def test_a_refusal_of_the_call_is_said_in_plain_words_with_the_text_kept(browser, sign_in, post,
                                                                        fake):
    closed = fake.add_campaign(opens=-20, closes=-10)
    narrow = fake.add_campaign(units=["Direction générale"])
    sign_in("agnes")
    idea = {"title": "Partager les relevés de crue", "similar_checked": "1",
            "body": "Les relevés des capteurs servent aussi aux routes."}

    late = post("/ideas", {**idea, "campaign_id": closed["id"]}, from_page="/ideas/new")
    away = post("/ideas", {**idea, "campaign_id": narrow["id"]}, from_page="/ideas/new")

    assert late.status_code == 422 and away.status_code == 422
    assert "ne reçoit pas de propositions en ce moment (Soutiens ouverts)" in text(late) \
        or "ne reçoit pas de propositions en ce moment (En évaluation)" in text(late)
    assert "votre service n'en fait pas partie" in text(away)
    for page in (text(late), text(away)):
        assert "Les relevés des capteurs servent aussi aux routes." in page
        assert "La proposer hors de l'appel" in page
    outside = post("/ideas", {**idea, "campaign_id": narrow["id"], "outside": "1"},
                   from_page="/ideas/new")
    assert outside.status_code == 303
    assert not [i for i in fake.ideas.values() if i.get("campaign_id")]


def test_only_moderators_launch_a_call(browser, sign_in):
    sign_in("agnes")
    assert browser.get("/appels/nouveau").status_code == 403


def dates(**override):
    values = {"proposals_from": ("2027-03-01", "09:00"), "proposals_until": ("2027-03-21", "17:00"),
              "supports_from": ("2027-03-01", "09:00"), "supports_until": ("2027-04-11", "17:00"),
              "evaluation_until": ("2027-04-25", "17:00"), **override}
    return {f"{name}-{part}": value for name, (day, time) in values.items()
            for part, value in (("date", day), ("heure", time))}


LAUNCH = {"title": "Données et risques d'inondation", "colour": "violet",
          "question": "Comment les données d'inondation peuvent-elles servir ailleurs ?",
          "description": "Trois semaines.", "all_units": "1", "support_cap": "3",
          "criteria": "Impact pour le public\nCoût raisonnable", "action": "save"}


def test_a_moderator_launches_a_call_its_dates_read_in_paris_time(browser, sign_in, post, fake):
    sign_in("maelle")
    form = text(browser.get("/appels/nouveau"))
    assert 'type="date"' in form and 'type="time"' in form and "Tous les services" in form

    answer = post("/appels/nouveau", {**LAUNCH, **dates()}, from_page="/appels/nouveau")

    assert answer.status_code == 303, text(answer)
    call = next(iter(fake.campaigns.values()))
    assert call["proposals_from"] == "2027-03-01T08:00:00.000Z"  # 9 h in Paris, winter
    assert call["supports_until"] == "2027-04-11T15:00:00.000Z"  # 17 h in Paris, summer
    assert call["colour"] == "violet" and call["units"] == [] and call["support_cap"] == 3
    assert call["criteria"] == [{"key": "impact_pour_le_public", "label": "Impact pour le public"},
                                {"key": "cout_raisonnable", "label": "Coût raisonnable"}]
    assert answer.headers["Location"].endswith(f"/appels/{call['id']}")


def test_dates_out_of_order_are_said_beside_their_field_with_the_input_kept(browser, sign_in,
                                                                           post, fake):
    sign_in("maelle")

    answer = post("/appels/nouveau", {**LAUNCH, **dates(proposals_until=("2027-02-01", "17:00"))},
                  from_page="/appels/nouveau")

    page = text(answer)
    assert answer.status_code == 422
    assert re.search(r'id="proposals_until-erreur">Doit tomber après l.ouverture des '
                     r"propositions", page)
    assert 'value="2027-02-01"' in page and "Trois semaines." in page
    assert not fake.campaigns


def test_missing_fields_are_said_in_french_before_the_api_is_asked(browser, sign_in, post, fake):
    sign_in("maelle")

    answer = post("/appels/nouveau", {"title": "Bof", "action": "save"},
                  from_page="/appels/nouveau")

    page = text(answer)
    assert answer.status_code == 422
    assert "Titre : entre 5 et 140 caractères" in page
    assert "Cochez les services invités" in page
    assert page.count('-erreur">Indiquez la date') == 5  # beside each date
    assert not any(c[0] == "create_campaign" for c in fake.calls)


def test_a_moderator_finds_people_and_appoints_them_without_javascript(browser, sign_in, post,
                                                                       fake):
    sign_in("agnes")
    sign_in("maelle")

    found = post("/appels/nouveau", {**LAUNCH, **dates(), "people_q": "agnès",
                                     "action": "search"}, from_page="/appels/nouveau")

    page = text(found)
    assert found.status_code == 200 and "Agnès Müller (Service urbanisme)" in page
    assert "Trois semaines." in page
    saved = post("/appels/nouveau", {**LAUNCH, **dates(), "evaluators": "agnes",
                                     "nom-agnes": "Agnès Müller"}, from_page="/appels/nouveau")
    assert saved.status_code == 303
    call = next(iter(fake.campaigns.values()))
    assert call["evaluators"] == [{"id": "agnes", "name": "Agnès Müller"}]


def test_an_owner_changes_the_call_and_appoints_its_evaluators_but_not_its_owners(
        browser, sign_in, post, fake):
    owner = {"id": "agnes", "name": "Agnès Müller"}
    call = fake.add_campaign(owners=[owner])
    sign_in("joel")
    sign_in("agnes")
    page = f"/appels/{call['id']}/modifier"
    form = text(browser.get(page))
    assert "Chercher une personne" in form and "La modération désigne les responsables" in form

    found = post(page, {**LAUNCH, **dates(), "people_q": "joël", "action": "search"},
                 from_page=page)
    assert "Joël N'Diaye (CCAS)" in text(found)
    answer = post(page, {**LAUNCH, **dates(), "title": "Inondations : les données",
                         "owners": "joel", "evaluators": "joel", "nom-joel": "Joël N'Diaye"},
                  from_page=page)

    assert answer.status_code == 303, text(answer)
    change = next(c for c in fake.calls if c[0] == "change_campaign")
    assert "owners" not in change[1][1]
    assert fake.campaigns[call["id"]]["title"] == "Inondations : les données"
    assert fake.campaigns[call["id"]]["evaluators"] == [{"id": "joel", "name": "Joël N'Diaye"}]
    sign_in("joel")
    assert browser.get(f"/appels/{call['id']}/modifier").status_code == 403


def test_a_calls_filters_offer_only_what_its_ideas_have(browser, sign_in, fake):
    call = fake.add_campaign()
    fake.add_idea(title="Dans l'appel", unit="Service urbanisme", tags=["données"],
                  campaign_id=call["id"])
    fake.add_idea(title="Hors de l'appel", unit="Direction des routes", tags=["voirie"])
    sign_in("joel")
    page = browser.get(f"/appels/{call['id']}").get_data(as_text=True)
    assert "Service urbanisme" in page and "données" in page
    assert "Direction des routes" not in page and "voirie" not in page


def test_an_idea_of_a_call_reads_its_call_once_and_asks_an_agent_nothing_of_evaluation(
        browser, sign_in, fake):
    call = fake.add_campaign(owners=[{"id": "aurelie", "name": "Aurélie Dupont"}],
                             evaluators=[{"id": "maelle", "name": "Maëlle Le Goff"}])
    idea = fake.add_idea(title="Dans l'appel", status="accepted", campaign_id=call["id"])
    sign_in("joel")
    fake.calls.clear()
    page = browser.get(f"/ideas/{idea['id']}").get_data(as_text=True)
    asked = [name for name, _, _ in fake.calls]
    assert asked.count("get_campaign") == 1 and "idea_evaluation" not in asked
    assert "Évaluer cette idée" not in page and "Confier la mise en œuvre" not in page

    sign_in("aurelie")  # the call's owner: the forms to follow it up, and its evaluation
    page = browser.get(f"/ideas/{idea['id']}").get_data(as_text=True)
    assert "Confier la mise en œuvre" in page and "/appels/" in page


def test_enter_searches_people_while_a_query_waits_and_saves_otherwise(browser, sign_in, post,
                                                                        fake):
    sign_in("agnes")
    sign_in("maelle")

    # Enter submits with the form's first button, the hidden "enter".
    searched = post("/appels/nouveau", {**LAUNCH, **dates(), "people_q": "agnès",
                                        "action": "enter"}, from_page="/appels/nouveau")
    assert searched.status_code == 200 and "Agnès Müller (Service urbanisme)" in text(searched)
    assert not fake.campaigns

    saved = post("/appels/nouveau", {**LAUNCH, **dates(), "people_q": "agnès",
                                     "people_searched": "agnès", "action": "enter"},
                 from_page="/appels/nouveau")
    assert saved.status_code == 303 and len(fake.campaigns) == 1
