"""Translations seen in Debian's Chromium against the real server: a Spanish initiative
reaches an English-speaking phone, the room screen and the console with its English
translation, labelled, `lang` on both texts, the original one action away; no axe
violation on those pages.

The translation row is written by this test where the translation engine writes it (the
`translations` table), and the subject is then re-broadcast through the normal path (its
author saves it unchanged, which records the same `initiative:upserted` the engine
records when a translation lands): the test stands for the engine, the pages cannot tell.
"""

import datetime as dt
import hashlib
import sqlite3
import uuid

import pytest
from browser_kit import (
    WAIT_MS,
    Room,
    axe_source,
    axe_violations,
    describe,
    expect,
    open_chromium,
    run_server,
    signed_in_context,
    wait_live,
    watch_errors,
)
from realserver import connect_participant, create_facilitator, join

pytestmark = [pytest.mark.browser, pytest.mark.realserver]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
CONSOLE = {"viewport": {"width": 1366, "height": 768}}
ROOM_SCREEN = {"viewport": {"width": 1920, "height": 1080}}
POST = {
    "title": "Carriles bici protegidos",
    "description": "Cuarenta kilómetros en dos años.",
    "axis": "mobility",
    "sdgs": [11],
}
ENGLISH = {"title": "Protected bike lanes", "description": "Forty kilometres in two years."}


@pytest.fixture(scope="module")
def chromium():
    yield from open_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from run_server(tmp_path_factory.mktemp("translations"))


@pytest.fixture(scope="module")
def facilitator(server):
    return create_facilitator(server)


@pytest.fixture(scope="module")
def axe():
    return axe_source()


@pytest.fixture
def room(server, facilitator):
    """English and Spanish sessions taking initiatives; Lucía, in the Spanish one, posted."""
    opened = Room(server, facilitator, "en")
    opened.move_to("initiatives")
    joined = join(server, opened.other, "Lucía", "Sevilla", "España")
    lucia = connect_participant(server, joined)
    opened.lucia_http = joined.http
    ack = lucia.call("initiative:post", {**POST, "client_id": uuid.uuid4().hex})
    assert ack["ok"], ack
    opened.lucia, opened.initiative = lucia, ack["initiative"]
    yield opened
    lucia.close()
    opened.close()


def store_translation(server, room, field, text, origin="machine", by=None):
    """Write one translation of the initiative's current `field` as the engine does."""
    source = room.initiative[field]
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    connection = sqlite3.connect(server.db_path, timeout=10)
    try:
        with connection:
            connection.execute(
                "INSERT INTO translations (workshop_id, subject, subject_id, field,"
                " source_language, language, text, source_digest, origin, translated_by,"
                " created_at, updated_at) VALUES (?, 'initiative', ?, ?, 'es', 'en', ?, ?, ?, ?,"
                " ?, ?) ON CONFLICT (subject, subject_id, field, language) DO UPDATE SET"
                " text = excluded.text, source_digest = excluded.source_digest,"
                " origin = excluded.origin, translated_by = excluded.translated_by,"
                " updated_at = excluded.updated_at",
                (
                    room.workshop_id,
                    room.initiative["id"],
                    field,
                    text,
                    hashlib.sha256(source.encode("utf-8")).hexdigest(),
                    origin,
                    by,
                    now,
                    now,
                ),
            )
    finally:
        connection.close()


def translate(server, room):
    """The engine's work: both fields stored, then the initiative broadcast again."""
    for field, text in ENGLISH.items():
        store_translation(server, room, field, text)
    edit = {**POST, "id": room.initiative["id"]}
    assert room.lucia.call("initiative:edit", edit)["ok"]


def phone_in_spanish_session(chromium, server, room):
    """An English-speaking participant's phone in the Spanish session."""
    mia = join(server, room.other, "Mia", "Leeds", "UK")
    context = chromium.new_context(locale="en-US", **PHONE)
    context.add_cookies(
        [{"name": c.name, "value": c.value, "url": server.url} for c in mia.http.cookies]
    )
    page = context.new_page()
    page.errors = watch_errors(page)
    page.goto(f"{server.url}/s/{room.other.code}")
    # joining a Spanish session speaks Spanish; Mia reads English
    page.locator("#lang-select").select_option("en")
    with page.expect_navigation():
        page.locator(".language-switch button").click()
    wait_live(page, "initiatives")
    return context, page


def console_board(console, room):
    """The initiative's row among the Spanish session's contributions on the run view."""
    part = console.locator(f'[data-contributions-session="{room.other.id}"]')
    return part.locator(f'[data-initiative-id="{room.initiative["id"]}"]')


def test_a_translation_reaches_the_phone_room_screen_and_console_live(
    chromium, server, facilitator, room, axe
):
    phone_context, phone = phone_in_spanish_session(chromium, server, room)
    signed_in = signed_in_context(chromium, server, facilitator, locale="en-US", **ROOM_SCREEN)
    console_context = signed_in_context(chromium, server, facilitator, locale="en-US", **CONSOLE)
    found = []
    try:
        screen = signed_in.new_page()
        screen.errors = watch_errors(screen)
        screen.goto(f"{server.url}/facilitator/workshops/{room.workshop_id}/projector")
        console = console_context.new_page()
        console.errors = watch_errors(console)
        console.goto(f"{server.url}/facilitator/workshops/{room.workshop_id}/run")
        card = phone.locator(f'.initiative[data-id="{room.initiative["id"]}"]')
        expect(card).to_be_visible(timeout=WAIT_MS)
        # the console says whether machine translation runs (no status in the page data
        # counts as off)
        status = console.evaluate(
            "JSON.parse(document.getElementById('page-data').textContent).translation || null"
        )
        note = console.locator(".translation-status")
        if status and status.get("enabled") and status.get("available"):
            expect(note).to_be_hidden()
        else:
            expect(note).to_be_visible(timeout=WAIT_MS)

        translate(server, room)

        # the phone: the translation in its place, labelled, the original one tap away
        expect(card.locator("h4")).to_have_text(ENGLISH["title"], timeout=WAIT_MS)
        expect(card.locator("h4")).to_have_attribute("lang", "en")
        expect(card.locator(".description")).to_have_text(ENGLISH["description"])
        expect(card.locator(".description")).to_have_attribute("lang", "en")
        expect(card.locator(".tr-label")).to_have_text("Machine translation")
        found += describe("phone, translated", axe_violations(phone, axe))
        card.get_by_role("button", name="Show original").click()
        expect(card.locator("h4")).to_have_text(POST["title"])
        expect(card.locator("h4")).to_have_attribute("lang", "es")
        expect(card.locator(".description")).to_have_attribute("lang", "es")
        card.get_by_role("button", name="Show translation").click()
        expect(card.locator("h4")).to_have_text(ENGLISH["title"])

        # the room screen: the translation big, the original under it, labelled
        wall = screen.locator(f'.card[data-id="{room.initiative["id"]}"]').first
        expect(wall.locator(".card-title")).to_have_text(ENGLISH["title"], timeout=WAIT_MS)
        expect(wall.locator(".card-title")).to_have_attribute("lang", "en")
        original = wall.locator('.tr-original-small [lang="es"]')
        expect(original).to_have_text(POST["title"])
        expect(wall.locator(".tr-tag")).to_have_text("Machine translation")
        title_size = wall.locator(".card-title").evaluate(
            "n => parseFloat(getComputedStyle(n).fontSize)"
        )
        original_size = original.evaluate("n => parseFloat(getComputedStyle(n).fontSize)")
        assert original_size < title_size
        found += describe("room screen, translated", axe_violations(screen, axe))

        # the console: the same, with "Correct translation"
        board = console_board(console, room)
        expect(board.locator('[data-field="title"]')).to_have_text(
            ENGLISH["title"], timeout=WAIT_MS
        )
        expect(board.locator(".tr-label")).to_have_text("Machine translation")
        board.get_by_role("button", name="Correct translation").click()
        expect(board.get_by_label("Title, translated")).to_have_value(ENGLISH["title"])
        expect(board.get_by_label("Title, translated")).to_be_focused()
        found += describe("console, correcting", axe_violations(console, axe))
        board.get_by_role("button", name="Cancel").click()
        expect(board.locator(".tr-form")).to_have_count(0)
        assert not found, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(found)
        for page in (phone, screen, console):
            assert page.errors == [], page.errors
    finally:
        phone_context.close()
        signed_in.close()
        console_context.close()


def test_a_facilitators_correction_reaches_the_phone(chromium, server, facilitator, room):
    """A facilitator's correction replaces the machine's on the phone and the console."""
    translate(server, room)
    phone_context, phone = phone_in_spanish_session(chromium, server, room)
    console_context = signed_in_context(chromium, server, facilitator, locale="en-US", **CONSOLE)
    try:
        console = console_context.new_page()
        console.goto(f"{server.url}/facilitator/workshops/{room.workshop_id}/run")
        board = console_board(console, room)
        board.get_by_role("button", name="Correct translation").click()
        board.get_by_label("Title, translated").fill("Protected cycle lanes")
        board.get_by_role("button", name="Save translation").click()
        expect(board.locator(".tr-form")).to_have_count(0, timeout=WAIT_MS)
        card = phone.locator(f'.initiative[data-id="{room.initiative["id"]}"]')
        expect(card.locator("h4")).to_have_text("Protected cycle lanes", timeout=WAIT_MS)
        expect(card.locator(".tr-label")).to_have_text("Translated by Ana")
        expect(board.locator('[data-field="title"]')).to_have_text(
            "Protected cycle lanes", timeout=WAIT_MS
        )
    finally:
        phone_context.close()
        console_context.close()


def test_an_author_corrects_the_translation_of_their_own_text(chromium, server, room):
    """Where the workshop lets authors translate, Lucía corrects the English of her post
    from her phone, where it shows marked as hers."""
    connection = sqlite3.connect(server.db_path, timeout=10)
    try:
        with connection:
            connection.execute(
                "UPDATE workshops SET authors_translate = 1 WHERE id = ?", (room.workshop_id,)
            )
    finally:
        connection.close()
    translate(server, room)
    context = chromium.new_context(locale="es-ES", **PHONE)
    cookies = room.lucia_http.cookies
    context.add_cookies([{"name": c.name, "value": c.value, "url": server.url} for c in cookies])
    try:
        phone = context.new_page()
        phone.goto(f"{server.url}/s/{room.other.code}")
        wait_live(phone, "initiatives")
        card = phone.locator(f'.initiative[data-id="{room.initiative["id"]}"]')
        card.locator(".own-translations summary").click()
        card.get_by_role("button", name="Corregir traducción").click()
        card.get_by_label("Título, traducido").fill("Protected cycle lanes")
        card.get_by_role("button", name="Guardar traducción").click()
        expect(card.locator(".own-translation p").first).to_have_text(
            "Protected cycle lanes", timeout=WAIT_MS
        )
        expect(card.locator(".own-translation .tr-label")).to_have_text("Traducido por Lucía")
    finally:
        context.close()
