"""The export tables of a workshop (or one of its sessions), built once for every format.

A Table has a stable `key` (file and sheet names), a translated `title`, translated
`headers` and `rows`: a function returning an iterator, so a writer streams rows from the
database instead of holding them all. Axis and SDG names are in the exporter's language;
participants' texts stay in the language they were written in.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from ..domain.anonymity import Anonymity
from ..domain.taxonomy import taxonomy
from ..extensions import db
from ..models import Initiative, Item, Participant, Vote
from ..services import results as live_results
from . import stream
from .languages import Languages


@dataclass
class Table:
    key: str
    title: str
    headers: list
    rows: object  # () -> iterator of lists
    kind: str = "list"  # "list", "matrix" (axis x SDG) or "ranking"
    extra: dict = field(default_factory=dict)


def _when(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""


class Scope:
    """What an export covers: a workshop, or one session of it, in one locale."""

    def __init__(self, workshop, locale, session=None):
        self.workshop = workshop
        self.locale = locale
        self.sessions = [session] if session else list(workshop.sessions)
        self.session_ids = [s.id for s in self.sessions]
        self.names = Anonymity(workshop.anonymity).names_for(facilitator=True)
        tax = taxonomy()
        self.axis_name = {a.code: a.name(locale) for a in tax.axes}
        self.sdg_name = {s.number: s.name(locale) for s in tax.sdgs}
        self.session_name = {s.id: s.name for s in workshop.sessions}
        self.session_lang = {s.id: s.language for s in workshop.sessions}

    def person(self, participant):
        return participant.display_name if participant is not None and self.names else ""


def initiatives_table(scope):
    languages = Languages(
        scope, "initiative", (("title", _("Title")), ("description", _("Description")))
    )
    headers = [
        _("ID"),
        _("Session"),
        _("Language"),
        _("Title"),
        _("Description"),
        _("Axis"),
        _("SDGs"),
        _("Web link"),
        _("Participant"),
        _("City or organisation"),
        _("Country"),
        _("Entered by the facilitator"),
        _("Created (UTC)"),
        _("Updated (UTC)"),
        _("Hidden"),
        _("Original title"),
        _("Original description"),
        _("Corrected (UTC)"),
        *languages.headers(),
    ]

    def rows():
        query = stream(
            Initiative.query.filter(
                Initiative.session_id.in_(scope.session_ids), Initiative.withdrawn_at.is_(None)
            )
            .options(selectinload(Initiative.sdg_links), selectinload(Initiative.participant))
            .order_by(Initiative.id)
        )
        for i in query:
            yield [
                i.id,
                scope.session_name[i.session_id],
                scope.session_lang[i.session_id],
                i.title,
                i.description,
                scope.axis_name[i.axis],
                "; ".join(f"{n} {scope.sdg_name[n]}" for n in i.sdgs),
                i.link,
                scope.person(i.participant),
                i.participant.organisation,
                i.participant.country,
                _("Yes") if i.participant.entered_by_facilitator else _("No"),
                _when(i.created_at),
                _when(i.updated_at),
                _("Yes") if i.hidden else _("No"),
                i.original_title or "",
                i.original_description or "",
                _when(i.corrected_at),
                *languages.cells(
                    i.id,
                    {"title": i.title, "description": i.description},
                    scope.session_lang[i.session_id],
                ),
            ]

    return Table("initiatives", _("Initiatives"), headers, rows)


def _ranks(results_data, scope):
    """Rank and dots of every unit, combined and per session, keyed by unit key."""
    combined = {
        u["key"]: u
        for kind in ("barrier", "enabler")
        for u in results_data["rankings"]["combined"][kind]
    }
    per_session = {
        int(sid): {u["key"]: u for kind in ("barrier", "enabler") for u in ranking[kind]}
        for sid, ranking in results_data["rankings"]["sessions"].items()
    }
    return combined, per_session


def items_table(scope, results_data):
    languages = Languages(scope, "item", (("text", _("Text")),))
    headers = [
        _("ID"),
        _("Session"),
        _("Language"),
        _("Kind"),
        _("Text"),
        _("Axis"),
        _("Merged group"),
        _("Hidden"),
        _("Proposed by"),
        _("Dots in its session"),
        _("Rank in its session"),
        _("Dots, all sessions"),
        _("Rank, all sessions"),
        _("Original text"),
        _("Corrected (UTC)"),
        *languages.headers(),
    ]
    kinds = {"barrier": _("Barrier"), "enabler": _("Enabler")}
    combined, per_session = _ranks(results_data, scope)

    def rows():
        query = stream(
            Item.query.filter(Item.session_id.in_(scope.session_ids))
            .options(selectinload(Item.participant))
            .order_by(Item.id)
        )
        for item in query:
            key = f"g{item.group_id}" if item.group_id else f"i{item.id}"
            own = per_session.get(item.session_id, {}).get(key, {})
            everywhere = combined.get(key, {})
            who = scope.person(item.participant) if item.participant else _("Facilitator")
            yield [
                item.id,
                scope.session_name[item.session_id],
                scope.session_lang[item.session_id],
                kinds[item.kind],
                item.text,
                scope.axis_name.get(item.axis, ""),
                item.group_id or "",
                _("Yes") if item.hidden else _("No"),
                who,
                own.get("dots", ""),
                own.get("rank", ""),
                everywhere.get("dots", ""),
                everywhere.get("rank", ""),
                item.original_text or "",
                _when(item.corrected_at),
                *languages.cells(item.id, {"text": item.text}, scope.session_lang[item.session_id]),
            ]

    return Table("items", _("Barriers and enablers"), headers, rows)


def ranking_table(scope, results_data):
    """One row per ranked unit (a merged group or a single item): the rankings' chart data."""
    headers = (
        [_("Kind"), _("Rank"), _("Dots")]
        + [_("Dots: %(session)s", session=s.name) for s in scope.sessions]
        + [_("Texts")]
    )
    kinds = {"barrier": _("Barrier"), "enabler": _("Enabler")}
    source = results_data["rankings"]
    one = len(scope.sessions) == 1
    ranked = source["sessions"][str(scope.session_ids[0])] if one else source["combined"]
    per_session = {
        sid: {u["key"]: u["dots"] for k in kinds for u in source["sessions"][str(sid)][k]}
        for sid in scope.session_ids
    }

    def rows():
        for kind, label in kinds.items():
            for unit in ranked[kind]:
                texts = " / ".join(f"[{t['lang']}] {t['text']}" for t in unit["texts"])
                yield (
                    [label, unit["rank"], unit["dots"]]
                    + [per_session[sid].get(unit["key"], 0) for sid in scope.session_ids]
                    + [texts]
                )

    blocks = [(label, len(ranked[kind])) for kind, label in kinds.items()]
    return Table("ranking", _("Ranking"), headers, rows, kind="ranking", extra={"blocks": blocks})


def total_labels(part):
    """What the totals right of an axis × SDG matrix count, the same words in every file,
    report and screen: initiatives on the axis, SDG mentions (an initiative naming three
    SDGs counts three times) or, for SDG picks, participants' choices."""
    if part == "initiatives":
        return [_("Initiatives on this axis"), _("SDG mentions on this axis")]
    return [_("SDG choices on this axis")]


def matrix_rows(part, scoped):
    """(axis code, 17 SDG cells, totals as `total_labels` names them) per axis, in the
    taxonomy's order; `scoped` is one scope's tally (`part` "initiatives") or SDG picks."""
    tax = taxonomy()
    for axis in tax.axes:
        cells = [scoped["matrix"][axis.code][s.number] for s in tax.sdgs]
        if part == "initiatives":
            yield axis.code, cells, [scoped["axes"][axis.code], sum(cells)]
        else:
            yield axis.code, cells, [sum(cells)]


def _matrix_table(key, title, part, scoped, scope):
    tax = taxonomy()
    headers = (
        [_("Axis")]
        + [f"{s.number} {scope.sdg_name[s.number]}" for s in tax.sdgs]
        + total_labels(part)
    )

    def rows():
        for axis, cells, totals in matrix_rows(part, scoped):
            yield [scope.axis_name[axis], *cells, *totals]

    return Table(key, title, headers, rows, kind="matrix", extra={"cells": len(tax.sdgs)})


def matrix_tables(scope, results_data):
    """Axis x SDG matrices for initiatives and SDG picks: combined, then per session."""
    tables = []
    for key, part, label in (
        ("initiatives_matrix", "initiatives", _("Axis × SDG")),
        ("sdg_picks", "sdg_picks", _("SDGs per axis")),
    ):
        source = results_data if part == "initiatives" else results_data["sdg_picks"]
        if len(scope.sessions) > 1:
            tables.append(_matrix_table(key, label, part, source["combined"], scope))
        for s in scope.sessions:
            tables.append(
                _matrix_table(
                    f"{key}_{s.id}",
                    f"{label} – {s.name}",
                    part,
                    source["sessions"][str(s.id)],
                    scope,
                )
            )
    return tables


def _per_participant(column, *conditions):
    """{participant id: rows} of one table, counted by the database."""
    query = db.select(column, func.count()).where(*conditions).group_by(column)
    return dict(db.session.execute(query).all())


def participants_table(scope):
    headers = [
        _("ID"),
        _("Session"),
        _("Language"),
        _("Participant"),
        _("City or organisation"),
        _("Country"),
        _("Joined (UTC)"),
        _("Initiatives"),
        _("Barriers and enablers"),
        _("Dots placed"),
        _("Entered by the facilitator"),
    ]

    def rows():
        posted = _per_participant(
            Initiative.participant_id,
            Initiative.session_id.in_(scope.session_ids),
            Initiative.withdrawn_at.is_(None),
        )
        proposed = _per_participant(Item.participant_id, Item.session_id.in_(scope.session_ids))
        dots = dict(
            db.session.execute(
                db.select(Vote.participant_id, func.sum(Vote.delta))
                .where(Vote.session_id.in_(scope.session_ids))
                .group_by(Vote.participant_id)
            ).all()
        )
        query = stream(
            Participant.query.filter(Participant.session_id.in_(scope.session_ids)).order_by(
                Participant.id
            )
        )
        for p in query:
            yield [
                p.id,
                scope.session_name[p.session_id],
                scope.session_lang[p.session_id],
                scope.person(p),
                p.organisation,
                p.country,
                _when(p.created_at),
                posted.get(p.id, 0),
                proposed.get(p.id, 0),
                int(dots.get(p.id) or 0),
                _("Yes") if p.entered_by_facilitator else _("No"),
            ]

    return Table("participants", _("Participants"), headers, rows)


def build(workshop, locale, session=None):
    """Every table of an export, in sheet order. Call inside `force_locale(locale)`."""
    scope = Scope(workshop, locale, session)
    results_data = live_results.workshop_results(workshop.id)
    return [
        initiatives_table(scope),
        items_table(scope, results_data),
        ranking_table(scope, results_data),
        *matrix_tables(scope, results_data),
        participants_table(scope),
    ]
