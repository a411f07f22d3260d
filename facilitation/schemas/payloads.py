"""One declaration per event payload and per form. Each is a (frozen) dataclass whose
fields are the types of `types.py`; `check(Schema, payload)` returns an instance or raises
RuleError("invalid", ...). Who sends each: docs/api.md section 6 and the views' forms."""

import re
from collections.abc import Mapping

from pydantic import ValidationError, model_validator
from pydantic.dataclasses import dataclass

from ..domain.anonymity import Anonymity
from ..domain.items import KINDS
from ..domain.phases import Phase
from ..domain.taxonomy import taxonomy
from .limits import NUMBERS
from .types import (
    MISSING,
    UNSTORABLE,
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
    problems_error,
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


# --- facilitators' events -------------------------------------------------------------


def whole(value):
    """A whole number given as an int (never a bool) or as 1 to 4 digits, spaces around
    allowed (a form's value); else None."""
    if type(value) is int:
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,4}", value.strip()):
        return int(value)
    return None


def Count(name):  # noqa: N802 (a type)
    """A whole number within NUMBERS[name] (read when a payload is checked), else invalid."""

    def check(value):
        number = whole(value)
        low, high = NUMBERS[name]
        if number is None or not low <= number <= high:
            raise fail("invalid")
        return number

    return field(check, int)


@dataclass(frozen=True)
class DotBudget:
    """The budget of `workshop:set_voting_rules` (and of an imported workshop): every wrong
    field at once. `separate` is true for `true`, "1", "on", "true"; anything else false."""

    dots: Count("dots")
    per_item: Count("per_item")
    separate: field(lambda value: value in (True, "1", "on", "true"), bool)

    @model_validator(mode="wrap")
    @classmethod
    def _per_item_within_budget(cls, values, handler):
        """A `per_item` above the dots asked for is `above_budget`, also when those dots
        are themselves out of range (0, say); a `dots` that is no number is not compared."""
        try:
            budget, problems = handler(values), []
        except ValidationError as error:
            budget, problems = None, error.errors()
        asked = whole(values.get("dots")) if isinstance(values, Mapping) else None
        per_item_valid = all(p["loc"] != ("per_item",) for p in problems)
        if asked is not None and per_item_valid and whole(values.get("per_item")) > asked:
            problems.append({"type": "above_budget", "loc": ("per_item",), "input": None})
        if problems:
            raise problems_error(cls.__name__, problems)
        return budget


@dataclass(frozen=True)
class SdgLimit:
    """`sdg_limit` of `workshop:set_voting_rules`: SDGs a participant picks per axis."""

    sdg_limit: Count("sdg_limit")


def _phase(value):
    phase = Phase.parse(value)
    if phase is None:
        raise fail("unknown")
    return phase


def _minutes(value):
    """A countdown: absent, `null`, 0, `false` and "" mean none (None); else a number above
    the lowest and at most the highest of NUMBERS["minutes"], fractions allowed."""
    if value is MISSING or value in (None, "", 0):
        return None
    low, high = NUMBERS["minutes"]
    if type(value) not in (int, float) or not low < value <= high:
        raise fail("invalid")
    return value


def _maybe_bool(value):
    """A bool, or absent / `null` (None: left as it is)."""
    if value is MISSING or value is None:
        return None
    if not isinstance(value, bool):
        raise fail("invalid")
    return value


@dataclass(frozen=True)
class PhaseChange:
    """`session:set_phase`; only its first wrong field is reported. `auto_close` absent
    leaves the session's choice as it is."""

    phase: field(_phase, Phase)
    minutes: field(_minutes, int | float | None)
    auto_close: field(_maybe_bool, bool | None)


@dataclass(frozen=True)
class CountdownAction:
    """`session:countdown`: `action` "pause", "resume" or "add_minute"."""

    action: one_of(("pause", "resume", "add_minute"))


@dataclass(frozen=True)
class AutoClose:
    """`session:set_auto_close`: whether the phase closes when its countdown reaches zero."""

    auto_close: Bool


def _anonymity(value):
    anonymity = Anonymity.parse(value)
    if anonymity is None:
        raise fail("unknown")
    return anonymity.value


def _optional_bool(value):
    """A bool; absent means False."""
    if value is MISSING:
        return False
    if not isinstance(value, bool):
        raise fail("invalid")
    return value


@dataclass(frozen=True)
class DisplaySettings:
    """`workshop:set_display`, checked over the workshop's current settings (an absent field
    stays as it is); only its first wrong field is reported."""

    anonymity: field(_anonymity, str)
    results_to_participants: Bool
    authors_translate: field(_optional_bool, bool)


@dataclass(frozen=True)
class HiddenFlag:
    """`item:set_hidden` and `initiative:set_hidden`: `hidden` a bool."""

    hidden: Bool


@dataclass(frozen=True)
class InitiativeCorrection:
    """`initiative:correct`: the corrected wording (a field left out keeps its text)."""

    title: SingleLineText("initiative.title")
    description: MultiLineText("initiative.description")


def _item_ids(value):
    """A list of integers (each then looked up: not_found); repeated ids count once."""
    if not isinstance(value, list) or any(type(i) is not int for i in value):
        raise fail("invalid")
    return tuple(dict.fromkeys(value))


@dataclass(frozen=True)
class MergeRequest:
    """`item:merge`: the items to merge into one group."""

    item_ids: field(_item_ids, tuple[int, ...])


def _item_pair(value):
    """Two different integers (each then looked up: not_found)."""
    ids = _item_ids(value)
    if len(ids) != 2:
        raise fail("invalid")
    return ids


@dataclass(frozen=True)
class MergePair:
    """`merge:dismiss` and `merge:restore`: the two items of a suggested pair."""

    item_ids: field(_item_pair, tuple[int, int])


def _view(value):
    if value is MISSING:
        return "dashboard"
    if value not in ("dashboard", "projector"):
        raise fail("unknown")
    return value


@dataclass(frozen=True)
class WatchRequest:
    """`workshop:watch`: a dashboard (`view` "dashboard", the default) or a room screen
    ("projector") opens."""

    view: field(_view, str)


@dataclass(frozen=True)
class SnapshotRequest:
    """`session:snapshot`: `since_seq` a facilitator's board is at, or None (anything but an
    int asks for the whole state, never an error)."""

    since_seq: field(lambda value: value if type(value) is int else None, int | None)


@dataclass(frozen=True)
class ProjectorDisplay:
    """`workshop:set_projector`: results shown on the room screens or hidden until the
    reveal, and the whole-workshop screen's layout."""

    results_shown: Bool
    layout: one_of(("combined", "side_by_side"))


SUBJECT_FIELDS = {"initiative": ("title", "description"), "item": ("text",)}


def _language(value):
    """A language code; the service checks it is one the app speaks."""
    if not isinstance(value, str) or not re.fullmatch(r"[a-z]{2,3}", value):
        raise fail("unknown")
    return value


@dataclass(frozen=True)
class TranslationCorrection:
    """`translation:correct`: a person's translation of one field of an initiative or an
    item into one language (the service checks the language is one the app speaks)."""

    subject: one_of(tuple(SUBJECT_FIELDS))
    subject_id: Id
    field: one_of(("title", "description", "text"))
    language: field(_language, str)
    text: MultiLineText("translation.text", required=True)


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


def _lenient_email(value):
    """Trimmed, lower case; "" for what no account's email can be, text no database stores
    included (a NUL, a lone surrogate): the sign-in then looks for no one."""
    if not isinstance(value, str) or UNSTORABLE.search(value):
        return ""
    return value.strip().lower()


@dataclass(frozen=True)
class Credentials:
    """The sign-in form: never refused as such (a wrong value is just no one's credentials;
    the page then says `bad_credentials`). The email trimmed, in lower case."""

    email: field(_lenient_email, str)
    password: field(lambda value: value if isinstance(value, str) else "", str)


@dataclass(frozen=True)
class Invitation:
    """An invitation (`flask facilitator invite EMAIL --name NAME`); without a name the
    account is called by its email."""

    email: Email
    name: SingleLineText("account.name", required=False)


@dataclass(frozen=True)
class AccountDraft:
    """The setup / invitation form of a facilitator account."""

    name: SingleLineText("account.name")
    email: Email
    password: Password
