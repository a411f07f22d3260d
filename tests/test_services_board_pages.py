"""Board pages (services.initiatives.page / board / older_page and the snapshots that use
them): page boundaries, the live total, a participant's own older initiatives, withdrawn ones
left out, and cursors of another session refused."""

import pytest

from facilitation.domain.errors import RuleError
from facilitation.domain.taxonomy import taxonomy
from facilitation.extensions import db
from facilitation.models import Initiative, Participant, Session
from facilitation.services import initiatives, participants, snapshots
from facilitation.unit_of_work import work


def person(app, code, name):
    with app.app_context(), work():
        return participants.join(
            code, {"display_name": name, "organisation": "City", "country": "ES"}
        ).id


def post(app, participant_id, n):
    """Post initiative `n` as the participant; returns its id."""
    with app.app_context(), work():
        participant = db.session.get(Participant, participant_id)
        draft = {"client_id": f"c{n}", "title": f"Practice {n}", "axis": "mobility", "sdgs": [11]}
        return initiatives.post(participant, draft)[0]["id"]


def withdraw(app, participant_id, initiative_id):
    with app.app_context(), work():
        participant = db.session.get(Participant, participant_id)
        initiatives.withdraw(participant, {"id": initiative_id})


@pytest.fixture
def board(app, workshop):
    """Seven initiatives in the English session (Ann wrote the first two, Ben the rest) and
    one in the Spanish session; returns their ids and the people's ids."""
    ann = person(app, workshop["en"]["code"], "Ann")
    ben = person(app, workshop["en"]["code"], "Ben")
    eva = person(app, workshop["es"]["code"], "Eva")
    ids = [post(app, ann if n < 2 else ben, n) for n in range(7)]
    return {"ids": ids, "ann": ann, "ben": ben, "eva": eva, "es_id": post(app, eva, 99)}


def titles(rows):
    return [row["title"] for row in rows]


def test_pages_walk_the_board_newest_first_each_oldest_first(app, workshop, board):
    en, ids = workshop["en"]["id"], board["ids"]
    with app.app_context():
        first, older = initiatives.page(en, 3)
        assert [r["id"] for r in first] == ids[4:7] and older == ids[4]
        second, older = initiatives.page(en, 3, older)
        assert [r["id"] for r in second] == ids[1:4] and older == ids[1]
        last, older = initiatives.page(en, 3, older)
        assert [r["id"] for r in last] == ids[0:1] and older is None


def test_a_page_that_ends_exactly_at_the_oldest_has_no_cursor(app, workshop, board):
    en, ids = workshop["en"]["id"], board["ids"]
    with app.app_context():
        assert initiatives.page(en, 7) == (initiatives.page(en, 8)[0], None)
        rows, older = initiatives.page(en, 6)
        assert len(rows) == 6 and older == ids[1]
        rows, older = initiatives.page(en, 1, ids[1])
        assert [r["id"] for r in rows] == [ids[0]] and older is None


def test_board_has_the_total_and_the_cursor(app, workshop, board):
    en = workshop["en"]["id"]
    with app.app_context():
        shown = initiatives.board(en, 3)
        assert titles(shown["initiatives"]) == ["Practice 4", "Practice 5", "Practice 6"]
        assert shown["initiatives_total"] == 7
        assert shown["initiatives_older"] == board["ids"][4]
        whole = initiatives.board(en, 200)
        assert len(whole["initiatives"]) == 7 and whole["initiatives_older"] is None


def test_withdrawn_initiatives_are_left_out_of_pages_and_total(app, workshop, board):
    en, ids = workshop["en"]["id"], board["ids"]
    withdraw(app, board["ben"], ids[5])
    withdraw(app, board["ben"], ids[3])
    with app.app_context():
        shown = initiatives.board(en, 3)
        assert [r["id"] for r in shown["initiatives"]] == [ids[2], ids[4], ids[6]]
        assert shown["initiatives_total"] == 5
        rest, older = initiatives.page(en, 3, shown["initiatives_older"])
        assert [r["id"] for r in rest] == ids[0:2] and older is None
        # a withdrawn initiative still works as a cursor
        page = initiatives.older_page(en, ids[5], 3)
        assert [r["id"] for r in page["initiatives"]] == [ids[1], ids[2], ids[4]]
        assert page["initiatives_older"] == ids[1] and page["initiatives_total"] == 5


def test_the_total_follows_edits_that_change_the_axis(app, workshop, board):
    with app.app_context(), work():
        ben = db.session.get(Participant, board["ben"])
        moved = db.session.get(Initiative, board["ids"][3])
        was = moved.axis
        before = initiatives.counts(workshop["en"]["id"])["initiatives_axes"]
        assert was != "economy" and before[was] > 0 and sum(before.values()) == 7
        draft = {"id": moved.id, "title": "Moved", "axis": "economy", "sdgs": [8, 9]}
        initiatives.edit(ben, draft)
        after = initiatives.counts(workshop["en"]["id"])
        assert after["initiatives_total"] == 7
        assert after["initiatives_axes"] == {
            **before,
            was: before[was] - 1,
            "economy": before["economy"] + 1,
        }
        assert initiatives.counts(workshop["es"]["id"])["initiatives_total"] == 1


def test_own_older_initiatives_come_with_the_participant_snapshot(app, workshop, board):
    ids = board["ids"]
    app.config["BOARD_PAGE_SIZE"] = 3
    withdraw(app, board["ann"], ids[1])
    with app.app_context():
        ann = db.session.get(Participant, board["ann"])
        snap = snapshots.participant_snapshot(ann)
        # Ann's live older one first, then the newest page
        assert [r["id"] for r in snap["initiatives"]] == [ids[0], ids[4], ids[5], ids[6]]
        assert snap["my_initiatives"] == [ids[0]]
        assert snap["initiatives_total"] == 6 and snap["initiatives_older"] == ids[4]
        ben = db.session.get(Participant, board["ben"])
        assert [r["id"] for r in snapshots.participant_snapshot(ben)["initiatives"]] == ids[2:7]
        cal = db.session.get(Participant, person(app, workshop["en"]["code"], "Cal"))
        assert [r["id"] for r in snapshots.participant_snapshot(cal)["initiatives"]] == ids[4:7]
        facilitators = snapshots.facilitator_snapshot(db.session.get(Session, workshop["en"]["id"]))
        assert [r["id"] for r in facilitators["initiatives"]] == ids[4:7]
        assert facilitators["initiatives_total"] == 6


def test_cursor_of_another_session_or_unknown_is_refused(app, workshop, board):
    en = workshop["en"]["id"]
    with app.app_context():
        for cursor in (board["es_id"], 10**6):
            with pytest.raises(RuleError) as refused:
                initiatives.older_page(en, cursor, 3)
            assert refused.value.code == "not_found"


@pytest.mark.parametrize(
    ("cursor", "field_code"),
    [(None, "required"), ("5", "invalid"), (1.0, "invalid"), (True, "invalid"), (0, "invalid")],
)
def test_cursor_must_be_an_id(app, workshop, board, cursor, field_code):
    with app.app_context(), pytest.raises(RuleError) as refused:
        initiatives.older_page(workshop["en"]["id"], cursor, 3)
    assert refused.value.code == "invalid"
    assert refused.value.fields == {"before_id": field_code}


def test_an_empty_board(app, workshop):
    with app.app_context():
        empty = initiatives.board(workshop["en"]["id"], 3)
    assert empty == {
        "initiatives": [],
        "initiatives_total": 0,
        "initiatives_axes": dict.fromkeys(taxonomy().axis_codes, 0),
        "initiatives_older": None,
    }
