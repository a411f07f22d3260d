"""Participants without a device: a facilitator enters someone into a session on their
behalf, then posts, proposes, votes and picks SDGs for them from the console through the
participants' own services (sockets/proxy.py), under the same rules, budget and limits.

Only a facilitator of the participant's workshop may act for them, and only for someone a
facilitator entered: never for a participant who joined with their own device.
"""

from ..domain.errors import RuleError
from ..domain.phases import Phase
from ..extensions import db
from ..models import Initiative, Item, Participant, Session
from ..schemas import is_id
from . import initiatives, items, participants, voting


def enter(facilitator, session, payload):
    """A new participant of `session` entered by `facilitator` (the join form's fields and
    checks; a closed session takes nobody). Records ParticipantJoined, as a join does."""
    if session.phase == Phase.CLOSED.value:
        raise RuleError("session_closed")
    return participants.add(session, payload, facilitator.id)


def entered_for(facilitator, participant_id):
    """The participant `participant_id` if a facilitator entered them and `facilitator`
    runs their workshop; else RuleError('not_found') (whoever joined with their own device,
    or belongs to another workshop, is not to be acted for)."""
    participant = db.session.get(Participant, participant_id) if is_id(participant_id) else None
    if participant is None or not participant.entered_by_facilitator:
        raise RuleError("not_found")
    session = db.session.get(Session, participant.session_id)
    if facilitator not in session.workshop.facilitators:
        raise RuleError("not_found")
    return participant


def entered_in(session):
    """The participants a facilitator entered into `session`, in the order entered."""
    return (
        Participant.query.filter(
            Participant.session_id == session.id, Participant.entered_by_id.isnot(None)
        )
        .order_by(Participant.id)
        .all()
    )


def to_data(participant, names):
    """A participant entered by a facilitator, as the console lists them; `names` False
    (the workshop's anonymity) leaves the display name out."""
    return {
        "id": participant.id,
        "session_id": participant.session_id,
        "display_name": participant.display_name if names else None,
        "organisation": participant.organisation,
        "country": participant.country,
        "entered_by_facilitator": participant.entered_by_facilitator,
    }


def state(participant, names):
    """What the console shows of an entered participant, as their own page would: their
    dots left and dots per unit, SDG picks and limit, own live initiatives and proposals,
    and the items of their session they may vote on (as participants see them)."""
    session = db.session.get(Session, participant.session_id)
    workshop = session.workshop
    own = (
        Initiative.query.filter(
            Initiative.participant_id == participant.id, Initiative.withdrawn_at.is_(None)
        )
        .order_by(Initiative.id)
        .all()
    )
    proposed = Item.query.filter_by(participant_id=participant.id).order_by(Item.id).all()
    shown = [items.to_data(i, names) for i in items.visible_items(session.id)]
    return {
        "participant": to_data(participant, names),
        "phase": session.phase,
        "votes": voting.my_votes(participant, workshop),
        "picks": {"picks": voting.my_picks(participant.id), "limit": workshop.sdg_limit},
        "initiatives": [initiatives.to_data(i, names) for i in own],
        "proposed": [items.to_data(i, names) for i in proposed],
        "items": shown,
    }
