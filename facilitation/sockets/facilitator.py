"""Events only a workshop's facilitators may send; each is checked on the server."""

from flask import session
from flask_socketio import join_room, leave_room

from .. import live, live_counters
from ..broadcast import initiative_for_facilitators, item_for_facilitators, items_for_facilitators
from ..schemas import HiddenFlag, WatchRequest, check
from ..services import items, moderation, results, snapshots, voting, workshops
from .common import acknowledged, current_facilitator, payload


def _session(data):
    return workshops.session_for(current_facilitator(), payload(data).get("session_id"))


def _workshop(data):
    return workshops.workshop_for(current_facilitator(), payload(data).get("workshop_id"))


def _item(data):
    facilitator = current_facilitator()
    item = items.item_in(
        {w.id for w in workshops.workshops_for(facilitator)}, payload(data).get("item_id")
    )
    return item


def _initiative(data):
    facilitator = current_facilitator()
    return moderation.initiative_in(
        {w.id for w in workshops.workshops_for(facilitator)}, payload(data).get("initiative_id")
    )


class FacilitatorEvents:
    @acknowledged
    def on_workshop_watch(self, data):
        """A dashboard (`view` "dashboard", the default) or a room screen ("projector")
        opens: joins the workshop's room for that view and gets every session (and, on a
        dashboard, each session's counters). A room screen sees what participants see
        (broadcast.py), here and in later snapshots."""
        workshop = _workshop(data)
        view = check(WatchRequest, data).view
        projector = view == "projector"
        session["live_view"] = view
        rooms = (live.workshop_room(workshop.id), live.projector_room(workshop.id))
        join_room(rooms[projector])
        leave_room(rooms[not projector])
        snapshot = snapshots.projector_snapshot if projector else snapshots.facilitator_snapshot
        return {
            "settings": workshops.settings_data(workshop),
            "projector": workshops.projector_data(workshop),
            "results": results.workshop_results(workshop.id),
            "boards": [snapshot(s) for s in workshop.sessions],
            **({} if projector else {"counters": live_counters.for_workshop(workshop.id)}),
        }

    @acknowledged
    def on_session_set_phase(self, data):
        """Move a session to a phase (optional countdown `minutes`, optional `auto_close`);
        broadcasts `session:phase` to its participants and the facilitators."""
        target = _session(data)
        return workshops.set_phase(
            target, data.get("phase"), data.get("minutes"), data.get("auto_close")
        )

    @acknowledged
    def on_session_countdown(self, data):
        """Pause, resume or add a minute to a session's countdown (`action`); broadcasts
        `session:phase`."""
        return workshops.change_countdown(_session(data), data)

    @acknowledged
    def on_session_set_auto_close(self, data):
        """Whether the session's phase closes when its countdown reaches zero; broadcasts
        `session:phase`."""
        return workshops.set_auto_close(_session(data), data)

    @acknowledged
    def on_workshop_set_voting_rules(self, data):
        """Dots per participant, per item, shared or separate budgets, SDG picks per axis."""
        workshop = _workshop(data)
        voting.set_voting_rules(workshop, data)
        return {"settings": workshops.settings_data(workshop)}

    @acknowledged
    def on_workshop_set_display(self, data):
        """Anonymity and whether participants see live results."""
        workshop = _workshop(data)
        workshops.set_display(workshop, data)
        return {"settings": workshops.settings_data(workshop)}

    @acknowledged
    def on_workshop_set_projector(self, data):
        """Hide or reveal results on the room screens and choose the whole-workshop
        screen's layout; broadcasts `projector:display` to projectors and facilitators."""
        workshop = _workshop(data)
        return {"projector": workshops.set_projector(workshop, data)}

    @acknowledged
    def on_item_add(self, data):
        """A facilitator adds a barrier or enabler to a session."""
        session = _session(data)
        changed, created = items.add_by_facilitator(current_facilitator(), session, data)
        return {
            "item": item_for_facilitators(changed[0], {} if created else None),
            "created": created,
        }

    @acknowledged
    def on_item_correct(self, data):
        """Correct an item's wording (kind and axis may change too)."""
        item = _item(data)
        changes = {k: data[k] for k in ("text", "kind", "axis") if k in data}
        changed = items.correct(item, changes)
        return {"item": item_for_facilitators(changed[0])}

    @acknowledged
    def on_item_set_hidden(self, data):
        """Hide an abusive item from participants (kept, can be shown again); its voters
        get their dots back (`vote:mine`)."""
        item = _item(data)
        changed = items.set_hidden(item, check(HiddenFlag, data).hidden)
        return {"item": item_for_facilitators(changed[0])}

    @acknowledged
    def on_item_merge(self, data):
        """Merge items that say the same thing, across sessions and languages too."""
        workshop = _workshop(data)
        changed = items.merge(workshop, data.get("item_ids"))
        return {"items": items_for_facilitators(changed)}

    @acknowledged
    def on_item_unmerge(self, data):
        """Take an item back out of its merged group."""
        changed = items.unmerge(_item(data))
        return {"items": items_for_facilitators(changed)}

    @acknowledged
    def on_initiative_set_hidden(self, data):
        """Hide an initiative from participants, room screens and results (kept, can be
        shown again); `initiative:upserted` to the facilitators, and the board change to
        the session's participants and projectors (broadcast.py)."""
        initiative = _initiative(data)
        moderation.set_hidden(initiative, check(HiddenFlag, data).hidden)
        return {"initiative": initiative_for_facilitators(initiative)}

    @acknowledged
    def on_initiative_correct(self, data):
        """Correct an initiative's `title` and/or `description`; the author's original
        wording is kept for facilitators and exports."""
        initiative = _initiative(data)
        changes = {k: data[k] for k in ("title", "description") if k in data}
        moderation.correct(initiative, changes)
        return {"initiative": initiative_for_facilitators(initiative)}
