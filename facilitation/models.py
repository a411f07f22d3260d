"""Database tables. Phases, item kinds and anonymity settings are enums, stored as their
string values and held to them by a CHECK constraint; axes, SDGs and languages are plain
values (they come from the taxonomy and the translations, not from the code)."""

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .domain.anonymity import Anonymity
from .domain.items import ItemKind
from .domain.phases import Phase
from .extensions import db


def utcnow():
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def stored_enum(enum: type[StrEnum], length: int, name: str) -> sa.Enum:
    """A column type holding `enum`'s values (not its names) in a VARCHAR of `length`, and
    a CHECK constraint called `name` that refuses any other value."""
    return sa.Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        length=length,
    )


workshop_facilitators = db.Table(
    "workshop_facilitators",
    sa.Column("workshop_id", sa.ForeignKey("workshops.id"), primary_key=True),
    sa.Column("facilitator_id", sa.ForeignKey("facilitators.id"), primary_key=True),
)


class Facilitator(UserMixin, db.Model):
    __tablename__ = "facilitators"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")


class AccountToken(db.Model):
    """A one-time link: the first facilitator's setup, or an invitation to set a password."""

    __tablename__ = "account_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    facilitator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("facilitators.id"))
    workshop_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workshops.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    used_at: Mapped[dt.datetime | None]
    facilitator: Mapped[Facilitator | None] = relationship()


class Workshop(db.Model):
    __tablename__ = "workshops"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(160))
    date: Mapped[dt.date]
    description: Mapped[str] = mapped_column(sa.Text, default="")
    anonymity: Mapped[Anonymity] = mapped_column(
        stored_enum(Anonymity, 20, "ck_workshops_anonymity"), default=Anonymity.PUBLIC
    )
    dots: Mapped[int] = mapped_column(default=5)
    dots_per_item: Mapped[int] = mapped_column(default=2)
    separate_budgets: Mapped[bool] = mapped_column(default=False)
    sdg_limit: Mapped[int] = mapped_column(default=3)
    results_to_participants: Mapped[bool] = mapped_column(default=False)
    # the room screen: rankings and heatmaps shown (or hidden until the reveal), and how
    # the whole-workshop screen lays out its sessions ("combined" or "side_by_side")
    projector_results: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    projector_layout: Mapped[str] = mapped_column(
        sa.String(20), default="combined", server_default="combined"
    )
    # authors may replace the machine translation of their own texts
    authors_translate: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    facilitators: Mapped[list[Facilitator]] = relationship(secondary=workshop_facilitators)
    sessions: Mapped[list["Session"]] = relationship(
        back_populates="workshop", order_by="Session.id"
    )


class Session(db.Model):
    """One parallel group of a workshop, in one language."""

    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    language: Mapped[str] = mapped_column(sa.String(10))
    join_code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    phase: Mapped[Phase] = mapped_column(
        stored_enum(Phase, 20, "ck_sessions_phase"), default=Phase.LOBBY
    )
    phase_ends_at: Mapped[dt.datetime | None]
    phase_started_at: Mapped[dt.datetime | None]
    # the countdown, paused: the seconds it had left (phase_ends_at is then empty)
    phase_paused_seconds: Mapped[int | None]
    # the phase's writes are refused once its countdown reaches zero
    phase_auto_close: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    workshop: Mapped[Workshop] = relationship(back_populates="sessions")


class Participant(db.Model):
    __tablename__ = "participants"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id"), index=True)
    display_name: Mapped[str] = mapped_column(sa.String(60))
    organisation: Mapped[str] = mapped_column(sa.String(120))
    country: Mapped[str] = mapped_column(sa.String(60))
    # the facilitator who entered this participant on their behalf (no device of their own)
    entered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("facilitators.id", name="fk_participants_entered_by_id_facilitators")
    )
    # bumped first in every vote or pick transaction: a row lock that serialises them
    lock_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def entered_by_facilitator(self) -> bool:
        """Someone a facilitator entered, without a device of their own."""
        return self.entered_by_id is not None


class Initiative(db.Model):
    """A good practice posted in dynamic one. Withdrawn ones are kept, marked withdrawn."""

    __tablename__ = "initiatives"
    __table_args__ = (
        sa.UniqueConstraint("participant_id", "client_id"),
        # a board page: one session's initiatives, newest first, from any id down
        sa.Index("ix_initiatives_session_board", "session_id", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id"), index=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id"))
    client_id: Mapped[str] = mapped_column(sa.String(64))
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    axis: Mapped[str] = mapped_column(sa.String(20))
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[dt.datetime | None]
    # moderation: hidden from participants and results (kept, can be shown again), and the
    # author's own wording kept when a facilitator corrects it
    hidden: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    original_title: Mapped[str | None] = mapped_column(sa.String(120))
    original_description: Mapped[str | None] = mapped_column(sa.Text)
    corrected_at: Mapped[dt.datetime | None]
    participant: Mapped[Participant] = relationship()
    sdg_links: Mapped[list["InitiativeSdg"]] = relationship(
        cascade="all, delete-orphan", order_by="InitiativeSdg.sdg"
    )

    @property
    def sdgs(self) -> list[int]:
        return [link.sdg for link in self.sdg_links]


class InitiativeSdg(db.Model):
    __tablename__ = "initiative_sdgs"
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id"), primary_key=True)
    sdg: Mapped[int] = mapped_column(primary_key=True)


class InitiativeCount(db.Model):
    """How many live initiatives of a session have an axis (`sdg` 0) or an axis and an SDG.

    Kept in the same transaction as every post, edit and withdrawal, so that results cost
    the same whatever the size of the board.
    """

    __tablename__ = "initiative_counts"
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id"), primary_key=True)
    axis: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    sdg: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class ItemGroup(db.Model):
    """Items a facilitator merged because they say the same thing, across languages too."""

    __tablename__ = "item_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Item(db.Model):
    """A barrier or an enabler (dynamic two). Hidden ones are kept, shown to nobody."""

    __tablename__ = "items"
    __table_args__ = (sa.UniqueConstraint("session_id", "client_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("participants.id"))
    facilitator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("facilitators.id"))
    client_id: Mapped[str] = mapped_column(sa.String(64))
    kind: Mapped[ItemKind] = mapped_column(stored_enum(ItemKind, 10, "ck_items_kind"))
    text: Mapped[str] = mapped_column(sa.String(280))
    axis: Mapped[str | None] = mapped_column(sa.String(20))
    hidden: Mapped[bool] = mapped_column(default=False)
    # the author's own wording, kept when a facilitator corrects it
    original_text: Mapped[str | None] = mapped_column(sa.String(280))
    corrected_at: Mapped[dt.datetime | None]
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("item_groups.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    participant: Mapped[Participant | None] = relationship()
    session: Mapped[Session] = relationship()


class Vote(db.Model):
    """One dot placed (+1) or taken back (-1): a ledger; a participant's dots are its sum."""

    __tablename__ = "votes"
    __table_args__ = (sa.UniqueConstraint("participant_id", "client_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id"), index=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id"), index=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id"), index=True)
    delta: Mapped[int]
    client_id: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ItemDots(db.Model):
    """The dots on an item: the sum of its votes, kept in each vote's transaction."""

    __tablename__ = "item_dots"
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id"), primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id"), index=True)
    dots: Mapped[int] = mapped_column(default=0)


class ParticipantDots(db.Model):
    """The dots a participant has placed: the sum of their votes, kept like ItemDots."""

    __tablename__ = "participant_dots"
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id"), primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id"), index=True)
    dots: Mapped[int] = mapped_column(default=0)


class SdgPick(db.Model):
    """A participant's choice of an SDG as a main one for an axis."""

    __tablename__ = "sdg_picks"
    participant_id: Mapped[int] = mapped_column(sa.ForeignKey("participants.id"), primary_key=True)
    axis: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    sdg: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id"), index=True)


class MergeDismissal(db.Model):
    """A suggested pair of duplicate items a facilitator said are not the same (`item_a_id`
    is the smaller id); the pair is not suggested again."""

    __tablename__ = "merge_dismissals"
    item_a_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id"), primary_key=True)
    item_b_id: Mapped[int] = mapped_column(sa.ForeignKey("items.id"), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Translation(db.Model):
    """One field of a participant's text (an initiative's title or description, an item's
    text) in another language: by the machine, or by a person, who wins from then on.
    `source_digest` is the digest of the text it translates: a changed text is translated
    again."""

    __tablename__ = "translations"
    __table_args__ = (sa.UniqueConstraint("subject", "subject_id", "field", "language"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id"), index=True)
    subject: Mapped[str] = mapped_column(sa.String(12))  # "initiative" or "item"
    subject_id: Mapped[int]
    field: Mapped[str] = mapped_column(sa.String(20))  # "title", "description" or "text"
    source_language: Mapped[str] = mapped_column(sa.String(10))
    language: Mapped[str] = mapped_column(sa.String(10))
    text: Mapped[str] = mapped_column(sa.Text)
    source_digest: Mapped[str] = mapped_column(sa.String(64))
    origin: Mapped[str] = mapped_column(sa.String(10))  # "machine" or "human"
    translated_by: Mapped[str | None] = mapped_column(sa.String(80))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
