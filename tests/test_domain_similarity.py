"""Suggested duplicates among barriers and enablers (domain/similarity.py). No app."""

from facilitation.domain.similarity import Entry, Reason, fold, stem, suggest, terms

BARRIERS = [
    Entry(1, "barrier", "en", "Lack of funding"),
    Entry(2, "barrier", "en", "Lack of funds for pilots"),
    Entry(3, "barrier", "es", "Falta de financiación"),
    Entry(4, "barrier", "es", "falta de financiamiento"),
    Entry(5, "barrier", "en", "Too much red tape in procurement"),
    Entry(6, "barrier", "en", "Citizens do not trust the city council"),
    Entry(7, "barrier", "es", "Los datos abiertos no se publican"),
    Entry(8, "barrier", "fr", "Les élus changent tous les six ans"),
    Entry(9, "enabler", "en", "Funding from the regional government"),
    Entry(10, "enabler", "en", "Political leadership"),
]


def pairs(suggestions):
    return [s.item_ids for s in suggestions]


def test_normalising_folds_case_and_accents_and_stems_lightly():
    assert fold("Financiación") == "financiacion"
    assert stem("funding", "en") == stem("funds", "en") == "fund"
    assert stem(fold("financiación"), "es") == stem("financiamiento", "es")
    assert stem("financement", "fr") == "financ"
    # stop words and punctuation go; elided articles too
    assert set(terms("Lack of funding, for the pilots!", "en").stems) == {"lack", "fund", "pilot"}
    elided = terms("L'accès aux données", "fr").stems
    assert set(elided) == set(terms("accès, données", "fr").stems) and len(elided) == 2


def test_numbers_names_and_acronyms_are_read():
    read = terms("Only 30% of EU funds reach Valencia", "en")
    assert read.numbers == {"30"}
    assert set(read.names) == {"eu", "valencia"}
    assert "only" not in read.names  # the first word's capital says nothing


def test_known_pairs_are_found_in_english_and_in_spanish():
    found = pairs(suggest(BARRIERS))
    assert (1, 2) in found
    assert (3, 4) in found


def test_unrelated_items_are_not_suggested():
    found = {i for pair in pairs(suggest(BARRIERS)) for i in pair}
    for unrelated in (5, 6, 7, 8, 10):
        assert unrelated not in found


def test_items_of_different_kinds_are_never_paired():
    entries = [Entry(1, "barrier", "en", "Lack of funding"), Entry(2, "enabler", "en", "Funding")]
    entries.append(Entry(3, "enabler", "en", "Lack of funding"))
    assert pairs(suggest(entries)) == [(2, 3)]


def test_hidden_grouped_and_dismissed_pairs_are_not_suggested():
    entries = [
        Entry(1, "barrier", "en", "Lack of funding"),
        Entry(2, "barrier", "en", "Lack of funding for pilots", group_id=7),
        Entry(3, "barrier", "en", "Lack of funding in pilots", group_id=7),
        Entry(4, "barrier", "en", "Lack of funding!", hidden=True),
    ]
    found = pairs(suggest(entries))
    assert (2, 3) not in found  # already one group
    assert all(4 not in pair for pair in found)  # hidden
    assert len(found) == 1  # the item and the group: one suggestion, through the closest pair
    assert pairs(suggest(entries, dismissed={found[0]})) != found
    assert pairs(suggest(entries, dismissed={(1, 2), (1, 3)})) == []


def test_ranking_puts_the_closest_pair_first_and_is_deterministic():
    entries = [
        Entry(1, "barrier", "en", "Lack of funding for pilots"),
        Entry(2, "barrier", "en", "Lack of funding for pilots in small towns"),
        Entry(3, "barrier", "en", "Lack of funding for pilot projects"),
        Entry(4, "barrier", "en", "Pilots lack funding"),
    ]
    ranked = suggest(entries)
    assert ranked[0].item_ids == (1, 4)  # the same words in another order
    scores = [s.score for s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert suggest(list(reversed(entries))) == ranked


def test_numbers_and_names_count():
    entries = [
        Entry(1, "barrier", "en", "Tram line 3 delayed by the EU audit"),
        Entry(2, "barrier", "en", "EU audit delays tram line 3"),
        Entry(3, "barrier", "en", "Tram line 5 delayed"),
    ]
    ranked = suggest(entries)
    assert ranked[0].item_ids == (1, 2)
    codes = {r.code for r in ranked[0].reasons}
    assert {"words", "numbers", "names"} <= codes
    other = [s for s in ranked if s.item_ids == (1, 3)]
    assert not other or other[0].score < ranked[0].score  # other numbers weigh against


def test_across_languages_a_translation_finds_the_pair():
    english = Entry(1, "barrier", "en", "Lack of funding for pilots")
    spanish = Entry(
        2,
        "barrier",
        "es",
        "Falta de financiación para pilotos",
        translations={"en": "Lack of funding for pilots"},
    )
    unrelated = Entry(3, "barrier", "es", "Los datos abiertos no se publican")
    ranked = suggest([english, spanish, unrelated])
    assert pairs(ranked) == [(1, 2)]
    assert ranked[0].reasons[0].code == "translation"


def test_across_languages_without_translation_cognates_and_names_still_count():
    french = Entry(1, "barrier", "fr", "Manque de financement pour les projets pilotes")
    spanish = Entry(2, "barrier", "es", "Falta de financiación para proyectos piloto")
    other = Entry(3, "barrier", "es", "Los datos abiertos no se publican")
    ranked = suggest([french, spanish, other])
    assert pairs(ranked) == [(1, 2)]
    assert ranked[0].reasons[0].code == "cognates"


def test_the_number_of_suggestions_is_limited():
    entries = [Entry(i, "barrier", "en", f"Lack of funding number {i}") for i in range(1, 30)]
    assert len(suggest(entries, limit=5)) == 5


def test_two_barriers_are_not_alike_because_both_lack_something():
    entries = [
        Entry(1, "barrier", "en", "Lack of funding for pilots"),
        Entry(2, "barrier", "en", "Lack of interoperability between systems"),
        Entry(3, "barrier", "fr", "Manque de budget pour la maintenance"),
        Entry(4, "barrier", "fr", "Manque d'interopérabilité entre les systèmes"),
        Entry(5, "barrier", "en", "Funding for pilots"),
    ]
    found = pairs(suggest(entries))
    assert (1, 5) in found  # "Lack of funding" is the barrier "Funding"
    assert (1, 2) not in found and (3, 4) not in found


def test_a_translation_in_other_forms_of_the_same_words_still_counts():
    english = Entry(1, "barrier", "en", "Dependence on a single technology vendor")
    text = "Dependencia de un único proveedor tecnológico"
    translated = {"en": "Dependency of an only technological provider"}
    other = Entry(3, "barrier", "en", "Rigid public procurement rules")
    ranked = suggest([english, Entry(2, "barrier", "es", text, translated), other], threshold=0)
    alone = suggest([english, Entry(2, "barrier", "es", text), other], threshold=0)
    assert pairs(ranked)[0] == pairs(alone)[0] == (1, 2)
    assert ranked[0].score > 2 * alone[0].score  # "Dependency", "technological" count
    assert ranked[0].reasons[0] == Reason("translation", ("Dependence", "technology"))
