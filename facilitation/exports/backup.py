"""The complete workshop as JSON (schema_version 2), and importing it into any instance.

Records are streamed from the database, never all held at once.
The format is documented in docs/export-format.md; restore.py reads it back.
"""

import datetime as dt
import json

from ..domain.anonymity import Anonymity
from ..extensions import db
from ..models import (
    Initiative,
    InitiativeSdg,
    Item,
    ItemGroup,
    Participant,
    SdgPick,
    Translation,
    Vote,
)
from . import paced, stream

SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)  # 1: before translations were kept


def _t(moment):
    return moment.isoformat() + "Z" if moment else None


def _records(workshop):
    """(key, iterator of dicts) for every list in the file, in import order."""
    ids = [s.id for s in workshop.sessions]
    names = Anonymity(workshop.anonymity).names_for(facilitator=True)

    yield (
        "sessions",
        (
            {
                "id": s.id,
                "name": s.name,
                "language": s.language,
                "join_code": s.join_code,
                "phase": s.phase,
                "phase_ends_at": _t(s.phase_ends_at),
                "seq": s.seq,
                "created_at": _t(s.created_at),
            }
            for s in workshop.sessions
        ),
    )
    yield (
        "participants",
        (
            {
                "id": p.id,
                "session_id": p.session_id,
                "display_name": p.display_name if names else "",
                "organisation": p.organisation,
                "country": p.country,
                "created_at": _t(p.created_at),
                "entered_by_facilitator": p.entered_by_facilitator,
            }
            for p in stream(
                Participant.query.filter(Participant.session_id.in_(ids)).order_by(Participant.id)
            )
        ),
    )
    sdgs = {}
    for initiative_id, sdg in paced(
        db.session.execute(
            db.select(InitiativeSdg.initiative_id, InitiativeSdg.sdg)
            .join(Initiative, Initiative.id == InitiativeSdg.initiative_id)
            .where(Initiative.session_id.in_(ids))
            .order_by(InitiativeSdg.sdg)
        )
    ):
        sdgs.setdefault(initiative_id, []).append(sdg)
    yield (
        "initiatives",
        (
            {
                "id": i.id,
                "session_id": i.session_id,
                "participant_id": i.participant_id,
                "client_id": i.client_id,
                "title": i.title,
                "description": i.description,
                "axis": i.axis,
                "sdgs": sdgs.get(i.id, []),
                "link": i.link,
                "created_at": _t(i.created_at),
                "updated_at": _t(i.updated_at),
                "withdrawn_at": _t(i.withdrawn_at),
                "hidden": i.hidden,
                "original_title": i.original_title,
                "original_description": i.original_description,
                "corrected_at": _t(i.corrected_at),
            }
            for i in stream(
                Initiative.query.filter(Initiative.session_id.in_(ids)).order_by(Initiative.id)
            )
        ),
    )
    yield (
        "item_groups",
        (
            {"id": g.id, "created_at": _t(g.created_at)}
            for g in ItemGroup.query.filter_by(workshop_id=workshop.id).order_by(ItemGroup.id)
        ),
    )
    yield (
        "items",
        (
            {
                "id": i.id,
                "session_id": i.session_id,
                "participant_id": i.participant_id,
                "by_facilitator": i.facilitator_id is not None,
                "client_id": i.client_id,
                "kind": i.kind,
                "text": i.text,
                "axis": i.axis,
                "hidden": i.hidden,
                "original_text": i.original_text,
                "corrected_at": _t(i.corrected_at),
                "group_id": i.group_id,
                "created_at": _t(i.created_at),
                "updated_at": _t(i.updated_at),
            }
            for i in stream(Item.query.filter(Item.session_id.in_(ids)).order_by(Item.id))
        ),
    )
    yield (
        "votes",
        (
            {
                "id": v.id,
                "session_id": v.session_id,
                "participant_id": v.participant_id,
                "item_id": v.item_id,
                "delta": v.delta,
                "client_id": v.client_id,
                "created_at": _t(v.created_at),
            }
            for v in stream(Vote.query.filter(Vote.session_id.in_(ids)).order_by(Vote.id))
        ),
    )
    yield (
        "sdg_picks",
        (
            {
                "session_id": p.session_id,
                "participant_id": p.participant_id,
                "axis": p.axis,
                "sdg": p.sdg,
            }
            for p in stream(
                SdgPick.query.filter(SdgPick.session_id.in_(ids)).order_by(
                    SdgPick.participant_id, SdgPick.axis, SdgPick.sdg
                )
            )
        ),
    )
    yield (
        "translations",
        (
            {
                "subject": t.subject,
                "subject_id": t.subject_id,
                "field": t.field,
                "source_language": t.source_language,
                "language": t.language,
                "text": t.text,
                "source_digest": t.source_digest,
                "origin": t.origin,
                "translated_by": t.translated_by if names else None,
                "created_at": _t(t.created_at),
                "updated_at": _t(t.updated_at),
            }
            for t in stream(
                Translation.query.filter_by(workshop_id=workshop.id).order_by(Translation.id)
            )
        ),
    )


def write_json(workshop, target):
    """Write the workshop to the text stream `target`, one record at a time."""
    head = {
        "schema_version": SCHEMA_VERSION,
        "exported_at": _t(dt.datetime.now(dt.UTC).replace(tzinfo=None)),
        "workshop": {
            "id": workshop.id,
            "title": workshop.title,
            "date": workshop.date.isoformat(),
            "description": workshop.description,
            "anonymity": workshop.anonymity,
            "dots": workshop.dots,
            "dots_per_item": workshop.dots_per_item,
            "separate_budgets": workshop.separate_budgets,
            "sdg_limit": workshop.sdg_limit,
            "results_to_participants": workshop.results_to_participants,
            "created_at": _t(workshop.created_at),
        },
    }
    target.write(json.dumps(head, ensure_ascii=False)[:-1])
    for key, records in _records(workshop):
        target.write(f', "{key}": [')
        for n, record in enumerate(records):
            target.write(("," if n else "") + "\n" + json.dumps(record, ensure_ascii=False))
        target.write("]")
    target.write("}\n")
