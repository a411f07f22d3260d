"""Full state of a session for a client that (re)connects, tagged with the session's seq."""

from flask import current_app

from ..broadcast import (
    item_for_facilitators,
    item_for_participants,
    names_shown,
    with_translations,
)
from ..extensions import db
from ..models import Session
from . import initiatives, items, participants, results, sequence, voting, workshops


def participant_snapshot(participant):
    """Everything a participant's page draws: phase, boards, own dots and picks, settings,
    and the session's results when the facilitator shows them to participants."""
    session = db.session.get(Session, participant.session_id)
    workshop = session.workshop
    names = names_shown(workshop, facilitator=False)
    mine = initiatives.ids_of(participant.id)
    shown = board(session.id, names, mine)
    visible = items.visible_items(session.id)
    found = with_translations(shown["initiatives"], visible, names)
    data = {
        **workshops.phase_data(session),
        "settings": workshops.settings_data(workshop),
        **shown,
        "my_initiatives": mine,
        "items": [item_for_participants(i, found) for i in visible],
        "votes": voting.my_votes(participant, workshop),
        "picks": voting.my_picks(participant.id),
        "results": None,
    }
    if workshop.results_to_participants:
        interval = current_app.config["RESULTS_INTERVAL"]
        shared = current_app.extensions["facilitation"].recent_results.get(workshop.id, interval)
        data["results"] = results.session_results(shared, session.id)
    return data


def facilitator_snapshot(session):
    """One session as its facilitators see it: names per anonymity, hidden initiatives and
    items too, and the original wording of corrected ones."""
    names = names_shown(session.workshop, facilitator=True)
    shown = board(session.id, names, moderator=True)
    every = items.session_items(session.id)
    found = with_translations(shown["initiatives"], every, names)
    return {
        **workshops.phase_data(session),
        **shown,
        "items": [item_for_facilitators(i, found) for i in every],
    }


def projector_snapshot(session):
    """One session as its room screen shows it: what participants see (names only where
    everyone sees them, no hidden items) and who joined."""
    names = names_shown(session.workshop, facilitator=False)
    shown = board(session.id, names)
    visible = items.visible_items(session.id)
    found = with_translations(shown["initiatives"], visible, names)
    return {
        **workshops.phase_data(session),
        **shown,
        "participants": participants.joined(session.id, names),
        "items": [item_for_participants(i, found) for i in visible],
    }


def board_page_size():
    return max(1, int(current_app.config["BOARD_PAGE_SIZE"]))


def board(session_id, names, own_ids=(), moderator=False):
    """The newest page of the board with its total and cursor (initiatives.board); a
    participant's own older or hidden initiatives (`own_ids`) come along so that they can
    edit them; a `moderator` (facilitators) sees hidden ones too."""
    return initiatives.board(session_id, board_page_size(), names, own_ids, moderator)


def older_initiatives(session_id, before_id, facilitator):
    """The board page below `before_id` (`initiative:page`), names per anonymity; hidden
    initiatives on facilitators' pages only."""
    session = db.session.get(Session, session_id)
    names = names_shown(session.workshop, facilitator)
    page = initiatives.older_page(session_id, before_id, board_page_size(), names, facilitator)
    with_translations(page["initiatives"], names=names)
    return page


def current_seq(session_id):
    return sequence.current(session_id)
