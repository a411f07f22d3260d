"""Full state of a session for a client that (re)connects, tagged with the session's seq."""

from flask import current_app

from ..domain.anonymity import Anonymity
from ..extensions import db
from ..models import Session
from . import initiatives, items, results, sequence, voting, workshops


def participant_snapshot(participant):
    """Everything a participant's page draws: phase, boards, own dots and picks, settings,
    and the session's results when the facilitator shows them to participants."""
    session = db.session.get(Session, participant.session_id)
    workshop = session.workshop
    names = Anonymity(workshop.anonymity).names_for(facilitator=False)
    data = {
        **workshops.phase_data(session),
        "settings": workshops.settings_data(workshop),
        "initiatives": initiatives.board(session.id, names),
        "my_initiatives": initiatives.ids_of(participant.id),
        "items": [items.for_participants(i) for i in items.visible_items(session.id)],
        "votes": voting.my_votes(participant, workshop),
        "picks": voting.my_picks(participant.id),
        "results": None,
    }
    if workshop.results_to_participants:
        interval = current_app.config["RESULTS_INTERVAL"]
        shared = results.recent_workshop_results(workshop.id, interval)
        data["results"] = results.session_results(shared, session.id)
    return data


def facilitator_snapshot(session):
    """One session as its facilitators see it: names per anonymity, hidden items too."""
    names = Anonymity(session.workshop.anonymity).names_for(facilitator=True)
    return {
        **workshops.phase_data(session),
        "initiatives": initiatives.board(session.id, names),
        "items": [items.for_facilitators(i) for i in items.session_items(session.id)],
    }


def current_seq(session_id):
    return sequence.current(session_id)
