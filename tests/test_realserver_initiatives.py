"""Dynamic one against the real server: `python app.py` (eventlet) driven by real clients.

What Flask-SocketIO's test client cannot show: real transports, concurrent posts from many
connections, rooms that keep sessions apart, the origin check, and a process restart.
"""

import itertools
import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import socketio
from realserver import (
    RealServer,
    bilingual_workshop,
    connect_facilitator,
    connect_participant,
    create_facilitator,
    join,
    open_phase,
)

from facilitation.domain.taxonomy import taxonomy

pytestmark = pytest.mark.realserver

PER_SESSION = 10
POSTS_EACH = 3
_titles = itertools.count(1)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real app in eventlet mode on a free port, with its own SQLite file."""
    running = RealServer(tmp_path_factory.mktemp("realserver"), async_mode="eventlet").start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def facilitator(server):
    """The first facilitator, created through the printed one-time setup link."""
    return create_facilitator(server)


@pytest.fixture
def workshop(server, facilitator):
    """A fresh en + es workshop with initiatives open, watched by the facilitator's client."""
    workshop_id, sessions = bilingual_workshop(server, facilitator, f"Workshop {next(_titles)}")
    watcher = connect_facilitator(server, facilitator)
    watched = watcher.call("workshop:watch", {"workshop_id": workshop_id})
    assert watched.get("ok"), watched
    open_phase(watcher, [s.id for s in sessions.values()])
    yield {"id": workshop_id, "sessions": sessions, "watcher": watcher}
    watcher.close()


def crowd(server, sessions, size, **options):
    """`size` joined and connected participants per session: {language: [(who, client)]}."""
    people = {}
    for language, session in sessions.items():
        people[language] = []
        for n in range(size):
            who = join(server, session, f"{language}-{n}", organisation=f"City {n}")
            people[language].append((who, connect_participant(server, who, **options)))
    return people


def close_all(people):
    for pairs in people.values():
        for _, client in pairs:
            client.close()


def payload(rng, who, k):
    tax = taxonomy()
    return {
        "client_id": f"{who.name}-{k}",
        "title": f"{who.name} practice {k}",
        "description": "Shared in a live test.",
        "axis": rng.choice(tax.axis_codes),
        "sdgs": rng.sample(tax.sdg_numbers, rng.randint(1, 3)),
    }


def post_concurrently(people, posts_each):
    """Every participant posts `posts_each` initiatives at once, each from its own thread.

    Returns (sent payload, ack) pairs per language, in no particular order.
    """
    pairs = [(language, who, client) for language, ps in people.items() for who, client in ps]
    start = threading.Barrier(len(pairs))

    def work(index):
        language, who, client = pairs[index]
        rng = random.Random(index)
        start.wait(timeout=30)
        out = []
        for k in range(posts_each):
            sent = payload(rng, who, k)
            out.append((sent, client.call("initiative:post", sent)))
        return language, out

    results = {language: [] for language in people}
    with ThreadPoolExecutor(max_workers=len(pairs)) as pool:
        for language, out in pool.map(work, range(len(pairs))):
            results[language].extend(out)
    return results


def upserted_ids(client):
    return [m["initiative"]["id"] for m in client.received("initiative:upserted")]


# tallies as Counters of the non-zero counts, so the server's zero-filled tables compare


def tally_of(result):
    """A `workshop:results` tally reduced to Counters; JSON made the SDG keys strings."""
    return {
        "initiatives": result["initiatives"],
        "axes": +Counter(result["axes"]),
        "sdgs": +Counter({int(n): c for n, c in result["sdgs"].items()}),
        "matrix": +Counter(
            {(a, int(n)): c for a, row in result["matrix"].items() for n, c in row.items()}
        ),
    }


def empty_tally():
    return {"initiatives": 0, "axes": Counter(), "sdgs": Counter(), "matrix": Counter()}


def add_tally(total, part):
    total["initiatives"] += part["initiatives"]
    for key in ("axes", "sdgs", "matrix"):
        total[key].update(part[key])
    return total


def db_tallies(server, session_ids):
    """Counts straight from the SQLite file: {session_id: tally}, withdrawn ones left out."""
    marks = ",".join("?" * len(session_ids))
    live = f"i.withdrawn_at IS NULL AND i.session_id IN ({marks})"
    tallies = {sid: empty_tally() for sid in session_ids}
    for sid, axis, n in server.query(
        f"SELECT i.session_id, i.axis, COUNT(*) FROM initiatives i WHERE {live}"  # noqa: S608
        " GROUP BY i.session_id, i.axis",
        session_ids,
    ):
        tallies[sid]["initiatives"] += n
        tallies[sid]["axes"][axis] += n
    for sid, axis, sdg, n in server.query(
        "SELECT i.session_id, i.axis, s.sdg, COUNT(*) FROM initiatives i"  # noqa: S608
        f" JOIN initiative_sdgs s ON s.initiative_id = i.id WHERE {live}"
        " GROUP BY i.session_id, i.axis, s.sdg",
        session_ids,
    ):
        tallies[sid]["sdgs"][sdg] += n
        tallies[sid]["matrix"][(axis, sdg)] += n
    return tallies


def sent_tally(items):
    """What the test itself sent and had acknowledged, as a tally."""
    total = empty_tally()
    for item in items:
        total["initiatives"] += 1
        total["axes"][item["axis"]] += 1
        for n in item["sdgs"]:
            total["sdgs"][n] += 1
            total["matrix"][(item["axis"], n)] += 1
    return total


def results_view(message, session_ids):
    return {
        "combined": tally_of(message["combined"]),
        "sessions": {sid: tally_of(message["sessions"][str(sid)]) for sid in session_ids},
    }


def db_view(server, session_ids):
    per_session = db_tallies(server, session_ids)
    combined = empty_tally()
    for part in per_session.values():
        add_tally(combined, part)
    return {"combined": combined, "sessions": per_session}


def latest_results(watcher):
    messages = watcher.received("workshop:results")
    return messages[-1] if messages else None


def test_concurrent_posts_reach_both_groups_as_their_session_and_results_match_the_database(
    server, workshop
):
    sessions = workshop["sessions"]
    session_ids = [s.id for s in sessions.values()]
    watcher = workshop["watcher"]
    people = crowd(server, sessions, PER_SESSION)
    try:
        sent = post_concurrently(people, POSTS_EACH)

        acked = {}
        for language, pairs in sent.items():
            for item, ack in pairs:
                assert ack.get("ok") and ack["created"], (item, ack)
                assert ack["initiative"]["session_id"] == sessions[language].id
            ids = [ack["initiative"]["id"] for _, ack in pairs]
            assert len(set(ids)) == PER_SESSION * POSTS_EACH
            # every post got its own place in the session's sequence
            seqs = [ack["seq"] for _, ack in pairs]
            assert len(set(seqs)) == len(seqs), sorted(seqs)
            acked[language] = set(ids)
        assert not acked["en"] & acked["es"]

        for language, pairs in people.items():
            other = "es" if language == "en" else "en"
            for who, client in pairs:
                everyone = acked["en"] | acked["es"]
                client.wait_for(lambda c, every=everyone: every <= set(upserted_ids(c)))
                by_session = {}
                for m in client.received("initiative:upserted"):
                    by_session.setdefault(m["session_id"], []).append(m["initiative"]["id"])
                own = by_session.get(sessions[language].id, [])
                assert set(own) == acked[language], f"{who.name} missed its session's posts"
                assert len(own) == len(set(own)), f"{who.name} got a post twice"
                # the other group's posts come too, as that session's ("From the other
                # groups" on the phone), each once
                theirs = by_session.get(sessions[other].id, [])
                assert set(theirs) == acked[other] and len(theirs) == len(set(theirs))
                assert set(by_session) == {sessions[language].id, sessions[other].id}

        # one withdrawal per session, and one retried client id that must not duplicate
        withdrawn = {}
        for language, pairs in people.items():
            who, client = pairs[0]
            first = next(
                ack for item, ack in sent[language] if item["client_id"] == f"{who.name}-0"
            )
            retry = client.call("initiative:post", payload(random.Random(), who, 0))
            assert retry.get("ok") and retry["created"] is False, retry
            assert retry["initiative"]["id"] == first["initiative"]["id"]
            gone = client.call("initiative:withdraw", {"id": first["initiative"]["id"]})
            assert gone.get("ok"), gone
            withdrawn[language] = first["initiative"]["id"]
        for language, pairs in people.items():
            for _, client in pairs:
                assert client.wait_for(
                    lambda c, lang=language: any(
                        m["id"] == withdrawn[lang] for m in c.received("initiative:withdrawn")
                    )
                )

        rows = server.query(
            "SELECT COUNT(*) FROM initiatives WHERE session_id IN (?, ?)", session_ids
        )
        assert rows[0][0] == 2 * PER_SESSION * POSTS_EACH, "a retried client id was stored twice"

        expected = db_view(server, session_ids)
        for language, pairs in sent.items():
            kept = [item for item, ack in pairs if ack["initiative"]["id"] != withdrawn[language]]
            assert expected["sessions"][sessions[language].id] == sent_tally(kept)
        assert expected["combined"]["initiatives"] == 2 * (PER_SESSION * POSTS_EACH - 1)

        # result broadcasts are coalesced: wait for the one that reflects the last change
        watcher.wait_for(
            lambda c: (
                latest_results(c) is not None
                and results_view(latest_results(c), session_ids) == expected
            )
        )
        assert results_view(latest_results(watcher), session_ids) == expected
        # the facilitator also sits in both session rooms and saw every post once
        seen = Counter(upserted_ids(watcher))
        assert set(seen) == acked["en"] | acked["es"] and set(seen.values()) == {1}
    finally:
        close_all(people)


def test_acknowledged_posts_survive_a_restart(server, facilitator, workshop):
    sessions = workshop["sessions"]
    session_ids = [s.id for s in sessions.values()]
    people = crowd(server, sessions, 4)
    try:
        sent = post_concurrently(people, 2)
    finally:
        close_all(people)
    workshop["watcher"].close()
    acked = {}
    for language, pairs in sent.items():
        assert all(ack.get("ok") for _, ack in pairs), pairs
        acked[language] = {ack["initiative"]["id"]: ack for _, ack in pairs}
    before = db_view(server, session_ids)

    server.restart()

    # the database holds every acknowledged initiative, as acknowledged
    for language, by_id in acked.items():
        marks = ",".join("?" * len(by_id))
        rows = server.query(
            f"SELECT id, session_id, title, axis FROM initiatives WHERE id IN ({marks})",  # noqa: S608
            list(by_id),
        )
        stored = {row[0]: row[1:] for row in rows}
        assert stored == {
            i: (sessions[language].id, a["initiative"]["title"], a["initiative"]["axis"])
            for i, a in by_id.items()
        }
    assert db_view(server, session_ids) == before

    # returning participants (same cookies) get it all back in a snapshot
    for language, pairs in people.items():
        who, _ = pairs[0]
        client = connect_participant(server, who)
        try:
            snapshot = client.call("session:snapshot", {})
            assert snapshot.get("ok"), snapshot
            board = {item["id"]: item for item in snapshot["initiatives"]}
            assert set(board) == set(acked[language])
            for i, ack in acked[language].items():
                assert board[i]["sdgs"] == ack["initiative"]["sdgs"]
                assert board[i]["author"] == ack["initiative"]["author"]
            assert snapshot["phase"] == "initiatives"
            assert snapshot["seq"] >= max(a["seq"] for a in acked[language].values())

            # a retry after the restart still finds the first result, not a duplicate
            retry = client.call("initiative:post", payload(random.Random(), who, 0))
            assert retry.get("ok") and retry["created"] is False, retry
            # the sequence goes on from the database, not from zero
            fresh = client.call("initiative:post", payload(random.Random(), who, 99))
            assert fresh.get("ok") and fresh["created"], fresh
            assert fresh["seq"] == snapshot["seq"] + 1
        finally:
            client.close()

    # the facilitator's cookie still works and the results agree with the database
    watcher = connect_facilitator(server, facilitator)
    try:
        watched = watcher.call("workshop:watch", {"workshop_id": workshop["id"]})
        assert watched.get("ok"), watched
        expected = db_view(server, session_ids)
        assert expected["combined"]["initiatives"] == before["combined"]["initiatives"] + 2
        assert results_view(watched["results"], session_ids) == expected
    finally:
        watcher.close()


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_a_foreign_origin_is_refused(server, workshop, transport):
    who = join(server, workshop["sessions"]["en"], "Mallory")
    with pytest.raises(socketio.exceptions.ConnectionError):
        connect_participant(server, who, transports=[transport], origin="http://evil.example")
    # the same client from the page's own origin is let in
    client = connect_participant(server, who, transports=[transport], origin=server.url)
    try:
        assert client.call("session:snapshot", {}).get("ok")
    finally:
        client.close()


def test_long_polling_only(server, workshop):
    """Participants behind networks that block WebSockets still post and see posts live."""
    sessions = workshop["sessions"]
    people = crowd(server, {"es": sessions["es"]}, 3, transports=["polling"])
    try:
        clients = [client for _, client in people["es"]]
        assert all(client.transport == "polling" for client in clients)
        sent = post_concurrently(people, 2)
        ids = {ack["initiative"]["id"] for _, ack in sent["es"] if ack.get("ok")}
        assert len(ids) == 6
        for client in clients:
            client.wait_for(lambda c: ids <= set(upserted_ids(c)))
            assert set(upserted_ids(client)) == ids
        snapshot = clients[0].call("session:snapshot", {})
        assert {item["id"] for item in snapshot["initiatives"]} == ids
    finally:
        close_all(people)
