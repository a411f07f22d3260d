"""Translation rows written by a test where the translation engine would write them: the
stored row, then the subject re-broadcast through the normal path (the domain event in a
unit of work), as the engine does when a translation lands. The read side under test
(services/translated.py, broadcast.py, the pages) cannot tell the difference."""

from facilitation.extensions import db
from facilitation.models import Initiative, Item, Session, Translation
from facilitation.services import items, sequence
from facilitation.services.events import InitiativeUpserted, record
from facilitation.translation.digest import digest
from facilitation.unit_of_work import work


def _source(subject, subject_id, field):
    if subject == "initiative":
        found = db.session.get(Initiative, subject_id)
        return found, getattr(found, field)
    found = db.session.get(Item, subject_id)
    return found, found.text


def store(app, subject, subject_id, field, language, text, origin="machine", by=None, **kw):
    """Store (or replace) one translation of the current text and broadcast its subject;
    `source` overrides the text it translates (a stale digest), `broadcast=False` skips
    the delta."""
    with app.app_context(), work():
        found, source = _source(subject, subject_id, field)
        session = db.session.get(Session, found.session_id)
        row = Translation.query.filter_by(
            subject=subject, subject_id=subject_id, field=field, language=language
        ).first() or Translation(
            workshop_id=session.workshop_id,
            subject=subject,
            subject_id=subject_id,
            field=field,
            language=language,
        )
        row.source_language = session.language
        row.text = text
        row.source_digest = digest(kw.get("source", source))
        row.origin = origin
        row.translated_by = by
        db.session.add(row)
        db.session.flush()
        if not kw.get("broadcast", True):
            return
        if subject == "initiative":
            seq = sequence.bump(session.id)
            record(InitiativeUpserted(session.workshop_id, session.id, seq, subject_id))
        else:
            items._record([found])
