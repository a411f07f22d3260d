"""Dynamic two over /live: proposing, facilitators' add/correct/hide/merge, dot voting with
budgets, SDG picks, anonymity, live results and who may send what (Flask-SocketIO test client).
"""

import datetime as dt
import json

import pytest
from conftest import _started, emit, join, live_client, make_facilitator, sign_in, wait_until

from facilitation import runtime
from facilitation.extensions import db
from facilitation.models import Item, ItemGroup, SdgPick, Session, Vote, Workshop

NAME = {"name": "Zelda Quixotic", "organisation": "Quuxville Council", "country": "Freedonia"}


class Peer:
    """A connected test client that keeps every event it received, and its participant id."""

    def __init__(self, live, participant_id=None, session_id=None):
        self.live = live
        self.participant_id = participant_id
        self.session_id = session_id
        self.log = []
        self.acks = []

    def emit(self, event, data=None):
        ack = emit(self.live, event, data)
        self.acks.append((event, ack))
        return ack

    def drain(self):
        for event in self.live.get_received("/live"):
            self.log.append((event["name"], event["args"][0] if event["args"] else None))
        return self.log

    def got(self, name):
        return [data for event, data in self.drain() if event == name]

    def forget(self):
        self.drain()
        self.log.clear()
        self.acks.clear()


def settle():
    """Wait for the coalesced result broadcasts already scheduled to be sent (by the apps
    this test made)."""
    for app in _started:
        runtime.of(app).drain()


def participant(app, session, name="Bo", organisation="Oslo", country="Norway", browser=None):
    """A participant who joined `session` (fixture dict) and is connected; `browser` reuses
    an earlier participant's cookies (a second tab or a reload)."""
    if browser is None:
        browser = app.test_client()
        pid = join(browser, session["code"], name, organisation, country)
    else:
        with browser.session_transaction() as cookie:
            pid = cookie["participants"][str(session["id"])]
    peer = Peer(live_client(app, browser, {"session_id": session["id"]}), pid, session["id"])
    assert peer.live.is_connected("/live")
    peer.browser = browser
    return peer


def assert_error(ack, code):
    assert set(ack) == {"error"}, ack
    assert ack["error"]["code"] == code, ack
    assert isinstance(ack["error"]["message"], str) and ack["error"]["message"]
    return ack["error"]["fields"]


def ok(ack):
    assert ack.get("ok") is True, ack
    return ack


@pytest.fixture
def host(app, workshop, facilitator_client):
    """The workshop's facilitator, connected and watching the workshop."""
    peer = Peer(live_client(app, facilitator_client))
    ok(peer.emit("workshop:watch", {"workshop_id": workshop["id"]}))
    peer.forget()
    return peer


def set_phase(host, session, phase, minutes=None):
    data = {"session_id": session["id"], "phase": phase}
    if minutes is not None:
        data["minutes"] = minutes
    return ok(host.emit("session:set_phase", data))


def set_rules(host, workshop, dots=5, per_item=2, separate=False, sdg_limit=3):
    rules = {"dots": dots, "per_item": per_item, "separate": separate, "sdg_limit": sdg_limit}
    return host.emit("workshop:set_voting_rules", {"workshop_id": workshop["id"], **rules})


def add_item(host, session, client_id, text, kind="barrier", axis=None):
    data = {"session_id": session["id"], "client_id": client_id, "text": text, "kind": kind}
    if axis:
        data["axis"] = axis
    return ok(host.emit("item:add", data))["item"]["id"]


def propose(peer, client_id, text, kind="barrier", axis=None):
    return peer.emit(
        "item:propose", {"client_id": client_id, "text": text, "kind": kind, "axis": axis}
    )


def vote(peer, client_id, item_id, delta=1):
    return peer.emit("vote:cast", {"client_id": client_id, "item_id": item_id, "delta": delta})


def stored_items(app):
    with app.app_context():
        return [
            (i.id, i.session_id, i.client_id, i.kind, i.text, i.axis, i.hidden, i.group_id)
            for i in db.session.query(Item).order_by(Item.id)
        ]


def stored_votes(app, participant_id=None):
    with app.app_context():
        query = db.session.query(Vote).order_by(Vote.id)
        if participant_id is not None:
            query = query.filter(Vote.participant_id == participant_id)
        return [(v.participant_id, v.item_id, v.delta, v.client_id) for v in query]


def dots_of(app, participant_id):
    """Dots per item straight from the database (items with none left out)."""
    totals = {}
    for _pid, item_id, delta, _cid in stored_votes(app, participant_id):
        totals[item_id] = totals.get(item_id, 0) + delta
    return {item_id: n for item_id, n in totals.items() if n}


def results_of(host, workshop):
    return ok(host.emit("workshop:watch", {"workshop_id": workshop["id"]}))["results"]


def ranking_dots(ranked):
    return {u["key"]: u["dots"] for u in ranked}


def snapshot_items(peer):
    return {i["id"]: i for i in ok(peer.emit("session:snapshot", {}))["items"]}


# proposing


@pytest.mark.parametrize(
    "phase", ["lobby", "initiatives", "voting", "sdg_picks", "results", "closed"]
)
def test_proposing_is_refused_outside_the_proposing_phase(app, workshop, host, phase):
    bo = participant(app, workshop["en"])
    set_phase(host, workshop["en"], phase)
    assert_error(propose(bo, "p1", "Slow procurement"), "phase_closed")
    assert stored_items(app) == []
    assert bo.got("items:upserted") == []


def test_a_proposal_is_stored_and_broadcast_to_its_session(app, workshop, host):
    set_phase(host, workshop["en"], "proposing")
    set_phase(host, workshop["es"], "proposing")
    bo, ana = participant(app, workshop["en"], "Bo"), participant(app, workshop["en"], "Ana")
    carla = participant(app, workshop["es"], "Carla")
    for peer in (bo, ana, carla):
        peer.forget()
    ack = ok(propose(bo, "p1", "  Slow   procurement ", axis="governance"))
    assert ack["created"] is True
    item = ack["item"]
    assert (item["text"], item["kind"], item["axis"], item["lang"]) == (
        "Slow procurement",
        "barrier",
        "governance",
        "en",
    )
    assert item["unit"] == f"i{item['id']}" and item["hidden"] is False
    assert stored_items(app) == [
        (
            item["id"],
            workshop["en"]["id"],
            "p1",
            "barrier",
            "Slow procurement",
            "governance",
            False,
            None,
        )
    ]
    for peer in (bo, ana):
        (message,) = peer.got("items:upserted")
        assert message["session_id"] == workshop["en"]["id"]
        assert [i["id"] for i in message["items"]] == [item["id"]]
    assert carla.got("items:upserted") == []
    assert [m["items"][0]["text"] for m in host.got("items:upserted")] == ["Slow procurement"]


def test_a_retried_proposal_returns_the_first_item_and_is_not_broadcast_again(app, workshop, host):
    set_phase(host, workshop["en"], "proposing")
    bo, ana = participant(app, workshop["en"], "Bo"), participant(app, workshop["en"], "Ana")
    first = ok(propose(bo, "same-id", "Slow procurement"))
    ana.forget()
    again = ok(propose(bo, "same-id", "Something else", kind="enabler"))
    assert again["created"] is False
    assert again["item"]["id"] == first["item"]["id"]
    assert again["item"]["text"] == "Slow procurement"
    assert len(stored_items(app)) == 1
    assert ana.got("items:upserted") == []
    # the retry is answered even once proposing has closed
    set_phase(host, workshop["en"], "voting")
    late = ok(propose(bo, "same-id", "Slow procurement"))
    assert late["created"] is False and late["item"]["id"] == first["item"]["id"]
    # client ids are per session: the same id in another session is another item
    set_phase(host, workshop["es"], "proposing")
    carla = participant(app, workshop["es"], "Carla")
    assert ok(propose(carla, "same-id", "Compras lentas"))["created"] is True
    assert len(stored_items(app)) == 2


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"client_id": "x", "text": "a" * 281, "kind": "barrier"}, {"text": "too_long"}),
        ({"client_id": "x", "text": "", "kind": "barrier"}, {"text": "required"}),
        ({"client_id": "x", "text": "ok", "kind": "wish"}, {"kind": "unknown"}),
        ({"client_id": "x", "text": "ok", "kind": "barrier", "axis": "moon"}, {"axis": "unknown"}),
        ({"client_id": "", "text": "ok", "kind": "barrier"}, {"client_id": "invalid"}),
        ({"client_id": "y" * 65, "text": "ok", "kind": "barrier"}, {"client_id": "invalid"}),
    ],
)
def test_an_invalid_proposal_stores_nothing(app, workshop, host, payload, fields):
    set_phase(host, workshop["en"], "proposing")
    bo = participant(app, workshop["en"])
    got = assert_error(bo.emit("item:propose", payload), "invalid")
    assert set(got) == set(fields)
    assert stored_items(app) == []


def test_a_proposal_of_280_characters_is_accepted(app, workshop, host):
    set_phase(host, workshop["en"], "proposing")
    bo = participant(app, workshop["en"])
    assert ok(propose(bo, "p", "é" * 280))["item"]["text"] == "é" * 280


# the facilitator's add, correct and hide


def test_facilitator_adds_an_item_in_any_phase(app, workshop, host):
    set_phase(host, workshop["en"], "voting")
    bo = participant(app, workshop["en"])
    bo.forget()
    ack = ok(
        host.emit(
            "item:add",
            {
                "session_id": workshop["en"]["id"],
                "client_id": "f1",
                "text": "Silos",
                "kind": "barrier",
            },
        )
    )
    assert ack["created"] is True and ack["item"]["by_facilitator"] is True
    assert ack["item"]["participant_id"] is None
    (message,) = bo.got("items:upserted")
    assert message["items"][0]["text"] == "Silos"
    assert "Silos" in [i["text"] for i in snapshot_items(bo).values()]
    again = ok(
        host.emit(
            "item:add",
            {
                "session_id": workshop["en"]["id"],
                "client_id": "f1",
                "text": "Silos",
                "kind": "barrier",
            },
        )
    )
    assert again["created"] is False and again["item"]["id"] == ack["item"]["id"]
    assert len(stored_items(app)) == 1


def test_facilitator_corrects_the_wording(app, workshop, host):
    set_phase(host, workshop["en"], "proposing")
    bo = participant(app, workshop["en"])
    item_id = ok(propose(bo, "p1", "Slow procurment"))["item"]["id"]
    bo.forget()
    ack = ok(
        host.emit(
            "item:correct", {"item_id": item_id, "text": "Slow procurement", "axis": "economy"}
        )
    )
    assert (ack["item"]["text"], ack["item"]["kind"], ack["item"]["axis"]) == (
        "Slow procurement",
        "barrier",
        "economy",
    )
    (message,) = bo.got("items:upserted")
    assert message["items"][0]["text"] == "Slow procurement"
    assert snapshot_items(bo)[item_id]["text"] == "Slow procurement"
    # a bad correction changes nothing
    assert_error(host.emit("item:correct", {"item_id": item_id, "text": " "}), "invalid")
    assert_error(host.emit("item:correct", {"item_id": item_id, "kind": "idea"}), "invalid")
    assert snapshot_items(bo)[item_id]["text"] == "Slow procurement"
    assert stored_items(app)[0][3:6] == ("barrier", "Slow procurement", "economy")


def test_hiding_removes_an_item_from_participants_and_showing_brings_it_back(app, workshop, host):
    set_phase(host, workshop["en"], "proposing")
    bo, ana = participant(app, workshop["en"], "Bo"), participant(app, workshop["en"], "Ana")
    kept = ok(propose(ana, "k", "Open data"))["item"]["id"]
    item_id = ok(propose(bo, "p1", "Abusive words"))["item"]["id"]
    for peer in (bo, ana, host):
        peer.forget()

    ack = ok(host.emit("item:set_hidden", {"item_id": item_id, "hidden": True}))
    assert ack["item"]["hidden"] is True and ack["item"]["text"] == "Abusive words"
    for peer in (bo, ana):
        (message,) = peer.got("items:upserted")
        (shown,) = message["items"]
        assert shown["id"] == item_id and shown["hidden"] is True and shown["text"] == ""
        assert shown["author"] is None
        assert "Abusive" not in json.dumps(message)
        assert set(snapshot_items(peer)) == {kept}
    (to_host,) = host.got("items:upserted")
    assert to_host["items"][0]["text"] == "Abusive words" and to_host["items"][0]["hidden"]
    board = ok(host.emit("session:snapshot", {"session_id": workshop["en"]["id"]}))
    assert {i["id"]: i["hidden"] for i in board["items"]} == {kept: False, item_id: True}

    # participants cannot vote on it either
    set_phase(host, workshop["en"], "voting")
    assert_error(vote(bo, "v1", item_id), "not_found")

    bo.forget()
    ok(host.emit("item:set_hidden", {"item_id": item_id, "hidden": False}))
    (message,) = bo.got("items:upserted")
    assert message["items"][0]["text"] == "Abusive words" and not message["items"][0]["hidden"]
    assert set(snapshot_items(bo)) == {kept, item_id}
    assert ok(vote(bo, "v2", item_id))["created"] is True


@pytest.mark.parametrize("hidden", [None, 1, "true"])
def test_hidden_must_be_a_boolean(app, workshop, host, hidden):
    item_id = add_item(host, workshop["en"], "f", "Silos")
    assert_error(host.emit("item:set_hidden", {"item_id": item_id, "hidden": hidden}), "invalid")
    assert stored_items(app)[0][6] is False


# merging across languages


@pytest.fixture
def merged(app, workshop, host):
    """An English and a Spanish barrier proposed by participants, then merged."""
    for session in (workshop["en"], workshop["es"]):
        set_phase(host, session, "proposing")
    bo = participant(app, workshop["en"], "Bo")
    carla = participant(app, workshop["es"], "Carla")
    en_id = ok(propose(bo, "p1", "Slow procurement"))["item"]["id"]
    es_id = ok(propose(carla, "p1", "Compras públicas lentas"))["item"]["id"]
    for peer in (bo, carla, host):
        peer.forget()
    ack = ok(host.emit("item:merge", {"workshop_id": workshop["id"], "item_ids": [en_id, es_id]}))
    return {"bo": bo, "carla": carla, "en": en_id, "es": es_id, "ack": ack}


def test_merge_joins_items_of_both_languages(app, workshop, host, merged):
    (group_id,) = {i["group_id"] for i in merged["ack"]["items"]}
    assert group_id is not None
    assert {i["unit"] for i in merged["ack"]["items"]} == {f"g{group_id}"}
    with app.app_context():
        assert db.session.query(ItemGroup).count() == 1
    # each session now shows the other language's original too, with its language
    for peer, own, other, lang in (
        (merged["bo"], merged["en"], merged["es"], "es"),
        (merged["carla"], merged["es"], merged["en"], "en"),
    ):
        items = snapshot_items(peer)
        assert set(items) == {own, other}
        assert items[other]["lang"] == lang
        assert items[own]["group_id"] == items[other]["group_id"] == group_id
        messages = peer.got("items:upserted")
        assert {i["id"] for m in messages for i in m["items"]} == {own, other}
    # the originals' texts are kept
    texts = {row[0]: row[4] for row in stored_items(app)}
    assert texts == {merged["en"]: "Slow procurement", merged["es"]: "Compras públicas lentas"}


def test_merged_votes_add_up_and_each_session_keeps_its_own(app, workshop, host, merged):
    for session in (workshop["en"], workshop["es"]):
        set_phase(host, session, "voting")
    bo, carla = merged["bo"], merged["carla"]
    ok(vote(bo, "v1", merged["en"]))
    ok(vote(carla, "v1", merged["es"]))
    ok(vote(carla, "v2", merged["en"]))  # the English original is visible to Carla too
    # the per-item limit (2) covers the whole group, whichever original is voted on
    assert_error(vote(carla, "v3", merged["es"]), "item_limit")
    assert ok(vote(carla, "v4", merged["es"], -1))["votes"]["units"] != {}

    results = results_of(host, workshop)
    group = merged["ack"]["items"][0]["unit"]
    combined = results["rankings"]["combined"]["barrier"]
    assert ranking_dots(combined) == {group: 2}
    (unit,) = combined
    assert [(t["item_id"], t["lang"], t["text"]) for t in unit["texts"]] == [
        (merged["en"], "en", "Slow procurement"),
        (merged["es"], "es", "Compras públicas lentas"),
    ]
    sessions = results["rankings"]["sessions"]
    assert ranking_dots(sessions[str(workshop["en"]["id"])]["barrier"]) == {group: 1}
    assert ranking_dots(sessions[str(workshop["es"]["id"])]["barrier"]) == {group: 1}

    # unmerged, each original counts its own dots again and keeps its text
    ack = ok(host.emit("item:unmerge", {"item_id": merged["en"]}))
    assert {i["group_id"] for i in ack["items"]} == {None}
    with app.app_context():
        assert db.session.query(ItemGroup).count() == 0
    results = results_of(host, workshop)
    en_unit, es_unit = f"i{merged['en']}", f"i{merged['es']}"
    # Carla's remaining dot was taken back from one of the two originals
    carla_dots = dots_of(app, carla.participant_id)
    expected = {
        en_unit: 1 + carla_dots.get(merged["en"], 0),
        es_unit: carla_dots.get(merged["es"], 0),
    }
    assert sum(carla_dots.values()) == 1
    assert ranking_dots(results["rankings"]["combined"]["barrier"]) == expected
    assert ranking_dots(results["rankings"]["sessions"][str(workshop["en"]["id"])]["barrier"]) == {
        en_unit: 1
    }
    assert set(snapshot_items(bo)) == {merged["en"]}
    texts = {row[0]: row[4] for row in stored_items(app)}
    assert texts == {merged["en"]: "Slow procurement", merged["es"]: "Compras públicas lentas"}
    assert_error(host.emit("item:unmerge", {"item_id": merged["es"]}), "not_merged")


def test_merge_refuses_mixed_kinds_and_single_items(app, workshop, host):
    barrier = add_item(host, workshop["en"], "a", "Silos")
    enabler = add_item(host, workshop["es"], "b", "Voluntad política", kind="enabler")
    merge = {"workshop_id": workshop["id"]}
    assert_error(host.emit("item:merge", {**merge, "item_ids": [barrier, enabler]}), "mixed_kinds")
    fields = assert_error(
        host.emit("item:merge", {**merge, "item_ids": [barrier, barrier]}), "invalid"
    )
    assert set(fields) == {"item_ids"}
    assert_error(host.emit("item:merge", {**merge, "item_ids": "1,2"}), "invalid")
    assert_error(host.emit("item:merge", {**merge, "item_ids": [barrier, 99999]}), "not_found")
    assert {row[7] for row in stored_items(app)} == {None}


def test_correcting_a_merged_item_into_the_other_kind_is_refused(app, workshop, host, merged):
    assert_error(
        host.emit("item:correct", {"item_id": merged["en"], "kind": "enabler"}), "mixed_kinds"
    )
    assert {row[3] for row in stored_items(app)} == {"barrier"}


# voting


@pytest.fixture
def ballot(app, workshop, host):
    """Three English barriers and one enabler, a budget of 3 dots (2 per item), voting open."""
    ids = [add_item(host, workshop["en"], f"f{n}", f"Barrier {n}") for n in range(3)]
    ids.append(add_item(host, workshop["en"], "e", "An enabler", kind="enabler"))
    ok(set_rules(host, workshop, dots=3, per_item=2))
    set_phase(host, workshop["en"], "voting")
    bo = participant(app, workshop["en"], "Bo")
    bo.forget()
    return {"bo": bo, "items": ids}


def test_the_budget_is_enforced(app, ballot):
    bo, (a, b, c, _e) = ballot["bo"], ballot["items"]
    first = ok(vote(bo, "v1", a))
    assert first["created"] is True
    assert first["votes"]["dots_left"] == {"all": 2}
    assert first["votes"]["units"] == {f"i{a}": 1}
    ok(vote(bo, "v2", a))
    assert_error(vote(bo, "v3", a), "item_limit")
    assert ok(vote(bo, "v4", b))["votes"]["dots_left"] == {"all": 0}
    assert_error(vote(bo, "v5", c), "no_dots_left")
    assert dots_of(app, bo.participant_id) == {a: 2, b: 1}
    # taking one back frees it for another item
    back = ok(vote(bo, "v6", a, -1))
    assert back["votes"]["dots_left"] == {"all": 1}
    assert_error(vote(bo, "v7", c, -1), "no_dot_here")
    ok(vote(bo, "v8", c))
    assert dots_of(app, bo.participant_id) == {a: 1, b: 1, c: 1}
    assert len(stored_votes(app)) == 5  # refused votes left nothing behind


def dots_the_page_can_show(peer):
    """Dots left plus the participant's dots on the items their page lists: the page can
    only offer to take back a dot it shows."""
    snapshot = ok(peer.emit("session:snapshot", {}))
    listed = {i["unit"] for i in snapshot["items"]}
    shown = sum(n for unit, n in snapshot["votes"]["units"].items() if unit in listed)
    return sum(snapshot["votes"]["dots_left"].values()) + shown


def test_dots_on_an_item_hidden_during_voting_are_not_lost(app, host, ballot):
    bo, (a, b, c, _e) = ballot["bo"], ballot["items"]
    for n, item_id in enumerate((a, a, b)):
        ok(vote(bo, f"v{n}", item_id))
    assert dots_the_page_can_show(bo) == 3
    bo.forget()
    ok(host.emit("item:set_hidden", {"item_id": a, "hidden": True}))
    # the two dots on the hidden item must not stay hidden and unusable
    assert dots_the_page_can_show(bo) == 3, "dots on a hidden item are stuck"
    # the open page is told at once, without waiting for a reload
    mine = [m for m in bo.got("vote:mine") if m["dots_left"] == {"all": 2}]
    assert mine and mine[-1]["units"].get(f"i{b}") == 1
    assert ok(vote(bo, "v3", c))["created"] is True
    assert ok(vote(bo, "v4", c))["votes"]["dots_left"] == {"all": 0}


def test_dots_on_the_other_language_original_survive_an_unmerge(app, workshop, host, merged):
    for session in (workshop["en"], workshop["es"]):
        set_phase(host, session, "voting")
    carla = merged["carla"]
    ok(vote(carla, "v1", merged["en"]))  # the English original, shown to her while merged
    assert dots_the_page_can_show(carla) == 5
    ok(host.emit("item:unmerge", {"item_id": merged["en"]}))
    # her dot now sits on an item her page no longer lists: she can neither see it nor
    # take it back, yet it still counts against her budget
    assert dots_the_page_can_show(carla) == 5, "a dot on an unlisted item is stuck"


def test_separate_budgets_for_barriers_and_enablers(app, workshop, host, ballot):
    bo, (a, b, _c, e) = ballot["bo"], ballot["items"]
    ok(set_rules(host, workshop, dots=1, per_item=1, separate=True))
    assert ok(vote(bo, "v1", a))["votes"]["dots_left"] == {"barrier": 0, "enabler": 1}
    assert_error(vote(bo, "v2", b), "no_dots_left")
    assert ok(vote(bo, "v3", e))["votes"]["dots_left"] == {"barrier": 0, "enabler": 0}


def test_a_retried_vote_counts_once(app, ballot):
    bo, (a, *_rest) = ballot["bo"], ballot["items"]
    other_tab = participant(app, {"id": bo.session_id}, browser=bo.browser)
    other_tab.forget()
    first = ok(vote(bo, "same", a))
    again = ok(vote(bo, "same", a))
    assert first["created"] is True and again["created"] is False
    assert again["votes"] == first["votes"]
    # a replay with another payload is still the first vote
    assert ok(vote(other_tab, "same", a, -1))["created"] is False
    assert stored_votes(app, bo.participant_id) == [(bo.participant_id, a, 1, "same")]
    # the participant's other tab heard of the vote once
    assert [m["units"] for m in other_tab.got("vote:mine")] == [{f"i{a}": 1}]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"client_id": "v", "item_id": "ITEM", "delta": 2}, "invalid"),
        ({"client_id": "v", "item_id": "ITEM", "delta": 0}, "invalid"),
        ({"client_id": "v", "item_id": "ITEM", "delta": True}, "invalid"),
        ({"client_id": "v", "item_id": "ITEM", "delta": "1"}, "invalid"),
        ({"item_id": "ITEM", "delta": 1}, "invalid"),
        ({"client_id": "v", "item_id": 99999, "delta": 1}, "not_found"),
        ({"client_id": "v", "item_id": "1", "delta": 1}, "not_found"),
    ],
)
def test_bad_votes_are_refused(app, ballot, payload, code):
    payload = {k: ballot["items"][0] if v == "ITEM" else v for k, v in payload.items()}
    assert_error(ballot["bo"].emit("vote:cast", payload), code)
    assert stored_votes(app) == []


def test_votes_only_while_voting(app, workshop, host, ballot):
    set_phase(host, workshop["en"], "results")
    assert_error(vote(ballot["bo"], "v1", ballot["items"][0]), "phase_closed")
    assert stored_votes(app) == []


def test_participants_cannot_vote_on_another_sessions_items(app, workshop, host, ballot):
    set_phase(host, workshop["es"], "voting")
    carla = participant(app, workshop["es"], "Carla")
    assert_error(vote(carla, "v1", ballot["items"][0]), "not_found")
    assert stored_votes(app) == []


def test_settings_are_refused_once_votes_exist(app, workshop, host, ballot):
    bo = ballot["bo"]
    ok(vote(bo, "v1", ballot["items"][0]))
    assert_error(set_rules(host, workshop, dots=4, per_item=2), "votes_exist")
    assert_error(set_rules(host, workshop, dots=3, per_item=1), "votes_exist")
    assert_error(set_rules(host, workshop, dots=3, per_item=2, separate=True), "votes_exist")
    with app.app_context():
        found = db.session.get(Workshop, workshop["id"])
        assert (found.dots, found.dots_per_item, found.separate_budgets) == (3, 2, False)
    # the SDG limit may still change, with the same budget
    assert (
        ok(set_rules(host, workshop, dots=3, per_item=2, sdg_limit=5))["settings"]["sdg_limit"] == 5
    )


def test_new_rules_reach_participants_before_voting(app, workshop, host):
    bo = participant(app, workshop["en"])
    bo.forget()
    ack = ok(set_rules(host, workshop, dots=7, per_item=3, separate=True, sdg_limit=2))
    assert ack["settings"]["budget"] == {"dots": 7, "per_item": 3, "separate": True}
    (message,) = bo.got("session:settings")
    assert message["settings"]["budget"] == {"dots": 7, "per_item": 3, "separate": True}
    assert message["settings"]["sdg_limit"] == 2
    assert ok(bo.emit("session:snapshot", {}))["votes"]["dots_left"] == {"barrier": 7, "enabler": 7}
    fields = assert_error(set_rules(host, workshop, dots=2, per_item=3), "invalid")
    assert fields["per_item"]["code"] == "above_budget"


# SDG picks


def pick(peer, axis, sdg, picked=True):
    return peer.emit("sdg:pick", {"axis": axis, "sdg": sdg, "picked": picked})


def stored_picks(app, participant_id):
    with app.app_context():
        rows = db.session.query(SdgPick).filter_by(participant_id=participant_id)
        return sorted((p.axis, p.sdg) for p in rows)


def test_sdg_picks_are_limited_per_axis(app, workshop, host):
    ok(set_rules(host, workshop, sdg_limit=2))
    set_phase(host, workshop["en"], "sdg_picks")
    bo = participant(app, workshop["en"])
    bo.forget()
    ok(pick(bo, "mobility", 11))
    assert ok(pick(bo, "mobility", 3)) == {"ok": True, "picks": {"mobility": [3, 11]}, "limit": 2}
    assert_error(pick(bo, "mobility", 7), "sdg_limit")
    ok(pick(bo, "mobility", 11))  # picking one again is no change, not a refusal
    ok(pick(bo, "economy", 8))
    ok(pick(bo, "mobility", 11, picked=False))
    ok(pick(bo, "mobility", 7))
    assert stored_picks(app, bo.participant_id) == [
        ("economy", 8),
        ("mobility", 3),
        ("mobility", 7),
    ]
    assert bo.got("sdg:mine")[-1]["picks"] == {"economy": [8], "mobility": [3, 7]}
    assert ok(bo.emit("session:snapshot", {}))["picks"] == {"economy": [8], "mobility": [3, 7]}
    picks = results_of(host, workshop)["sdg_picks"]
    assert picks["combined"]["matrix"]["mobility"]["7"] == 1
    assert picks["combined"]["matrix"]["mobility"]["11"] == 0
    assert picks["sessions"][str(workshop["en"]["id"])]["sdgs"]["8"] == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"axis": "moon", "sdg": 3, "picked": True},
        {"axis": "mobility", "sdg": 18, "picked": True},
        {"axis": "mobility", "sdg": "3", "picked": True},
        {"axis": "mobility", "sdg": 3, "picked": "yes"},
    ],
)
def test_bad_sdg_picks_are_refused(app, workshop, host, payload):
    set_phase(host, workshop["en"], "sdg_picks")
    bo = participant(app, workshop["en"])
    assert_error(bo.emit("sdg:pick", payload), "invalid")
    assert stored_picks(app, bo.participant_id) == []


def test_sdg_picks_only_in_their_phase(app, workshop, host):
    set_phase(host, workshop["en"], "voting")
    bo = participant(app, workshop["en"])
    assert_error(pick(bo, "mobility", 3), "phase_closed")
    assert stored_picks(app, bo.participant_id) == []


# anonymity


def everything_seen(peers, leave_out=()):
    """Every ack and every event each peer got, as one JSON text per peer; acks of the
    events in `leave_out` are not included."""
    settle()
    return {
        id(peer): json.dumps(
            [ack for event, ack in peer.acks if event not in leave_out] + peer.drain(),
            ensure_ascii=False,
        )
        for peer in peers
    }


@pytest.mark.parametrize(
    ("anonymity", "participants_see", "facilitators_see"),
    [("hidden", False, False), ("facilitators", False, True), ("public", True, True)],
)
def test_names_reach_only_whom_the_setting_allows(
    app, workshop, host, anonymity, participants_see, facilitators_see
):
    ok(
        host.emit(
            "workshop:set_display",
            {
                "workshop_id": workshop["id"],
                "anonymity": anonymity,
                "results_to_participants": True,
            },
        )
    )
    set_phase(host, workshop["en"], "initiatives")
    zelda = participant(app, workshop["en"], **NAME)
    ana = participant(app, workshop["en"], "Ana")
    carla = participant(app, workshop["es"], "Carla")
    peers = (zelda, ana, carla)
    for peer in (*peers, host):
        peer.forget()

    post = {"client_id": "i1", "title": "Bike lanes", "axis": "mobility", "sdgs": [11]}
    ok(zelda.emit("initiative:post", post))
    set_phase(host, workshop["en"], "proposing")
    set_phase(host, workshop["es"], "proposing")
    item_id = ok(propose(zelda, "p1", "Slow procurement"))["item"]["id"]
    es_item = ok(propose(carla, "p1", "Compras lentas"))["item"]["id"]
    ok(host.emit("item:merge", {"workshop_id": workshop["id"], "item_ids": [item_id, es_item]}))
    ok(host.emit("item:correct", {"item_id": item_id, "text": "Slow public procurement"}))
    set_phase(host, workshop["en"], "voting")
    ok(vote(zelda, "v1", item_id))
    for peer in peers:
        ok(peer.emit("session:snapshot", {}))
    for session in (workshop["en"], workshop["es"]):
        ok(host.emit("session:snapshot", {"session_id": session["id"]}))
    ok(host.emit("workshop:watch", {"workshop_id": workshop["id"]}))

    # the author's own initiative:post ack echoes her own name back to her alone; every
    # other payload, her own acks of dynamic two included, follows the setting
    seen = everything_seen((*peers, host), leave_out={"initiative:post"})
    assert all('"items:upserted"' in text for text in seen.values())
    for peer in peers:
        for word in NAME.values():
            assert (word in seen[id(peer)]) is participants_see, (anonymity, word)
    for word in NAME.values():
        assert (word in seen[id(host)]) is facilitators_see, (anonymity, word)
    # without names, participants cannot link proposals by who made them either
    for peer in peers:
        shown = [i for m in peer.got("items:upserted") for i in m["items"]]
        shown += [
            i for event, ack in peer.acks if event == "session:snapshot" for i in ack["items"]
        ]
        shown += [ack["item"] for event, ack in peer.acks if event == "item:propose"]
        owners = {i["participant_id"] for i in shown}
        assert shown and (owners == {None}) is not participants_see, (anonymity, owners)


# results for participants, participation


def test_results_to_participants_toggles_session_results(app, workshop, host, ballot):
    bo = ballot["bo"]
    carla = participant(app, workshop["es"], "Carla")
    display = {"workshop_id": workshop["id"]}
    ok(vote(bo, "v1", ballot["items"][0]))
    settle()
    assert bo.got("session:results") == [] and carla.got("session:results") == []
    assert host.got("workshop:results"), "facilitators always get results"
    assert ok(bo.emit("session:snapshot", {}))["results"] is None

    ok(host.emit("workshop:set_display", {**display, "results_to_participants": True}))
    ok(vote(bo, "v2", ballot["items"][1]))
    assert wait_until(lambda: bo.got("session:results"))
    settle()
    latest = bo.got("session:results")[-1]
    assert latest["session_id"] == workshop["en"]["id"]
    assert ranking_dots(latest["rankings"]["barrier"])[f"i{ballot['items'][1]}"] == 1
    assert set(latest) == {"session_id", "rankings", "sdg_picks", "initiatives"}
    assert {m["session_id"] for m in carla.got("session:results")} == {workshop["es"]["id"]}
    snapshot = ok(bo.emit("session:snapshot", {}))
    assert ranking_dots(snapshot["results"]["rankings"]["barrier"])[f"i{ballot['items'][0]}"] == 1

    ok(host.emit("workshop:set_display", {**display, "results_to_participants": False}))
    settle()
    bo.forget()
    host.forget()
    ok(vote(bo, "v3", ballot["items"][0], -1))
    settle()
    assert host.got("workshop:results")
    assert bo.got("session:results") == []
    assert ok(bo.emit("session:snapshot", {}))["results"] is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"anonymity": "secret"}, "anonymity"),
        ({"results_to_participants": "yes"}, "results_to_participants"),
    ],
)
def test_bad_display_settings_are_refused(app, workshop, host, data, field):
    fields = assert_error(
        host.emit("workshop:set_display", {"workshop_id": workshop["id"], **data}), "invalid"
    )
    assert set(fields) == {field}
    with app.app_context():
        found = db.session.get(Workshop, workshop["id"])
        assert (found.anonymity, found.results_to_participants) == ("public", False)


def test_participation_counts_who_has_not_voted(app, workshop, host, ballot):
    a = ballot["items"][0]
    bo = ballot["bo"]
    ana = participant(app, workshop["en"], "Ana")
    participant(app, workshop["en"], "Cy")
    set_phase(host, workshop["es"], "voting")
    participant(app, workshop["es"], "Carla")
    en, es = str(workshop["en"]["id"]), str(workshop["es"]["id"])
    counts = results_of(host, workshop)["participation"]
    assert counts == {
        en: {"participants": 3, "not_voted": 3},
        es: {"participants": 1, "not_voted": 1},
    }
    ok(vote(bo, "v1", a))
    ok(vote(bo, "v2", a))
    ok(vote(ana, "v1", a))
    assert results_of(host, workshop)["participation"][en] == {"participants": 3, "not_voted": 1}
    ok(vote(ana, "v2", a, -1))  # all dots taken back: not voted again
    assert results_of(host, workshop)["participation"] == {
        en: {"participants": 3, "not_voted": 2},
        es: {"participants": 1, "not_voted": 1},
    }
    settle()
    assert host.got("workshop:results")[-1]["participation"][en]["not_voted"] == 2


# who may send facilitators' events


def fingerprint(app, workshop_id):
    """Everything a facilitator's event could change, straight from the database."""
    with app.app_context():
        found = db.session.get(Workshop, workshop_id)
        sessions = [(s.id, s.phase, s.phase_ends_at) for s in found.sessions]
        settings = (
            found.anonymity,
            found.results_to_participants,
            found.dots,
            found.dots_per_item,
            found.separate_budgets,
            found.sdg_limit,
        )
        groups = db.session.query(ItemGroup).count()
    return sessions, settings, stored_items(app), groups


FACILITATOR_EVENTS = {
    "workshop:watch": lambda w, i: {"workshop_id": w["id"]},
    "session:set_phase": lambda w, i: {
        "session_id": w["en"]["id"],
        "phase": "closed",
        "minutes": 3,
    },
    "workshop:set_voting_rules": lambda w, i: {
        "workshop_id": w["id"],
        "dots": 9,
        "per_item": 9,
        "separate": True,
        "sdg_limit": 9,
    },
    "workshop:set_display": lambda w, i: {
        "workshop_id": w["id"],
        "anonymity": "hidden",
        "results_to_participants": True,
    },
    "item:add": lambda w, i: {
        "session_id": w["en"]["id"],
        "client_id": "x",
        "text": "Sneaky",
        "kind": "barrier",
    },
    "item:correct": lambda w, i: {"item_id": i["single"], "text": "Rewritten"},
    "item:set_hidden": lambda w, i: {"item_id": i["single"], "hidden": True},
    "item:merge": lambda w, i: {"workshop_id": w["id"], "item_ids": [i["single"], i["other"]]},
    "item:unmerge": lambda w, i: {"item_id": i["grouped"]},
}


@pytest.fixture
def board(app, workshop, host):
    """Items of the workshop: one merged pair across languages and two loose ones."""
    grouped = add_item(host, workshop["en"], "g1", "Silos")
    mate = add_item(host, workshop["es"], "g2", "Silos (es)")
    ok(host.emit("item:merge", {"workshop_id": workshop["id"], "item_ids": [grouped, mate]}))
    single = add_item(host, workshop["en"], "s1", "Old rules")
    other = add_item(host, workshop["en"], "s2", "No budget")
    return {"grouped": grouped, "single": single, "other": other}


@pytest.mark.parametrize("event", list(FACILITATOR_EVENTS))
def test_participants_cannot_send_facilitators_events(app, workshop, board, event):
    before = fingerprint(app, workshop["id"])
    bo = participant(app, workshop["en"])
    bo.forget()
    assert_error(bo.emit(event, FACILITATOR_EVENTS[event](workshop, board)), "unauthorized")
    assert fingerprint(app, workshop["id"]) == before
    settle()
    assert bo.got("workshop:results") == [] and bo.got("items:upserted") == []


@pytest.mark.parametrize("event", list(FACILITATOR_EVENTS))
def test_facilitators_of_another_workshop_cannot_send_them(app, workshop, board, event):
    before = fingerprint(app, workshop["id"])
    make_facilitator(app, email="other@example.org", name="Other")
    intruder = Peer(live_client(app, sign_in(app.test_client(), "other@example.org")))
    assert intruder.live.is_connected("/live")
    assert_error(intruder.emit(event, FACILITATOR_EVENTS[event](workshop, board)), "not_found")
    assert fingerprint(app, workshop["id"]) == before
    settle()
    assert intruder.got("workshop:results") == [] and intruder.got("items:upserted") == []


def test_the_owner_can_send_every_facilitator_event(app, workshop, host, board):
    """The control for the two tests above: the same payloads work for the owner."""
    for event, make in FACILITATOR_EVENTS.items():
        ok(host.emit(event, make(workshop, board)))
    _sessions, settings, items, groups = fingerprint(app, workshop["id"])
    assert settings == ("hidden", True, 9, 9, True, 9)
    assert groups == 1 and "Sneaky" in [row[4] for row in items]


# countdown


def parse(moment):
    return dt.datetime.fromisoformat(moment.removesuffix("Z"))


def test_the_countdown_survives_a_reload(app, workshop, host):
    bo = participant(app, workshop["en"])
    bo.forget()
    change = set_phase(host, workshop["en"], "voting", minutes=5)
    assert change["ends_at"] is not None
    assert parse(change["ends_at"]) > parse(change["server_now"])
    (message,) = bo.got("session:phase")
    assert (message["phase"], message["ends_at"]) == ("voting", change["ends_at"])

    # the page reloads: a new connection with the same cookies asks for a snapshot
    bo.live.disconnect(namespace="/live")
    reloaded = participant(app, workshop["en"], browser=bo.browser)
    snapshot = ok(reloaded.emit("session:snapshot", {}))
    assert (snapshot["phase"], snapshot["ends_at"]) == ("voting", change["ends_at"])
    assert parse(snapshot["server_now"]) <= parse(snapshot["ends_at"])
    board = ok(host.emit("session:snapshot", {"session_id": workshop["en"]["id"]}))
    assert board["ends_at"] == change["ends_at"]
    with app.app_context():
        stored = db.session.get(Session, workshop["en"]["id"]).phase_ends_at
    assert stored == parse(change["ends_at"])

    # a phase without a countdown clears it
    set_phase(host, workshop["en"], "results")
    assert ok(reloaded.emit("session:snapshot", {}))["ends_at"] is None


@pytest.mark.parametrize("minutes", [-1, 241, "5", [5]])
def test_a_bad_countdown_changes_nothing(app, workshop, host, minutes):
    data = {"session_id": workshop["en"]["id"], "phase": "voting", "minutes": minutes}
    fields = assert_error(host.emit("session:set_phase", data), "invalid")
    assert set(fields) == {"minutes"}
    with app.app_context():
        found = db.session.get(Session, workshop["en"]["id"])
        assert (found.phase, found.phase_ends_at) == ("initiatives", None)
