"""Every catalogue under translations/ is complete and safe to format.

A message counts as done only when it is translated (every plural form), not fuzzy (pybabel
compile skips fuzzy entries, and a fuzzy header skips the whole catalogue), and its
translation has the same %(name)s placeholders as the English (a missing one silently drops
a value; an extra or renamed one raises KeyError when the page renders). Every message the
code and templates use must also be in each catalogue (`make translations-update` adds them).
"""

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))
# named placeholders (%(name)s, %(count)d) and bare ones (%s, %d)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]")


def placeholders(text):
    return Counter(PLACEHOLDER.findall(text or ""))


def forms(value):
    """A message's id or string as a tuple: one item, or one per plural form."""
    return value if isinstance(value, tuple) else (value,)


def problems(catalog):
    """Human-readable lines, one per untranslated, fuzzy or mismatched message."""
    found = []
    if catalog.fuzzy:
        found.append("the header is marked fuzzy: pybabel compile skips the whole catalogue")
    for message in catalog:
        if not message.id:
            continue
        where = f"line {message.lineno}: {forms(message.id)[0]!r}"
        translations = forms(message.string)
        if not all(translations):
            found.append(f"{where} is not translated (every plural form needs a text)")
            continue
        if message.fuzzy:
            found.append(f"{where} is fuzzy: check the translation, then remove the flag")
        found += [f"{where}: {p}" for p in placeholder_problems(message.id, translations)]
    return found


def placeholder_problems(msgid, translations):
    """Each translated form must have the placeholders of the singular or plural English."""
    english = [placeholders(text) for text in forms(msgid)]
    expected = " or ".join(sorted({" ".join(sorted(e)) or "none" for e in english}))
    found = []
    for n, text in enumerate(translations):
        if placeholders(text) not in english:
            got = " ".join(sorted(placeholders(text))) or "none"
            found.append(f"form {n} has placeholders {got}, the English has {expected}")
    return found


def read(path):
    with open(path, "rb") as handle:
        return read_po(handle)


def test_there_are_catalogues_to_check():
    assert {path.parts[-3] for path in CATALOGUES} >= {"es"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_message_is_translated_with_the_same_placeholders(path):
    found = problems(read(path))
    assert not found, f"{path.relative_to(ROOT)}:\n" + "\n".join(found)


def used_messages():
    """(msgid, context) of every message the Python code and the templates mark."""
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    sources = [("facilitation", "**.py", "python"), ("templates", "**.html", "jinja2")]
    used = set()
    for folder, pattern, method in sources:
        for _, _, message, _, context in extract_from_dir(
            ROOT / folder, [(pattern, method)], keywords=keywords
        ):
            used.add((forms(message)[0], context))
    return used


def test_the_code_marks_messages_for_translation():
    assert ("Join the session", None) in used_messages()


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_message_the_code_uses_is_in_the_catalogue(path):
    catalog = read(path)
    known = {(forms(m.id)[0], m.context) for m in catalog if m.id}
    missing = sorted(msgid for msgid, context in used_messages() - known)
    assert not missing, (
        f"{path.relative_to(ROOT)} lacks messages the code uses; run `make "
        "translations-update` and translate them:\n" + "\n".join(missing)
    )


def test_the_check_finds_each_kind_of_problem():
    """The checker itself: each kind of mistake is reported, a good catalogue passes."""
    catalog = Catalog(locale="es", fuzzy=False)
    catalog.add("Dots: %(count)s", "Puntos: %(count)s")
    catalog.add(("%(num)d session", "%(num)d sessions"), ("%(num)d sesión", "%(num)d sesiones"))
    assert problems(catalog) == []

    catalog.add("Untranslated", "")
    catalog.add("Fuzzy %(name)s", "Dudoso %(name)s", flags=["fuzzy"])
    catalog.add("Hello %(name)s", "Hola %(nombre)s")
    catalog.add(("%(num)d dot", "%(num)d dots"), ("%(num)d punto", "puntos"))
    catalog.add(("%(num)d item", "%(num)d items"), ("%(num)d elemento", ""))
    catalog.fuzzy = True
    found = "\n".join(problems(catalog))
    assert "header is marked fuzzy" in found
    assert "'Untranslated' is not translated" in found
    assert "'Fuzzy %(name)s' is fuzzy" in found
    assert "'Hello %(name)s': form 0 has placeholders %(nombre)s" in found
    assert "'%(num)d dot': form 1 has placeholders none" in found
    assert "'%(num)d item' is not translated" in found
    assert len(problems(catalog)) == 6
