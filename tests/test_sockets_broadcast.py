"""Deltas to session rooms over /live: isolation between sessions, sequence numbers,
snapshots and phase changes (Flask-SocketIO test client). The other sessions'
participants hear of initiatives only, each delta with its own session's id and seq (their
"other groups" section: test_sockets_other_boards.py)."""

import pytest
from conftest import emit, live_client, participant_in, received

from facilitation.extensions import db
from facilitation.models import Session


def post(live, client_id, title="Bike lanes", axis="mobility", sdgs=(11,)):
    ack = emit(
        live,
        "initiative:post",
        {"client_id": client_id, "title": title, "axis": axis, "sdgs": list(sdgs)},
    )
    assert ack.get("ok"), ack
    return ack


@pytest.fixture
def rooms(app, workshop):
    """Two participants in the English session and one in the Spanish one, inboxes empty."""
    clients = {
        "alice": participant_in(app, workshop["en"]["code"], name="Alice")[1],
        "bob": participant_in(app, workshop["en"]["code"], name="Bob")[1],
        "carla": participant_in(app, workshop["es"]["code"], name="Carla")[1],
    }
    for live in clients.values():
        live.get_received("/live")
    return clients


def test_en_posts_reach_en_participants_only_with_increasing_seq(workshop, rooms):
    acks = [post(rooms["alice"], f"a{i}", title=f"Idea {i}") for i in range(3)]
    acks.append(post(rooms["bob"], "b1", title="Bob's idea"))
    for name in ("alice", "bob"):
        events = received(rooms[name], "initiative:upserted")
        assert [e["initiative"]["title"] for e in events] == [
            "Idea 0",
            "Idea 1",
            "Idea 2",
            "Bob's idea",
        ]
        seqs = [e["seq"] for e in events]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
        assert seqs == [a["seq"] for a in acks]
        assert all(e["session_id"] == workshop["en"]["id"] for e in events)
    assert other_sessions_hear(rooms["carla"], workshop["en"]["id"]) == [a["seq"] for a in acks]


def other_sessions_hear(live, session_id):
    """The seqs of the initiative deltas another session's participant got: those of
    `session_id` alone, nothing else."""
    events = live.get_received("/live")
    assert {e["name"] for e in events} <= {"initiative:upserted", "initiative:withdrawn"}, events
    assert all(e["args"][0]["session_id"] == session_id for e in events)
    return [e["args"][0]["seq"] for e in events]


def test_es_posts_reach_en_participants_as_the_es_sessions(workshop, rooms):
    ack = post(rooms["carla"], "c1", title="Carriles bici")
    assert [e["initiative"]["title"] for e in received(rooms["carla"], "initiative:upserted")] == [
        "Carriles bici"
    ]
    assert other_sessions_hear(rooms["alice"], workshop["es"]["id"]) == [ack["seq"]]
    assert other_sessions_hear(rooms["bob"], workshop["es"]["id"]) == [ack["seq"]]


def test_retried_post_is_not_broadcast_again(rooms):
    post(rooms["alice"], "a1")
    post(rooms["alice"], "a1")
    assert len(received(rooms["bob"], "initiative:upserted")) == 1


def test_refused_post_is_not_broadcast(rooms):
    emit(
        rooms["alice"], "initiative:post", {"client_id": "a1", "title": "", "axis": "x", "sdgs": []}
    )
    assert rooms["bob"].get_received("/live") == []


def test_edit_and_withdraw_are_broadcast(workshop, rooms):
    item = post(rooms["alice"], "a1")["initiative"]
    emit(
        rooms["alice"],
        "initiative:edit",
        {"id": item["id"], "title": "New", "axis": "quality", "sdgs": [4]},
    )
    emit(rooms["alice"], "initiative:withdraw", {"id": item["id"]})
    events = rooms["bob"].get_received("/live")
    assert [e["name"] for e in events] == [
        "initiative:upserted",
        "initiative:upserted",
        "initiative:withdrawn",
    ]
    edited, withdrawn = events[1]["args"][0], events[2]["args"][0]
    assert edited["initiative"]["title"] == "New" and edited["initiative"]["sdgs"] == [4]
    assert withdrawn["id"] == item["id"] and withdrawn["seq"] > edited["seq"]
    seqs = [e["args"][0]["seq"] for e in events]
    assert other_sessions_hear(rooms["carla"], workshop["en"]["id"]) == seqs


def test_broadcasts_carry_codes_not_translated_names(rooms):
    post(rooms["alice"], "a1", axis="environment", sdgs=(13, 7))
    item = received(rooms["bob"], "initiative:upserted")[0]["initiative"]
    assert item["axis"] == "environment" and item["sdgs"] == [7, 13]
    assert "Smart" not in repr(item) and "Climate" not in repr(item)


def test_snapshot_returns_the_board(workshop, rooms):
    post(rooms["alice"], "a1", title="One")
    post(rooms["bob"], "b1", title="Two")
    post(rooms["carla"], "c1", title="Uno")
    board = emit(rooms["alice"], "session:snapshot", {})
    assert board["ok"] and board["session_id"] == workshop["en"]["id"]
    assert board["phase"] == "initiatives"
    assert [i["title"] for i in board["initiatives"]] == ["One", "Two"]
    assert isinstance(board["seq"], int)


def test_snapshot_of_a_participant_is_always_their_own_session(workshop, rooms):
    post(rooms["carla"], "c1", title="Uno")
    board = emit(rooms["alice"], "session:snapshot", {"session_id": workshop["es"]["id"]})
    assert board["session_id"] == workshop["en"]["id"] and board["initiatives"] == []


def test_facilitator_snapshot_unchanged_when_since_seq_is_current(
    app, workshop, facilitator_client, rooms
):
    seq = post(rooms["alice"], "a1")["seq"]
    facilitator = live_client(app, facilitator_client)
    data = {"session_id": workshop["en"]["id"], "since_seq": seq}
    ack = emit(facilitator, "session:snapshot", data)
    assert ack == {"ok": True, "session_id": workshop["en"]["id"], "seq": seq, "unchanged": True}
    # one seq behind: the full board
    ack = emit(facilitator, "session:snapshot", {**data, "since_seq": seq - 1})
    assert "unchanged" not in ack and [i["title"] for i in ack["initiatives"]] == ["Bike lanes"]


def test_participant_snapshot_is_always_complete(workshop, rooms):
    # participants' dots and picks change without a seq bump, so they always get everything
    seq = post(rooms["alice"], "a1")["seq"]
    ack = emit(rooms["alice"], "session:snapshot", {"since_seq": seq})
    assert ack["ok"] and ack["seq"] == seq and ack["session_id"] == workshop["en"]["id"]
    assert [i["title"] for i in ack["initiatives"]] == ["Bike lanes"]


def test_snapshot_after_missed_changes_returns_the_board(rooms):
    first = post(rooms["alice"], "a1", title="Seen")["seq"]
    post(rooms["bob"], "b1", title="Missed")
    ack = emit(rooms["alice"], "session:snapshot", {"since_seq": first})
    assert "unchanged" not in ack
    assert ack["seq"] > first
    assert [i["title"] for i in ack["initiatives"]] == ["Seen", "Missed"]


def test_snapshot_hides_withdrawn_initiatives(rooms):
    gone = post(rooms["alice"], "a1", title="Gone")["initiative"]["id"]
    post(rooms["alice"], "a2", title="Kept")
    emit(rooms["alice"], "initiative:withdraw", {"id": gone})
    board = emit(rooms["bob"], "session:snapshot", {})
    assert [i["title"] for i in board["initiatives"]] == ["Kept"]


@pytest.mark.parametrize("data", [None, ["x"], "x"])
def test_snapshot_needs_a_dict(rooms, data):
    assert emit(rooms["alice"], "session:snapshot", data)["error"]["code"] == "bad_request"


def test_facilitator_snapshot_names_the_session(app, workshop, facilitator_client, rooms):
    post(rooms["carla"], "c1", title="Uno")
    facilitator = live_client(app, facilitator_client)
    board = emit(facilitator, "session:snapshot", {"session_id": workshop["es"]["id"]})
    assert board["session_id"] == workshop["es"]["id"]
    assert [i["title"] for i in board["initiatives"]] == ["Uno"]


def test_phase_change_is_broadcast_to_the_session(app, workshop, facilitator_client, rooms):
    facilitator = live_client(app, facilitator_client)
    ack = emit(
        facilitator, "session:set_phase", {"session_id": workshop["en"]["id"], "phase": "closed"}
    )
    assert ack["ok"] and ack["phase"] == "closed" and ack["session_id"] == workshop["en"]["id"]
    for name in ("alice", "bob"):
        events = received(rooms[name], "session:phase")
        assert len(events) == 1
        assert events[0]["session_id"] == workshop["en"]["id"]
        assert (events[0]["phase"], events[0]["seq"]) == ("closed", ack["seq"])
    assert rooms["carla"].get_received("/live") == []
    with app.app_context():
        session = db.session.get(Session, workshop["en"]["id"])
        assert (session.phase, session.seq) == ("closed", ack["seq"])


def test_phase_change_moves_the_sequence_on(app, workshop, facilitator_client, rooms):
    before = post(rooms["alice"], "a1")["seq"]
    facilitator = live_client(app, facilitator_client)
    ack = emit(
        facilitator, "session:set_phase", {"session_id": workshop["en"]["id"], "phase": "lobby"}
    )
    assert ack["seq"] > before
    # a client that saw only the post must not be told nothing changed
    snapshot = emit(rooms["alice"], "session:snapshot", {"since_seq": before})
    assert "unchanged" not in snapshot and snapshot["phase"] == "lobby"


def test_watching_facilitator_gets_every_sessions_deltas(app, workshop, facilitator_client, rooms):
    facilitator = live_client(app, facilitator_client)
    watch = emit(facilitator, "workshop:watch", {"workshop_id": workshop["id"]})
    assert [b["session_id"] for b in watch["boards"]] == [
        workshop["en"]["id"],
        workshop["es"]["id"],
    ]
    post(rooms["alice"], "a1", title="Bike lanes")
    post(rooms["carla"], "c1", title="Carriles bici")
    events = received(facilitator, "initiative:upserted")
    assert sorted(e["initiative"]["title"] for e in events) == ["Bike lanes", "Carriles bici"]


def test_deltas_carry_the_boards_size_per_axis(workshop, rooms):
    """Pages hold part of a board: every delta brings its size and its size per axis."""
    post(rooms["alice"], "a1", axis="mobility")
    post(rooms["alice"], "a2", axis="economy")
    gone = post(rooms["bob"], "b1", axis="mobility")["initiative"]["id"]
    assert emit(rooms["bob"], "initiative:withdraw", {"id": gone}).get("ok")
    inbox = rooms["alice"].get_received("/live")
    upserted = [e["args"][0] for e in inbox if e["name"] == "initiative:upserted"]
    withdrawn = [e["args"][0] for e in inbox if e["name"] == "initiative:withdrawn"]
    assert [e["initiatives_total"] for e in upserted] == [1, 2, 3]
    assert [e["initiatives_axes"]["mobility"] for e in upserted] == [1, 1, 2]
    assert [e["initiatives_axes"]["economy"] for e in upserted] == [0, 1, 1]
    assert [(e["id"], e["initiatives_total"]) for e in withdrawn] == [(gone, 2)]
    assert withdrawn[0]["initiatives_axes"] == {**withdrawn[0]["initiatives_axes"], "mobility": 1}
    assert [e["initiatives_total"] for e in received(rooms["carla"], "initiative:upserted")] == [
        1,
        2,
        3,
    ]
