"""Board pages over /live: snapshots and `workshop:watch` carry the newest page with the
total and a cursor; `initiative:page` fetches older pages for a participant's own session
or any session a facilitator runs (Flask-SocketIO test client)."""

import pytest
from conftest import emit, live_client, participant_in, received

PAGE = 3


@pytest.fixture
def paged(app):
    """Board pages of three initiatives."""
    app.config["BOARD_PAGE_SIZE"] = PAGE
    return app


def post(live, n, title=None):
    data = {"client_id": f"c{n}", "title": title or f"Practice {n}", "axis": "mobility"}
    ack = emit(live, "initiative:post", {**data, "sdgs": [11]})
    assert ack.get("ok"), ack
    return ack["initiative"]["id"]


@pytest.fixture
def board(paged, workshop):
    """Alice posted two initiatives, then Bob five, in the English session; Carla one in
    the Spanish session. Returns the connections and the English ids, oldest first."""
    alice = participant_in(paged, workshop["en"]["code"], name="Alice")[1]
    bob = participant_in(paged, workshop["en"]["code"], name="Bob")[1]
    carla = participant_in(paged, workshop["es"]["code"], name="Carla")[1]
    ids = [post(alice if n < 2 else bob, n) for n in range(7)]
    carla_id = post(carla, 100, "Uno")
    for live in (alice, bob, carla):
        live.get_received("/live")
    return {"alice": alice, "bob": bob, "carla": carla, "ids": ids, "es": carla_id}


def ids_of(ack):
    return [i["id"] for i in ack["initiatives"]]


def test_participant_snapshot_is_the_newest_page_and_own_older_ones(board):
    ids = board["ids"]
    bob = emit(board["bob"], "session:snapshot", {})
    assert ids_of(bob) == ids[2:7]  # his own two older ones, then the page
    assert bob["initiatives_total"] == 7 and bob["initiatives_older"] == ids[4]
    alice = emit(board["alice"], "session:snapshot", {})
    assert ids_of(alice) == [ids[0], ids[1], ids[4], ids[5], ids[6]]
    assert sorted(alice["my_initiatives"]) == ids[0:2]


def test_participant_pages_down_to_the_oldest(board):
    ids, bob = board["ids"], board["bob"]
    first = emit(bob, "initiative:page", {"before_id": ids[4]})
    assert first["ok"] and ids_of(first) == ids[1:4]
    assert first["initiatives_older"] == ids[1] and first["initiatives_total"] == 7
    last = emit(bob, "initiative:page", {"before_id": first["initiatives_older"]})
    assert ids_of(last) == ids[0:1] and last["initiatives_older"] is None
    assert last["session_id"] == first["session_id"]
    # reading pages is not a change: nobody is told
    assert board["alice"].get_received("/live") == []


def test_paging_leaves_out_withdrawn_and_counts_them_out(board):
    ids, bob = board["ids"], board["bob"]
    assert emit(bob, "initiative:withdraw", {"id": ids[3]})["ok"]
    page = emit(board["alice"], "initiative:page", {"before_id": ids[4]})
    assert ids_of(page) == [ids[0], ids[1], ids[2]] and page["initiatives_older"] is None
    assert page["initiatives_total"] == 6
    # the withdrawn one still works as a cursor
    assert ids_of(emit(bob, "initiative:page", {"before_id": ids[3]})) == ids[0:3]


def test_participant_cannot_page_another_session(workshop, board):
    alice = board["alice"]
    other = {"session_id": workshop["es"]["id"], "before_id": board["ids"][4]}
    assert emit(alice, "initiative:page", other)["error"]["code"] == "not_found"
    # a cursor from another session's board
    ack = emit(alice, "initiative:page", {"before_id": board["es"]})
    assert ack["error"]["code"] == "not_found"
    # naming one's own session is fine
    own = {"session_id": workshop["en"]["id"], "before_id": board["ids"][4]}
    assert emit(alice, "initiative:page", own)["ok"]


@pytest.mark.parametrize(
    ("data", "code", "fields"),
    [
        ({}, "invalid", {"before_id": "required"}),
        ({"before_id": None}, "invalid", {"before_id": "required"}),
        ({"before_id": "12"}, "invalid", {"before_id": "invalid"}),
        ({"before_id": 1.0}, "invalid", {"before_id": "invalid"}),
        ({"before_id": True}, "invalid", {"before_id": "invalid"}),
        ({"before_id": -3}, "invalid", {"before_id": "invalid"}),
        ({"before_id": 2**80}, "invalid", {"before_id": "invalid"}),
        ({"before_id": 10**6}, "not_found", {}),
        ({"before_id": 1, "session_id": True}, "not_found", {}),
    ],
)
def test_page_request_is_checked(board, data, code, fields):
    ack = emit(board["alice"], "initiative:page", data)
    assert ack["error"]["code"] == code and ack["error"]["message"]
    assert {k: v["code"] for k, v in ack["error"]["fields"].items()} == fields


@pytest.mark.parametrize("data", [None, ["x"], "x"])
def test_page_request_needs_a_dict(board, data):
    assert emit(board["alice"], "initiative:page", data)["error"]["code"] == "bad_request"


def test_facilitator_pages_any_session_of_the_workshop(app, workshop, facilitator_client, board):
    facilitator = live_client(app, facilitator_client)
    ids = board["ids"]
    watch = emit(facilitator, "workshop:watch", {"workshop_id": workshop["id"]})
    boards = {b["session_id"]: b for b in watch["boards"]}
    en, es = boards[workshop["en"]["id"]], boards[workshop["es"]["id"]]
    assert ids_of(en) == ids[4:7] and en["initiatives_total"] == 7
    assert en["initiatives_older"] == ids[4]
    assert ids_of(es) == [board["es"]] and es["initiatives_older"] is None
    snapshot = emit(facilitator, "session:snapshot", {"session_id": workshop["en"]["id"]})
    assert ids_of(snapshot) == ids[4:7] and snapshot["initiatives_older"] == ids[4]
    data = {"session_id": workshop["en"]["id"], "before_id": ids[4]}
    page = emit(facilitator, "initiative:page", data)
    assert ids_of(page) == ids[1:4] and page["initiatives"][-1]["author"]["display_name"] == "Bob"
    # the session must be named, and must be one of theirs
    assert emit(facilitator, "initiative:page", {"before_id": ids[4]})["error"]["code"] == (
        "not_found"
    )
    other = {"session_id": workshop["es"]["id"], "before_id": ids[4]}
    assert emit(facilitator, "initiative:page", other)["error"]["code"] == "not_found"


def test_another_workshops_facilitator_gets_nothing(app, workshop, board):
    from conftest import make_facilitator, sign_in

    make_facilitator(app, "mallory@example.org", "Mallory")
    mallory = live_client(app, sign_in(app.test_client(), "mallory@example.org"))
    data = {"session_id": workshop["en"]["id"], "before_id": board["ids"][4]}
    assert emit(mallory, "initiative:page", data)["error"]["code"] == "not_found"


def test_pages_follow_the_anonymity_setting(app, workshop, facilitator_client, board):
    facilitator = live_client(app, facilitator_client)
    data = {"workshop_id": workshop["id"], "anonymity": "facilitators"}
    assert emit(facilitator, "workshop:set_display", data)["ok"]
    page = emit(board["alice"], "initiative:page", {"before_id": board["ids"][4]})
    assert {(i["author"], i["participant_id"]) for i in page["initiatives"]} == {(None, None)}
    data = {"session_id": workshop["en"]["id"], "before_id": board["ids"][4]}
    page = emit(facilitator, "initiative:page", data)
    assert page["initiatives"][-1]["author"]["display_name"] == "Bob"


def test_new_posts_still_arrive_as_deltas_on_top(board):
    newest = post(board["alice"], 50, "Newest")
    message = received(board["bob"], "initiative:upserted")[0]
    assert message["initiative"]["id"] == newest > max(board["ids"])
    snapshot = emit(board["bob"], "session:snapshot", {})
    assert ids_of(snapshot)[-3:] == [board["ids"][5], board["ids"][6], newest]
    assert snapshot["initiatives_total"] == 8 and snapshot["initiatives_older"] == board["ids"][5]
