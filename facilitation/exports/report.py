"""What the printable report shows: results combined and per session, in one language."""

import datetime as dt

from sqlalchemy.orm import selectinload

from ..domain.anonymity import Anonymity
from ..domain.tally import matrix_max
from ..domain.taxonomy import taxonomy
from ..models import Initiative
from ..services import results


def heat(count, top):
    """Heat class 0-5 of a cell, as the live heatmaps use."""
    return 0 if not count or not top else max(1, -(-count * 5 // top))


def bars(pairs, width=360):
    """(label, value, bar length in px) for a horizontal SVG bar chart."""
    top = max((value for _label, value in pairs), default=0)
    return [(label, value, round(width * value / top) if top else 0) for label, value in pairs]


def _part(data, key, session_id):
    return data[key]["combined"] if session_id is None else data[key]["sessions"][str(session_id)]


def _scope_results(data, session_id, locale):
    tax = taxonomy()
    tally = data["combined"] if session_id is None else data["sessions"][str(session_id)]
    picks = _part(data, "sdg_picks", session_id)
    ranking = _part(data, "rankings", session_id)
    return {
        "tally": tally,
        "tally_max": matrix_max(tally),
        "axis_bars": bars([(a.name(locale), tally["axes"][a.code]) for a in tax.axes]),
        "picks": picks,
        "picks_max": matrix_max(picks),
        "ranking": ranking,
        "ranking_bars": {
            kind: bars([(u["texts"][0]["text"], u["dots"]) for u in units[:10]])
            for kind, units in ranking.items()
        },
    }


def context(workshop, session, locale):
    """Template variables for exports/report.html."""
    data = results.workshop_results(workshop.id)
    shown = [session] if session else list(workshop.sessions)
    names = Anonymity(workshop.anonymity).names_for(facilitator=True)
    initiatives = (
        Initiative.query.filter(
            Initiative.session_id.in_([s.id for s in shown]), Initiative.withdrawn_at.is_(None)
        )
        .options(selectinload(Initiative.sdg_links), selectinload(Initiative.participant))
        .order_by(Initiative.axis, Initiative.id)
        .all()
    )
    return {
        "workshop": workshop,
        "session": session,
        "lang": locale,
        "tax": taxonomy(),
        "names": names,
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "combined": None if session else _scope_results(data, None, locale),
        "per_session": [(s, _scope_results(data, s.id, locale)) for s in shown],
        "participation": data["participation"],
        "initiatives": initiatives,
        "session_names": {s.id: s.name for s in workshop.sessions},
        "session_langs": {s.id: s.language for s in workshop.sessions},
        "heat": heat,
    }
