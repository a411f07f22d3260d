"""A session's counters (services/session_counters.py) against the rows themselves, after
random mixes of joins, posts, withdrawals, proposals, hidden items, votes and picks."""

import random
import threading

import pytest

from facilitation.domain.errors import RuleError
from facilitation.extensions import db
from facilitation.models import Initiative, Item, Participant, SdgPick, Session, Vote
from facilitation.services import (
    initiatives,
    items,
    participants,
    session_counters,
    voting,
    workshops,
)
from facilitation.unit_of_work import work

AXES = ("mobility", "economy", "governance")


def truth(session_id):
    """The counters from the rows, loaded whole: what the counts must equal."""
    people = db.session.query(Participant).filter_by(session_id=session_id).all()
    dots = {}
    for vote in db.session.query(Vote).filter_by(session_id=session_id):
        dots[vote.participant_id] = dots.get(vote.participant_id, 0) + vote.delta
    voted = sum(1 for n in dots.values() if n > 0)
    shown = [i for i in db.session.query(Item).filter_by(session_id=session_id) if not i.hidden]
    live = db.session.query(Initiative).filter_by(session_id=session_id, withdrawn_at=None)
    pickers = {p.participant_id for p in db.session.query(SdgPick).filter_by(session_id=session_id)}
    return {
        "joined": len(people),
        "initiatives": live.count(),
        "barriers": sum(1 for i in shown if i.kind == "barrier"),
        "enablers": sum(1 for i in shown if i.kind == "enabler"),
        "voted": voted,
        "not_voted": len(people) - voted,
        "picked": len(pickers),
    }


class Mix:
    """Random actions by the participants of two sessions, each in its own unit of work;
    refusals (budgets, limits) roll back as they would for a client."""

    def __init__(self, app, workshop, seed):
        self.app, self.workshop = app, workshop
        self.rng = random.Random(seed)
        self.people = {workshop["en"]["id"]: [], workshop["es"]["id"]: []}
        self.serial = 0

    def _next(self):
        self.serial += 1
        return f"c{self.serial}"

    def attempt(self, action):
        with self.app.app_context():
            try:
                with work():
                    action()
            except RuleError:
                pass

    def someone(self, session_id):
        ids = self.people[session_id]
        return db.session.get(Participant, self.rng.choice(ids)) if ids else None

    def join(self, session_id):
        code = self.workshop["en" if session_id == self.workshop["en"]["id"] else "es"]["code"]
        found = {}

        def act():
            who = {"display_name": f"P{self._next()}", "organisation": "Oslo", "country": "NO"}
            found["id"] = participants.join(code, who).id

        self.attempt(act)
        self.people[session_id].append(found["id"])

    def phase(self, name):
        def act():
            for s in db.session.query(Session).filter(Session.id.in_(self.people)):
                workshops.set_phase(s, name)

        self.attempt(act)

    def step(self, phase):
        session_id = self.rng.choice(list(self.people))
        if self.rng.random() < 0.2 or not self.people[session_id]:
            return self.join(session_id)
        rng = self.rng

        def act():
            who = self.someone(session_id)
            if phase == "initiatives":
                mine = initiatives.ids_of(who.id)
                if mine and rng.random() < 0.3:
                    initiatives.withdraw(who, {"id": rng.choice(mine)})
                else:
                    initiatives.post(
                        who,
                        {
                            "client_id": self._next(),
                            "title": f"Idea {self.serial}",
                            "axis": rng.choice(AXES),
                            "sdgs": [rng.randint(1, 17)],
                        },
                    )
            elif phase == "proposing":
                mine = items.session_items(session_id)
                if mine and rng.random() < 0.2:
                    items.set_hidden(rng.choice(mine), rng.random() < 0.7)
                else:
                    items.propose(
                        who,
                        {
                            "client_id": self._next(),
                            "text": f"Point {self.serial}",
                            "kind": rng.choice(("barrier", "enabler")),
                            "axis": None,
                        },
                    )
            elif phase == "voting":
                shown = [i.id for i in items.visible_items(session_id)]
                if shown:
                    vote = {
                        "client_id": self._next(),
                        "item_id": rng.choice(shown),
                        "delta": rng.choice((1, 1, 1, -1)),
                    }
                    voting.cast_by(who.id, session_id, vote)
            elif phase == "sdg_picks":
                voting.pick(
                    who,
                    {
                        "axis": rng.choice(AXES),
                        "sdg": rng.randint(1, 17),
                        "picked": rng.random() < 0.8,
                    },
                )

        self.attempt(act)


@pytest.mark.parametrize("seed", [1, 2])
def test_counters_equal_the_rows_after_a_random_mix(app, workshop, seed):
    mix = Mix(app, workshop, seed)
    for phase in ("initiatives", "proposing", "voting", "sdg_picks", "proposing", "voting"):
        mix.phase(phase)
        for _ in range(25):
            mix.step(phase)
        with app.app_context():
            counted = session_counters.counts(list(mix.people))
            for session_id in mix.people:
                assert counted[session_id] == truth(session_id), (phase, session_id)
    with app.app_context():
        totals = session_counters.counts(list(mix.people))
    # the mix did something of each kind somewhere
    for field in ("joined", "initiatives", "barriers", "enablers", "voted", "picked"):
        assert sum(c[field] for c in totals.values()) > 0, field


def test_a_session_with_nothing_counts_zeros(app, workshop):
    with app.app_context():
        counted = session_counters.counts([workshop["en"]["id"]])
    assert counted == {workshop["en"]["id"]: dict.fromkeys(session_counters.FIELDS, 0)}


def test_counting_loads_no_rows_and_takes_a_few_statements(app, workshop):
    """Counts, not rows: the same statements for an empty workshop and a busy one."""
    from sqlalchemy import event

    mix = Mix(app, workshop, 7)
    statements = []
    here = threading.get_ident()

    def count(*_args):
        if threading.get_ident() == here:  # not the broadcasts the mix scheduled
            statements.append(1)

    def measured():
        statements.clear()
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", count)
            try:
                session_counters.counts(list(mix.people))
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    empty = measured()
    mix.phase("initiatives")
    for _ in range(30):
        mix.step("initiatives")
    assert measured() == empty == 5
