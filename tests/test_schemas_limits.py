"""Every payload limit is defined once (facilitation/schemas/limits.py): the validation of
events and forms, the templates' `maxlength`, the pages' `page-data` limits and the import
all follow it. Changing one entry changes all of them."""

import json
import re
from pathlib import Path

import pytest
from conftest import emit, participant_in

from facilitation.domain.errors import RuleError
from facilitation.schemas import LIMITS, check, client_id_of, is_id, validate_item
from facilitation.schemas.payloads import SdgPickRequest, VoteCast

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = {
    "item.text",
    "initiative.title",
    "initiative.description",
    "initiative.link",
    "participant.display_name",
    "participant.organisation",
    "participant.country",
    "workshop.title",
    "workshop.description",
    "session.name",
    "account.name",
    "account.password",
    "client_id",
    "translation.text",
}


def page_data(html):
    found = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S)
    assert found, "no page-data"
    return json.loads(found.group(1))


def test_the_limits_are_the_shared_contract():
    assert set(LIMITS) == CONTRACT
    assert all(type(v) is int and v > 0 for v in LIMITS.values())


def test_no_template_writes_a_length_limit_of_its_own():
    literal = re.compile(r"maxlength=\"?\d")
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "templates").rglob("*.html")
        if literal.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_changing_a_limit_changes_the_page_the_browser_and_the_socket_check(
    app, workshop, monkeypatch
):
    monkeypatch.setitem(LIMITS, "item.text", 7)
    monkeypatch.setitem(LIMITS, "initiative.title", 9)
    browser, live = participant_in(app, workshop["en"]["code"])
    html = browser.get(f"/s/{workshop['en']['code']}").text
    assert 'name="text" rows="2" maxlength="7"' in html
    assert 'name="title" maxlength="9"' in html
    assert page_data(html)["limits"] == {**LIMITS, "item.text": 7, "initiative.title": 9}
    ack = emit(
        live,
        "initiative:post",
        {"client_id": "c1", "title": "ten chars!", "axis": "mobility", "sdgs": [11]},
    )
    assert ack["error"]["fields"]["title"]["code"] == "too_long"
    assert ack["error"]["fields"]["title"]["message"] == "Use at most 9 characters."


def test_every_page_with_page_data_carries_the_limits(app, workshop, facilitator_client):
    for path in (
        f"/facilitator/workshops/{workshop['id']}",
        f"/facilitator/workshops/{workshop['id']}/projector",
        f"/facilitator/sessions/{workshop['en']['id']}/projector",
    ):
        response = facilitator_client.get(path)
        assert response.status_code == 200, path
        assert page_data(response.text)["limits"] == LIMITS, path


def test_a_changed_limit_is_the_one_a_form_checks(monkeypatch):
    monkeypatch.setitem(LIMITS, "item.text", 3)
    with pytest.raises(RuleError) as caught:
        validate_item({"text": "four", "kind": "barrier"})
    assert (caught.value.fields, caught.value.limits) == ({"text": "too_long"}, {"text": 3})
    monkeypatch.setitem(LIMITS, "client_id", 2)
    assert client_id_of({"client_id": "ab"}) == "ab"
    with pytest.raises(RuleError):
        client_id_of({"client_id": "abc"})


# --- the field types -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [None, ["a"], {"a": 1}, 5, True, "", "x" * (LIMITS["client_id"] + 1)]
)
def test_a_client_id_that_is_no_short_string_is_invalid(value):
    with pytest.raises(RuleError) as caught:
        client_id_of({"client_id": value})
    assert caught.value.fields == {"client_id": "invalid"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, True), (2**63 - 1, True), (2**63, False), (0, False), (True, False), (1.0, False)],
)
def test_an_id_is_a_positive_64_bit_integer_never_a_bool_or_float(value, expected):
    assert is_id(value) is expected


def test_a_vote_reports_its_first_wrong_field_and_names_no_item_with_a_bad_id():
    with pytest.raises(RuleError) as caught:
        check(VoteCast, {"client_id": 5, "delta": 2}, first_only=True)
    assert caught.value.fields == {"client_id": "invalid"}
    vote = check(VoteCast, {"client_id": "c", "delta": -1, "item_id": True})
    assert (vote.client_id, vote.delta, vote.item_id) == ("c", -1, None)


def test_an_sdg_pick_reports_only_its_first_wrong_field():
    with pytest.raises(RuleError) as caught:
        check(SdgPickRequest, {"axis": "nope", "sdg": 99, "picked": "yes"}, first_only=True)
    assert caught.value.fields == {"axis": "unknown"}


@pytest.mark.parametrize("payload", [None, [1], "text", 3])
def test_a_payload_that_is_no_object_is_invalid_without_fields(payload):
    with pytest.raises(RuleError) as caught:
        check(VoteCast, payload)
    assert (caught.value.code, caught.value.fields) == ("invalid", {})
