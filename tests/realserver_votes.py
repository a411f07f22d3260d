"""Helpers for dot voting against the real server, on top of `realserver` (left as it is)."""

import threading
from collections import Counter

from realserver import NAMESPACE, open_phase

# a python-socketio client's emit is not documented as thread safe: sends are serialised
# per client with a lock, while the acknowledgements are awaited in parallel
_send_locks = {}
_send_locks_guard = threading.Lock()


def _send_lock(client):
    with _send_locks_guard:
        return _send_locks.setdefault(id(client), threading.Lock())


def call_concurrently(client, event, data, timeout=30):
    """Like `client.call`, safe to use from many threads on one connection at once."""
    answered = threading.Event()
    answer = []

    def on_ack(*args):
        answer.append(args[0] if args else None)
        answered.set()

    with _send_lock(client):
        client.sio.emit(event, data, namespace=NAMESPACE, callback=on_ack)
    if not answered.wait(timeout):
        raise TimeoutError(f"no acknowledgement for {event} {data}")
    return answer[0]


def participant_id(server, participant):
    """The id the server gave a joined participant (from the SQLite file)."""
    rows = server.query(
        "SELECT id FROM participants WHERE session_id = ? AND display_name = ?",
        (participant.session.id, participant.name),
    )
    assert len(rows) == 1, rows
    return rows[0][0]


def stored_votes(server, participant_id):
    """(id, item_id, group_id, delta, client_id) of a participant's votes, in commit order."""
    return server.query(
        "SELECT v.id, v.item_id, i.group_id, v.delta, v.client_id FROM votes v"
        " JOIN items i ON i.id = v.item_id WHERE v.participant_id = ? ORDER BY v.id",
        (participant_id,),
    )


def stored_dots(server, participant_id):
    """SUM(delta) of a participant's votes, as the brief defines their dots."""
    rows = server.query(
        "SELECT COALESCE(SUM(delta), 0) FROM votes WHERE participant_id = ?", (participant_id,)
    )
    return rows[0][0]


def add_item(facilitator_live, session, client_id, text, kind="barrier"):
    """The facilitator adds a barrier or enabler to a session; returns its id."""
    data = {"session_id": session.id, "client_id": client_id, "text": text, "kind": kind}
    ack = facilitator_live.call("item:add", data)
    assert ack.get("ok"), ack
    return ack["item"]["id"]


def set_voting_rules(facilitator_live, workshop_id, dots, per_item, separate=False):
    data = {"workshop_id": workshop_id, "dots": dots, "per_item": per_item, "separate": separate}
    ack = facilitator_live.call("workshop:set_voting_rules", {**data, "sdg_limit": 3})
    assert ack.get("ok"), ack
    return ack


def open_voting(facilitator_live, sessions):
    return open_phase(facilitator_live, [s.id for s in sessions], phase="voting")


REFUSALS = {"no_dots_left", "item_limit", "no_dot_here"}


def acknowledged_once(sent):
    """Check the answers to a burst of `vote:cast` calls: each is a stored vote, a replay of
    one, or a budget refusal; there was contention; no client id was created twice.
    Returns (created payloads, Counter of created client ids)."""
    created = [payload for payload, ack in sent if ack.get("ok") and ack["created"]]
    replays = [payload for payload, ack in sent if ack.get("ok") and not ack["created"]]
    refused = Counter(ack["error"]["code"] for _, ack in sent if "error" in ack)
    assert len(created) + len(replays) + sum(refused.values()) == len(sent)
    assert set(refused) <= REFUSALS, refused
    assert replays and refused["no_dots_left"] + refused["item_limit"] > 0, "no contention"
    once = Counter(p["client_id"] for p in created)
    assert set(once.values()) == {1}, once.most_common(3)
    return created, once
