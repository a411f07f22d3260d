"""The initiatives of a workshop's other sessions, read only, for a participant's page
("From the other groups"): each session's newest initiatives as participants of that
session see them (names per anonymity, no hidden ones), with their translations.

Called by the `workshop:boards` event (sockets/participant.py); the live deltas come
through the workshop's board room (live.py), sent by broadcast.py."""

from ..broadcast import names_shown, with_translations
from ..extensions import db
from ..models import Session
from . import initiatives, sequence

SIZE = 20  # initiatives per other session: a phone shows the newest


def for_participant(participant):
    """`{boards: [{session_id, name, language, seq, initiatives, initiatives_total,
    initiatives_axes}]}` for every session of the participant's workshop but their own,
    in the sessions' order; `initiatives` are the newest ones, oldest first. Each board's
    seq is read before its initiatives: a delta committed in between arrives again and
    changes nothing."""
    own = db.session.get(Session, participant.session_id)
    workshop = own.workshop
    names = names_shown(workshop, facilitator=False)
    boards = []
    for session in sorted(workshop.sessions, key=lambda s: s.id):
        if session.id == own.id:
            continue
        seq = sequence.current(session.id)
        shown, _older = initiatives.page(session.id, SIZE, names=names)
        boards.append(
            {
                "session_id": session.id,
                "name": session.name,
                "language": session.language,
                "seq": seq,
                "initiatives": shown,
                **initiatives.counts(session.id),
            }
        )
    with_translations([i for b in boards for i in b["initiatives"]], names=names)
    return {"boards": boards}
