"""Events participants send. Each answers through its ack after commit; what the service
recorded is then broadcast (broadcast.py).

The bodies are functions of the participant who acts, so that a facilitator acting for a
participant without a device (sockets/proxy.py) goes through the very same steps."""

from ..broadcast import initiative_shown, item_for_participants
from ..extensions import db
from ..models import Session
from ..services import initiatives, items, other_boards, voting
from .common import acknowledged, current_participant, current_participant_ids, payload


def _shown(participant, data):
    """An initiative as its author's page sees it: as the other participants do."""
    workshop = db.session.get(Session, participant.session_id).workshop
    return initiative_shown(data, workshop, facilitator=False)


def post_initiative(participant, data):
    item, seq, created = initiatives.post(participant, payload(data))
    if created:
        item["translations"] = {}  # a new text: translated after the commit
    return {"initiative": _shown(participant, item), "seq": seq, "created": created}


def withdraw_initiative(participant, data):
    item, seq, _changed = initiatives.withdraw(participant, payload(data))
    return {"id": item["id"], "seq": seq}


def propose_item(participant, data):
    changed, created = items.propose(participant, payload(data))
    # a new text has no translation yet (translated after the commit)
    return {"item": item_for_participants(changed[0], {} if created else None), "created": created}


def cast_vote(participant_id, session_id, vote):
    done = voting.cast_by(participant_id, session_id, vote)
    return {"votes": done.votes, "created": done.created}


def pick_sdg(participant, data):
    return voting.pick(participant, payload(data))


class ParticipantEvents:
    @acknowledged(shed=True)
    def on_initiative_post(self, data):
        """Post an initiative; broadcasts `initiative:upserted`."""
        return post_initiative(current_participant(), data)

    @acknowledged(shed=True)
    def on_initiative_edit(self, data):
        """Edit one's own initiative; broadcasts `initiative:upserted`."""
        participant = current_participant()
        item, seq = initiatives.edit(participant, payload(data))
        return {"initiative": _shown(participant, item), "seq": seq}

    @acknowledged(shed=True)
    def on_initiative_withdraw(self, data):
        """Withdraw one's own initiative; broadcasts `initiative:withdrawn`."""
        return withdraw_initiative(current_participant(), data)

    @acknowledged
    def on_workshop_boards(self, data):
        """The newest initiatives of the workshop's other sessions, as their participants
        see them, each board with its seq. Read only: nothing is broadcast; their deltas
        come through the workshop's board room."""
        payload(data)
        return other_boards.for_participant(current_participant())

    @acknowledged(shed=True)
    def on_item_propose(self, data):
        """Propose a barrier or enabler; broadcasts `items:upserted`."""
        return propose_item(current_participant(), data)

    @acknowledged(shed=True, grouped=True)
    def on_vote_cast(self, data):
        """Place (delta 1) or take back (delta -1) a dot; the participant's other
        connections get `vote:mine`; results follow, coalesced. Returns the job that
        votes: it shares a transaction with the votes arriving together."""
        participant_id, session_id = current_participant_ids()
        vote = payload(data)
        return lambda: cast_vote(participant_id, session_id, vote)

    @acknowledged(shed=True, grouped=True)
    def on_sdg_pick(self, data):
        """Pick or unpick an SDG for an axis; `sdg:mine` to the participant's connections.
        Returns the job, as `vote:cast` does: it shares a transaction."""
        participant_id, session_id = current_participant_ids()
        pick = payload(data)
        return lambda: voting.pick_by(participant_id, session_id, pick)
