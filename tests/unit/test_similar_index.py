"""services.ideas.similar_index and meaning: duplicates found by meaning and rare words,
quiet when nothing is alike. These load the real encoder (once per test process, ~4 s)."""
import numpy as np
import pytest

from services.ideas import meaning
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
              meaning.unpack(meaning.pack(meaning.of_idea(title, body))))


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
