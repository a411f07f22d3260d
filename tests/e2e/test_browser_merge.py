"""Merging duplicates in the facilitator's console, in a real browser against the real
server: the barriers and enablers of both sessions side by side, a suggestion accepted in one
action (the items show as merged), the merge undone, a pair dismissed as not the same and
suggested again, a manual merge through the checkboxes; axe finds nothing."""

import pytest
from browser_kit import (
    WAIT_MS,
    axe_source,
    axe_violations,
    describe,
    expect,
    facilitator_call,
    open_chromium,
    run_server,
    signed_in_context,
    watch_errors,
)
from realserver import bilingual_workshop, connect_facilitator, create_facilitator

pytestmark = [pytest.mark.browser, pytest.mark.realserver]


@pytest.fixture(scope="module")
def chromium():
    yield from open_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from run_server(tmp_path_factory.mktemp("merge"))


@pytest.fixture(scope="module")
def facilitator(server):
    return create_facilitator(server)


def add(live, session, client_id, text, kind="barrier"):
    data = {"session_id": session.id, "client_id": client_id, "text": text, "kind": kind}
    return facilitator_call(live, "item:add", data)["item"]["id"]


def groups(server, *item_ids):
    """{item id: group id} straight from the database."""
    rows = server.query("SELECT id, group_id FROM items ORDER BY id")
    return {item_id: group for item_id, group in rows if item_id in item_ids}


def open_console(page, server, workshop_id):
    """The run view of every session, on its merging tab."""
    page.goto(f"{server.url}/facilitator/workshops/{workshop_id}/run")
    page.get_by_role("tab", name="Merge barriers and enablers").click()
    expect(page.locator("#connection")).to_have_attribute("data-state", "online", timeout=WAIT_MS)


def test_a_suggestion_is_merged_undone_dismissed_and_restored(chromium, server, facilitator):
    workshop_id, sessions = bilingual_workshop(server, facilitator, "Merging")
    live = connect_facilitator(server, facilitator)
    en, es = sessions["en"], sessions["es"]
    funding = add(live, en, "m1", "Lack of funding")
    funds = add(live, en, "m2", "Lack of funds for pilots")
    falta = add(live, es, "m3", "Falta de financiación")
    falta2 = add(live, es, "m4", "falta de financiamiento")
    add(live, es, "m5", "Los datos abiertos no se publican")
    add(live, en, "m6", "Political leadership", kind="enabler")
    context = signed_in_context(
        chromium, server, facilitator, locale="en-US", viewport={"width": 1366, "height": 768}
    )
    try:
        page = context.new_page()
        errors = watch_errors(page)
        open_console(page, server, workshop_id)
        panel = page.locator("#merge-panel")
        barriers = panel.locator('.merge-list[data-kind="barrier"]')
        expect(barriers.locator(".merge-unit")).to_have_count(5, timeout=WAIT_MS)
        expect(panel.locator('.merge-list[data-kind="enabler"] .merge-unit')).to_have_count(1)
        spanish = barriers.locator(".merge-unit", has_text="Falta de financiación")
        expect(spanish.locator('[lang="es"]')).to_have_text("Falta de financiación")
        expect(spanish.locator(".lang-tag")).to_have_text("es")

        # accept: one action, and the two items show as one group
        suggestion = panel.locator(".merge-suggestion", has_text="Lack of funds for pilots")
        expect(suggestion).to_have_count(1, timeout=WAIT_MS)
        suggestion.get_by_role("button", name="Merge", exact=True).click()
        group = barriers.locator(".merge-unit.is-group")
        expect(group).to_have_count(1, timeout=WAIT_MS)
        expect(group).to_contain_text("Lack of funding")
        expect(group).to_contain_text("Lack of funds for pilots")
        expect(barriers.locator(".merge-unit")).to_have_count(4)
        found = groups(server, funding, funds)
        assert found[funding] is not None and found[funding] == found[funds]

        # undo the merge
        panel.get_by_role("button", name="Undo the merge").click()
        expect(group).to_have_count(0, timeout=WAIT_MS)
        expect(barriers.locator(".merge-unit")).to_have_count(5)
        assert groups(server, funding, funds) == {funding: None, funds: None}

        # not the same: gone from the list (here and on a co-facilitator's console), kept
        # as dismissed, then suggested again
        other = context.new_page()
        open_console(other, server, workshop_id)
        theirs = other.locator(".merge-suggestion", has_text="falta de financiamiento")
        expect(theirs).to_have_count(1, timeout=WAIT_MS)
        pair = panel.locator(".merge-suggestion", has_text="falta de financiamiento")
        expect(pair).to_have_count(1, timeout=WAIT_MS)
        pair.get_by_role("button", name="Not the same").click()
        expect(pair).to_have_count(0, timeout=WAIT_MS)
        expect(theirs).to_have_count(0, timeout=WAIT_MS)
        other.close()
        expect(panel.locator(".merge-dismissed summary")).to_have_text(
            "Marked as not the same: 1", timeout=WAIT_MS
        )
        rows = server.query("SELECT item_a_id, item_b_id FROM merge_dismissals")
        assert rows == [(falta, falta2)]
        panel.get_by_role("button", name="Undo: suggest the pair again").click()
        expect(pair).to_have_count(1, timeout=WAIT_MS)
        assert server.query("SELECT item_a_id FROM merge_dismissals") == []

        # a manual merge: tick two, the control beside the lists counts them
        for text in ("Falta de financiación", "Lack of funding"):
            barriers.locator(".merge-unit", has_text=text).get_by_role("checkbox").check()
        expect(panel.locator("#merge-count")).to_have_text("Selected: 2")
        panel.get_by_role("button", name="Merge selected").click()
        expect(group).to_have_count(1, timeout=WAIT_MS)
        found = groups(server, funding, falta)
        assert found[funding] is not None and found[funding] == found[falta]
        # and one member separated again from inside the group
        group.get_by_role("button", name="Separate from group: Falta de financiación").click()
        expect(group).to_have_count(0, timeout=WAIT_MS)
        assert groups(server, funding, falta) == {funding: None, falta: None}

        violations = axe_violations(page, axe_source())
        assert violations == [], "\n".join(describe("merging panel", violations))
        assert errors == []
    finally:
        context.close()
        live.close()
