"""Import a workshop export (docs/export-format.md) into this instance.

The whole file is checked while records are added in one transaction; any problem rolls
everything back, so a damaged or foreign file changes nothing.
"""

import datetime as dt
import json

from sqlalchemy.exc import IntegrityError

from ..domain.anonymity import Anonymity
from ..domain.errors import RuleError
from ..domain.join_codes import new_join_code, normalise_join_code
from ..domain.phases import Phase
from ..domain.taxonomy import taxonomy
from ..extensions import db
from ..models import (
    Initiative,
    InitiativeSdg,
    Item,
    ItemGroup,
    Participant,
    SdgPick,
    Session,
    Vote,
    Workshop,
)
from ..schemas import (
    LIMITS,
    validate_budget,
    validate_initiative,
    validate_item,
    validate_sdg_limit,
    validate_workshop,
)
from ..services import dot_counts, initiative_counts
from ..unit_of_work import work
from .backup import SCHEMA_VERSION


class ImportProblem(RuleError):
    """A file that cannot be imported; `detail` says where and why (for the person fixing
    the file, so it names JSON keys rather than interface words)."""

    def __init__(self, detail):
        super().__init__("import_invalid")
        self.detail = detail


def _need(condition, where, problem):
    if not condition:
        raise ImportProblem(f"{where}: {problem}")


def _time(value, where, optional=False):
    if value is None and optional:
        return None
    _need(isinstance(value, str), where, "expected a date and time")
    try:
        moment = dt.datetime.fromisoformat(value.removesuffix("Z"))
    except ValueError:
        raise ImportProblem(f"{where}: not a date and time") from None
    return moment.replace(tzinfo=None)


def _text(record, key, where, limit, required=True):
    value = record.get(key)
    _need(isinstance(value, str), f"{where}.{key}", "expected text")
    _need(len(value) <= limit, f"{where}.{key}", f"longer than {limit} characters")
    _need(value or not required, f"{where}.{key}", "empty")
    return value


def _list(data, key):
    value = data.get(key)
    _need(isinstance(value, list), key, "expected a list")
    _need(all(isinstance(r, dict) for r in value), key, "expected a list of objects")
    return value


def _once(seen, key, where):
    """Refuse a record whose natural key (e.g. participant and client id) came before."""
    _need(key not in seen, where, "repeats an earlier record")
    seen.add(key)


def _ref(mapping, value, where):
    _need(type(value) is int and value in mapping, where, "refers to no known record")
    return mapping[value]


def read_file(stream):
    """Parse and check the top level of an export file."""
    try:
        data = json.load(stream)
    except (UnicodeDecodeError, ValueError):
        raise ImportProblem("file: not a JSON document") from None
    _need(isinstance(data, dict), "file", "not a workshop export")
    _need("schema_version" in data and "workshop" in data, "file", "not a workshop export")
    _need(
        data["schema_version"] == SCHEMA_VERSION,
        "schema_version",
        f"version {data['schema_version']!r} is not supported (expected {SCHEMA_VERSION})",
    )
    return data


def import_workshop(data, facilitator, languages):
    """Create a new workshop from a checked export; the importer becomes its facilitator.

    Every id is new; join codes are kept where free. Nothing is written unless all is valid.
    """
    try:
        with work(), db.session.no_autoflush:
            workshop = _import(data, facilitator, languages)
        return workshop
    except ImportProblem:
        db.session.rollback()
        raise
    except RuleError as error:
        db.session.rollback()
        raise ImportProblem(f"workshop: invalid {sorted(error.fields) or error.code}") from None
    except IntegrityError as error:
        db.session.rollback()
        raise ImportProblem(f"file: duplicate records ({error.orig})") from None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        db.session.rollback()
        raise ImportProblem(f"file: malformed ({type(error).__name__}: {error})") from None


def _import(data, facilitator, languages):
    head = data["workshop"]
    _need(isinstance(head, dict), "workshop", "expected an object")
    draft = validate_workshop(
        {
            "title": head.get("title"),
            "date": head.get("date"),
            "description": head.get("description") or "",
        }
    )
    budget = validate_budget(
        {
            "dots": head.get("dots"),
            "per_item": head.get("dots_per_item"),
            "separate": head.get("separate_budgets") is True,
        }
    )
    anonymity = Anonymity.parse(head.get("anonymity"))
    _need(anonymity is not None, "workshop.anonymity", "unknown value")
    workshop = Workshop(
        title=draft.title,
        date=draft.date,
        description=draft.description,
        anonymity=anonymity.value,
        dots=budget.dots,
        dots_per_item=budget.per_item,
        separate_budgets=budget.separate,
        sdg_limit=validate_sdg_limit(head.get("sdg_limit")),
        results_to_participants=head.get("results_to_participants") is True,
        created_at=_time(head.get("created_at"), "workshop.created_at"),
    )
    workshop.facilitators.append(facilitator)
    db.session.add(workshop)

    sessions = {}
    taken = set(db.session.execute(db.select(Session.join_code)).scalars())
    for n, r in enumerate(_list(data, "sessions")):
        where = f"sessions[{n}]"
        _need(r.get("language") in languages, f"{where}.language", "no catalogue here")
        _need(Phase.parse(r.get("phase")) is not None, f"{where}.phase", "unknown phase")
        code = r.get("join_code")
        if normalise_join_code(code) != code or code in taken:
            code = new_join_code()
            while code in taken:
                code = new_join_code()
        taken.add(code)
        seq = r.get("seq")
        sessions[r.get("id")] = Session(
            workshop=workshop,
            name=_text(r, "name", where, LIMITS["session.name"]),
            language=r["language"],
            join_code=code,
            phase=r["phase"],
            seq=seq if type(seq) is int and seq >= 0 else 0,
            phase_ends_at=_time(r.get("phase_ends_at"), f"{where}.phase_ends_at", True),
            created_at=_time(r.get("created_at"), f"{where}.created_at"),
        )
    db.session.add_all(sessions.values())
    db.session.flush()

    people = {}
    for n, r in enumerate(_list(data, "participants")):
        where = f"participants[{n}]"
        people[r.get("id")] = Participant(
            session_id=_ref(sessions, r.get("session_id"), f"{where}.session_id").id,
            display_name=_text(
                r, "display_name", where, LIMITS["participant.display_name"], required=False
            ),
            organisation=_text(
                r, "organisation", where, LIMITS["participant.organisation"], required=False
            ),
            country=_text(r, "country", where, LIMITS["participant.country"], required=False),
            created_at=_time(r.get("created_at"), f"{where}.created_at"),
        )
    db.session.add_all(people.values())
    db.session.flush()

    seen = set()
    for n, r in enumerate(_list(data, "initiatives")):
        where = f"initiatives[{n}]"
        try:
            clean = validate_initiative(r)
        except RuleError as error:
            raise ImportProblem(f"{where}: invalid {sorted(error.fields) or 'record'}") from None
        author = _ref(people, r.get("participant_id"), f"{where}.participant_id")
        home = _ref(sessions, r.get("session_id"), f"{where}.session_id")
        _need(author.session_id == home.id, where, "participant of another session")
        _once(seen, ("initiative", author.id, r.get("client_id")), where)
        initiative = Initiative(
            session_id=home.id,
            participant_id=author.id,
            client_id=_text(r, "client_id", where, LIMITS["client_id"]),
            title=clean.title,
            description=clean.description,
            axis=clean.axis,
            link=clean.link,
            created_at=_time(r.get("created_at"), f"{where}.created_at"),
            updated_at=_time(r.get("updated_at"), f"{where}.updated_at"),
            withdrawn_at=_time(r.get("withdrawn_at"), f"{where}.withdrawn_at", True),
        )
        initiative.sdg_links = [InitiativeSdg(sdg=s) for s in clean.sdgs]
        db.session.add(initiative)
    db.session.flush()
    initiative_counts.rebuild(db.session.connection(), [s.id for s in sessions.values()])

    groups = {}
    for n, r in enumerate(_list(data, "item_groups")):
        groups[r.get("id")] = ItemGroup(
            workshop_id=workshop.id,
            created_at=_time(r.get("created_at"), f"item_groups[{n}].created_at"),
        )
    db.session.add_all(groups.values())
    db.session.flush()

    items, group_kinds = {}, {}
    for n, r in enumerate(_list(data, "items")):
        where = f"items[{n}]"
        try:
            clean = validate_item(r)
        except RuleError as error:
            raise ImportProblem(f"{where}: invalid {sorted(error.fields) or 'record'}") from None
        home = _ref(sessions, r.get("session_id"), f"{where}.session_id")
        author = None
        if r.get("participant_id") is not None:
            author = _ref(people, r.get("participant_id"), f"{where}.participant_id")
            _need(author.session_id == home.id, where, "participant of another session")
            author = author.id
        group = None
        if r.get("group_id") is not None:
            group = _ref(groups, r.get("group_id"), f"{where}.group_id").id
            _need(
                group_kinds.setdefault(group, clean.kind) == clean.kind,
                where,
                "a group holds barriers and enablers together",
            )
        _once(seen, ("item", home.id, r.get("client_id")), where)
        items[r.get("id")] = Item(
            session_id=home.id,
            participant_id=author,
            facilitator_id=facilitator.id if r.get("by_facilitator") is True else None,
            client_id=_text(r, "client_id", where, LIMITS["client_id"]),
            kind=clean.kind,
            text=clean.text,
            axis=clean.axis,
            hidden=r.get("hidden") is True,
            group_id=group,
            created_at=_time(r.get("created_at"), f"{where}.created_at"),
            updated_at=_time(r.get("updated_at"), f"{where}.updated_at"),
        )
    db.session.add_all(items.values())
    db.session.flush()

    for n, r in enumerate(_list(data, "votes")):
        where = f"votes[{n}]"
        _need(
            r.get("delta") in (1, -1) and type(r.get("delta")) is int,
            f"{where}.delta",
            "must be 1 or -1",
        )
        home = _ref(sessions, r.get("session_id"), f"{where}.session_id")
        voter = _ref(people, r.get("participant_id"), f"{where}.participant_id")
        _need(voter.session_id == home.id, where, "participant of another session")
        _once(seen, ("vote", voter.id, r.get("client_id")), where)
        db.session.add(
            Vote(
                session_id=home.id,
                participant_id=voter.id,
                item_id=_ref(items, r.get("item_id"), f"{where}.item_id").id,
                delta=r["delta"],
                client_id=_text(r, "client_id", where, LIMITS["client_id"]),
                created_at=_time(r.get("created_at"), f"{where}.created_at"),
            )
        )
    db.session.flush()
    dot_counts.rebuild(db.session.connection(), [s.id for s in sessions.values()])

    tax = taxonomy()
    for n, r in enumerate(_list(data, "sdg_picks")):
        where = f"sdg_picks[{n}]"
        _need(r.get("axis") in tax.axis_codes, f"{where}.axis", "unknown axis")
        _need(
            r.get("sdg") in tax.sdg_numbers and type(r.get("sdg")) is int,
            f"{where}.sdg",
            "unknown SDG",
        )
        home = _ref(sessions, r.get("session_id"), f"{where}.session_id")
        picker = _ref(people, r.get("participant_id"), f"{where}.participant_id")
        _need(picker.session_id == home.id, where, "participant of another session")
        _once(seen, ("pick", picker.id, r["axis"], r["sdg"]), where)
        db.session.add(
            SdgPick(
                session_id=home.id,
                participant_id=picker.id,
                axis=r["axis"],
                sdg=r["sdg"],
            )
        )
    db.session.flush()
    return workshop
