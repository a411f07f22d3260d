"""Database tables. Codes (axes, SDGs, phases, languages) are stored as plain values."""

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import UniqueConstraint

from .domain.anonymity import Anonymity
from .domain.phases import Phase
from .extensions import db


def utcnow():
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


workshop_facilitators = db.Table(
    "workshop_facilitators",
    db.Column("workshop_id", db.ForeignKey("workshops.id"), primary_key=True),
    db.Column("facilitator_id", db.ForeignKey("facilitators.id"), primary_key=True),
)


class Facilitator(UserMixin, db.Model):
    __tablename__ = "facilitators"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)
    email = db.Column(db.String(254), nullable=False, unique=True)
    password_hash = db.Column(db.String(255))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    session_epoch = db.Column(db.Integer, nullable=False, default=0, server_default="0")


class AccountToken(db.Model):
    """A one-time link: the first facilitator's setup, or an invitation to set a password."""

    __tablename__ = "account_tokens"
    id = db.Column(db.Integer, primary_key=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    facilitator_id = db.Column(db.ForeignKey("facilitators.id"))
    workshop_id = db.Column(db.ForeignKey("workshops.id"))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    used_at = db.Column(db.DateTime)
    facilitator = db.relationship("Facilitator")


class Workshop(db.Model):
    __tablename__ = "workshops"
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(160), nullable=False)
    date = db.Column(db.Date, nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    anonymity = db.Column(db.String(20), nullable=False, default=Anonymity.PUBLIC.value)
    dots = db.Column(db.Integer, nullable=False, default=5)
    dots_per_item = db.Column(db.Integer, nullable=False, default=2)
    separate_budgets = db.Column(db.Boolean, nullable=False, default=False)
    sdg_limit = db.Column(db.Integer, nullable=False, default=3)
    results_to_participants = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    facilitators = db.relationship("Facilitator", secondary=workshop_facilitators)
    sessions = db.relationship("Session", back_populates="workshop", order_by="Session.id")


class Session(db.Model):
    """One parallel group of a workshop, in one language."""

    __tablename__ = "sessions"
    id = db.Column(db.Integer, primary_key=True)
    workshop_id = db.Column(db.ForeignKey("workshops.id"), nullable=False, index=True)
    name = db.Column(db.String(80), nullable=False)
    language = db.Column(db.String(10), nullable=False)
    join_code = db.Column(db.String(12), nullable=False, unique=True)
    phase = db.Column(db.String(20), nullable=False, default=Phase.LOBBY.value)
    phase_ends_at = db.Column(db.DateTime)
    seq = db.Column(db.Integer, nullable=False, default=0)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    workshop = db.relationship("Workshop", back_populates="sessions")


class Participant(db.Model):
    __tablename__ = "participants"
    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.ForeignKey("sessions.id"), nullable=False, index=True)
    display_name = db.Column(db.String(60), nullable=False)
    organisation = db.Column(db.String(120), nullable=False)
    country = db.Column(db.String(60), nullable=False)
    # bumped first in every vote or pick transaction: a row lock that serialises them
    lock_version = db.Column(db.Integer, nullable=False, default=0)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class Initiative(db.Model):
    """A good practice posted in dynamic one. Withdrawn ones are kept, marked withdrawn."""

    __tablename__ = "initiatives"
    __table_args__ = (
        UniqueConstraint("participant_id", "client_id"),
        # a board page: one session's initiatives, newest first, from any id down
        db.Index("ix_initiatives_session_board", "session_id", "id"),
    )
    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.ForeignKey("sessions.id"), nullable=False, index=True)
    participant_id = db.Column(db.ForeignKey("participants.id"), nullable=False)
    client_id = db.Column(db.String(64), nullable=False)
    title = db.Column(db.String(120), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    axis = db.Column(db.String(20), nullable=False)
    link = db.Column(db.String(500), nullable=False, default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    withdrawn_at = db.Column(db.DateTime)
    participant = db.relationship("Participant")
    sdg_links = db.relationship(
        "InitiativeSdg", cascade="all, delete-orphan", order_by="InitiativeSdg.sdg"
    )

    @property
    def sdgs(self):
        return [link.sdg for link in self.sdg_links]


class InitiativeSdg(db.Model):
    __tablename__ = "initiative_sdgs"
    initiative_id = db.Column(db.ForeignKey("initiatives.id"), primary_key=True)
    sdg = db.Column(db.Integer, primary_key=True)


class InitiativeCount(db.Model):
    """How many live initiatives of a session have an axis (`sdg` 0) or an axis and an SDG.

    Kept in the same transaction as every post, edit and withdrawal, so that results cost
    the same whatever the size of the board.
    """

    __tablename__ = "initiative_counts"
    session_id = db.Column(db.ForeignKey("sessions.id"), primary_key=True)
    axis = db.Column(db.String(20), primary_key=True)
    sdg = db.Column(db.Integer, primary_key=True)
    count = db.Column(db.Integer, nullable=False, default=0)


class ItemGroup(db.Model):
    """Items a facilitator merged because they say the same thing, across languages too."""

    __tablename__ = "item_groups"
    id = db.Column(db.Integer, primary_key=True)
    workshop_id = db.Column(db.ForeignKey("workshops.id"), nullable=False, index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class Item(db.Model):
    """A barrier or an enabler (dynamic two). Hidden ones are kept, shown to nobody."""

    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("session_id", "client_id"),)
    id = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.ForeignKey("sessions.id"), nullable=False, index=True)
    participant_id = db.Column(db.ForeignKey("participants.id"))
    facilitator_id = db.Column(db.ForeignKey("facilitators.id"))
    client_id = db.Column(db.String(64), nullable=False)
    kind = db.Column(db.String(10), nullable=False)
    text = db.Column(db.String(280), nullable=False)
    axis = db.Column(db.String(20))
    hidden = db.Column(db.Boolean, nullable=False, default=False)
    group_id = db.Column(db.ForeignKey("item_groups.id"), index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    participant = db.relationship("Participant")
    session = db.relationship("Session")


class Vote(db.Model):
    """One dot placed (+1) or taken back (-1): a ledger; a participant's dots are its sum."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("participant_id", "client_id"),)
    id = db.Column(db.Integer, primary_key=True)
    participant_id = db.Column(db.ForeignKey("participants.id"), nullable=False, index=True)
    session_id = db.Column(db.ForeignKey("sessions.id"), nullable=False, index=True)
    item_id = db.Column(db.ForeignKey("items.id"), nullable=False, index=True)
    delta = db.Column(db.Integer, nullable=False)
    client_id = db.Column(db.String(64), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class ItemDots(db.Model):
    """The dots on an item: the sum of its votes, kept in each vote's transaction."""

    __tablename__ = "item_dots"
    item_id = db.Column(db.ForeignKey("items.id"), primary_key=True)
    session_id = db.Column(db.ForeignKey("sessions.id"), nullable=False, index=True)
    dots = db.Column(db.Integer, nullable=False, default=0)


class ParticipantDots(db.Model):
    """The dots a participant has placed: the sum of their votes, kept like ItemDots."""

    __tablename__ = "participant_dots"
    participant_id = db.Column(db.ForeignKey("participants.id"), primary_key=True)
    session_id = db.Column(db.ForeignKey("sessions.id"), nullable=False, index=True)
    dots = db.Column(db.Integer, nullable=False, default=0)


class SdgPick(db.Model):
    """A participant's choice of an SDG as a main one for an axis."""

    __tablename__ = "sdg_picks"
    participant_id = db.Column(db.ForeignKey("participants.id"), primary_key=True)
    axis = db.Column(db.String(20), primary_key=True)
    sdg = db.Column(db.Integer, primary_key=True)
    session_id = db.Column(db.ForeignKey("sessions.id"), nullable=False, index=True)
