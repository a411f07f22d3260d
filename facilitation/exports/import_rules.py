"""What an import refuses beyond one record's fields: a file the app could not have written.

restore.py calls `read_file` (a parse with a depth limit), `check_shape` before it writes
anything (ids, numbers and flags the database columns hold) and `check_history` once every
record has passed its own checks (the voting ledger replayed under the workshop's budget,
hidden items, merged groups, who added each item). Each refusal is an ImportProblem naming
the JSON path of the record, e.g. `votes[7].delta: more than 2 dots on one item`.
"""

import json
import re
from itertools import accumulate

import sqlalchemy as sa

from ..domain.errors import RuleError
from ..domain.ledger import Ledger
from ..models import Session
from ..schemas import ID_MAX, LIMITS, is_id
from ..schemas.types import UNSTORABLE
from .backup import READABLE_VERSIONS

# the format nests four deep (file, list, record, a record's `sdgs`); what is deeper than
# this is refused before it is parsed
MAX_DEPTH = 8
LISTS = ("sessions", "participants", "initiatives", "item_groups", "items", "votes", "sdg_picks")
WITH_IDS = LISTS[:-1]


def _largest(column):
    """The largest value `column` holds on every database the app runs on."""
    if isinstance(column.type, sa.BigInteger):
        return 2**63 - 1
    if isinstance(column.type, sa.SmallInteger):
        return 2**15 - 1
    return 2**31 - 1  # INTEGER on PostgreSQL


# a session's `seq` is bumped by one on every change: the next bump must still fit
SEQ_MAX = _largest(Session.__table__.c.seq) - 1


class ImportProblem(RuleError):
    """A file that cannot be imported; `detail` says where and why (for the person fixing
    the file, so it names JSON keys rather than interface words)."""

    def __init__(self, detail):
        super().__init__("import_invalid")
        self.detail = detail


def need(condition, where, problem):
    if not condition:
        raise ImportProblem(f"{where}: {problem}")


# --- parsing -----------------------------------------------------------------------------

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def nesting(text):
    """How deep the arrays and objects of a JSON text nest (brackets inside strings left
    out), found without recursion."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text)).encode("ascii")
    return max(accumulate(memoryview(brackets.translate(_STEPS)).cast("b")), default=0)


class _Repeated(dict):
    """An object in which a key came twice (`repeated`): the app never writes one."""

    repeated = None


def _object(pairs):
    record = dict(pairs)
    if len(record) < len(pairs):
        keys = [key for key, _value in pairs]
        record = _Repeated(record)
        record.repeated = next(key for key in keys if keys.count(key) > 1)
    return record


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def read_file(stream):
    """Parse and check the top level of an export file (UTF-8, -16 or -32, as JSON allows)."""
    raw = stream.read()
    try:
        text = raw.decode(json.detect_encoding(raw), "surrogatepass")
    except (UnicodeDecodeError, LookupError):
        raise ImportProblem("file: not a JSON document") from None
    need(nesting(text) <= MAX_DEPTH, "file", f"nested more than {MAX_DEPTH} deep")
    try:
        data = json.loads(text, object_pairs_hook=_object, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise ImportProblem("file: not a JSON document") from None
    need(isinstance(data, dict), "file", "not a workshop export")
    need("schema_version" in data and "workshop" in data, "file", "not a workshop export")
    readable = " or ".join(str(v) for v in READABLE_VERSIONS)
    need(
        data["schema_version"] in READABLE_VERSIONS and type(data["schema_version"]) is int,
        "schema_version",
        f"version {data['schema_version']!r} is not supported (expected {readable})",
    )
    _once_per_key(data, "file")
    return data


def _once_per_key(record, where):
    if isinstance(record, _Repeated):
        raise ImportProblem(f"{where}: the key {record.repeated!r} appears twice")


# --- before anything is written ----------------------------------------------------------


def records(data, key):
    """The list `key` of the file, checked to be a list of objects."""
    value = data.get(key)
    need(isinstance(value, list), key, "expected a list")
    need(all(isinstance(r, dict) for r in value), key, "expected a list of objects")
    return value


def check_shape(data):
    """Refuse keys twice in an object, ids out of range or repeated within a list, numbers
    the columns cannot hold and flags that are not true or false."""
    head = data["workshop"]
    need(isinstance(head, dict), "workshop", "expected an object")
    _once_per_key(head, "workshop")
    for key in ("dots", "dots_per_item", "sdg_limit"):
        need(type(head.get(key)) is int, f"workshop.{key}", "expected a whole number")
    for key in ("separate_budgets", "results_to_participants"):
        _flag(head, key, "workshop")
    for key in LISTS:
        seen = {}
        for n, record in enumerate(records(data, key)):
            where = f"{key}[{n}]"
            _once_per_key(record, where)
            if key in WITH_IDS:
                _id(record.get("id"), seen, key, n)
    for n, session in enumerate(data["sessions"]):
        seq = session.get("seq")
        need(
            type(seq) is int and 0 <= seq <= SEQ_MAX,
            f"sessions[{n}].seq",
            f"expected a whole number from 0 to {SEQ_MAX}",
        )
    for n, person in enumerate(data["participants"]):
        if "entered_by_facilitator" in person:  # absent from files of older versions
            _flag(person, "entered_by_facilitator", f"participants[{n}]")
    for n, item in enumerate(data["items"]):
        _flag(item, "hidden", f"items[{n}]")
        _flag(item, "by_facilitator", f"items[{n}]")
        _original(item, "original_text", "item.text", f"items[{n}]")
    # moderation fields came later: a file without them holds no hidden or corrected one
    for n, initiative in enumerate(data["initiatives"]):
        if "hidden" in initiative:
            _flag(initiative, "hidden", f"initiatives[{n}]")
        _original(initiative, "original_title", "initiative.title", f"initiatives[{n}]")
        _original(initiative, "original_description", "initiative.description", f"initiatives[{n}]")
    for n, record in enumerate(translations(data)):
        _once_per_key(record, f"translations[{n}]")


def translations(data):
    """The file's translations: none in a version 1 file, which had no such list."""
    if data["schema_version"] == 1:
        need("translations" not in data, "translations", "not in a version 1 file")
        return []
    return records(data, "translations")


def _id(value, seen, key, n):
    """An id in range, not used by an earlier record of the same list."""
    where = f"{key}[{n}].id"
    need(is_id(value), where, f"expected a whole number from 1 to {ID_MAX}")
    need(value not in seen, where, f"repeats {key}[{seen.get(value)}].id")
    seen[value] = n


def _original(record, key, limit, where):
    """An author's original wording: absent, null, or a text the column holds."""
    value = record.get(key)
    need(
        value is None
        or (
            isinstance(value, str) and len(value) <= LIMITS[limit] and not UNSTORABLE.search(value)
        ),
        f"{where}.{key}",
        f"expected null or a text of at most {LIMITS[limit]} characters",
    )


def _flag(record, key, where):
    need(isinstance(record.get(key), bool), f"{where}.{key}", "expected true or false")


# --- once every record has passed its own checks -----------------------------------------


def check_history(data, budget):
    """Refuse what no sequence of the app's own actions leaves behind: an item added by a
    participant and a facilitator at once (or by neither), a merged group of fewer than two
    items, a dot on another session's item, a ledger that breaks the budget at any entry
    (in the file's order) or that leaves dots on a hidden item (hiding gives them back)."""
    items = {}
    members = {}
    for n, item in enumerate(data["items"]):
        items[item["id"]] = (n, item)
        need(
            item["by_facilitator"] is (item.get("participant_id") is None),
            f"items[{n}].by_facilitator",
            "true exactly when participant_id is null (added by a facilitator)",
        )
        if item.get("group_id") is not None:
            members[item["group_id"]] = members.get(item["group_id"], 0) + 1
    for n, group in enumerate(data["item_groups"]):
        count = members.get(group["id"], 0)
        need(
            count >= 2,
            f"item_groups[{n}]",
            f"holds {count} of the items (a merged group holds two or more)",
        )

    ledger, last = Ledger(budget), {}
    for n, vote in enumerate(data["votes"]):
        where = f"votes[{n}]"
        _index, item = items[vote["item_id"]]
        need(
            item["session_id"] == vote["session_id"],
            f"{where}.item_id",
            "an item of another session (a dot lands on the voter's own session's item)",
        )
        try:
            ledger.add(vote["participant_id"], vote["item_id"], item["kind"], vote["delta"])
        except RuleError as error:
            raise ImportProblem(f"{where}.delta: {_broken(error.code, budget)}") from None
        last[(vote["participant_id"], vote["item_id"])] = n
    for participant, item_id in ledger.held():
        index, item = items[item_id]
        need(
            not item["hidden"],
            f"votes[{last[(participant, item_id)]}].item_id",
            f"leaves a dot on items[{index}], which is hidden (hiding gives dots back)",
        )


def _broken(code, budget):
    if code == "no_dots_left":
        each = " for barriers and again for enablers" if budget.separate else ""
        return f"a dot beyond the budget of {budget.dots}{each}"
    if code == "item_limit":
        return f"more than {budget.per_item} dots on one item"
    return "takes back a dot that is not there"
