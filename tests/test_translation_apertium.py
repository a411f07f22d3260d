"""The Apertium engine, for real: Debian's `apertium` and its en-es and fr-es pairs."""

import pytest
from translation_kit import need_apertium

from facilitation.translation.apertium import Apertium, decode, encode
from facilitation.translation.provider import ProviderError


@pytest.fixture
def engine():
    return need_apertium()


def test_english_to_spanish(engine):
    [translated] = engine.translate(["Lack of funding"], "en", "es")
    assert "financ" in translated.lower()
    assert "lack" not in translated.lower()


def test_spanish_to_english(engine):
    [translated] = engine.translate(["Falta de financiación para pilotos"], "es", "en")
    assert "financing" in translated.lower() or "funding" in translated.lower()
    assert "pilot" in translated.lower()


def test_french_to_english_goes_through_spanish(engine):
    assert engine.route("fr", "en") == [engine.route("fr", "es")[0], engine.route("es", "en")[0]]
    [translated] = engine.translate(["Manque de financement"], "fr", "en")
    assert "financing" in translated.lower() or "funding" in translated.lower()


def test_english_to_french_goes_through_spanish(engine):
    assert len(engine.route("en", "fr")) == 2
    [translated] = engine.translate(["The city council"], "en", "fr")
    assert translated.lower() in ("la mairie", "le conseil municipal", "le conseil de la ville")


def test_a_batch_keeps_every_text_in_order_with_its_lines_and_markup(engine):
    texts = [
        "Falta de financiación",
        "Primera línea\n\nsegunda línea",
        'El <b>ayuntamiento</b> & [la] ^ciudad$ @ {x} / \\ "comillas"',
        "",
        "Hola",
    ] + [f"Proyecto número {n}" for n in range(40)]
    translated = engine.translate(texts, "es", "en")
    assert len(translated) == len(texts)
    assert translated[1].count("\n") == 2 and "line" in translated[1].lower()
    for mark in ("<b>", "</b>", "&", "[", "]", "^", "$", "@", "{", "}", "/", "\\", '"'):
        assert mark in translated[2], (mark, translated[2])
    assert translated[3] == ""
    assert [t.split()[-1] for t in translated[5:]] == [str(n) for n in range(40)]


def test_pairs_it_does_not_have_are_not_supported(engine):
    assert engine.supports("es", "en")
    assert not engine.supports("en", "en")
    assert not engine.supports("en", "de")


def test_a_missing_command_fails_as_a_provider_error(tmp_path):
    engine = Apertium(binary=str(tmp_path / "no-apertium"))
    assert not engine.installed()
    with pytest.raises(ProviderError):
        engine.translate(["Hola"], "es", "en")
    assert engine.probe() is False


def test_an_answer_with_another_number_of_texts_is_an_error():
    assert decode(encode(["a", "b\nc"]), 2) == ["a", "b\nc"]
    with pytest.raises(ProviderError):
        decode(encode(["a"]), 2)
