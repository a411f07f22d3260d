"""Events a workshop's facilitators send for participants without a device: enter one
into a session, then act for them. Each `proxy:*` event carries `participant_id` (someone
a facilitator of the workshop entered) and the payload of the participant's own event, and
runs that event's own body (sockets/participant.py) as that participant: same rules,
budget and limits, same broadcasts. Every ack adds the participant's `state` (dots left,
picks, own initiatives and proposals) for the console to show."""

from ..broadcast import names_shown
from ..extensions import db
from ..models import Session
from ..services import proxy, workshops
from . import participant as own
from .common import acknowledged, current_facilitator, payload


def _names(session_id):
    return names_shown(db.session.get(Session, session_id).workshop, facilitator=True)


def _entered(data):
    """(participant, their event's payload) for a `proxy:*` event; not_found unless the
    caller runs the workshop of a participant a facilitator entered."""
    data = payload(data)
    participant = proxy.entered_for(current_facilitator(), data.get("participant_id"))
    return participant, {k: v for k, v in data.items() if k != "participant_id"}


def _with_state(participant, body):
    return {**body, "state": proxy.state(participant, _names(participant.session_id))}


class ProxyEvents:
    @acknowledged
    def on_participant_enter(self, data):
        """Enter a participant into a session on their behalf; `participant:joined` to the
        facilitators and room screens, as when someone joins."""
        data = payload(data)
        session = workshops.session_for(current_facilitator(), data.get("session_id"))
        fields = {k: data.get(k) for k in ("display_name", "organisation", "country")}
        entered = proxy.enter(current_facilitator(), session, fields)
        return {"participant": proxy.to_data(entered, _names(session.id))}

    @acknowledged
    def on_proxy_list(self, data):
        """The participants facilitators entered into a session. Read only."""
        session = workshops.session_for(current_facilitator(), payload(data).get("session_id"))
        names = _names(session.id)
        return {
            "session_id": session.id,
            "participants": [proxy.to_data(p, names) for p in proxy.entered_in(session)],
        }

    @acknowledged
    def on_proxy_state(self, data):
        """An entered participant's state, as their own page would show it. Read only."""
        participant, _ = _entered(data)
        return {"state": proxy.state(participant, _names(participant.session_id))}

    @acknowledged
    def on_proxy_initiative_post(self, data):
        """`initiative:post` for an entered participant; broadcasts `initiative:upserted`."""
        participant, body = _entered(data)
        return _with_state(participant, own.post_initiative(participant, body))

    @acknowledged
    def on_proxy_initiative_withdraw(self, data):
        """`initiative:withdraw` for an entered participant; `initiative:withdrawn`."""
        participant, body = _entered(data)
        return _with_state(participant, own.withdraw_initiative(participant, body))

    @acknowledged
    def on_proxy_item_propose(self, data):
        """`item:propose` for an entered participant; broadcasts `items:upserted`."""
        participant, body = _entered(data)
        return _with_state(participant, own.propose_item(participant, body))

    @acknowledged
    def on_proxy_vote_cast(self, data):
        """`vote:cast` for an entered participant (delta -1 takes a dot back); results
        follow, coalesced, as for any vote."""
        participant, body = _entered(data)
        done = own.cast_vote(participant.id, participant.session_id, body)
        return _with_state(participant, done)

    @acknowledged
    def on_proxy_sdg_pick(self, data):
        """`sdg:pick` for an entered participant (`picked` false unpicks)."""
        participant, body = _entered(data)
        return _with_state(participant, own.pick_sdg(participant, body))
