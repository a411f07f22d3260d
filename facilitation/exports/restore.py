"""Import a workshop export (docs/export-format.md) into this instance.

Records are checked and added in one transaction (import_rules.py checks what spans
records: ids, numbers, the voting ledger); any problem rolls everything back, so a damaged,
foreign or impossible file changes nothing.
"""

import datetime as dt

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
    Translation,
    Vote,
    Workshop,
)
from ..schemas import (
    LIMITS,
    client_id_of,
    validate_budget,
    validate_initiative,
    validate_item,
    validate_participant,
    validate_sdg_limit,
    validate_session,
    validate_workshop,
)
from ..services import dot_counts, initiative_counts
from ..unit_of_work import run
from .import_rules import (
    ImportProblem,
    check_history,
    check_shape,
    read_file,
    translations,
)
from .import_rules import need as _need
from .import_rules import records as _list

__all__ = ["ImportProblem", "import_workshop", "read_file"]


def _time(value, where, optional=False):
    if value is None and optional:
        return None
    _need(isinstance(value, str), where, "expected a date and time")
    try:
        moment = dt.datetime.fromisoformat(value.removesuffix("Z"))
    except ValueError:
        raise ImportProblem(f"{where}: not a date and time") from None
    return moment.replace(tzinfo=None)


def _client_id(record, where):
    try:
        return client_id_of(record)
    except RuleError:
        raise ImportProblem(f"{where}.client_id: invalid") from None


def _valid(validate, record, where, *args):
    """`validate(record)`, a schema's check, with its problems named under `where`."""
    try:
        return validate(record, *args)
    except RuleError as error:
        raise ImportProblem(f"{where}: invalid {sorted(error.fields) or 'record'}") from None


def _once(seen, key, where):
    """Refuse a record whose natural key (e.g. participant and client id) came before."""
    _need(key not in seen, where, "repeats an earlier record")
    seen.add(key)


def _ref(mapping, value, where):
    _need(type(value) is int and value in mapping, where, "refers to no known record")
    return mapping[value]


def _import_unflushed(data, facilitator, languages):
    with db.session.no_autoflush:
        return _import(data, facilitator, languages)


def import_workshop(data, facilitator, languages):
    """Create a new workshop from a checked export; the importer becomes its facilitator.

    Every id is new; join codes are kept where free. Nothing is written unless all is valid.
    """
    try:
        return run(lambda: _import_unflushed(data, facilitator, languages))
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
    check_shape(data)
    head = data["workshop"]
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
            "separate": head["separate_budgets"],
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
        results_to_participants=head["results_to_participants"],
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
        draft = _valid(validate_session, r, where, languages)
        sessions[r["id"]] = Session(
            workshop=workshop,
            name=draft.name,
            language=draft.language,
            join_code=code,
            phase=r["phase"],
            seq=r["seq"],
            phase_ends_at=_time(r.get("phase_ends_at"), f"{where}.phase_ends_at", True),
            created_at=_time(r.get("created_at"), f"{where}.created_at"),
        )
    db.session.add_all(sessions.values())
    db.session.flush()

    people = {}
    for n, r in enumerate(_list(data, "participants")):
        where = f"participants[{n}]"
        session_id = _ref(sessions, r.get("session_id"), f"{where}.session_id").id
        # the join form requires a name; an export of a workshop whose names are hidden
        # leaves them out ("")
        named = r.get("display_name") != ""
        draft = _valid(validate_participant, r if named else {**r, "display_name": "-"}, where)
        people[r["id"]] = Participant(
            session_id=session_id,
            display_name=draft.display_name if named else "",
            organisation=draft.organisation,
            country=draft.country,
            created_at=_time(r.get("created_at"), f"{where}.created_at"),
            # entered by a facilitator: the importer stands for them (older files: no one)
            entered_by_id=facilitator.id if r.get("entered_by_facilitator") else None,
        )
    db.session.add_all(people.values())
    db.session.flush()

    seen, posted = set(), {}
    for n, r in enumerate(_list(data, "initiatives")):
        where = f"initiatives[{n}]"
        clean = _valid(validate_initiative, r, where)
        author = _ref(people, r.get("participant_id"), f"{where}.participant_id")
        home = _ref(sessions, r.get("session_id"), f"{where}.session_id")
        _need(author.session_id == home.id, where, "participant of another session")
        client_id = _client_id(r, where)
        _once(seen, ("initiative", author.id, client_id), where)
        initiative = Initiative(
            session_id=home.id,
            participant_id=author.id,
            client_id=client_id,
            title=clean.title,
            description=clean.description,
            axis=clean.axis,
            link=clean.link,
            created_at=_time(r.get("created_at"), f"{where}.created_at"),
            updated_at=_time(r.get("updated_at"), f"{where}.updated_at"),
            withdrawn_at=_time(r.get("withdrawn_at"), f"{where}.withdrawn_at", True),
            hidden=r.get("hidden", False),
            original_title=r.get("original_title"),
            original_description=r.get("original_description"),
            corrected_at=_time(r.get("corrected_at"), f"{where}.corrected_at", True),
        )
        initiative.sdg_links = [InitiativeSdg(sdg=s) for s in clean.sdgs]
        db.session.add(initiative)
        posted[r["id"]] = initiative
    db.session.flush()
    initiative_counts.rebuild(db.session.connection(), [s.id for s in sessions.values()])

    groups = {}
    for n, r in enumerate(_list(data, "item_groups")):
        groups[r["id"]] = ItemGroup(
            workshop_id=workshop.id,
            created_at=_time(r.get("created_at"), f"item_groups[{n}].created_at"),
        )
    db.session.add_all(groups.values())
    db.session.flush()

    items, group_kinds = {}, {}
    for n, r in enumerate(_list(data, "items")):
        where = f"items[{n}]"
        clean = _valid(validate_item, r, where)
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
        client_id = _client_id(r, where)
        _once(seen, ("item", home.id, client_id), where)
        items[r["id"]] = Item(
            session_id=home.id,
            participant_id=author,
            facilitator_id=facilitator.id if r["by_facilitator"] else None,
            client_id=client_id,
            kind=clean.kind,
            text=clean.text,
            axis=clean.axis,
            hidden=r["hidden"],
            original_text=r.get("original_text"),
            corrected_at=_time(r.get("corrected_at"), f"{where}.corrected_at", True),
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
        client_id = _client_id(r, where)
        _once(seen, ("vote", voter.id, client_id), where)
        db.session.add(
            Vote(
                session_id=home.id,
                participant_id=voter.id,
                item_id=_ref(items, r.get("item_id"), f"{where}.item_id").id,
                delta=r["delta"],
                client_id=client_id,
                created_at=_time(r.get("created_at"), f"{where}.created_at"),
            )
        )
    check_history(data, budget)
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
    _import_translations(data, workshop, {"initiative": posted, "item": items}, languages)
    return workshop


FIELDS = {"initiative": ("title", "description"), "item": ("text",)}


def _import_translations(data, workshop, subjects, languages):
    """The file's translations (none before schema version 2), on the new ids."""
    seen = set()
    for n, r in enumerate(translations(data)):
        where = f"translations[{n}]"
        subject, field = r.get("subject"), r.get("field")
        _need(subject in FIELDS, f"{where}.subject", "expected initiative or item")
        _need(field in FIELDS[subject], f"{where}.field", f"no such field of an {subject}")
        found = _ref(subjects[subject], r.get("subject_id"), f"{where}.subject_id")
        for key in ("language", "source_language"):
            _need(r.get(key) in languages, f"{where}.{key}", "no catalogue here")
        _need(r.get("origin") in ("machine", "human"), f"{where}.origin", "unknown origin")
        text, digest, by = r.get("text"), r.get("source_digest"), r.get("translated_by")
        longest = 4 * LIMITS[f"{subject}.{field}"]
        _need(isinstance(text, str) and 0 < len(text) <= longest, f"{where}.text", "invalid")
        _need(
            isinstance(digest, str)
            and len(digest) == 64
            and set(digest) <= set("0123456789abcdef"),
            f"{where}.source_digest",
            "expected a SHA-256 in hex",
        )
        _need(
            by is None or (isinstance(by, str) and len(by) <= 80),
            f"{where}.translated_by",
            "invalid",
        )
        key = (subject, r["subject_id"], field, r["language"])
        _once(seen, key, where)
        db.session.add(
            Translation(
                workshop_id=workshop.id,
                subject=subject,
                subject_id=found.id,
                field=field,
                source_language=r["source_language"],
                language=r["language"],
                text=text,
                source_digest=digest,
                origin=r["origin"],
                translated_by=by,
                created_at=_time(r.get("created_at"), f"{where}.created_at"),
                updated_at=_time(r.get("updated_at"), f"{where}.updated_at"),
            )
        )
    db.session.flush()
