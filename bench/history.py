"""History: does posting slow down as a session's board grows?

For each size (default 100 and 100,000), a fresh app process gets a session already holding
that many initiatives (bulk-inserted into its database); one participant then posts
`--posts` initiatives at `--rate` per second, each waiting for its acknowledgement, while
another participant of the session listens. Prints the per-post latency (acknowledgement
round trip) for each size and the ratio of the largest size to the smallest. It also times
one full snapshot, what a participant's page loads when it (re)connects.

    python bench/history.py --sizes 100,100000 --posts 40
"""

import argparse
import datetime as dt
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

import harness
import socketio
import sqlalchemy as sa
from harness import TABLES, ms, percentile

from facilitation.services import initiative_counts

NS = "/live"
AXES = ["economy", "mobility", "environment", "citizenship", "quality", "governance"]
AUTHORS = 200


def fill(url, session_id, authors, size, batch=5000):
    """`size` initiatives (two SDGs each) by `authors`, as if posted earlier."""
    engine = harness.engine_for(url)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rng = random.Random(size)
    initiatives, sdgs = TABLES["initiatives"], TABLES["initiative_sdgs"]
    try:
        for start in range(0, size, batch):
            rows = [
                {
                    "session_id": session_id,
                    "participant_id": authors[n % len(authors)],
                    "client_id": f"history-{n}",
                    "title": f"Existing initiative {n}",
                    "description": "A good practice from an earlier round of the workshop. " * 3,
                    "axis": AXES[n % len(AXES)],
                    "link": "",
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(start, min(size, start + batch))
            ]
            with engine.begin() as c:
                c.execute(sa.insert(initiatives), rows)
                ids = c.execute(
                    sa.select(initiatives.c.id)
                    .where(initiatives.c.session_id == session_id)
                    .order_by(initiatives.c.id.desc())
                    .limit(len(rows))
                ).scalars()
                links = []
                for i in ids:
                    first = rng.randint(1, 16)
                    links += [{"initiative_id": i, "sdg": first}, {"initiative_id": i, "sdg": 17}]
                c.execute(sa.insert(sdgs), links)
        with engine.begin() as c:
            sessions = TABLES["sessions"]
            c.execute(sa.update(sessions).where(sessions.c.id == session_id).values(seq=size))
            initiative_counts.rebuild(c, [session_id])
    finally:
        engine.dispose()


def connect(url, cookie, session_id):
    client = socketio.Client(reconnection=False)
    client.connect(
        url,
        namespaces=[NS],
        auth={"session_id": session_id},
        headers={"Cookie": cookie},
        transports=["websocket"],
        wait_timeout=30,
    )
    return client


def measure(size, args, workdir):
    """Post into a session that holds `size` initiatives; returns the figures."""
    servers = harness.AppServers(workdir / str(size), 1, args.mode, args.database).start()
    figures, errors = {"initiatives already there": size}, []
    try:
        seed = harness.seed_workshop(servers.database_url, AUTHORS + 2, phase="initiatives")
        session_id = seed.sessions["en"]
        poster_id, listener_id, *authors = seed.participants["en"]
        started = time.monotonic()
        fill(servers.database_url, session_id, authors, size)
        figures["bulk insert (s)"] = f"{time.monotonic() - started:.1f}"
        url = servers.urls[0]
        poster = connect(url, harness.participant_cookie(session_id, poster_id), session_id)
        listener = connect(url, harness.participant_cookie(session_id, listener_id), session_id)
        heard = []
        arrived = threading.Event()

        def on_post(message):
            if message["initiative"]["title"].startswith("New initiative"):
                heard.append(message["initiative"]["title"])
                arrived.set()

        listener.on("initiative:upserted", on_post, namespace=NS)
        try:
            acks = post(poster, args, errors)
            figures["posts acknowledged"] = len(acks)
            expected = args.posts + 3  # with the warm-up posts
            deadline = time.monotonic() + 10
            while len(heard) < expected and time.monotonic() < deadline:
                arrived.wait(0.1)
                arrived.clear()
            figures["listener heard (with 3 warm-up posts)"] = len(heard)
            for p in (50, 95, 99):
                figures[f"post ack p{p} (ms)"] = ms(percentile(acks, p))
            figures["post ack mean (ms)"] = ms(sum(acks) / len(acks)) if acks else "-"
            figures.update(snapshot(listener, errors))
        finally:
            poster.disconnect()
            listener.disconnect()
    finally:
        servers.stop()
    figures["errors"] = "; ".join(errors) or "none"
    return figures, acks


def post(poster, args, errors):
    """`args.posts` posts at `args.rate` per second, one at a time (after 3 warm-up posts)."""
    acks = []
    start = time.monotonic()
    for k in range(args.posts + 3):
        delay = start + k / args.rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        payload = {
            "client_id": f"new-{k}",
            "title": f"New initiative {k}",
            "description": "Protected bike lanes along the ring road.",
            "axis": AXES[k % len(AXES)],
            "sdgs": [11, 13],
        }
        sent = time.monotonic()
        try:
            ack = poster.call("initiative:post", payload, namespace=NS, timeout=60)
        except socketio.exceptions.TimeoutError:
            errors.append(f"post {k}: no ack within 60 s")
            continue
        took = time.monotonic() - sent
        if not (ack and ack.get("ok")):
            errors.append(f"post {k}: {ack}")
        elif k >= 3:
            acks.append(took)
    return acks


def snapshot(client, errors):
    started = time.monotonic()
    try:
        board = client.call("session:snapshot", {"since_seq": None}, namespace=NS, timeout=120)
    except socketio.exceptions.TimeoutError:
        errors.append("snapshot: no answer within 120 s")
        return {}
    took = time.monotonic() - started
    count = len(board.get("initiatives", []))
    return {
        "snapshot (ms)": ms(took),
        # the snapshot carries the board's newest page (BOARD_PAGE_SIZE) and its size
        "snapshot initiatives": count,
        "board size in the snapshot": board.get("initiatives_total", "-"),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,100000", help="comma list of board sizes")
    parser.add_argument("--posts", type=int, default=40)
    parser.add_argument("--rate", type=float, default=2.0, help="posts per second")
    parser.add_argument("--mode", default="eventlet", choices=["eventlet", "gevent", "threading"])
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgres"])
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    columns, samples = {}, {}
    with tempfile.TemporaryDirectory(prefix="fg-history-") as folder:
        for size in sizes:
            print(f"measuring a board of {size} initiatives ...", flush=True)
            columns[size], samples[size] = measure(size, args, Path(folder))
    print()
    print(f"## History: {args.mode}, {args.database}, {args.posts} posts at {args.rate}/s")
    print()
    print(f"machine: {harness.machine()}")
    print()
    rows = list(dict.fromkeys(r for figures in columns.values() for r in figures))
    print("| figure | " + " | ".join(f"{s:,} initiatives" for s in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    for row in rows:
        print(f"| {row} | " + " | ".join(str(columns[s].get(row, "-")) for s in sizes) + " |")
    small, large = sizes[0], sizes[-1]
    print()
    for p in (50, 95):
        a, b = percentile(samples[large], p), percentile(samples[small], p)
        shown = f"{a / b:.2f}" if a == a and b == b and b > 0 else "-"
        print(f"per-post latency p{p}, {large:,} / {small:,} initiatives: {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
