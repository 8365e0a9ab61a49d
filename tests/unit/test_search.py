"""services.ideas.search: French search terms, matching a query, and similar ideas."""
import pytest

from services.ideas.search import (matches, most_similar, query_terms, search_field,
                                   similarity, stem, terms)


def candidate(idea_id, title, body="", tags=()):
    return {"id": idea_id, "title": title, "terms": search_field(title, body, list(tags)).split()}


def finds(query, title, body="", tags=()):
    return matches(query_terms(query), search_field(title, body, list(tags)))


# Terms

def test_query_without_accents_or_capitals_finds_accented_title():
    assert finds("velo", "Vélos de service")
    assert finds("ECOLE", "Rue de l'école")
    assert terms("Télétravail") == terms("TELETRAVAIL") == terms("teletravail")


def test_ligatures_are_typed_as_two_letters():
    assert finds("coeur de ville", "Végétaliser le cœur de ville")


@pytest.mark.parametrize("plural, singular", [
    ("pistes cyclables", "piste cyclable"),
    ("vélos", "vélo"),
    ("chevaux", "cheval"),
    ("bureaux", "bureau"),
    ("numériques", "numérique"),
    ("formées", "former"),
    ("personnelles", "personnel"),
    ("sportives", "sportif"),
    ("dangereuses", "dangereux"),
    ("accueillir", "accueil"),
])
def test_inflected_forms_give_the_same_terms(plural, singular):
    assert terms(plural) == terms(singular)


def test_travaux_and_travail_stay_apart_as_they_mean_different_things():
    assert terms("travaux") != terms("travail")


def test_short_words_keep_three_letters():
    assert terms("rues") == terms("rue") == ["rue"]
    assert terms("bus") == ["bus"]


def test_stem_leaves_words_with_digits_alone():
    assert stem("psc1") == "psc1"


def test_stop_words_are_not_terms():
    assert terms("la piste et les vélos de la ville") == terms("piste vélos ville")
    assert not finds("piste pour les vélos", "Piste cyclable", "Avenue Jean-Jaurès")
    assert finds("une piste pour les vélos", "Piste et vélos")


@pytest.mark.parametrize("text", ["l'accueil", "L’accueil", "d'accueil", "qu'accueil"])
def test_apostrophes_separate_the_elided_article(text):
    assert terms(text) == ["accueil"]


def test_one_letter_words_are_dropped_but_numbers_kept():
    assert terms("2 jours de télétravail, plan B") == ["2", "jour", "teletravail", "plan"]


def test_digits_and_letters_split_so_1h_meets_1_h():
    assert terms("de 1h à 5h") == terms("de 1 h à 5 h") == ["1", "5"]


def test_search_field_holds_each_term_once_title_first():
    field = search_field("Vélos de service", "Des vélos électriques pour les agents.",
                         ["Mobilité"])

    assert field.split() == ["velo", "servic", "mobilit", "electriqu", "agent"]


def test_search_field_covers_tags_and_body():
    assert finds("mobilité", "Vélos de service", "Pour les agents", ["Mobilité"])
    assert finds("électriques", "Vélos de service", "Des vélos électriques", [])


# Matching a query

def test_every_query_term_is_required():
    assert finds("piste velo", "Piste cyclable", "Pour les vélos")
    assert not finds("piste velo", "Piste cyclable", "Pour les rollers")
    assert not finds("velo electrique piste", "Piste cyclable", "Pour les vélos")


def test_last_query_term_may_be_the_start_of_a_word_as_people_type():
    assert finds("cyclab", "Pistes cyclables")
    assert finds("piste cy", "Pistes cyclables")


def test_only_the_last_query_term_matches_as_a_prefix():
    assert finds("velo cyclab", "Vélos et pistes cyclables")
    assert not finds("cyclab velo", "Vélos et pistes cyclables")


def test_a_query_of_stop_words_only_matches_every_idea():
    assert query_terms("de la") == []
    assert finds("de la", "Vélos de service")


def test_matches_takes_the_stored_field_or_its_terms():
    field = search_field("Pistes cyclables", "Avenue Jean-Jaurès", [])

    assert matches(["pist"], field) and matches(["pist"], field.split())
    assert not matches(["avenu"], "pist")


# Similar ideas

def test_similarity_runs_from_nothing_in_common_to_the_same_text():
    same = terms("Pistes cyclables avenue Jean-Jaurès")

    assert similarity(same, same, same) == pytest.approx(1.0)
    assert similarity(terms("cantine bio"), terms("archives numériques"),
                      terms("archives numériques")) == 0.0


def test_a_shared_title_term_counts_more_than_a_shared_body_term():
    draft = terms("compost quartier")
    in_title = similarity(draft, terms("compost jardin partagé"), terms("compost jardin"))
    in_body = similarity(draft, terms("jardin partagé compost"), terms("jardin partagé"))

    assert in_title > in_body > 0


def test_a_misspelt_title_still_looks_like_the_right_one():
    draft = terms("teletravial")

    assert similarity(draft, terms("télétravail"), terms("télétravail")) > \
        similarity(draft, terms("tramway"), terms("tramway"))


UNRELATED = [
    candidate("a1", "Menus bio à la cantine", "Produits locaux pour les écoles."),
    candidate("a2", "Numériser les archives", "Registres anciens d'état civil."),
    candidate("a3", "Ouvrir la médiathèque le dimanche", "Pour les familles."),
    candidate("a4", "Formation aux premiers secours", "Pour tous les agents."),
]


def test_most_similar_puts_a_reworded_duplicate_first():
    duplicate = candidate("d1", "Installer des arceaux à vélos devant la mairie",
                          "Les agents attachent leur vélo aux grilles.")

    found = most_similar("Stationnement vélo devant l'hôtel de ville : poser des arceaux",
                         [*UNRELATED, duplicate])

    assert found[0][:2] == ("d1", "Installer des arceaux à vélos devant la mairie")
    assert all(idea_id == "d1" for idea_id, _, _ in found)


def test_most_similar_returns_at_most_limit_ideas_best_first():
    extra = ["électriques", "partagés", "gratuits", "neufs", "pliants"]
    ideas = [candidate(f"v{n}", " ".join(["Vélos de service", *extra[:n]])) for n in range(6)]

    found = most_similar("vélos de service", ideas, limit=3, threshold=0)

    assert [idea_id for idea_id, _, _ in found] == ["v0", "v1", "v2"]
    assert found[0][2] > found[1][2] > found[2][2]


def test_most_similar_leaves_out_ideas_below_the_threshold():
    ideas = [candidate("v", "Vélos de service"), candidate("c", "Vélos à la cantine")]
    second = most_similar("vélos de service", ideas, threshold=0)[1][2]

    found = most_similar("vélos de service", ideas, threshold=second + 0.001)

    assert [idea_id for idea_id, _, _ in found] == ["v"]
    assert most_similar("vélos de service", ideas, threshold=second)[1][2] == second


def test_most_similar_orders_equal_scores_by_id_and_rounds_them():
    ideas = [candidate(idea_id, "Vélos de service", "Pour les agents de terrain")
             for idea_id in ("c", "a", "b")]

    raw = similarity(terms("Des vélos électriques pour le service"), ideas[0]["terms"],
                     terms("Vélos de service"))

    found = most_similar("Des vélos électriques pour le service", iter(ideas))

    assert [idea_id for idea_id, _, _ in found] == ["a", "b", "c"]
    assert raw != round(raw, 3) and found[0][2] == round(raw, 3)


def test_most_similar_suggests_nothing_for_a_draft_of_stop_words():
    assert most_similar("de la", [candidate("v", "Vélos de service")], threshold=0) == []

