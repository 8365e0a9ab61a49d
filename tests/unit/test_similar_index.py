"""services.ideas.similar_index, word_meaning and meaning: duplicates found by the meaning of
their words and of their text, quiet when nothing is alike. These load the real encoder (once
per test process, ~4 s)."""
import numpy as np
import pytest

from services.ideas import meaning, word_meaning
from services.ideas.catalogue import Row, values_of
from services.ideas.search import search_field
from services.ideas.similar_index import SIMILAR_THRESHOLD, SimilarIndex

pytestmark = pytest.mark.unit

IDEAS = {
    "lsf": ("Former le personnel du guichet à la langue des signes",
            "Les usagers sourds ne peuvent pas être accueillis sans interprète."),
    "vae": ("Mettre des vélos électriques à disposition du personnel",
            "Pour les trajets entre sites, des vélos en libre-service."),
    "library": ("Ouvrir la médiathèque le dimanche",
                "Beaucoup de familles ne peuvent venir qu'en fin de semaine."),
    "pool": ("Ouvrir la piscine municipale le dimanche matin",
             "Les nageurs réclament un créneau ; la piscine est fermée le week-end."),
    "canteen": ("Repas végétarien quotidien à la cantine scolaire",
                "Une alternative végétarienne tous les jours."),
}


def put(index, idea_id, title, body):
    index.put(idea_id, title, search_field(title, body, []).split(),
              meaning.unpack(meaning.pack(meaning.of_idea(title, body))),
              meaning.words_of_idea(title, body))


@pytest.fixture(scope="module")
def index():
    built = SimilarIndex()
    for idea_id, (title, body) in IDEAS.items():
        put(built, idea_id, title, body)
    return built


def first(index, draft):
    found = index.most_similar(draft, threshold=0)
    return found[0][0] if found else None


@pytest.mark.parametrize("draft, duplicate", [
    ("Cours de LSF pour les agents d'accueil", "lsf"),          # an abbreviation
    ("Flotte de VAE pour les déplacements des agents", "vae"),
    ("Bibliothèque ouverte le dimanche", "library"),            # synonyms
])
def test_a_duplicate_worded_differently_comes_first(index, draft, duplicate):
    assert first(index, draft) == duplicate


def test_a_draft_that_duplicates_nothing_gets_no_suggestion(index):
    assert index.most_similar("Installer des ruches sur le toit des services techniques") == []


def test_scores_are_rounded_best_first_and_at_most_limit(index):
    found = index.most_similar("Ouvrir le dimanche", limit=2, threshold=0)
    assert len(found) == 2
    assert [score for _, _, score in found] == sorted((s for _, _, s in found), reverse=True)
    assert all(score == round(score, 3) for _, _, score in found)
    assert {idea_id for idea_id, _, _ in found} == {"library", "pool"}


def test_an_idea_put_without_a_title_is_no_longer_offered():
    index = SimilarIndex()
    put(index, "lsf", *IDEAS["lsf"])
    assert first(index, "Cours de LSF") == "lsf"
    index.put("lsf")
    assert index.most_similar("Cours de LSF", threshold=0) == []


def test_an_idea_without_a_stored_vector_is_found_by_its_title():
    index = SimilarIndex()
    index.put("library", IDEAS["library"][0], search_field(*IDEAS["library"], []).split(), None)
    assert first(index, "Médiathèque ouverte le dimanche") == "library"


def test_the_matrix_grows_past_its_first_block():
    index = SimilarIndex()
    vector = meaning.vectors(["Repeindre la mairie"])[0]
    for number in range(1500):
        index.put(f"idea-{number}", f"Idée {number}", ["idee", str(number)], vector)
    put(index, "canteen", *IDEAS["canteen"])
    assert index.vectors.shape[0] >= 1501
    assert first(index, "Menu végé chaque jour à la cantine de l'école") == "canteen"


def test_a_draft_of_stop_words_gets_nothing(index):
    assert index.most_similar("de la", threshold=0) == []


def test_abbreviations_are_followed_by_what_they_stand_for():
    assert meaning.expand("Des VAE et la LSF") == (
        "Des VAE (vélo à assistance électrique) et la LSF (langue des signes française)")


def test_a_packed_vector_comes_back_within_float16_precision():
    vector = meaning.vectors(["Ouvrir la médiathèque le dimanche"])[0]
    back = meaning.unpack(meaning.pack(vector))
    assert back.dtype == np.float32 and back.shape == (meaning.DIMENSIONS,)
    assert float(back @ vector) == pytest.approx(1.0, abs=1e-3)
    assert meaning.unpack(None) is None and meaning.unpack("AAAA") is None


def test_the_threshold_is_the_one_the_bench_chose():
    assert 0 < SIMILAR_THRESHOLD < 1


def test_an_ideas_words_are_lemmas_in_lower_case_without_stop_words_or_repeats():
    assert meaning.words("Les médiathèques de la ville, la Médiathèque !") == [
        "médiathèque", "ville"]
    assert meaning.words_of_idea("Des VAE", "pour les agents salariés") == [
        "vae", "vélo", "assistance", "électrique", "agent", "salarié"]


def test_words_close_in_meaning_match_though_they_share_no_term():
    index = SimilarIndex()
    put(index, "library", "Ouvrir la bibliothèque le dimanche", "Pour les familles.")
    put(index, "pool", "Ouvrir la piscine le dimanche", "Pour les nageurs.")
    draft = ["médiathèques"]
    vectors = index.lexicon.vectors_of(draft, dict(zip(draft, meaning.encoder().encode(draft))))
    library, pool = index.soft_cosines(vectors, index.idf(draft), ["library", "pool"])
    assert library > pool + 0.1


def test_soft_cosines_match_each_word_with_its_closest_per_idea():
    def unit(*values):
        vector = np.zeros(4)
        vector[:len(values)] = values
        return vector / np.linalg.norm(vector)
    draft = np.stack([unit(1), unit(0, 1)])
    ideas = np.stack([unit(1), unit(0, 1),   # idea 0: the same two words
                      unit(0, 0, 1),         # idea 1: one word unlike both
                      unit(1, 1)])           # idea 2: one word halfway
    scores = word_meaning.soft_cosines(draft, np.ones(2), ideas, np.ones(4), np.array([0, 2, 3]))
    assert scores == pytest.approx([1.0, 0.0, 2 ** -0.5])


def test_a_draft_does_not_grow_the_lexicon(index):
    index.most_similar("Un zèbrophone pour la médiathèque", threshold=0)
    assert "zèbrophone" not in index.lexicon.row_of
    assert "médiathèque" in index.lexicon.row_of


def test_a_row_published_before_ideas_had_words_is_found_by_its_terms():
    index = SimilarIndex()
    title, body = IDEAS["library"]
    index.put("library", title, search_field(title, body, []).split(),
              meaning.of_idea(title, body))
    assert first(index, "Bibliothèque ouverte le dimanche") == "library"


def test_an_ideas_row_carries_its_words_and_an_older_row_has_none():
    idea = {"_id": "i1", "title": "Médiathèque", "status": "submitted", "unit": "U",
            "tag_keys": [], "author": {"id": "a"}, "created_at": "2026-01-01T00:00:00Z",
            "vote_count": 0, "trend": 0, "comment_count": 0, "search": ["mediathequ"],
            "tags": [], "words": ["médiathèque"]}
    assert Row(values_of(idea)).words == ["médiathèque"]
    assert Row(values_of(idea)[:-1]).words is None


def test_the_lexicon_learns_each_word_once_and_grows_keeping_what_it_learnt():
    lexicon = word_meaning.Lexicon()
    lexicon.learn(["vélo", "piscine"])
    rows, before = lexicon.snapshot(["vélo"])
    lexicon.learn(["vélo", "mairie", *(f"mot{n}" for n in range(1100))])
    assert len(lexicon.row_of) == 1103 and len(set(lexicon.row_of.values())) == 1103
    again, after = lexicon.snapshot(["vélo"])
    assert after is not before  # grown into a new matrix; the old one still reads right
    assert after[again[0]] == pytest.approx(before[rows[0]])
    assert float(after[again[0]] @ meaning.encoder().encode(["vélo"])[0]) == pytest.approx(
        1.0, abs=1e-5)


def test_a_plural_meets_its_singular(index):
    """The stemmer (search.terms) makes "médiathèques" a term of "médiathèque" ideas, and the
    words' meaning puts them together: simplemma's lemmas were not needed (bench/README.md)."""
    assert first(index, "Des médiathèques ouvertes les dimanches") == "library"
