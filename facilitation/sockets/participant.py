"""Events participants send. Each answers through its ack after commit, then broadcasts."""

from .. import live
from ..extensions import db
from ..models import Session
from ..services import initiatives, items, voting
from .common import (
    acknowledged,
    current_participant,
    current_participant_ids,
    payload,
    shed_when_busy,
    without_author,
)


class ParticipantEvents:
    @acknowledged
    @shed_when_busy
    def on_initiative_post(self, data):
        """Post an initiative; broadcasts `initiative:upserted`."""
        participant = current_participant()
        item, seq, created = initiatives.post(participant, payload(data))
        if created:
            announce_initiative("initiative:upserted", item, seq, {"initiative": item})
        workshop = db.session.get(Session, participant.session_id).workshop
        return {"initiative": without_author(item, workshop, False), "seq": seq, "created": created}

    @acknowledged
    @shed_when_busy
    def on_initiative_edit(self, data):
        """Edit one's own initiative; broadcasts `initiative:upserted`."""
        participant = current_participant()
        item, seq = initiatives.edit(participant, payload(data))
        announce_initiative("initiative:upserted", item, seq, {"initiative": item})
        workshop = db.session.get(Session, participant.session_id).workshop
        return {"initiative": without_author(item, workshop, False), "seq": seq}

    @acknowledged
    @shed_when_busy
    def on_initiative_withdraw(self, data):
        """Withdraw one's own initiative; broadcasts `initiative:withdrawn`."""
        item, seq, changed = initiatives.withdraw(current_participant(), payload(data))
        if changed:
            announce_initiative("initiative:withdrawn", item, seq, {"id": item["id"]})
        return {"id": item["id"], "seq": seq}

    @acknowledged
    @shed_when_busy
    def on_item_propose(self, data):
        """Propose a barrier or enabler; broadcasts `items:upserted`."""
        changed, plan = items.propose(current_participant(), payload(data))
        announce_items(changed, plan)
        return {"item": items.for_participants(changed[0]), "created": bool(plan)}

    @acknowledged
    @shed_when_busy
    def on_vote_cast(self, data):
        """Place (delta 1) or take back (delta -1) a dot; the participant's other
        connections get `vote:mine`; results follow, coalesced."""
        participant_id, session_id = current_participant_ids()
        done = voting.cast_by(participant_id, session_id, payload(data))
        if done.created:
            live.to_participant(participant_id, "vote:mine", done.votes)
            live.results_changed(done.workshop_id)
        return {"votes": done.votes, "created": done.created}

    @acknowledged
    @shed_when_busy
    def on_sdg_pick(self, data):
        """Pick or unpick an SDG for an axis; `sdg:mine` to the participant's connections."""
        participant = current_participant()
        mine = voting.pick(participant, payload(data))
        live.to_participant(participant.id, "sdg:mine", mine)
        live.results_changed(_workshop_id(participant.session_id))
        return mine


def _workshop_id(session_id):
    return db.session.get(Session, session_id).workshop_id


def announce_initiative(event, item, seq, body):
    """Send an initiative delta to its session's participants and to the facilitators,
    each with the author only where the anonymity setting allows."""
    session = db.session.get(Session, item["session_id"])
    workshop = session.workshop
    board_counts = initiatives.counts(session.id)  # boards show sizes beyond their pages
    for facilitator in (False, True):
        shown = dict(body)
        if "initiative" in body:
            shown["initiative"] = without_author(body["initiative"], workshop, facilitator)
        message = {"session_id": session.id, "seq": seq, **shown, **board_counts}
        if facilitator:
            live.to_facilitators(workshop.id, event, message)
        else:
            live.to_participants(session.id, event, message)
    live.results_changed(workshop.id)


def announce_items(changed, plan):
    """Send changed items to every session that shows them, and to the facilitators."""
    if not plan:
        return
    workshop_id = changed[0].session.workshop_id
    for session_id, seq in plan.items():
        visible = {i.id for i in items.visible_items(session_id)}
        shown = [items.for_participants(i) for i in changed]
        shown = [i if i["id"] in visible else {**i, "hidden": True, "text": ""} for i in shown]
        live.to_participants(
            session_id, "items:upserted", {"session_id": session_id, "seq": seq, "items": shown}
        )
        live.to_facilitators(
            workshop_id,
            "items:upserted",
            {
                "session_id": session_id,
                "seq": seq,
                "items": [items.for_facilitators(i) for i in changed],
            },
        )
    live.results_changed(workshop_id)
