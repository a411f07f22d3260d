"""Rankings of barriers and enablers by dots, with ties ordered stably."""

from .items import KINDS, unit_key


def rank(units):
    """Order units by dots (most first), ties by who came first (lowest `first_id`).

    `units` are dicts with `key`, `dots` and `first_id`; each comes back with a `rank`
    shared by equal dots (1, 2, 2, 4), so ties are visible while the order stays stable.
    """
    ordered = sorted(units, key=lambda u: (-u["dots"], u["first_id"]))
    ranked, previous, position = [], None, 0
    for index, unit in enumerate(ordered, start=1):
        if unit["dots"] != previous:
            position, previous = index, unit["dots"]
        ranked.append({**unit, "rank": position})
    return ranked


def rankings(items, dots, session_id=None):
    """Ranked units per kind for one session (`session_id`) or all sessions (None).

    `items`: dicts with id, session_id, group_id, kind, text, lang, axis (hidden ones
    already left out). `dots`: {(session_id, item_id): dots}. A session ranks the units
    holding one of its items, counting its own participants' dots; the combined ranking
    counts every unit and every dot.
    """
    units = {}
    for item in sorted(items, key=lambda i: i["id"]):
        key = unit_key(item["id"], item["group_id"])
        unit = units.setdefault(
            key,
            {
                "key": key,
                "kind": item["kind"],
                "axis": item["axis"],
                "dots": 0,
                "first_id": item["id"],
                "texts": [],
                "sessions": set(),
            },
        )
        unit["texts"].append(
            {
                "item_id": item["id"],
                "text": item["text"],
                "lang": item["lang"],
                "session_id": item["session_id"],
            }
        )
        if "translations" in item:
            unit["texts"][-1]["translations"] = item["translations"]
        unit["sessions"].add(item["session_id"])
    by_item = {item["id"]: unit_key(item["id"], item["group_id"]) for item in items}
    for (voted_session, item_id), count in dots.items():
        key = by_item.get(item_id)
        if key is not None and session_id in (None, voted_session):
            units[key]["dots"] += count
    chosen = [u for u in units.values() if session_id is None or session_id in u["sessions"]]
    result = {}
    for kind in KINDS:
        ranked = rank([u for u in chosen if u["kind"] == kind])
        result[kind] = [{k: v for k, v in u.items() if k != "sessions"} for u in ranked]
    return result
