"""The facilitators' settings and the account forms as declared schemas: the numbers a
facilitator sets are limited once (facilitation/schemas/limits.py NUMBERS), read by the
validation and by the console's number inputs alike."""

import re

import pytest
from conftest import emit, live_client

from facilitation.domain.errors import RuleError
from facilitation.schemas import (
    NUMBERS,
    Credentials,
    DisplaySettings,
    HiddenFlag,
    Invitation,
    MergeRequest,
    SnapshotRequest,
    WatchRequest,
    check,
    phase_change,
    validate_budget,
    validate_sdg_limit,
)


def fields_of(schema, payload, first_only=False):
    with pytest.raises(RuleError) as caught:
        check(schema, payload, first_only=first_only)
    assert caught.value.code == "invalid"
    return caught.value.fields


def number_input(html, name):
    found = re.search(rf'<input id="[^"]*" name="{name}" type="number"[^>]*>', html, re.S)
    assert found, name
    return dict(re.findall(r'(min|max)="(\d+)"', found.group(0)))


# --- the budget: every wrong field at once, per_item against the dots asked for ----------


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"dots": 0, "per_item": 1}, {"dots": "invalid", "per_item": "above_budget"}),
        ({"dots": -3, "per_item": 2}, {"dots": "invalid", "per_item": "above_budget"}),
        ({"dots": 60, "per_item": 10}, {"dots": "invalid"}),
        ({"dots": "five", "per_item": 40}, {"dots": "invalid"}),
        ({"dots": " 4 ", "per_item": "5"}, {"per_item": "above_budget"}),
        ({"dots": 4, "per_item": 99}, {"per_item": "invalid"}),
        ({"dots": "x", "per_item": None}, {"dots": "invalid", "per_item": "invalid"}),
    ],
)
def test_the_budget_reports_per_item_above_the_dots_asked_for(payload, fields):
    with pytest.raises(RuleError) as caught:
        validate_budget(payload)
    assert caught.value.fields == fields


def test_changing_a_number_limit_changes_validation_and_the_console(
    monkeypatch, facilitator_client, workshop
):
    monkeypatch.setitem(NUMBERS, "dots", (1, 9))
    monkeypatch.setitem(NUMBERS, "sdg_limit", (1, 4))
    monkeypatch.setitem(NUMBERS, "minutes", (0, 30))
    assert validate_budget({"dots": 9, "per_item": 2}).dots == 9
    with pytest.raises(RuleError):
        validate_budget({"dots": 10, "per_item": 2})
    with pytest.raises(RuleError):
        validate_sdg_limit(5)
    with pytest.raises(RuleError) as caught:
        phase_change("voting", 31, None)
    assert caught.value.fields == {"minutes": "invalid"}
    html = facilitator_client.get(f"/facilitator/workshops/{workshop['id']}").text
    assert number_input(html, "dots") == {"min": "1", "max": "9"}
    assert number_input(html, "per_item") == {"min": "1", "max": str(NUMBERS["per_item"][1])}
    assert number_input(html, "sdg_limit") == {"min": "1", "max": "4"}
    running = facilitator_client.get(f"/facilitator/sessions/{workshop['en']['id']}/run").text
    assert number_input(running, "minutes")["max"] == "30"  # the countdown is the run view's
    ack = emit(
        live_client(facilitator_client.application, facilitator_client),
        "workshop:set_voting_rules",
        {"workshop_id": workshop["id"], "dots": 12, "per_item": 2, "sdg_limit": 3},
    )
    assert ack["error"]["fields"] == {
        "dots": {"code": "invalid", "message": ack["error"]["fields"]["dots"]["message"]}
    }


# --- the other facilitators' events -------------------------------------------------


def test_display_settings_keep_what_is_absent_and_report_the_first_wrong_field():
    current = {"anonymity": "hidden", "results_to_participants": False}
    kept = check(DisplaySettings, {**current, "results_to_participants": True})
    assert (kept.anonymity, kept.results_to_participants) == ("hidden", True)
    wrong = {"anonymity": None, "results_to_participants": "yes"}
    assert fields_of(DisplaySettings, wrong, first_only=True) == {"anonymity": "unknown"}
    assert fields_of(DisplaySettings, {**current, "results_to_participants": None}) == {
        "results_to_participants": "invalid"
    }


@pytest.mark.parametrize("value", [None, 1, 0, "true", [True]])
def test_hidden_is_a_bool(value):
    assert fields_of(HiddenFlag, {"hidden": value}) == {"hidden": "invalid"}
    assert check(HiddenFlag, {"hidden": False}).hidden is False


@pytest.mark.parametrize("value", [None, "1,2", (1, 2), [1, "2"], [1, True], [1.0, 2], {"a": 1}])
def test_item_ids_are_a_list_of_integers(value):
    assert fields_of(MergeRequest, {"item_ids": value}) == {"item_ids": "invalid"}


def test_repeated_item_ids_count_once_in_order():
    assert check(MergeRequest, {"item_ids": [3, 1, 3, 0]}).item_ids == (3, 1, 0)


@pytest.mark.parametrize(("value", "expected"), [(None, "dashboard"), ("projector", "projector")])
def test_a_watch_is_a_dashboard_unless_it_says_projector(value, expected):
    payload = {} if value is None else {"view": value}
    assert check(WatchRequest, payload).view == expected


@pytest.mark.parametrize("value", [None, "", "Projector", ["projector"], 1])
def test_any_other_view_is_unknown(value):
    assert fields_of(WatchRequest, {"view": value}) == {"view": "unknown"}


@pytest.mark.parametrize(("value", "expected"), [(7, 7), (0, 0), ("7", None), (7.0, None)])
def test_since_seq_is_an_int_or_asks_for_everything(value, expected):
    assert check(SnapshotRequest, {"since_seq": value}).since_seq == expected
    assert check(SnapshotRequest, {}).since_seq is None


# --- the account forms -----------------------------------------------------------------


def test_credentials_are_never_refused_as_a_form():
    found = check(Credentials, {"email": "  Ana@Example.ORG ", "password": " pw "})
    assert (found.email, found.password) == ("ana@example.org", " pw ")
    odd = check(Credentials, {"email": ["a"], "password": 5})
    assert (odd.email, odd.password) == ("", "")


def test_an_invitation_needs_an_email_and_may_name_the_account():
    invitation = check(Invitation, {"email": " Co@Example.org", "name": "  Co  Lead "})
    assert (invitation.email, invitation.name) == ("co@example.org", "Co Lead")
    assert check(Invitation, {"email": "co@example.org"}).name == ""
    assert fields_of(Invitation, {"email": "not an email", "name": "x"}) == {"email": "invalid"}


def test_the_invite_command_refuses_a_wrong_email(app):
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["facilitator", "invite", "nobody-at-all"])
    assert refused.exit_code != 0
    assert "email: Enter a valid email address." in refused.output
    invited = runner.invoke(args=["facilitator", "invite", "co@example.org", "--name", "Co"])
    assert invited.exit_code == 0, invited.output
    assert "/setup/" in invited.output
    missing = runner.invoke(args=["facilitator", "invite", "co@example.org", "--workshop", "999"])
    assert "There is no workshop 999." in missing.output
