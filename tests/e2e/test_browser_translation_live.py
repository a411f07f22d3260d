"""Live translation end to end, with the real app and the real Apertium, in Debian's
Chromium: a Spanish initiative posted in the Spanish session reaches an English
participant's phone ("From the other groups") and the facilitator's console with an
English translation, live, labelled "Machine translation", the original one action away;
the workbook then holds both texts. A screenshot of the phone (360x740) is left in the
test's folder."""

import io
import re

import openpyxl
import pytest
from browser_kit import (
    WAIT_MS,
    axe_source,
    axe_violations,
    describe,
    expect,
    open_chromium,
    signed_in_context,
    wait_live,
    watch_errors,
)
from realserver import (
    RealServer,
    bilingual_workshop,
    connect_facilitator,
    connect_participant,
    create_facilitator,
    join,
    open_phase,
)
from translation_kit import need_apertium

pytestmark = [pytest.mark.browser, pytest.mark.realserver]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
CONSOLE = {"viewport": {"width": 1366, "height": 768}}
POST = {
    "client_id": "es-live-1",
    "title": "Falta de financiación para pilotos",
    "description": "Los ayuntamientos no tienen presupuesto",
    "axis": "governance",
    "sdgs": [11, 17],
}


@pytest.fixture(scope="module")
def chromium():
    yield from open_chromium()


@pytest.fixture
def workshop(tmp_path):
    """The real app with Apertium on; an English and a Spanish session taking initiatives,
    Lucía connected to the Spanish one."""
    need_apertium()
    server = RealServer(tmp_path / "server", env={"TRANSLATION": "apertium"}).start(timeout=90)
    facilitator = create_facilitator(server)
    workshop_id, sessions = bilingual_workshop(server, facilitator)
    watcher = connect_facilitator(server, facilitator)
    assert watcher.call("workshop:watch", {"workshop_id": workshop_id}).get("ok")
    open_phase(watcher, [s.id for s in sessions.values()])
    lucia = connect_participant(server, join(server, sessions["es"], "Lucía", "Sevilla", "España"))
    yield {
        "server": server,
        "facilitator": facilitator,
        "id": workshop_id,
        "sessions": sessions,
        "lucia": lucia,
        "watcher": watcher,
    }
    lucia.close()
    watcher.close()
    server.stop()


def english_phone(chromium, server, session):
    """Mia's phone in the English session, in English."""
    mia = join(server, session, "Mia", "Leeds", "UK")
    context = chromium.new_context(locale="en-US", **PHONE)
    context.add_cookies(
        [{"name": c.name, "value": c.value, "url": server.url} for c in mia.http.cookies]
    )
    page = context.new_page()
    page.errors = watch_errors(page)
    page.goto(f"{server.url}/s/{session.code}")
    wait_live(page, "initiatives")
    return context, page


def english_console(chromium, workshop, path):
    """The facilitator's console in English at 1366 x 768, opened on `path`; returns
    (context, page), the page's script errors collected in `page.errors`."""
    server = workshop["server"]
    context = signed_in_context(
        chromium, server, workshop["facilitator"], locale="en-US", **CONSOLE
    )
    page = context.new_page()
    page.errors = watch_errors(page)
    page.goto(f"{server.url}{path}")
    return context, page


def workbook(facilitator, server, workshop_id):
    response = facilitator.get(
        f"{server.url}/facilitator/workshops/{workshop_id}/export/xlsx?lang=en", timeout=30
    )
    assert response.status_code == 200, response.status_code
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Initiatives"]
    rows = [["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True)]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_a_spanish_initiative_reaches_the_english_phone_and_console_translated(
    chromium, workshop, tmp_path
):
    server, sessions = workshop["server"], workshop["sessions"]
    phone_context, phone = english_phone(chromium, server, sessions["en"])
    console_context, console = english_console(
        chromium, workshop, f"/facilitator/sessions/{sessions['es'].id}/run"
    )
    try:
        # the other groups' section: folded, with its count; opened from the keyboard
        toggle = phone.get_by_role("button", name="From the other groups")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(phone.locator("#others-count")).to_have_text("(0)", timeout=WAIT_MS)
        toggle.focus()
        phone.keyboard.press("Enter")
        expect(toggle).to_have_attribute("aria-expanded", "true")
        group = phone.locator(".other-board", has_text="(español)")
        expect(group.locator(".empty")).to_have_text("No initiatives yet.", timeout=WAIT_MS)

        ack = workshop["lucia"].call("initiative:post", POST)
        assert ack.get("ok"), ack
        initiative_id = ack["initiative"]["id"]

        # the phone: the Spanish text at once, its English translation moments later
        card = group.locator(f'.initiative[data-id="{initiative_id}"]')
        expect(card).to_be_visible(timeout=WAIT_MS)
        expect(phone.locator("#others-count")).to_have_text("(1)")
        title = card.locator("h4")
        expect(title).to_have_attribute("lang", "en", timeout=60_000)
        english = title.inner_text()
        assert english != POST["title"] and "pilot" in english.lower(), english
        expect(card.locator(".tr-label")).to_have_text("Machine translation")
        expect(card.locator(".description")).to_have_attribute("lang", "en")
        expect(group.locator("h3 [lang]")).to_have_attribute("lang", "es")
        card.get_by_role("button", name="Show original").click()
        expect(title).to_have_text(POST["title"])
        expect(title).to_have_attribute("lang", "es")
        card.get_by_role("button", name="Show translation").click()
        expect(title).to_have_text(english)
        # nothing of another group's post is announced on this phone
        expect(phone.locator("#announcer")).to_have_text("")
        phone.screenshot(path=str(tmp_path / "phone-other-groups-en.png"))
        found = describe("phone, other groups", axe_violations(phone, axe_source()))
        assert not found, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(found)

        # the facilitator's console: the same translation, labelled
        part = console.locator(f'[data-contributions-session="{sessions["es"].id}"]')
        on_console = part.locator(".contributions-initiatives li").first
        expect(on_console.locator('strong[lang="en"]')).to_have_text(english, timeout=WAIT_MS)
        expect(on_console.locator(".tr-label")).to_have_text("Machine translation")
        on_console.get_by_role("button", name="Show original").click()
        expect(on_console.locator('strong[lang="es"]')).to_have_text(POST["title"])

        # the phone's own board is not disturbed: Mia posts hers, it stands on her board only
        phone.locator("#f-title").fill("Open data portal")
        phone.locator('input[name="axis"][value="governance"]').check()
        phone.locator('input[name="sdgs"][value="16"]').check()
        phone.locator("#submit-button").click()
        expect(phone.locator("#board .initiative h4")).to_have_text(
            ["Open data portal"], timeout=WAIT_MS
        )
        expect(group.locator(".initiative")).to_have_count(1)

        # the Spanish session's seq moves without an initiative (its settings change): the
        # next Spanish post still arrives, the boards fetched again over the gap
        rules = {"workshop_id": workshop["id"], "dots": 6, "per_item": 2, "sdg_limit": 3}
        assert workshop["watcher"].call("workshop:set_voting_rules", rules).get("ok")
        later = workshop["lucia"].call(
            "initiative:post", {**POST, "client_id": "es-live-3", "title": "Carriles bici"}
        )
        assert later.get("ok"), later
        expect(group.locator(".initiative")).to_have_count(2, timeout=WAIT_MS)
        expect(group.locator(".initiative h4").first).to_have_text(
            re.compile("bike|lanes|Carriles", re.I)
        )
        assert workshop["lucia"].call("initiative:withdraw", {"id": later["initiative"]["id"]})[
            "ok"
        ]
        expect(group.locator(".initiative")).to_have_count(1, timeout=WAIT_MS)

        # withdrawn in Spain, gone from the English phone live
        assert workshop["lucia"].call("initiative:withdraw", {"id": initiative_id}).get("ok")
        expect(card).to_have_count(0, timeout=WAIT_MS)
        expect(phone.locator("#others-count")).to_have_text("(0)")
        for page in (phone, console):
            assert page.errors == [], page.errors
    finally:
        phone_context.close()
        console_context.close()


def test_the_workbook_holds_the_original_and_its_translation(workshop):
    lucia = workshop["lucia"]
    ack = lucia.call("initiative:post", {**POST, "client_id": "es-live-2"})
    assert ack.get("ok"), ack
    initiative_id = ack["initiative"]["id"]

    def landed(client):
        return [
            m
            for m in client.received("initiative:upserted")
            if m["initiative"]["id"] == initiative_id
            and set(m["initiative"]["translations"].get("en", {})) == {"title", "description"}
        ]

    assert lucia.wait_for(landed, timeout=60), "the translation never arrived"
    rows = workbook(workshop["facilitator"], workshop["server"], workshop["id"])
    [row] = [r for r in rows if r["ID"] == initiative_id]
    assert (row["Title [es]"], row["Title [es]: source"]) == (POST["title"], "Original")
    assert row["Title [en]: source"] == "Machine translation"
    assert (
        row["Title [en]"] == landed(lucia)[-1]["initiative"]["translations"]["en"]["title"]["text"]
    )
    assert "pilot" in row["Title [en]"].lower()
    assert (row["Description [es]"], row["Description [en]: source"]) == (
        POST["description"],
        "Machine translation",
    )
    assert row["Description [en]"] not in ("", POST["description"])


def test_the_merge_lists_show_the_other_languages_items_translated(chromium, workshop):
    """An English facilitator merging duplicates reads a Spanish barrier in English too."""
    sessions = workshop["sessions"]
    open_phase(workshop["watcher"], [s.id for s in sessions.values()], "proposing")
    text = "Falta de financiación para pilotos"
    ack = workshop["lucia"].call(
        "item:propose", {"client_id": "es-merge-1", "text": text, "kind": "barrier"}
    )
    assert ack.get("ok"), ack
    context, console = english_console(
        chromium, workshop, f"/facilitator/workshops/{workshop['id']}/run"
    )
    try:
        console.get_by_role("tab", name="Merge barriers and enablers").click()
        unit = console.locator(".merge-list .merge-unit", has_text=text)
        expect(unit.locator('.merge-text[lang="es"]')).to_have_text(text, timeout=WAIT_MS)
        english = unit.locator('.merge-translation [lang="en"]')
        expect(english).to_have_text(re.compile("pilot", re.I), timeout=60_000)
        assert english.inner_text() != text
        expect(unit.locator(".merge-translation")).to_contain_text("Translation")
        assert console.errors == [], console.errors
    finally:
        context.close()
