"""After a unit of work has committed: its domain events become messages per audience.

The one place that applies the anonymity rule (domain/anonymity.py) to what leaves the
server: broadcasts, and the acknowledgements and snapshots that use the projections here.
Audiences (rooms in live.py): a session's participants, one participant's own connections,
a workshop's facilitators (dashboards), and its projectors (room screens), which see what
participants see: names only where the workshop shows them to everyone.

Called by unit_of_work.py only, after the commit; message shapes are those of docs/api.md.
"""

import logging

from . import live, live_counters
from .domain.anonymity import Anonymity
from .extensions import db
from .models import Initiative, Item, Participant, Session, Workshop
from .services import events, initiatives, items, translated, voting, workshops

log = logging.getLogger(__name__)


# projections: what each audience may see ------------------------------------------------


def names_shown(workshop, facilitator):
    """Whether an audience (facilitators or participants) sees participants' names and
    ids under the workshop's anonymity setting."""
    return Anonymity(workshop.anonymity).names_for(facilitator=facilitator)


def translations_shown(translations, names):
    """An initiative's or item's `translations` as an audience may see them: who
    translated by hand only where that audience sees names."""
    if names:
        return translations
    return {
        language: {field: {**entry, "by": None} for field, entry in fields.items()}
        for language, fields in translations.items()
    }


def initiative_shown(data, workshop, facilitator):
    """An initiative's data (initiatives.to_data) as an audience may see it, with its
    translations (read here when `data` does not bring them: one query)."""
    if "translations" not in data:
        data = {
            **data,
            "translations": translated.for_initiatives([data["id"]]).get(data["id"], {}),
        }
    names = names_shown(workshop, facilitator)
    data = {**data, "translations": translations_shown(data["translations"], names)}
    if names:
        return data
    return {**data, "author": None, "participant_id": None}


def initiative_for_facilitators(initiative):
    """An initiative as facilitators see it: hidden ones too, with the author's original
    wording when corrected, its translations; the author's name per anonymity."""
    workshop = db.session.get(Workshop, db.session.get(Session, initiative.session_id).workshop_id)
    data = initiatives.to_data(initiative, moderator=True)
    return initiative_shown(data, workshop, True)


def with_translations(initiative_list, item_list=(), names=True):
    """Put `translations` on initiatives' data (to_data, in place) and return the items'
    translations {id: {...}} for item_for_participants / item_for_facilitators: one
    query for a whole snapshot or page."""
    found = translated.for_both([i["id"] for i in initiative_list], [i.id for i in item_list])
    for data in initiative_list:
        data["translations"] = translations_shown(found["initiative"].get(data["id"], {}), names)
    return found["item"]


def _item_data(item, facilitator, translations):
    names = names_shown(item.session.workshop, facilitator)
    data = items.to_data(item, names)
    if translations is None:
        translations = translated.for_items([item.id])
    data["translations"] = translations_shown(translations.get(item.id, {}), names)
    return data


def item_for_participants(item, translations=None):
    """What participants may see of an item: nothing of a hidden one but its id.
    `translations` ({id: {...}}, with_translations or translated.for_items) saves the
    query that reads this item's."""
    data = _item_data(item, False, {} if item.hidden else translations)
    if item.hidden:
        data.update(text="", author=None, translations={})
    return data


def item_for_facilitators(item, translations=None):
    """An item as facilitators see it: hidden ones too, with the proposer's original text
    when corrected, and its translations."""
    data = _item_data(item, True, translations)
    corrected = item.corrected_at.isoformat() + "Z" if item.corrected_at else None
    return {**data, "original_text": item.original_text, "corrected_at": corrected}


def items_for_participants(item_list):
    """Many items for participants, their translations read in one query."""
    found = translated.for_items([i.id for i in item_list if not i.hidden])
    return [item_for_participants(i, found) for i in item_list]


def items_for_facilitators(item_list):
    found = translated.for_items([i.id for i in item_list])
    return [item_for_facilitators(i, found) for i in item_list]


# events to messages ---------------------------------------------------------------------


def publish(recorded):
    """Send every message the committed events call for, then schedule one results
    broadcast per workshop whose results they moved, and one of its counters
    (live_counters.py). A failure is logged: the change is stored and acknowledged, and
    clients catch up through their next snapshot."""
    moved = []
    try:
        for event in recorded:
            _SENDERS[type(event)](event)
            if isinstance(event, events.MOVES_RESULTS) and event.workshop_id not in moved:
                moved.append(event.workshop_id)
        for workshop_id in moved:
            live.results_changed(workshop_id)
        live_counters.published(recorded)
    except Exception:
        log.exception("broadcast of %d events failed", len(recorded))


def _initiative_delta(event, name, body, audiences=(False, True)):
    """An initiative delta to its session's participants (and, read only, the workshop's
    other participants: the same message) and projectors (`audiences` False) and the
    facilitators (True), with the board's counts (boards show sizes beyond their pages)."""
    workshop = db.session.get(Workshop, event.workshop_id)
    board_counts = initiatives.counts(event.session_id)
    for facilitator in audiences:
        message = {
            "session_id": event.session_id,
            "seq": event.seq,
            **body(workshop, facilitator),
            **board_counts,
        }
        if facilitator:
            live.to_facilitators(workshop.id, name, message)
        else:
            live.to_every_participant(workshop.id, event.session_id, name, message)
            live.to_projectors(workshop.id, name, message)


def _initiative_upserted(event):
    """Facilitators get the initiative, hidden or not, with its original wording. A hidden
    one leaves the participants' boards and room screens: they get `initiative:withdrawn`
    with `hidden: true` (its author's page keeps it, marked hidden)."""
    initiative = db.session.get(Initiative, event.initiative_id)
    found = translated.for_initiatives([initiative.id]).get(initiative.id, {})
    data = {**initiatives.to_data(initiative), "translations": found}
    moderated = {**initiatives.to_data(initiative, moderator=True), "translations": found}

    def body(workshop, facilitator):
        if facilitator:
            return {"initiative": initiative_shown(moderated, workshop, True)}
        if initiative.hidden:
            return {"id": initiative.id, "hidden": True}
        return {"initiative": initiative_shown(data, workshop, False)}

    if not initiative.hidden:
        _initiative_delta(event, "initiative:upserted", body)
        return
    _initiative_delta(event, "initiative:upserted", body, audiences=(True,))
    _initiative_delta(event, "initiative:withdrawn", body, audiences=(False,))


def _initiative_withdrawn(event):
    _initiative_delta(event, "initiative:withdrawn", lambda *_: {"id": event.initiative_id})


def _items_changed(event):
    """Changed items to every session that shows them, and to the facilitators."""
    changed = [db.session.get(Item, i) for i in event.item_ids]
    found = translated.for_items(event.item_ids)
    for session_id, seq in event.seqs:
        visible = {i.id for i in items.visible_items(session_id)}
        shown = [item_for_participants(i, found) for i in changed]
        hidden = {"hidden": True, "text": "", "translations": {}}
        shown = [i if i["id"] in visible else {**i, **hidden} for i in shown]
        message = {"session_id": session_id, "seq": seq, "items": shown}
        live.to_participants(session_id, "items:upserted", message)
        live.to_projectors(event.workshop_id, "items:upserted", message)
        live.to_facilitators(
            event.workshop_id,
            "items:upserted",
            {
                "session_id": session_id,
                "seq": seq,
                "items": [item_for_facilitators(i, found) for i in changed],
            },
        )


def _votes_changed(event):
    votes = event.votes
    if votes is None:
        votes = voting.my_votes(db.session.get(Participant, event.participant_id))
    live.to_participant(event.participant_id, "vote:mine", votes)


def _picks_changed(event):
    live.to_participant(event.participant_id, "sdg:mine", event.picks)


def _phase_changed(event):
    live.to_participants(event.session_id, "session:phase", event.change)
    live.to_facilitators(event.workshop_id, "session:phase", event.change)
    live.to_projectors(event.workshop_id, "session:phase", event.change)


def _settings_changed(event):
    settings = workshops.settings_data(db.session.get(Workshop, event.workshop_id))
    for session_id, seq in event.seqs:
        message = {"session_id": session_id, "seq": seq, "settings": settings}
        live.to_participants(session_id, "session:settings", message)
        live.to_facilitators(event.workshop_id, "session:settings", message)
        live.to_projectors(event.workshop_id, "session:settings", message)


def _projector_changed(event):
    live.to_projectors(event.workshop_id, "projector:display", event.display)
    live.to_facilitators(event.workshop_id, "projector:display", event.display)


def _participant_joined(event):
    """The session's new count to its facilitators and projectors, with the newcomer's
    name where that audience sees names."""
    workshop = db.session.get(Workshop, event.workshop_id)
    participant = db.session.get(Participant, event.participant_id)
    count = Participant.query.filter_by(session_id=event.session_id).count()
    for facilitator, send in ((True, live.to_facilitators), (False, live.to_projectors)):
        name = participant.display_name if names_shown(workshop, facilitator) else None
        message = {"session_id": event.session_id, "participants": count, "name": name}
        send(workshop.id, "participant:joined", message)


def _merge_dismissed(event):
    message = {"item_ids": list(event.item_ids), "dismissed": event.dismissed}
    live.to_facilitators(event.workshop_id, "merge:dismissed", message)


_SENDERS = {
    events.InitiativeUpserted: _initiative_upserted,
    events.InitiativeWithdrawn: _initiative_withdrawn,
    events.ItemsChanged: _items_changed,
    events.VotesChanged: _votes_changed,
    events.PicksChanged: _picks_changed,
    events.PhaseChanged: _phase_changed,
    events.SettingsChanged: _settings_changed,
    events.ProjectorChanged: _projector_changed,
    events.ParticipantJoined: _participant_joined,
    events.MergeDismissed: _merge_dismissed,
}
