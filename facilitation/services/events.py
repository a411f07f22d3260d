"""Domain events: what a service changed, in which session and at which seq.

Services call `record(event)` instead of committing or broadcasting: the event goes into
the unit of work that is open (facilitation/unit_of_work.py), which commits and only then
hands its events to facilitation/broadcast.py, where they become messages per audience.
"""

from dataclasses import dataclass

from flask import g


@dataclass(frozen=True)
class InitiativeUpserted:
    """An initiative was posted or edited: `initiative:upserted` to the session's boards."""

    workshop_id: int
    session_id: int
    seq: int
    initiative_id: int


@dataclass(frozen=True)
class InitiativeWithdrawn:
    """An initiative left its board: `initiative:withdrawn`."""

    workshop_id: int
    session_id: int
    seq: int
    initiative_id: int


@dataclass(frozen=True)
class ItemsChanged:
    """Barriers or enablers were added, corrected, hidden, merged or unmerged; `seqs` holds
    (session id, seq) for every session that shows them: `items:upserted` to each."""

    workshop_id: int
    item_ids: tuple
    seqs: tuple


@dataclass(frozen=True)
class VotesChanged:
    """A participant's dots changed: `vote:mine` to their own connections. `votes` is their
    page state when the service knows it already (else it is read after the commit)."""

    workshop_id: int
    participant_id: int
    votes: dict | None = None


@dataclass(frozen=True)
class PicksChanged:
    """A participant picked or unpicked an SDG: `sdg:mine` to their own connections."""

    workshop_id: int
    participant_id: int
    picks: dict


@dataclass(frozen=True)
class PhaseChanged:
    """A session moved to a phase: `session:phase`; `change` is the message (phase_data)."""

    workshop_id: int
    session_id: int
    change: dict


@dataclass(frozen=True)
class SettingsChanged:
    """A workshop's budget, SDG limit, anonymity or results display changed; `seqs` holds
    (session id, seq) for each of its sessions: `session:settings` to each."""

    workshop_id: int
    seqs: tuple


@dataclass(frozen=True)
class ProjectorChanged:
    """Results were hidden or revealed on the room screens, or their layout changed:
    `projector:display` to the projectors and the facilitators; `display` is the message."""

    workshop_id: int
    display: dict


@dataclass(frozen=True)
class ParticipantJoined:
    """Someone joined a session: `participant:joined` (the session's count, and the name
    where everyone sees names) to the facilitators and the projectors."""

    workshop_id: int
    session_id: int
    participant_id: int


@dataclass(frozen=True)
class MergeDismissed:
    """A suggested pair was dismissed as not the same (`dismissed` true) or the dismissal
    taken back: `merge:dismissed` to the workshop's facilitators."""

    workshop_id: int
    item_ids: tuple
    dismissed: bool


# every event moves the workshop's live results but a phase or projector change
MOVES_RESULTS = (
    InitiativeUpserted,
    InitiativeWithdrawn,
    ItemsChanged,
    VotesChanged,
    PicksChanged,
    SettingsChanged,
    ParticipantJoined,
)


def record(event):
    """Add `event` to the unit of work that is open; a service called outside one (no
    commit would ever come) is a programming error."""
    work = g.get("unit_of_work")
    if work is None:
        raise RuntimeError("a service changed state outside a unit of work")
    work.record(event)
