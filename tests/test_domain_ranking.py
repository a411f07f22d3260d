"""Rankings of barriers and enablers: competition ranks with stable ties, and how merged
groups count per session and combined. No app."""

import random

from facilitation.domain.ranking import rank, rankings

EN, ES = 10, 20


def unit(key, dots, first_id):
    return {"key": key, "dots": dots, "first_id": first_id}


def summary(ranked):
    return [(u["key"], u["dots"], u["rank"]) for u in ranked]


def test_ties_share_a_rank_and_the_next_rank_skips():
    ranked = rank([unit("a", 5, 1), unit("b", 3, 2), unit("c", 3, 3), unit("d", 1, 4)])
    assert [u["rank"] for u in ranked] == [1, 2, 2, 4]
    assert [u["key"] for u in ranked] == ["a", "b", "c", "d"]


def test_ties_are_ordered_by_who_came_first_whatever_the_input_order():
    units = [unit("late", 2, 9), unit("top", 4, 5), unit("early", 2, 3), unit("zero", 0, 1)]
    expected = [("top", 4, 1), ("early", 2, 2), ("late", 2, 2), ("zero", 0, 4)]
    for seed in range(20):
        shuffled = units[:]
        random.Random(seed).shuffle(shuffled)
        assert summary(rank(shuffled)) == expected


def test_all_tied_at_zero_are_all_first_in_order_of_arrival():
    ranked = rank([unit("c", 0, 3), unit("a", 0, 1), unit("b", 0, 2)])
    assert summary(ranked) == [("a", 0, 1), ("b", 0, 1), ("c", 0, 1)]


def test_ranks_after_a_three_way_tie():
    ranked = rank(
        [unit(k, int(d), i) for i, (k, d) in enumerate(["a5", "b2", "c2", "d2", "e1"], 1)]
    )
    assert [u["rank"] for u in ranked] == [1, 2, 2, 2, 5]


def test_rank_keeps_the_other_fields_and_leaves_the_input_alone():
    given = [{**unit("a", 1, 1), "texts": ["x"]}]
    ranked = rank(given)
    assert ranked[0]["texts"] == ["x"] and ranked[0]["rank"] == 1
    assert "rank" not in given[0]


def test_empty():
    assert rank([]) == []
    assert rankings([], {}) == {"barrier": [], "enabler": []}


# rankings(): items and dots as the results service hands them over


def item(item_id, session_id, kind="barrier", group_id=None, text=None, axis=None):
    lang = {EN: "en", ES: "es"}[session_id]
    return {
        "id": item_id,
        "session_id": session_id,
        "group_id": group_id,
        "kind": kind,
        "text": text or f"text {item_id}",
        "axis": axis,
        "lang": lang,
    }


ITEMS = [
    item(1, EN, group_id=7, text="Slow procurement"),
    item(2, ES, group_id=7, text="Compras públicas lentas"),
    item(3, EN, text="No open data"),
    item(4, ES, text="Sin presupuesto"),
    item(5, EN, kind="enabler", text="Political will", axis="governance"),
]
# (voter's session, item) -> dots; Spanish participants also vote on the English original
DOTS = {(EN, 1): 2, (ES, 2): 3, (ES, 1): 1, (EN, 3): 4, (ES, 4): 1, (EN, 5): 2}


def by_key(ranked):
    return {u["key"]: u for u in ranked}


def test_combined_ranking_adds_a_groups_dots_across_sessions():
    combined = rankings(ITEMS, DOTS)
    barriers = by_key(combined["barrier"])
    assert set(barriers) == {"g7", "i3", "i4"}
    assert barriers["g7"]["dots"] == 2 + 3 + 1
    assert summary(combined["barrier"]) == [("g7", 6, 1), ("i3", 4, 2), ("i4", 1, 3)]
    assert summary(combined["enabler"]) == [("i5", 2, 1)]


def test_each_session_ranks_with_its_own_participants_dots():
    english = rankings(ITEMS, DOTS, EN)
    spanish = rankings(ITEMS, DOTS, ES)
    # English: the group has the English voters' 2 dots, the English-only item leads
    assert summary(english["barrier"]) == [("i3", 4, 1), ("g7", 2, 2)]
    # Spanish: 3 on the Spanish original plus 1 on the English one, both by Spanish voters
    assert summary(spanish["barrier"]) == [("g7", 4, 1), ("i4", 1, 2)]
    assert summary(english["enabler"]) == [("i5", 2, 1)]
    assert spanish["enabler"] == []


def test_session_rankings_add_up_to_the_combined_one():
    combined = by_key(rankings(ITEMS, DOTS)["barrier"])
    per_session = [by_key(rankings(ITEMS, DOTS, s)["barrier"]) for s in (EN, ES)]
    for key, unit_data in combined.items():
        assert unit_data["dots"] == sum(p[key]["dots"] for p in per_session if key in p)


def test_a_merged_unit_keeps_every_original_text_with_its_language():
    for session_id in (None, EN, ES):
        group = by_key(rankings(ITEMS, DOTS, session_id)["barrier"])["g7"]
        assert group["texts"] == [
            {"item_id": 1, "text": "Slow procurement", "lang": "en", "session_id": EN},
            {"item_id": 2, "text": "Compras públicas lentas", "lang": "es", "session_id": ES},
        ]
        assert group["first_id"] == 1 and group["kind"] == "barrier"
        assert "sessions" not in group


def test_a_unit_shows_its_kind_and_axis():
    enabler = rankings(ITEMS, DOTS)["enabler"][0]
    assert (enabler["kind"], enabler["axis"]) == ("enabler", "governance")


def test_ties_in_rankings_follow_the_first_item_of_each_unit():
    items = [item(4, EN), item(2, EN, group_id=1), item(3, ES, group_id=1), item(1, ES)]
    dots = {(EN, 4): 2, (EN, 2): 1, (ES, 3): 1, (ES, 1): 2}
    assert summary(rankings(items, dots)["barrier"]) == [("i1", 2, 1), ("g1", 2, 1), ("i4", 2, 1)]


def test_dots_on_items_left_out_are_not_counted():
    # hidden items are left out of `items`; their dots must not land anywhere
    visible = [i for i in ITEMS if i["id"] != 3]
    combined = rankings(visible, DOTS)
    assert "i3" not in by_key(combined["barrier"])
    assert sum(u["dots"] for u in combined["barrier"]) == 6 + 1


def test_a_session_without_items_in_a_unit_does_not_rank_it():
    items = [item(1, EN), item(2, ES)]
    assert [u["key"] for u in rankings(items, {}, EN)["barrier"]] == ["i1"]
    assert [u["key"] for u in rankings(items, {}, ES)["barrier"]] == ["i2"]
    assert rankings(items, {}, 99) == {"barrier": [], "enabler": []}


def test_unmerged_items_count_on_their_own_again():
    merged = [item(1, EN, group_id=7), item(2, ES, group_id=7)]
    apart = [item(1, EN), item(2, ES)]
    dots = {(EN, 1): 2, (ES, 2): 3}
    assert summary(rankings(merged, dots)["barrier"]) == [("g7", 5, 1)]
    assert summary(rankings(apart, dots)["barrier"]) == [("i2", 3, 1), ("i1", 2, 2)]
