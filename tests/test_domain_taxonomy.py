"""The six axes and 17 SDGs: codes, names per locale with English fallback, badge contrast."""

import pytest

from facilitation.domain.taxonomy import Axis, Sdg, taxonomy

AXES = ("economy", "mobility", "environment", "citizenship", "quality", "governance")


def luminance(hex_colour):
    """WCAG 2.1 relative luminance, computed here independently of the app."""

    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(a, b):
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_six_axes_in_order():
    assert taxonomy().axis_codes == AXES


def test_seventeen_sdgs_numbered_1_to_17():
    assert taxonomy().sdg_numbers == tuple(range(1, 18))


def test_every_entry_has_en_and_es_names():
    tax = taxonomy()
    for entry in (*tax.axes, *tax.sdgs):
        assert entry.name("en").strip() and entry.name("es").strip()


def test_names_are_localised():
    tax = taxonomy()
    assert tax.sdgs[0].name("en") == "No Poverty"
    assert tax.sdgs[0].name("es") == "Fin de la pobreza"
    assert tax.axes[0].name("es") != tax.axes[0].name("en")


@pytest.mark.parametrize("locale", ["de", "xx", ""])
def test_names_fall_back_to_english(locale):
    tax = taxonomy()
    assert tax.axes[1].name(locale) == tax.axes[1].name("en")
    assert tax.sdgs[10].name(locale) == tax.sdgs[10].name("en")


def test_empty_translation_falls_back_to_english():
    assert Axis("x", {"en": "Smart X", "es": ""}).name("es") == "Smart X"
    assert Sdg(1, "#000000", {"en": "One"}).name("fr") == "One"


def test_colours_are_hex():
    for sdg in taxonomy().sdgs:
        assert len(sdg.colour) == 7 and sdg.colour[0] == "#"
        int(sdg.colour[1:], 16)


@pytest.mark.parametrize("number", range(1, 18))
def test_badge_text_reaches_wcag_aa(number):
    sdg = taxonomy().sdgs[number - 1]
    assert sdg.number == number
    assert sdg.text_colour in ("#000000", "#FFFFFF")
    assert contrast(sdg.text_colour, sdg.colour) >= 4.5, (sdg.colour, sdg.text_colour)


def test_for_locale_gives_plain_data_in_that_language():
    data = taxonomy().for_locale("es")
    assert [a["code"] for a in data["axes"]] == list(AXES)
    assert data["sdgs"][0] == {
        "number": 1,
        "name": "Fin de la pobreza",
        "colour": taxonomy().sdgs[0].colour,
        "text_colour": taxonomy().sdgs[0].text_colour,
    }
    assert len(data["sdgs"]) == 17
