"""The running dot sums (services.dot_counts) always equal the vote ledger's: after any mix
of dots placed and taken back (merged groups and replays included), hidden items refunded,
an import, and a bulk rebuild."""

import io
import json
import random
from collections import Counter

from facilitation.domain.errors import RuleError
from facilitation.exports.backup import write_json
from facilitation.exports.restore import import_workshop
from facilitation.extensions import db
from facilitation.models import (
    Facilitator,
    Item,
    ItemDots,
    Participant,
    ParticipantDots,
    Session,
    Vote,
    Workshop,
)
from facilitation.services import dot_counts, items, participants, results, voting, workshops
from facilitation.unit_of_work import work


def ledger(session_ids):
    """({item: dots}, {participant: dots}) summed from the votes, zeros left out."""
    per_item, per_person = Counter(), Counter()
    for vote in Vote.query.filter(Vote.session_id.in_(session_ids)):
        per_item[vote.item_id] += vote.delta
        per_person[vote.participant_id] += vote.delta
    return +per_item, +per_person


def kept(session_ids):
    per_item = Counter(
        {
            r.item_id: r.dots
            for r in ItemDots.query.filter(ItemDots.session_id.in_(session_ids))
            if r.dots
        }
    )
    per_person = Counter(
        {
            r.participant_id: r.dots
            for r in ParticipantDots.query.filter(ParticipantDots.session_id.in_(session_ids))
            if r.dots
        }
    )
    return per_item, per_person


def voting_workshop(app, workshop, per_session=4):
    """Participants and items in both sessions (one pair merged across them), voting open;
    returns (participant ids, item ids)."""
    with app.app_context(), work():
        people = [
            participants.join(
                workshop[lang]["code"],
                {"display_name": f"P{n}", "organisation": "City", "country": "ES"},
            ).id
            for lang in ("en", "es")
            for n in range(per_session)
        ]
        sessions = [db.session.get(Session, workshop[lang]["id"]) for lang in ("en", "es")]
        for s in sessions:
            workshops.set_phase(s, "proposing")
        proposed = []
        for n, pid in enumerate(people):
            author = db.session.get(Participant, pid)
            kind = "barrier" if n % 2 else "enabler"
            changed, _plan = items.propose(
                author, {"client_id": f"i{n}", "kind": kind, "text": f"Item {n}"}
            )
            proposed.append(changed[0]["id"] if isinstance(changed[0], dict) else changed[0].id)
        found = db.session.get(Workshop, workshop["id"])
        en_item = next(i for i in proposed if db.session.get(Item, i).session_id == sessions[0].id)
        es_item = next(
            i
            for i in proposed
            if db.session.get(Item, i).session_id == sessions[1].id
            and db.session.get(Item, i).kind == db.session.get(Item, en_item).kind
        )
        items.merge(found, [en_item, es_item])
        for s in sessions:
            workshops.set_phase(s, "voting")
        return people, proposed


def test_sums_follow_votes_takebacks_merges_and_refunds(app, workshop):
    people, proposed = voting_workshop(app, workshop)
    sessions = [workshop["en"]["id"], workshop["es"]["id"]]
    rng = random.Random(11)
    with app.app_context():
        sent = []
        for step in range(300):
            voter = db.session.get(Participant, rng.choice(people))
            if sent and rng.random() < 0.05:
                client_id = rng.choice(sent)  # a replay changes nothing
            else:
                client_id = f"v{step}"
                sent.append(client_id)
            payload = {"client_id": client_id, "item_id": rng.choice(proposed)}
            payload["delta"] = 1 if rng.random() < 0.7 else -1
            try:
                with work():
                    voting.cast(voter, payload)
            except RuleError:
                pass  # over budget, nothing to take back, hidden …: rolled back
            if step % 60 == 30:
                with work():
                    target = db.session.get(Item, rng.choice(proposed))
                    items.set_hidden(target, not target.hidden)
            if step % 50 == 0:
                assert kept(sessions) == ledger(sessions)
        assert kept(sessions) == ledger(sessions)
        per_item, per_person = ledger(sessions)
        assert sum(per_item.values()) > 0
        shown = results.workshop_results(workshop["id"])
        not_voted = sum(s["not_voted"] for s in shown["participation"].values())
        assert not_voted == len(people) - len(per_person)


def test_import_and_rebuild_sum_the_ledger_again(app, workshop, facilitator):
    people, proposed = voting_workshop(app, workshop, per_session=2)
    with app.app_context(), work():
        for n, pid in enumerate(people):
            voter = db.session.get(Participant, pid)
            own = [i for i in proposed if db.session.get(Item, i).session_id == voter.session_id]
            voting.cast(voter, {"client_id": f"v{n}", "item_id": own[0], "delta": 1})
        buffer = io.StringIO()
        write_json(db.session.get(Workshop, workshop["id"]), buffer)
        copy = import_workshop(
            json.loads(buffer.getvalue()), db.session.get(Facilitator, facilitator), ["en", "es"]
        )
        copies = [s.id for s in copy.sessions]
        assert kept(copies) == ledger(copies)
        assert sum(kept(copies)[0].values()) == len(people)

        sessions = [workshop["en"]["id"], workshop["es"]["id"]]
        db.session.execute(ItemDots.__table__.delete())
        db.session.execute(ParticipantDots.__table__.delete())
        db.session.commit()
        assert kept(sessions) != ledger(sessions)
        dot_counts.rebuild(db.session.connection(), sessions)
        db.session.commit()
        assert kept(sessions) == ledger(sessions)
