"""Running counts written as the transaction commits (services/counters.py): summed per row,
zeros left out, in one order; read back within the transaction that changed them; dropped
with a rollback. Statements counted with an engine event on the app's SQLite file."""

import pytest
from sqlalchemy import event

from facilitation.extensions import db
from facilitation.models import Facilitator, ItemDots, ParticipantDots, Session
from facilitation.services import counters, dot_counts, items, participants
from facilitation.unit_of_work import work


@pytest.fixture
def upserts(app):
    """The upserts the engine ran: (table, [rows' keys]) each."""
    seen = []
    with app.app_context():
        engine = db.engine

    def record(_conn, _cursor, statement, parameters, _context, executemany):
        if statement.lstrip().upper().startswith("INSERT") and "ON CONFLICT" in statement:
            table = statement.split()[2]
            seen.append((table, parameters if executemany else [parameters]))

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def rows(app, workshop, facilitator):
    """Four items and two participants of the English session: their ids, ascending."""
    with app.app_context(), work():
        session = db.session.get(Session, workshop["en"]["id"])
        owner = db.session.get(Facilitator, facilitator)
        made = []
        for key in "abcd":
            changed, _plan = items.add_by_facilitator(
                owner, session, {"client_id": key, "kind": "barrier", "text": key}
            )
            made.append(changed[0]["id"] if isinstance(changed[0], dict) else changed[0].id)
        people = [
            participants.join(
                workshop["en"]["code"], {"display_name": n, "organisation": "O", "country": "N"}
            ).id
            for n in ("Ann", "Bo")
        ]
    return sorted(made), sorted(people)


def items_of(session_id):
    return {i: n for (_s, i), n in dot_counts.item_dots([session_id]).items()}


def test_changes_are_summed_per_row_and_written_once_in_key_order(app, workshop, rows, upserts):
    sid = workshop["en"]["id"]
    (a, b, c, _d), (ann, bo) = rows
    with app.app_context():
        for item_id, participant_id in [(c, bo), (a, ann), (c, ann), (b, bo)]:
            dot_counts.add(sid, item_id, participant_id, 1)
        dot_counts.add(sid, b, bo, -1)  # back to zero: nothing to write for item b
        assert upserts == []  # nothing written before the commit
        db.session.commit()
    tables = [table for table, _rows in upserts]
    assert tables == ["item_dots", "participant_dots"]
    (_t, item_rows), (_t2, participant_rows) = upserts
    assert [row[0] for row in item_rows] == [a, c]  # ascending; b left out
    assert [row[0] for row in participant_rows] == [ann, bo]
    with app.app_context():
        assert items_of(sid) == {a: 1, c: 2}
        dots = {p.participant_id: p.dots for p in ParticipantDots.query}
    assert dots == {ann: 2, bo: 1}


def test_a_transaction_reads_its_own_changes(app, workshop, rows):
    sid = workshop["en"]["id"]
    (a, *_), (ann, _bo) = rows
    with app.app_context():
        dot_counts.add(sid, a, ann, 1)
        assert items_of(sid) == {a: 1}  # written before the read
        dot_counts.add(sid, a, ann, 1)
        assert items_of(sid) == {a: 2}
        db.session.commit()
        assert items_of(sid) == {a: 2}


def test_a_rollback_drops_the_changes(app, workshop, rows, upserts):
    sid = workshop["en"]["id"]
    (a, *_), (ann, _bo) = rows
    with app.app_context():
        dot_counts.add(sid, a, ann, 1)
        db.session.rollback()
        db.session.commit()
        assert upserts == []
        assert ItemDots.query.count() == 0
        assert not db.session.info.get(counters.PENDING)
