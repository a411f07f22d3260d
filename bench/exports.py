"""Export benchmark: time and peak memory of the CSV, XLSX and JSON exports of a large
workshop (and, on request, of the report as Word and PDF). It prints figures and asserts
nothing about them (see docs/performance.md).

    .venv/bin/python bench/exports.py --sizes 1000,10000,50000
    .venv/bin/python bench/exports.py --sizes 100 --votes 2000 --formats pdf,docx

For each size N it seeds a temporary SQLite database with a two-session (en, es) workshop
holding N initiatives, 1,000 participants, 300 barriers and enablers (40 merged across the
languages), 20,000 votes and about 12,000 SDG picks, inserted in bulk with SQLAlchemy core.
Then every format is exported in a fresh Python process (the code path of `flask export`),
which reports its own time and peak RSS (resource.getrusage), so one export's memory never
hides in another's. Seeding runs in a process of its own too: on Linux a child inherits
its parent's peak RSS through fork and exec, so the parent stays small.
"""

import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FORMATS = ("csv", "xlsx", "json", "docx", "pdf")
DEFAULT_FORMATS = ("csv", "xlsx", "json")  # the report's docx and pdf on request: slower
PEOPLE_PER_SESSION = 500
ITEMS_PER_SESSION = 150
MERGED_PAIRS = 40
CHUNK = 5000
VOCABULARY = (
    "open data portal for budgets mobility bike lanes bus rapid transit citizens "
    "participatory budget sensors air quality energy retrofit schools digital skills "
    "procurement innovation lab civic tech library wifi housing green roofs water "
    "reuse circular economy start-ups smart lighting parking tourism culture health "
    "ayuntamiento movilidad participación ciudadana presupuesto energía barrio"
)
WORDS = VOCABULARY.split()


def config(db_path):
    return {
        "SECRET_KEY": "bench",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
        "ASYNC_MODE": "threading",
        "RATELIMIT_ENABLED": False,
    }


def sentence(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def insert(db, model, rows):
    """Bulk insert through SQLAlchemy core, in chunks."""
    from sqlalchemy import insert as core_insert

    for start in range(0, len(rows), CHUNK):
        db.session.execute(core_insert(model.__table__), rows[start : start + CHUNK])


def seed(db_path, size, votes):
    """Create the database and fill it; returns (workshop id, seconds spent, row counts)."""
    from facilitation import create_app
    from facilitation.domain.taxonomy import taxonomy
    from facilitation.extensions import db
    from facilitation.models import (
        Facilitator,
        Initiative,
        InitiativeSdg,
        Item,
        ItemGroup,
        Participant,
        SdgPick,
        Session,
        Vote,
        Workshop,
        workshop_facilitators,
    )
    from facilitation.services import dot_counts, initiative_counts

    started = time.perf_counter()
    rng = random.Random(size)
    axes, sdgs = taxonomy().axis_codes, taxonomy().sdg_numbers
    now = dt.datetime(2026, 5, 10, 9, 0, 0)
    app = create_app(config(db_path))
    with app.app_context():
        db.session.execute(
            db.insert(Facilitator),
            [{"id": 1, "name": "Bench", "email": "bench@example.org", "created_at": now}],
        )
        db.session.execute(
            db.insert(Workshop),
            [
                {
                    "id": 1,
                    "title": f"Benchmark workshop ({size} initiatives)",
                    "date": now.date(),
                    "description": "",
                    "anonymity": "facilitators",
                    "dots": 20,
                    "dots_per_item": 4,
                    "separate_budgets": False,
                    "sdg_limit": 3,
                    "results_to_participants": False,
                    "created_at": now,
                }
            ],
        )
        db.session.execute(
            workshop_facilitators.insert(), [{"workshop_id": 1, "facilitator_id": 1}]
        )
        sessions = [(1, "en", "English group", "ACDEF3"), (2, "es", "Grupo español", "ACDEF4")]
        insert(
            db,
            Session,
            [
                {
                    "id": sid,
                    "workshop_id": 1,
                    "name": name,
                    "language": lang,
                    "join_code": code,
                    "phase": "results",
                    "seq": 0,
                    "created_at": now,
                }
                for sid, lang, name, code in sessions
            ],
        )
        people = {1: [], 2: []}
        rows = []
        for n in range(1, 2 * PEOPLE_PER_SESSION + 1):
            sid = 1 + (n - 1) // PEOPLE_PER_SESSION
            people[sid].append(n)
            rows.append(
                {
                    "id": n,
                    "session_id": sid,
                    "display_name": f"Participant {n}",
                    "organisation": f"City of {sentence(rng, 2)}",
                    "country": rng.choice(["Spain", "Norway", "Italy", "Colombia", "México"]),
                    "lock_version": 0,
                    "created_at": now,
                }
            )
        insert(db, Participant, rows)

        initiatives, links = [], []
        for n in range(1, size + 1):
            sid = 1 + n % 2
            initiatives.append(
                {
                    "id": n,
                    "session_id": sid,
                    "participant_id": rng.choice(people[sid]),
                    "client_id": f"c{n}",
                    "title": sentence(rng, 6)[:120],
                    "description": sentence(rng, 45)[:1000],
                    "axis": rng.choice(axes),
                    "link": f"https://example.org/practice/{n}" if n % 3 == 0 else "",
                    "created_at": now,
                    "updated_at": now,
                    "withdrawn_at": now if n % 50 == 0 else None,
                }
            )
            links.extend(
                {"initiative_id": n, "sdg": s} for s in rng.sample(sdgs, rng.randint(1, 3))
            )
        insert(db, Initiative, initiatives)
        insert(db, InitiativeSdg, links)
        initiative_counts.rebuild(db.session.connection(), [1, 2])

        insert(
            db,
            ItemGroup,
            [{"id": g, "workshop_id": 1, "created_at": now} for g in range(1, MERGED_PAIRS + 1)],
        )
        items, session_items = [], {1: [], 2: []}
        for n in range(1, 2 * ITEMS_PER_SESSION + 1):
            sid = 1 if n <= ITEMS_PER_SESSION else 2
            position = (n - 1) % ITEMS_PER_SESSION
            session_items[sid].append(n)
            by_facilitator = position % 25 == 0
            items.append(
                {
                    "id": n,
                    "session_id": sid,
                    "participant_id": None if by_facilitator else rng.choice(people[sid]),
                    "facilitator_id": 1 if by_facilitator else None,
                    "client_id": f"p{n}",
                    "kind": ("barrier", "enabler")[position % 2],
                    "text": sentence(rng, 12)[:280],
                    "axis": rng.choice((None, *axes)),
                    "hidden": position % 37 == 36,
                    # item k of each session shares group k with its partner
                    "group_id": position + 1 if position < MERGED_PAIRS else None,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        insert(db, Item, items)

        per_person = max(1, votes // (2 * PEOPLE_PER_SESSION))
        ballots, vote_id = [], 0
        for sid, who in people.items():
            for person in who:
                for k in range(per_person):
                    if vote_id >= votes:
                        break
                    vote_id += 1
                    ballots.append(
                        {
                            "id": vote_id,
                            "participant_id": person,
                            "session_id": sid,
                            "item_id": rng.choice(session_items[sid]),
                            "delta": 1,
                            "client_id": f"v{k}",
                            "created_at": now,
                        }
                    )
        insert(db, Vote, ballots)
        dot_counts.rebuild(db.session.connection(), [1, 2])

        picks = []
        for sid, who in people.items():
            for person in who:
                for axis in axes:
                    for sdg in rng.sample(sdgs, rng.randint(1, 3)):
                        picks.append(
                            {"participant_id": person, "axis": axis, "sdg": sdg, "session_id": sid}
                        )
        insert(db, SdgPick, picks)
        db.session.commit()
        counts = {
            "initiatives": len(initiatives),
            "votes": len(ballots),
            "sdg_picks": len(picks),
            "items": len(items),
        }
        db.engine.dispose()
    return 1, time.perf_counter() - started, counts


def run_seed(db_path, size, votes):
    """Seed in a subprocess (see the module docstring); returns (workshop id, s, counts)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--seed", "--db", str(db_path)]
    command += ["--size", str(size), "--votes", str(votes)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"seeding {size} failed with exit code {done.returncode}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return figures["workshop"], figures["seconds"], figures["counts"]


def child(args):
    """One export in this (fresh) process; prints its figures as one JSON line."""
    started = time.perf_counter()
    from facilitation import create_app
    from facilitation.extensions import db
    from facilitation.models import Workshop
    from facilitation.views.exports import write_export

    app = create_app(config(args.db))
    with app.app_context():
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        begun = time.perf_counter()
        workshop = db.session.get(Workshop, args.workshop)
        with open(args.out, "wb") as target:
            write_export(workshop, args.format, args.lang, None, target)
        seconds = time.perf_counter() - begun
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        json.dumps(
            {
                "format": args.format,
                "export_s": seconds,
                "process_s": time.perf_counter() - started,
                "rss_before_kib": before,
                "peak_rss_kib": peak,
                "bytes": Path(args.out).stat().st_size,
            }
        )
    )


def run_child(db_path, workshop_id, fmt, lang, folder):
    out = Path(folder) / f"export.{fmt}"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--db",
        str(db_path),
        "--workshop",
        str(workshop_id),
        "--format",
        fmt,
        "--lang",
        lang,
        "--out",
        str(out),
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"export {fmt} failed with exit code {done.returncode}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    out.unlink()
    return figures


def mib(kib_or_bytes, unit=1024):
    return kib_or_bytes / unit


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="initiative counts, a,b,c")
    parser.add_argument("--votes", type=int, default=20000, help="votes across both sessions")
    parser.add_argument(
        "--formats", default=",".join(DEFAULT_FORMATS), help="of csv,xlsx,json,docx,pdf"
    )
    parser.add_argument("--lang", default="en", help="language of the csv/xlsx headers")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--workshop", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--format", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return
    if args.seed:
        workshop_id, seconds, counts = seed(args.db, args.size, args.votes)
        print(json.dumps({"workshop": workshop_id, "seconds": seconds, "counts": counts}))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = set(formats) - set(FORMATS)
    if unknown:
        parser.error(f"unknown formats: {', '.join(sorted(unknown))}")

    header = (
        f"{'initiatives':>11}  {'format':<6} {'export s':>9} {'process s':>9} "
        f"{'peak RSS MiB':>12} {'RSS before MiB':>14} {'file MiB':>9}"
    )
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-exports-") as folder:
            db_path = Path(folder) / "bench.db"
            workshop_id, seconds, counts = run_seed(db_path, size, args.votes)
            print(
                f"seeded {counts['initiatives']} initiatives, {counts['items']} items, "
                f"{counts['votes']} votes, {counts['sdg_picks']} SDG picks "
                f"({mib(db_path.stat().st_size, 1024 * 1024):.1f} MiB database) "
                f"in {seconds:.1f} s",
                flush=True,
            )
            for fmt in formats:
                results.append((size, run_child(db_path, workshop_id, fmt, args.lang, folder)))
    print()
    print(header)
    for size, r in results:
        print(
            f"{size:>11}  {r['format']:<6} {r['export_s']:>9.2f} {r['process_s']:>9.2f} "
            f"{mib(r['peak_rss_kib']):>12.1f} {mib(r['rss_before_kib']):>14.1f} "
            f"{mib(r['bytes'], 1024 * 1024):>9.2f}"
        )


if __name__ == "__main__":
    main()
