"""Events participants send. Each answers through its ack after commit; what the service
recorded is then broadcast (broadcast.py)."""

from ..broadcast import initiative_shown, item_for_participants
from ..extensions import db
from ..models import Session
from ..services import initiatives, items, voting
from .common import acknowledged, current_participant, current_participant_ids, payload


def _shown(participant, data):
    """An initiative as its author's page sees it: as the other participants do."""
    workshop = db.session.get(Session, participant.session_id).workshop
    return initiative_shown(data, workshop, facilitator=False)


class ParticipantEvents:
    @acknowledged(shed=True)
    def on_initiative_post(self, data):
        """Post an initiative; broadcasts `initiative:upserted`."""
        participant = current_participant()
        item, seq, created = initiatives.post(participant, payload(data))
        if created:
            item["translations"] = {}  # a new text: translated after the commit
        return {"initiative": _shown(participant, item), "seq": seq, "created": created}

    @acknowledged(shed=True)
    def on_initiative_edit(self, data):
        """Edit one's own initiative; broadcasts `initiative:upserted`."""
        participant = current_participant()
        item, seq = initiatives.edit(participant, payload(data))
        return {"initiative": _shown(participant, item), "seq": seq}

    @acknowledged(shed=True)
    def on_initiative_withdraw(self, data):
        """Withdraw one's own initiative; broadcasts `initiative:withdrawn`."""
        item, seq, _changed = initiatives.withdraw(current_participant(), payload(data))
        return {"id": item["id"], "seq": seq}

    @acknowledged(shed=True)
    def on_item_propose(self, data):
        """Propose a barrier or enabler; broadcasts `items:upserted`."""
        changed, created = items.propose(current_participant(), payload(data))
        # a new text has no translation yet (translated after the commit)
        return {
            "item": item_for_participants(changed[0], {} if created else None),
            "created": created,
        }

    @acknowledged(shed=True, grouped=True)
    def on_vote_cast(self, data):
        """Place (delta 1) or take back (delta -1) a dot; the participant's other
        connections get `vote:mine`; results follow, coalesced. Returns the job that
        votes: on SQLite it shares a transaction with the votes arriving together."""
        participant_id, session_id = current_participant_ids()
        vote = payload(data)

        def job():
            done = voting.cast_by(participant_id, session_id, vote)
            return {"votes": done.votes, "created": done.created}

        return job

    @acknowledged(shed=True)
    def on_sdg_pick(self, data):
        """Pick or unpick an SDG for an axis; `sdg:mine` to the participant's connections."""
        return voting.pick(current_participant(), payload(data))
