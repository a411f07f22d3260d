"""Stored translations of participants' texts: what still needs one, machine translations
stored by the worker (translation/worker.py), people's corrections (`translation:correct`).

A text is an initiative's title or description, or an item's text, in its session's
language; it is translated into every other language of the workshop's sessions. A stored
translation keeps the digest of the text it translates: a text whose digest changed is
translated again. A person's translation of a text wins over the machine for as long as
the text stays the same. Storing translations of a subject records the subject's ordinary
event (InitiativeUpserted, ItemsChanged), so they reach every screen as a delta.
"""

from dataclasses import dataclass

from sqlalchemy import and_, func, or_
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.errors import RuleError
from ..extensions import db
from ..models import Initiative, Item, Session, Translation, utcnow
from ..schemas import check
from ..schemas.payloads import SUBJECT_FIELDS, TranslationCorrection
from ..translation.digest import digest
from . import sequence
from .events import InitiativeUpserted, record
from .items import _record as record_items


@dataclass(frozen=True)
class Text:
    """One field of a subject, in its own language, and the languages it still needs."""

    subject: str
    subject_id: int
    field: str
    workshop_id: int
    language: str
    text: str
    targets: tuple

    @property
    def digest(self):
        return digest(self.text)


def _languages(workshop_ids):
    """{workshop id: set of its sessions' languages}."""
    rows = db.session.execute(
        db.select(Session.workshop_id, Session.language)
        .where(Session.workshop_id.in_(workshop_ids))
        .distinct()
    )
    found = {}
    for workshop_id, language in rows:
        found.setdefault(workshop_id, set()).add(language)
    return found


def _multilingual_workshops():
    return list(
        db.session.execute(
            db.select(Session.workshop_id)
            .group_by(Session.workshop_id)
            .having(func.count(func.distinct(Session.language)) > 1)
        ).scalars()
    )


def _sources(initiative_ids=None, item_ids=None, workshop_ids=None):
    """(subject, id, field, workshop id, language, text) of the texts shown: initiatives
    neither withdrawn nor hidden, items not hidden; by ids, or of whole workshops."""
    found = []
    initiatives = db.select(
        Initiative.id,
        Initiative.title,
        Initiative.description,
        Session.workshop_id,
        Session.language,
    ).join(Session, Initiative.session_id == Session.id)
    initiatives = initiatives.where(Initiative.withdrawn_at.is_(None), ~Initiative.hidden)
    items = db.select(Item.id, Item.text, Session.workshop_id, Session.language).join(
        Session, Item.session_id == Session.id
    )
    items = items.where(~Item.hidden)
    if workshop_ids is not None:
        initiatives = initiatives.where(Session.workshop_id.in_(workshop_ids))
        items = items.where(Session.workshop_id.in_(workshop_ids))
    else:
        initiatives = initiatives.where(Initiative.id.in_(initiative_ids or ()))
        items = items.where(Item.id.in_(item_ids or ()))
    if workshop_ids is not None or initiative_ids:
        for id_, title, description, workshop_id, language in db.session.execute(initiatives):
            found.append(("initiative", id_, "title", workshop_id, language, title))
            found.append(("initiative", id_, "description", workshop_id, language, description))
    if workshop_ids is not None or item_ids:
        for id_, text, workshop_id, language in db.session.execute(items):
            found.append(("item", id_, "text", workshop_id, language, text))
    return found


def _stored(sources):
    """{(subject, id, field, language): source digest} of the translations these have."""
    ids = {"initiative": set(), "item": set()}
    for subject, id_, *_ in sources:
        ids[subject].add(id_)
    conditions = [
        and_(Translation.subject == subject, Translation.subject_id.in_(chosen))
        for subject, chosen in ids.items()
        if chosen
    ]
    if not conditions:
        return {}
    rows = db.session.execute(
        db.select(
            Translation.subject,
            Translation.subject_id,
            Translation.field,
            Translation.language,
            Translation.source_digest,
        ).where(or_(*conditions))
    )
    return {tuple(row[:4]): row[4] for row in rows}


def needed(initiative_ids=(), item_ids=(), everything=False):
    """The texts that lack a current translation into some language of their workshop:
    of these initiatives and items, or (`everything`, the catch-up) of every workshop
    whose sessions speak more than one language. Empty texts need none."""
    if everything:
        workshop_ids = _multilingual_workshops()
        if not workshop_ids:
            return []
        sources = _sources(workshop_ids=workshop_ids)
    else:
        sources = _sources(initiative_ids=list(initiative_ids), item_ids=list(item_ids))
    languages = _languages({s[3] for s in sources})
    stored = _stored(sources)
    texts = []
    for subject, id_, field, workshop_id, language, text in sources:
        if not text.strip():
            continue
        current = digest(text)
        targets = tuple(
            sorted(
                target
                for target in languages.get(workshop_id, ()) - {language}
                if stored.get((subject, id_, field, target)) != current
            )
        )
        if targets:
            texts.append(Text(subject, id_, field, workshop_id, language, text, targets))
    return texts


def _upsert(values, human):
    """Insert one translation, or replace the stored one of the same subject, field and
    language: a person's always, the machine's only where the stored one translates
    another text (a person's translation of the same text stays). One statement, so two
    processes storing the same translation never fight. Returns whether a row changed."""
    dialect = db.engine.dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    statement = insert(Translation).values(**values)
    replaced = {
        name: statement.excluded[name]
        for name in ("text", "source_digest", "source_language", "origin", "translated_by")
    }
    replaced["updated_at"] = statement.excluded.updated_at
    where = None if human else Translation.source_digest != statement.excluded.source_digest
    statement = statement.on_conflict_do_update(
        index_elements=["subject", "subject_id", "field", "language"], set_=replaced, where=where
    )
    return db.session.execute(statement.returning(Translation.id)).first() is not None


def _values(text, language, translated, origin, by=None):
    now = utcnow()
    return {
        "workshop_id": text.workshop_id,
        "subject": text.subject,
        "subject_id": text.subject_id,
        "field": text.field,
        "source_language": text.language,
        "language": language,
        "text": translated,
        "source_digest": text.digest,
        "origin": origin,
        "translated_by": by,
        "created_at": now,
        "updated_at": now,
    }


def store_machine(results):
    """Store machine translations: `results` [(Text, language, translated text)]. A
    result whose source changed since it was read is dropped (the change is translated
    on its own). Records the events that re-broadcast each subject that changed; returns
    how many translations were stored."""
    texts = {(t.subject, t.subject_id, t.field) for t, _, _ in results}
    current = {
        (subject, id_, field): digest(text)
        for subject, id_, field, _, _, text in _sources(
            initiative_ids=[i for s, i, _ in texts if s == "initiative"],
            item_ids=[i for s, i, _ in texts if s == "item"],
        )
    }
    changed, stored = set(), 0
    for text, language, translated in results:
        if current.get((text.subject, text.subject_id, text.field)) != text.digest:
            continue
        if _upsert(_values(text, language, translated, "machine"), human=False):
            changed.add((text.subject, text.subject_id))
            stored += 1
    rebroadcast(changed)
    return stored


def rebroadcast(subjects):
    """Record the ordinary event of each (subject, id): its session's boards get it again,
    with its translations, as a seq-numbered delta."""
    for id_ in sorted(i for s, i in subjects if s == "initiative"):
        initiative = db.session.get(Initiative, id_)
        session = db.session.get(Session, initiative.session_id)
        seq = sequence.bump(session.id)
        record(InitiativeUpserted(session.workshop_id, session.id, seq, initiative.id))
    changed = [db.session.get(Item, i) for s, i in sorted(subjects) if s == "item"]
    by_workshop = {}
    for item in changed:
        by_workshop.setdefault(item.session.workshop_id, []).append(item)
    for group in by_workshop.values():
        record_items(group)


# people's corrections -------------------------------------------------------------------


def session_of(thing):
    """The session an initiative or an item belongs to."""
    return db.session.get(Session, thing.session_id)


def _subject(subject, subject_id):
    model = Initiative if subject == "initiative" else Item
    found = db.session.get(model, subject_id)
    if found is None or (subject == "initiative" and found.withdrawn_at is not None):
        raise RuleError("not_found")
    return found


def subject_for(payload):
    """The initiative or item a correction names (checked first), else not_found."""
    draft = check(TranslationCorrection, payload)
    return draft, _subject(draft.subject, draft.subject_id)


def may_correct(thing, facilitator=None, participant=None):
    """A workshop's facilitators may correct any of its translations; an author those of
    their own texts, where the workshop lets authors translate."""
    workshop = session_of(thing).workshop
    if facilitator is not None:
        return facilitator in workshop.facilitators
    if participant is None or thing.participant_id != participant.id:
        return False
    return bool(workshop.authors_translate)


def correct(draft, thing, by, languages):
    """Store a person's translation (`by` their display name) of a field of `thing`;
    records the subject's event. `languages`: the app's. Returns the translation as
    clients see it."""
    if draft.field not in SUBJECT_FIELDS[draft.subject]:
        raise RuleError("invalid", {"field": "unknown"})
    session = session_of(thing)
    if draft.language not in languages or draft.language == session.language:
        raise RuleError("invalid", {"language": "unknown"})
    source = getattr(thing, draft.field) or ""
    if not source.strip():
        raise RuleError("invalid", {"field": "unknown"})
    text = Text(
        draft.subject, thing.id, draft.field, session.workshop_id, session.language, source, ()
    )
    _upsert(_values(text, draft.language, draft.text, "human", by), human=True)
    rebroadcast({(draft.subject, thing.id)})
    return {
        "subject": draft.subject,
        "subject_id": thing.id,
        "field": draft.field,
        "language": draft.language,
        "text": draft.text,
        "origin": "human",
        "by": by,
    }


def shown_by(translated_by, author_name, names):
    """Who a person's translation is credited to, for an audience: an author's own
    translation names them only where the audience sees authors' names (`names`, the
    anonymity rule of broadcast.py); a facilitator's always names the facilitator."""
    if translated_by is not None and not names and translated_by == author_name:
        return None
    return translated_by
