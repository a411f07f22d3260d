"""A countdown that closes voting at zero, driven through real servers: shared by the
SQLite test (one process) and the PostgreSQL one (two processes)."""

import datetime as dt
import time

from realserver import connect_facilitator, connect_participant, join, wait_until
from realserver_votes import add_item, participant_id, stored_dots

SHORT_MINUTES = 0.02  # 1.2 seconds: the countdown runs out while the test waits


def parse(moment):
    return dt.datetime.fromisoformat(moment.removesuffix("Z"))


def vote(client, item_id, client_id):
    return client.call("vote:cast", {"client_id": client_id, "item_id": item_id, "delta": 1})


def votes_after_zero_are_refused(servers, facilitator, session, closing):
    """Voting opens with a self-closing countdown through the first server; a participant
    of each server sees it, and once it has run out, each server refuses their vote with
    `phase_closed` and stores nothing. One more minute (through the last server) opens
    voting again on both. Returns the participants' connections."""
    first, last = servers[0], servers[-1]
    staff = [connect_facilitator(s, facilitator) for s in (first, last)]
    closing.extend(staff)
    item = add_item(staff[0], session, "countdown-item", "Slow permits")
    voters = []
    for n, server in enumerate(servers):
        who = join(server, session, f"Voter {n}")
        live = connect_participant(server, who)
        closing.append(live)
        voters.append((server, who, live))

    change = {"session_id": session.id, "phase": "voting", "minutes": SHORT_MINUTES}
    opened = staff[0].call("session:set_phase", {**change, "auto_close": True})
    assert opened.get("ok") and opened["auto_close"] is True, opened
    for _, _, live in voters:  # every process told its participants
        assert live.wait_for(
            lambda c: any(
                m["seq"] == opened["seq"] and m["auto_close"] and m["ends_at"] == opened["ends_at"]
                for m in c.received("session:phase")
            )
        ), live.received("session:phase")

    ends_at = parse(opened["ends_at"])
    assert wait_until(lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None) > ends_at)
    time.sleep(0.05)  # just after zero
    for n, (server, who, live) in enumerate(voters):
        refused = vote(live, item, f"late-{n}")
        assert refused.get("error", {}).get("code") == "phase_closed", (server.url, refused)
        assert stored_dots(server, participant_id(server, who)) == 0

    more = staff[-1].call("session:countdown", {"session_id": session.id, "action": "add_minute"})
    assert more.get("ok") and parse(more["ends_at"]) > ends_at, more
    for n, (server, who, live) in enumerate(voters):
        accepted = vote(live, item, f"again-{n}")
        assert accepted.get("ok") and accepted["created"], (server.url, accepted)
        assert stored_dots(server, participant_id(server, who)) == 1
    return voters
