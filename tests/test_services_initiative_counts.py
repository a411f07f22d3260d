"""The running initiative counts (services.initiative_counts) always equal a recount of the
rows: after any mix of posts, replays, edits, withdrawals and facilitators hiding and showing
initiatives again, after an import, and after a bulk rebuild."""

import io
import json
import random
from collections import Counter

from facilitation.domain.errors import RuleError
from facilitation.exports.backup import write_json
from facilitation.exports.restore import import_workshop
from facilitation.extensions import db
from facilitation.models import Facilitator, Initiative, InitiativeCount, Participant, Workshop
from facilitation.services import initiative_counts, initiatives, moderation, participants
from facilitation.unit_of_work import work

AXES = ["economy", "mobility", "environment", "citizenship", "quality", "governance"]


def recount(session_ids):
    """{session: Counter((axis, sdg or 0))} straight from the live, shown initiative rows."""
    found = {sid: Counter() for sid in session_ids}
    for initiative in Initiative.query.filter(
        Initiative.session_id.in_(session_ids),
        Initiative.withdrawn_at.is_(None),
        Initiative.hidden.is_(False),
    ):
        counts = found[initiative.session_id]
        counts[(initiative.axis, 0)] += 1
        for sdg in initiative.sdgs:
            counts[(initiative.axis, sdg)] += 1
    return found


def kept(session_ids):
    found = {sid: Counter() for sid in session_ids}
    for row in InitiativeCount.query.filter(InitiativeCount.session_id.in_(session_ids)):
        if row.count:
            found[row.session_id][(row.axis, row.sdg)] = row.count
    return found


def as_tally_cells(counts):
    return {(axis, sdg): n for (axis, sdg), n in counts.items() if sdg}


def people(app, workshop, per_session=3):
    with app.app_context(), work():
        return [
            participants.join(workshop[lang]["code"], who).id
            for lang in ("en", "es")
            for who in [
                {"display_name": f"P{n}", "organisation": "City", "country": "ES"}
                for n in range(per_session)
            ]
        ]


def test_counts_follow_posts_replays_edits_withdrawals_and_moderation(app, workshop):
    ids = people(app, workshop)
    sessions = [workshop["en"]["id"], workshop["es"]["id"]]
    rng = random.Random(7)
    with app.app_context():
        mine = {pid: [] for pid in ids}
        hidden_seen = []
        for step in range(200):
            pid = rng.choice(ids)
            participant = db.session.get(Participant, pid)
            draft = {
                "title": f"Practice {step}",
                "axis": rng.choice(AXES),
                "sdgs": rng.sample(range(1, 18), rng.randint(1, 4)),
            }
            roll = rng.random()
            if roll < 0.5 or not mine[pid]:
                client_id = f"c{step}" if rng.random() > 0.1 or not mine[pid] else mine[pid][0][1]
                with work():
                    data, _seq, created = initiatives.post(
                        participant, {**draft, "client_id": client_id}
                    )
                if created:
                    mine[pid].append((data["id"], client_id))
            elif roll < 0.65:
                target, _ = rng.choice(mine[pid])
                hide = rng.random() < 0.6
                try:
                    with work():
                        found = moderation.initiative_in({workshop["id"]}, target)
                        moderation.set_hidden(found, hide)
                        hidden_seen.append(hide)
                except RuleError as error:  # a withdrawn one is no longer moderated
                    assert error.code == "not_found"
            elif roll < 0.8:
                target, _ = rng.choice(mine[pid])
                try:
                    with work():
                        initiatives.edit(participant, {**draft, "id": target})
                except RuleError as error:  # editing a withdrawn one is refused
                    assert error.code == "not_found"
            else:
                target, _ = rng.choice(mine[pid])
                with work():
                    initiatives.withdraw(participant, {"id": target})
            if step % 20 == 0:
                assert kept(sessions) == recount(sessions)
        assert kept(sessions) == recount(sessions)
        assert sum(recount(sessions)[sessions[0]].values()) > 0
        assert True in hidden_seen and False in hidden_seen  # the mix hid and showed again
        assert Initiative.query.filter_by(hidden=True, withdrawn_at=None).count() > 0
        tallies = initiative_counts.tallies(sessions)
        for sid in sessions:
            expected = recount(sessions)[sid]
            assert tallies[sid]["initiatives"] == sum(
                n for (_a, sdg), n in expected.items() if sdg == 0
            )
            cells = {
                (axis, sdg): n
                for axis, row in tallies[sid]["matrix"].items()
                for sdg, n in row.items()
                if n
            }
            assert cells == as_tally_cells(expected)


def test_import_counts_the_imported_initiatives(app, workshop, facilitator):
    ids = people(app, workshop, per_session=1)
    with app.app_context(), work():
        en, es = (db.session.get(Participant, pid) for pid in ids)
        for n, (who, axis) in enumerate([(en, "mobility"), (en, "mobility"), (es, "quality")]):
            initiatives.post(
                who, {"client_id": f"c{n}", "title": "T", "axis": axis, "sdgs": [3, 11]}
            )
        withdrawn, *_ = initiatives.post(
            en, {"client_id": "gone", "title": "T", "axis": "economy", "sdgs": [8]}
        )
        initiatives.withdraw(en, {"id": withdrawn["id"]})
        rude, *_ = initiatives.post(
            es, {"client_id": "rude", "title": "T", "axis": "economy", "sdgs": [1, 2]}
        )
        moderation.set_hidden(moderation.initiative_in({workshop["id"]}, rude["id"]), True)
        buffer = io.StringIO()
        write_json(db.session.get(Workshop, workshop["id"]), buffer)
        copy = import_workshop(
            json.loads(buffer.getvalue()), db.session.get(Facilitator, facilitator), ["en", "es"]
        )
        copies = [s.id for s in copy.sessions]
        assert kept(copies) == recount(copies)
        assert sum(kept(copies)[copies[0]].values()) == 3 * 2  # two mobility posts, 3 rows each
        hidden = Initiative.query.filter(Initiative.session_id.in_(copies), Initiative.hidden)
        assert [i.title for i in hidden] == ["T"]  # imported, kept hidden, not counted
        assert kept(copies)[copies[1]] == Counter(
            {("quality", 0): 1, ("quality", 3): 1, ("quality", 11): 1}
        )


def test_rebuild_recounts_rows_loaded_in_bulk(app, workshop):
    ids = people(app, workshop, per_session=1)
    sessions = [workshop["en"]["id"], workshop["es"]["id"]]
    with app.app_context(), work():
        en = db.session.get(Participant, ids[0])
        initiatives.post(en, {"client_id": "a", "title": "T", "axis": "mobility", "sdgs": [11]})
        rude, *_ = initiatives.post(
            en, {"client_id": "b", "title": "T", "axis": "economy", "sdgs": [8]}
        )
        moderation.set_hidden(moderation.initiative_in({workshop["id"]}, rude["id"]), True)
        db.session.commit()  # the running counts are written as the transaction commits
        db.session.execute(InitiativeCount.__table__.delete())
        db.session.commit()
        assert kept(sessions) != recount(sessions)
        initiative_counts.rebuild(db.session.connection(), sessions)
        db.session.commit()
        assert kept(sessions) == recount(sessions)
        assert ("economy", 0) not in kept(sessions)[sessions[0]]  # the hidden one
