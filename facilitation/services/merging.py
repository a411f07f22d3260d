"""Suggested duplicates among a workshop's barriers and enablers, and the pairs its
facilitators dismissed ("not the same"). Accepting a suggestion is `item:merge`
(services/items.py); a dismissal can be taken back. Called by sockets/merging.py;
dismissing and restoring record MergeDismissed: `merge:dismissed` to the facilitators."""

import functools

from sqlalchemy.exc import IntegrityError

from ..domain.similarity import SUGGESTIONS_MAX, Entry, suggest
from ..extensions import db
from ..models import MergeDismissal, Translation
from ..schemas import MergePair, check
from . import items
from .events import MergeDismissed, record


def item_translations(item_ids):
    """{item id: {language: text}} of the stored translations of these items' texts."""
    found = {}
    if not item_ids:
        return found
    rows = db.session.execute(
        db.select(Translation.subject_id, Translation.language, Translation.text).where(
            Translation.subject == "item",
            Translation.field == "text",
            Translation.subject_id.in_(item_ids),
        )
    )
    for item_id, language, text in rows:
        found.setdefault(item_id, {})[language] = text
    return found


def dismissed_pairs(workshop_id):
    """The workshop's dismissed pairs, as (smaller id, larger id)."""
    rows = db.session.execute(
        db.select(MergeDismissal.item_a_id, MergeDismissal.item_b_id).where(
            MergeDismissal.workshop_id == workshop_id
        )
    )
    return {(a, b) for a, b in rows}


def suggestions(workshop, limit=SUGGESTIONS_MAX):
    """The workshop's suggested duplicates, best first (domain/similarity.py), as data: the
    first `limit` (None: every one above the threshold)."""
    found = items.workshop_items(workshop.id)
    translations = item_translations([i.id for i in found])
    rows = tuple(
        (
            i.id,
            str(i.kind),
            i.session.language,
            i.text,
            tuple(sorted(translations.get(i.id, {}).items())),
            i.group_id,
            i.hidden,
        )
        for i in found
    )
    return _ranked(rows, frozenset(dismissed_pairs(workshop.id)), limit)


@functools.lru_cache(maxsize=32)
def _ranked(rows, dismissed, limit):
    """The suggestions for these items and dismissed pairs: the co-facilitators' consoles
    ask for the same state after each change, and it is worked out once per process."""
    entries = [
        Entry(id_, kind, language, text, dict(translations), group_id, hidden)
        for id_, kind, language, text, translations, group_id, hidden in rows
    ]
    return [
        {
            "item_ids": list(s.item_ids),
            "score": s.score,
            "reasons": [{"code": r.code, "terms": list(r.terms)} for r in s.reasons],
        }
        for s in suggest(entries, dismissed, limit=limit)
    ]


def _pair(workshop, payload):
    """The two items a payload names, both of the workshop's, smaller id first."""
    pair = check(MergePair, payload).item_ids
    first, second = (items.item_in({workshop.id}, i) for i in sorted(pair))
    return first, second


def dismiss(workshop, payload):
    """ "Not the same": the pair is not suggested again. Dismissing twice changes nothing."""
    first, second = _pair(workshop, payload)
    if db.session.get(MergeDismissal, (first.id, second.id)) is None:
        try:  # a co-facilitator may dismiss the same pair at the same moment
            with db.session.begin_nested():
                db.session.add(
                    MergeDismissal(item_a_id=first.id, item_b_id=second.id, workshop_id=workshop.id)
                )
        except IntegrityError:
            pass  # dismissed already: the same state
    record(MergeDismissed(workshop.id, (first.id, second.id), True))
    return [first.id, second.id]


def restore(workshop, payload):
    """Take a dismissal back: the pair may be suggested again."""
    first, second = _pair(workshop, payload)
    db.session.query(MergeDismissal).filter_by(item_a_id=first.id, item_b_id=second.id).delete()
    record(MergeDismissed(workshop.id, (first.id, second.id), False))
    return [first.id, second.id]
