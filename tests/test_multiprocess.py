"""Two app processes (eventlet) on PostgreSQL and Redis, with nginx in front.

Clients reach each process directly and through nginx, over WebSocket and long-polling. What
one process does, clients of the other see live: posts, phase changes with a countdown, merges
in the combined ranking; and one participant voting through both processes at once never gets
more dots than the budget.
"""

import datetime as dt
import itertools
import random
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
from cluster import Cluster
from realserver import (
    bilingual_workshop,
    connect_facilitator,
    connect_participant,
    create_facilitator,
    join,
    open_phase,
)
from realserver_votes import (
    acknowledged_once,
    add_item,
    call_concurrently,
    open_voting,
    participant_id,
    set_voting_rules,
    stored_dots,
    stored_votes,
)
from services import need

pytestmark = pytest.mark.realserver

_titles = itertools.count(1)
DOTS, PER_ITEM = 5, 2


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Redis, PostgreSQL, two eventlet app processes and nginx, all on loopback."""
    # the per-connection event limit would refuse most of the vote burst below: it is
    # raised here, the budget under contention is what this module checks
    relaxed = {"SOCKET_EVENTS_PER_SECOND": "10000", "SOCKET_EVENT_BURST": "100000"}
    running = need(Cluster(tmp_path_factory.mktemp("cluster"), processes=2, env=relaxed).start)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def facilitator(cluster):
    """The first facilitator, through the setup link the first process printed."""
    return create_facilitator(cluster.servers[0])


@pytest.fixture
def closing():
    """Live clients to close after the test."""
    clients = []
    yield clients
    for client in clients:
        client.close()


def watching(server, facilitator, workshop_id, closing):
    """A facilitator dashboard connected to `server`, watching the workshop."""
    watcher = connect_facilitator(server, facilitator)
    closing.append(watcher)
    watched = watcher.call("workshop:watch", {"workshop_id": workshop_id})
    assert watched.get("ok"), watched
    return watcher


def titles(client):
    return [m["initiative"]["title"] for m in client.received("initiative:upserted")]


def test_a_post_through_any_door_is_seen_live_by_clients_of_every_process(
    cluster, facilitator, closing
):
    a, b = cluster.servers
    front = cluster.front
    workshop_id, sessions = bilingual_workshop(a, facilitator, f"Posts {next(_titles)}")
    en, es = sessions["en"], sessions["es"]
    watcher = watching(b, facilitator, workshop_id, closing)
    open_phase(watcher, [en.id, es.id])

    doors = {  # name: (where the participant joins and connects, transport)
        "a-websocket": (a, "websocket"),
        "b-polling": (b, "polling"),
        "nginx-websocket": (front, "websocket"),
        "nginx-polling": (front, "polling"),
    }
    clients = {}
    for n, (name, (server, transport)) in enumerate(doors.items()):
        who = join(server, en, f"P{n}")
        clients[name] = connect_participant(server, who, transports=[transport])
        closing.append(clients[name])
        assert clients[name].transport == transport
    spanish = connect_participant(b, join(b, es, "Eva"))
    closing.append(spanish)

    acks = {}
    for name, sender in clients.items():
        title = f"From {name}"
        payload = {"client_id": name, "title": title, "axis": "mobility", "sdgs": [11]}
        acks[name] = sender.call("initiative:post", payload)
        assert acks[name].get("ok") and acks[name]["created"], acks[name]
        for client in [*clients.values(), watcher, spanish]:
            assert client.wait_for(lambda c, t=title: t in titles(c)), (name, titles(client))

    # every client saw every post once, with the seq its ack carried, whatever process
    # handled it; the Spanish session's participant saw each once as the English session's
    # (the other groups' initiatives), with the English seq
    expected = {f"From {name}": ack["seq"] for name, ack in acks.items()}
    for client in [*clients.values(), watcher]:
        seen = {m["initiative"]["title"]: m["seq"] for m in client.received("initiative:upserted")}
        assert seen == expected
        assert len(client.received("initiative:upserted")) == len(expected)
    other = spanish.received("initiative:upserted")
    assert {m["initiative"]["title"]: m["seq"] for m in other} == expected
    assert len(other) == len(expected) and {m["session_id"] for m in other} == {en.id}
    stored = cluster.query("SELECT title FROM initiatives WHERE session_id = ?", (en.id,))
    assert sorted(t for (t,) in stored) == sorted(expected)


def fire(connections, items, threads_per_connection=6, calls_per_thread=20, distinct=120):
    """Threads on both connections (one per process) send votes at once; a third of the
    calls are sent again, at once, through the other process, as a client that lost its
    ack and reconnected elsewhere would. Returns [(payload, ack)]."""
    jobs = [(n, t) for n in range(len(connections)) for t in range(threads_per_connection)]
    start = threading.Barrier(len(jobs))

    def planned(k):
        # neighbouring ids share an item, a third of them take a dot back: the budget
        # fills, frees and fills again, so the last dots are raced for many times
        delta = -1 if k % 3 == 2 else 1
        return {"client_id": f"vote-{k}", "item_id": items[(k // 2) % len(items)], "delta": delta}

    def work(index):
        mine, _ = jobs[index]
        other = connections[(mine + 1) % len(connections)]
        rng = random.Random(index)
        start.wait(timeout=30)
        sent = []
        for _ in range(calls_per_thread):
            payload = planned(rng.randrange(distinct))
            if rng.random() < 0.3:
                with ThreadPoolExecutor(max_workers=2) as both:
                    answers = list(
                        both.map(
                            lambda c, p=payload: call_concurrently(c, "vote:cast", p),
                            [connections[mine], other],
                        )
                    )
                sent += [(payload, ack) for ack in answers]
            else:
                sent.append((payload, call_concurrently(connections[mine], "vote:cast", payload)))
        return sent

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return [pair for sent in pool.map(work, range(len(jobs))) for pair in sent]


def test_one_participant_voting_through_both_processes_never_exceeds_the_budget(
    cluster, facilitator, closing
):
    a, b = cluster.servers
    workshop_id, sessions = bilingual_workshop(a, facilitator, f"Votes {next(_titles)}")
    en = sessions["en"]
    watcher = watching(a, facilitator, workshop_id, closing)
    items = [add_item(watcher, en, f"item-{n}", f"Barrier {n}") for n in range(4)]
    set_voting_rules(watcher, workshop_id, dots=DOTS, per_item=PER_ITEM)
    open_voting(watcher, [en])
    who = join(a, en, "Bo")
    voter = participant_id(a, who)
    connections = [
        connect_participant(a, who, transports=["websocket"]),
        connect_participant(b, who, transports=["polling"]),
    ]
    closing.extend(connections)

    sent = fire(connections, items)

    created, once = acknowledged_once(sent)

    # the ledger in PostgreSQL, in commit order: within the budget at every step
    rows = stored_votes(a, voter)
    stored_ids = [client_id for *_, client_id in rows]
    assert len(stored_ids) == len(set(stored_ids)), "a replayed vote was stored twice"
    assert set(stored_ids) == set(once), "stored and acknowledged votes differ"
    total, per_unit = 0, defaultdict(int)
    for _id, item_id, group_id, delta, _client_id in rows:
        total += delta
        per_unit[group_id or item_id] += delta
        assert 0 <= total <= DOTS, rows
        assert 0 <= per_unit[group_id or item_id] <= PER_ITEM, rows
    assert stored_dots(a, voter) == total == sum(p["delta"] for p in created)
    assert 0 <= total <= DOTS

    # both processes tell the participant the same state, and both connections heard of
    # every stored vote (the other process's through Redis)
    for client in connections:
        snapshot = client.call("session:snapshot", {})
        assert snapshot["votes"]["dots_left"] == {"all": DOTS - total}
        assert client.wait_for(lambda c: len(c.received("vote:mine")) >= len(created))
        assert len(client.received("vote:mine")) == len(created)


def parse_time(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_phase_change_with_a_countdown_shows_on_clients_of_the_other_process(
    cluster, facilitator, closing
):
    a, b = cluster.servers
    workshop_id, sessions = bilingual_workshop(b, facilitator, f"Phases {next(_titles)}")
    en = sessions["en"]
    driver = watching(a, facilitator, workshop_id, closing)
    dashboard = watching(b, facilitator, workshop_id, closing)
    on_b = connect_participant(b, join(b, en, "Bo"), transports=["websocket"])
    cy = join(cluster.front, en, "Cy")
    via_nginx = connect_participant(cluster.front, cy, transports=["polling"])
    closing.extend([on_b, via_nginx])

    ack = driver.call("session:set_phase", {"session_id": en.id, "phase": "voting", "minutes": 5})
    assert ack.get("ok") and ack["ends_at"], ack
    countdown = parse_time(ack["ends_at"]) - parse_time(ack["server_now"])
    assert dt.timedelta(minutes=5) - countdown < dt.timedelta(seconds=1)
    change = {k: ack[k] for k in ("session_id", "phase", "ends_at", "seq")}
    for client in (on_b, via_nginx, dashboard):
        assert client.wait_for(lambda c: c.received("session:phase")), client.server.url
        (message,) = client.received("session:phase")
        assert {k: message[k] for k in change} == change

    # the other process reads the same phase and countdown from the database
    snapshot = on_b.call("session:snapshot", {})
    assert (snapshot["phase"], snapshot["ends_at"], snapshot["seq"]) == (
        "voting",
        ack["ends_at"],
        ack["seq"],
    )

    # and the countdown is cleared through the other process just as well
    cleared = dashboard.call("session:set_phase", {"session_id": en.id, "phase": "results"})
    assert cleared.get("ok") and cleared["ends_at"] is None, cleared
    for client in (on_b, via_nginx, driver):
        assert client.wait_for(lambda c: len(c.received("session:phase")) >= 2)
        assert client.received("session:phase")[-1]["phase"] == "results"
        assert client.received("session:phase")[-1]["ends_at"] is None


def ranking(results, where="combined"):
    rankings = results["rankings"]
    chosen = rankings["combined"] if where == "combined" else rankings["sessions"][str(where)]
    return {u["key"]: u for u in chosen["barrier"]}


def test_merges_through_one_process_show_in_the_combined_ranking_from_the_other(
    cluster, facilitator, closing
):
    a, b = cluster.servers
    workshop_id, sessions = bilingual_workshop(a, facilitator, f"Merges {next(_titles)}")
    en, es = sessions["en"], sessions["es"]
    on_a = watching(a, facilitator, workshop_id, closing)
    on_b = watching(b, facilitator, workshop_id, closing)
    english = add_item(on_a, en, "a", "Slow procurement")
    spanish = add_item(on_a, es, "b", "Compras públicas lentas")
    lone = add_item(on_a, en, "c", "Data silos")
    set_voting_rules(on_a, workshop_id, dots=DOTS, per_item=PER_ITEM)
    open_voting(on_a, [en, es])
    bo = connect_participant(b, join(a, en, "Bo"))
    eva = connect_participant(cluster.front, join(cluster.front, es, "Eva"), transports=["polling"])
    closing.extend([bo, eva])

    merged = on_a.call("item:merge", {"workshop_id": workshop_id, "item_ids": [english, spanish]})
    assert merged.get("ok"), merged
    group = merged["items"][0]["unit"]
    assert group.startswith("g") and {i["unit"] for i in merged["items"]} == {group}
    # the participant connected to the other process is told of the merge
    assert bo.wait_for(
        lambda c: any(
            i["id"] == english and i["unit"] == group
            for m in c.received("items:upserted")
            for i in m["items"]
        )
    )

    votes = [(bo, english), (bo, english), (bo, lone), (eva, spanish)]
    for n, (client, item_id) in enumerate(votes):
        ack = client.call("vote:cast", {"client_id": f"v{n}", "item_id": item_id, "delta": 1})
        assert ack.get("ok") and ack["created"], ack
    expected = {group: 3, f"i{lone}": 1}

    def shown(results):
        return {key: unit["dots"] for key, unit in ranking(results).items()}

    # live: the coalesced results, whichever process computed them, reach B's dashboard
    assert on_b.wait_for(
        lambda c: (
            c.received("workshop:results") and shown(c.received("workshop:results")[-1]) == expected
        )
    ), [shown(r) for r in on_b.received("workshop:results")]
    # on demand: process B computes the same ranking from PostgreSQL
    fresh = watching(b, facilitator, workshop_id, closing)
    results = fresh.call("workshop:watch", {"workshop_id": workshop_id})["results"]
    assert shown(results) == expected
    unit = ranking(results)[group]
    assert [(t["lang"], t["text"]) for t in unit["texts"]] == [
        ("en", "Slow procurement"),
        ("es", "Compras públicas lentas"),
    ]
    assert unit["rank"] == 1
    assert ranking(results, en.id)[group]["dots"] == 2
    assert ranking(results, es.id)[group]["dots"] == 1
    stored = cluster.query(
        "SELECT COALESCE(SUM(v.delta), 0) FROM votes v JOIN items i ON i.id = v.item_id"
        " WHERE i.group_id = ?",
        (int(group[1:]),),
    )
    assert stored == [(3,)]
