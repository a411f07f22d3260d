"""Live results of a workshop, per session and combined: initiative tallies, rankings of
barriers and enablers, the SDGs-per-axis heatmap, and who has not voted yet."""

import threading
import time
from collections import OrderedDict, defaultdict

from sqlalchemy import func

from ..domain.ranking import rankings
from ..domain.tally import combine, combine_heatmaps, heatmap
from ..extensions import db
from ..models import Item, Participant, SdgPick, Session
from . import dot_counts, initiative_counts, translated


def _items_and_dots(session_ids):
    items = [
        {"id": i, "session_id": s, "group_id": g, "kind": k, "text": t, "axis": a, "lang": lang}
        for i, s, g, k, t, a, lang in db.session.execute(
            db.select(
                Item.id,
                Item.session_id,
                Item.group_id,
                Item.kind,
                Item.text,
                Item.axis,
                Session.language,
            )
            .join(Session, Session.id == Item.session_id)
            .where(Item.session_id.in_(session_ids), Item.hidden.is_(False))
        )
    ]
    found = translated.for_items([i["id"] for i in items])
    for item in items:  # results reach every audience: who translated is left out
        item["translations"] = {
            lang: {field: {**entry, "by": None} for field, entry in fields.items()}
            for lang, fields in found.get(item["id"], {}).items()
        }
    dots = dot_counts.item_dots(session_ids)
    return items, dots


def _sdg_heatmaps(session_ids):
    cells = defaultdict(list)
    for sid, axis, sdg, n in db.session.execute(
        db.select(SdgPick.session_id, SdgPick.axis, SdgPick.sdg, func.count())
        .where(SdgPick.session_id.in_(session_ids))
        .group_by(SdgPick.session_id, SdgPick.axis, SdgPick.sdg)
    ):
        cells[sid].append((axis, sdg, n))
    return {sid: heatmap(cells[sid]) for sid in session_ids}


def _participation(session_ids):
    """Participants per session, and how many of them have no dot placed."""
    joined = dict(
        db.session.execute(
            db.select(Participant.session_id, func.count())
            .where(Participant.session_id.in_(session_ids))
            .group_by(Participant.session_id)
        ).all()
    )
    voted = dot_counts.voters(session_ids)
    return {
        str(sid): {
            "participants": joined.get(sid, 0),
            "not_voted": joined.get(sid, 0) - voted.get(sid, 0),
        }
        for sid in session_ids
    }


def _places(session_ids):
    """Distinct cities (or organisations) and countries of the participants, per session
    and combined, compared without case or surrounding spaces: the closing figures. The
    database sends each spelling once (a room of 1,000 comes from a few dozen cities)."""
    rows = db.session.execute(
        db.select(Participant.session_id, Participant.organisation, Participant.country)
        .where(Participant.session_id.in_(session_ids))
        .distinct()
    ).all()

    def count(chosen):
        places = {o.strip().casefold() for _, o, _ in chosen if o.strip()}
        countries = {c.strip().casefold() for _, _, c in chosen if c.strip()}
        return {"places": len(places), "countries": len(countries)}

    return {
        "combined": count(rows),
        "sessions": {str(sid): count([r for r in rows if r[0] == sid]) for sid in session_ids},
    }


def session_ids_of(workshop_id):
    return list(
        db.session.execute(
            db.select(Session.id).where(Session.workshop_id == workshop_id).order_by(Session.id)
        ).scalars()
    )


def workshop_results(workshop_id):
    """Everything the dashboard shows; keys are codes and ids, never translated names.

    `combined` and `sessions` are the initiative tallies; `rankings`, `sdg_picks` and
    `participation` cover dynamic two; `places` counts cities and countries.
    """
    session_ids = session_ids_of(workshop_id)
    per_session = initiative_counts.tallies(session_ids)
    items, dots = _items_and_dots(session_ids)
    heatmaps = _sdg_heatmaps(session_ids)
    return {
        "workshop_id": workshop_id,
        "combined": combine(per_session.values()),
        "sessions": {str(sid): t for sid, t in per_session.items()},
        "rankings": {
            "combined": rankings(items, dots),
            "sessions": {str(sid): rankings(items, dots, sid) for sid in session_ids},
        },
        "sdg_picks": {
            "combined": combine_heatmaps(heatmaps.values()),
            "sessions": {str(sid): h for sid, h in heatmaps.items()},
        },
        "participation": _participation(session_ids),
        "places": _places(session_ids),
    }


class RecentResults:
    """workshop_results, reused for `max_age` seconds: a burst of reconnecting participants
    (after a restart, say) computes them once, not once per participant. Holds the
    `size` workshops used last; one per process (runtime.py)."""

    def __init__(self, size=64, clock=time.monotonic):
        self.size, self.clock = size, clock
        self.kept = OrderedDict()  # workshop id -> (when computed, results), oldest use first
        self.lock = threading.Lock()

    def get(self, workshop_id, max_age):
        now = self.clock()
        with self.lock:
            stamp, data = self.kept.get(workshop_id, (0.0, None))
        if data is None or now - stamp > max_age:
            data = workshop_results(workshop_id)
            stamp = now
        with self.lock:
            self.kept[workshop_id] = (stamp, data)
            self.kept.move_to_end(workshop_id)
            while len(self.kept) > self.size:
                self.kept.popitem(last=False)
        return data


def session_results(workshop_results_data, session_id):
    """The part of a workshop's results a session's participants may see."""
    key = str(session_id)
    return {
        "session_id": session_id,
        "rankings": workshop_results_data["rankings"]["sessions"][key],
        "sdg_picks": workshop_results_data["sdg_picks"]["sessions"][key],
        "initiatives": workshop_results_data["sessions"][key],
    }
