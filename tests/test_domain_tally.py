"""Counts per axis, per SDG and per axis x SDG cell: tally, combine, matrix_max, no app."""

from facilitation.domain.tally import combine, empty_tally, matrix_max, tally

AXES = ("economy", "mobility", "environment", "citizenship", "quality", "governance")
SDGS = tuple(range(1, 18))


def assert_all_zero(result):
    assert result["initiatives"] == 0
    assert set(result["axes"].values()) == {0}
    assert set(result["sdgs"].values()) == {0}
    assert {c for row in result["matrix"].values() for c in row.values()} == {0}


def test_empty_tally_holds_every_axis_and_sdg_at_zero():
    result = empty_tally()
    assert tuple(result["axes"]) == AXES
    assert tuple(result["sdgs"]) == SDGS
    assert tuple(result["matrix"]) == AXES
    assert all(tuple(row) == SDGS for row in result["matrix"].values())
    assert_all_zero(result)


def test_empty_tallies_are_independent_copies():
    first = empty_tally()
    first["matrix"]["mobility"][11] = 5
    first["axes"]["mobility"] = 5
    assert_all_zero(empty_tally())


def test_tally_of_nothing_is_the_empty_tally():
    assert tally([], []) == empty_tally()


def test_tally_counts_axes_sdgs_and_cells():
    # 2 mobility initiatives (both SDG 11, one also SDG 3) and 1 economy one (SDG 8)
    result = tally(
        [("mobility", 2), ("economy", 1)],
        [("mobility", 11, 2), ("mobility", 3, 1), ("economy", 8, 1)],
    )
    assert result["initiatives"] == 3
    assert result["axes"] == {**dict.fromkeys(AXES, 0), "mobility": 2, "economy": 1}
    assert result["sdgs"] == {**dict.fromkeys(SDGS, 0), 11: 2, 3: 1, 8: 1}
    assert result["matrix"]["mobility"][11] == 2
    assert result["matrix"]["mobility"][3] == 1
    assert result["matrix"]["economy"][8] == 1
    assert sum(c for row in result["matrix"].values() for c in row.values()) == 4


def test_sdg_count_is_the_sum_of_its_column():
    result = tally(
        [("mobility", 1), ("economy", 1), ("quality", 1)],
        [("mobility", 11, 1), ("economy", 11, 1), ("quality", 11, 1)],
    )
    assert result["sdgs"][11] == 3
    assert sum(result["matrix"][axis][11] for axis in AXES) == 3


def test_combine_of_nothing_is_empty():
    assert combine([]) == empty_tally()
    assert combine([empty_tally(), empty_tally()]) == empty_tally()


def test_combine_sums_cell_by_cell():
    a = tally([("mobility", 2)], [("mobility", 11, 2)])
    b = tally([("mobility", 1), ("governance", 1)], [("mobility", 11, 1), ("governance", 16, 1)])
    total = combine([a, b])
    assert total["initiatives"] == 4
    assert total["axes"]["mobility"] == 3 and total["axes"]["governance"] == 1
    assert total["sdgs"][11] == 3 and total["sdgs"][16] == 1
    assert total["matrix"]["mobility"][11] == 3
    assert total["matrix"]["governance"][16] == 1


def test_combine_does_not_change_its_inputs():
    a = tally([("mobility", 1)], [("mobility", 11, 1)])
    combine([a, a])
    assert a["matrix"]["mobility"][11] == 1 and a["initiatives"] == 1


def test_combine_accepts_a_generator():
    parts = (tally([("economy", 1)], [("economy", 8, 1)]) for _ in range(3))
    assert combine(parts)["matrix"]["economy"][8] == 3


def test_matrix_max_of_empty_is_zero():
    assert matrix_max(empty_tally()) == 0
    assert matrix_max({"matrix": {}}) == 0


def test_matrix_max_is_the_largest_cell():
    result = tally(
        [("mobility", 3), ("economy", 5)],
        [("mobility", 11, 3), ("economy", 8, 5), ("economy", 9, 2)],
    )
    assert matrix_max(result) == 5
