"""The read side of translations: what every initiative and item payload carries as
`translations`, {language: {field: {"text", "origin", "by"}}}.

Only translations of the current wording count: a row whose `source_digest` is not the
digest of the text as it stands now (edited or corrected since) is left out until it is
translated again. A person's translation replaces the machine's in its row, so the row
found is the one that wins. One query per call, whatever the number of ids.

Called by broadcast.py (deltas and acknowledgements), snapshots and results; `by` is
shown or left out there (the anonymity rule, broadcast.py).
"""

import sqlalchemy as sa

from ..extensions import db
from ..models import Initiative, Item, Translation
from ..translation.digest import digest


def _entry(row):
    by = row.translated_by if row.origin == "human" else None
    return {"text": row.text, "origin": row.origin, "by": by}


def _found(initiatives=None, items=None):
    """{"initiative": {...}, "item": {...}} for the rows matching either condition, in one
    query joining each row to the text it translates."""
    wanted = []
    if initiatives is not None:
        wanted.append(sa.and_(Translation.subject == "initiative", initiatives))
    if items is not None:
        wanted.append(sa.and_(Translation.subject == "item", items))
    found = {"initiative": {}, "item": {}}
    if not wanted:
        return found
    rows = db.session.execute(
        db.select(Translation, Initiative.title, Initiative.description, Item.text)
        .outerjoin(
            Initiative,
            sa.and_(Translation.subject == "initiative", Initiative.id == Translation.subject_id),
        )
        .outerjoin(Item, sa.and_(Translation.subject == "item", Item.id == Translation.subject_id))
        .where(sa.or_(*wanted))
    ).all()
    for row, title, description, text in rows:
        current = {"title": title, "description": description}.get(row.field)
        if row.subject == "item":
            current = text if row.field == "text" else None
        if current is None or row.source_digest != digest(current):
            continue
        subject = found.setdefault(row.subject, {})
        subject.setdefault(row.subject_id, {}).setdefault(row.language, {})[row.field] = _entry(row)
    return found


def _ids(ids):
    ids = sorted({i for i in ids if i is not None})
    return Translation.subject_id.in_(ids) if ids else None


def for_initiatives(ids):
    """Translations of initiatives' titles and descriptions: {id: {...}}, ids without
    any left out."""
    return _found(initiatives=_ids(ids))["initiative"]


def for_items(ids):
    """Translations of items' texts: {id: {...}}, ids without any left out."""
    return _found(items=_ids(ids))["item"]


def for_both(initiative_ids, item_ids):
    """Both at once, in one query (a snapshot's board and items):
    {"initiative": {id: {...}}, "item": {id: {...}}}."""
    return _found(_ids(initiative_ids), _ids(item_ids))


def of_workshop(workshop_id):
    """Every current translation of a workshop's initiatives and items, for exports and
    the report: {"initiative": {id: {...}}, "item": {id: {...}}}."""
    mine = Translation.workshop_id == workshop_id
    return _found(mine, mine)
