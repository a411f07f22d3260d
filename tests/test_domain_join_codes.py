"""Join codes: an unambiguous alphabet, fixed length, normalising what people type."""

import pytest

from facilitation.domain.join_codes import (
    ALPHABET,
    LENGTH,
    new_join_code,
    normalise_join_code,
)


@pytest.mark.parametrize("confusable", ["0", "O", "1", "I"])
def test_alphabet_leaves_out_confusable_characters(confusable):
    assert confusable not in ALPHABET


def test_alphabet_is_upper_case_letters_and_digits_without_repeats():
    assert ALPHABET.isalnum() and ALPHABET.upper() == ALPHABET
    assert len(set(ALPHABET)) == len(ALPHABET)


def test_new_codes_use_the_alphabet_and_length():
    codes = {new_join_code() for _ in range(200)}
    assert all(len(c) == LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert len(codes) > 190  # random, not a constant


def test_new_codes_are_already_normal():
    code = new_join_code()
    assert normalise_join_code(code) == code


@pytest.mark.parametrize("separator", [" ", "-", "_", "."])
def test_normalise_upper_cases_and_drops_separators(separator):
    code = new_join_code()
    typed = code[:3].lower() + separator + code[3:].lower()
    assert normalise_join_code(typed) == code
    assert normalise_join_code(f" {code} ") == code


@pytest.mark.parametrize("raw", [None, 123456, b"ACDEFG", ["ACDEFG"]])
def test_normalise_refuses_non_strings(raw):
    assert normalise_join_code(raw) is None


def test_normalise_refuses_wrong_length():
    assert normalise_join_code("A" * (LENGTH - 1)) is None
    assert normalise_join_code("A" * (LENGTH + 1)) is None
    assert normalise_join_code("") is None


@pytest.mark.parametrize("bad", ["0", "O", "1", "I", "!", "é"])
def test_normalise_refuses_characters_outside_the_alphabet(bad):
    assert normalise_join_code("ACDEF" + bad) is None
