"""One declaration per event payload and per form. Each is a (frozen) dataclass whose
fields are the types of `types.py`; `check(Schema, payload)` returns an instance or raises
RuleError("invalid", ...). Who sends each: docs/api.md section 6 and the views' forms."""

from pydantic.dataclasses import dataclass

from ..domain.items import KINDS
from ..domain.taxonomy import taxonomy
from .types import (
    Axis,
    Bool,
    ClientId,
    Email,
    Id,
    IsoDate,
    Link,
    MaybeId,
    MultiLineText,
    OptionalAxis,
    Password,
    Sdg,
    Sdgs,
    SingleLineText,
    fail,
    field,
    one_of,
)

# --- participants' events ------------------------------------------------------------


@dataclass(frozen=True)
class InitiativeDraft:
    """The content of `initiative:post` and `initiative:edit` (and of an imported one)."""

    title: SingleLineText("initiative.title")
    description: MultiLineText("initiative.description")
    axis: Axis
    sdgs: Sdgs
    link: Link


@dataclass(frozen=True)
class ClientKey:
    """What `initiative:post`, `item:propose`, `item:add` and `vote:cast` are known by: a
    retried event carries the same `client_id`, checked before anything else."""

    client_id: ClientId


@dataclass(frozen=True)
class OwnInitiative:
    """`initiative:edit` and `initiative:withdraw` name one of the participant's initiatives."""

    id: MaybeId


@dataclass(frozen=True)
class ItemDraft:
    """`item:propose`, `item:add`, the fields `item:correct` changes, an imported item."""

    text: SingleLineText("item.text")
    kind: one_of(KINDS)
    axis: OptionalAxis


def _delta(value):
    if type(value) is not int or value not in (1, -1):
        raise fail("invalid")
    return value


@dataclass(frozen=True)
class VoteCast:
    """`vote:cast`: one dot placed (`delta` 1) or taken back (-1); `item_id` None names
    no item (answered not_found once the vote is known not to be a repeat)."""

    client_id: ClientId
    delta: field(_delta, int)
    item_id: MaybeId


def _pick_axis(value):
    if value not in taxonomy().axis_codes:
        raise fail("unknown")
    return value


@dataclass(frozen=True)
class SdgPickRequest:
    """`sdg:pick`; only its first wrong field is reported."""

    axis: field(_pick_axis, str)
    sdg: Sdg
    picked: Bool


@dataclass(frozen=True)
class InitiativePage:
    """`initiative:page`: the cursor of the next older page."""

    before_id: Id


@dataclass(frozen=True)
class ProjectorDisplay:
    """`workshop:set_projector`: results shown on the room screens or hidden until the
    reveal, and the whole-workshop screen's layout."""

    results_shown: Bool
    layout: one_of(("combined", "side_by_side"))


# --- forms -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantDraft:
    """The join form (`POST /j/<code>`)."""

    display_name: SingleLineText("participant.display_name")
    organisation: SingleLineText("participant.organisation")
    country: SingleLineText("participant.country")


@dataclass(frozen=True)
class WorkshopDraft:
    """The new workshop form (and an imported workshop's head)."""

    title: SingleLineText("workshop.title")
    date: IsoDate
    description: MultiLineText("workshop.description")


def _language(value, context):
    """One of the context's `languages` (without a context: a draft built from clean values)."""
    if "languages" in context and value not in context["languages"]:
        raise fail("unknown")
    return value


@dataclass(frozen=True)
class SessionDraft:
    """The add-session form; `language` one of the context's `languages`."""

    name: SingleLineText("session.name")
    language: field(_language, str)


@dataclass(frozen=True)
class AccountDraft:
    """The setup / invitation form of a facilitator account."""

    name: SingleLineText("account.name")
    email: Email
    password: Password
