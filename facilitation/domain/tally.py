"""Counts of initiatives per axis, per SDG and per axis x SDG cell.

Output always holds every axis and every SDG, zeros included, so that an empty session
draws the same table as a busy one.
"""

from .taxonomy import taxonomy


def empty_tally():
    tax = taxonomy()
    return {
        "initiatives": 0,
        "axes": {code: 0 for code in tax.axis_codes},
        "sdgs": {n: 0 for n in tax.sdg_numbers},
        "matrix": {code: {n: 0 for n in tax.sdg_numbers} for code in tax.axis_codes},
    }


def tally(axis_counts, cell_counts):
    """Build a tally from `(axis, n)` initiative counts and `(axis, sdg, n)` cell counts.

    A cell counts the initiatives of that axis that name that SDG; an initiative has one
    axis, so an SDG's count is the sum of its column.
    """
    result = empty_tally()
    for axis, count in axis_counts:
        result["initiatives"] += count
        result["axes"][axis] += count
    for axis, sdg, count in cell_counts:
        result["sdgs"][sdg] += count
        result["matrix"][axis][sdg] += count
    return result


def combine(tallies):
    """Sum several tallies cell by cell (sessions into a workshop)."""
    total = empty_tally()
    for part in tallies:
        total["initiatives"] += part["initiatives"]
        for axis, count in part["axes"].items():
            total["axes"][axis] += count
        for sdg, count in part["sdgs"].items():
            total["sdgs"][sdg] += count
        for axis, row in part["matrix"].items():
            for sdg, count in row.items():
                total["matrix"][axis][sdg] += count
    return total


def heatmap(cell_counts):
    """Axis x SDG counts from `(axis, sdg, n)` rows, with per-SDG totals (SDG picks)."""
    result = tally((), cell_counts)
    return {"sdgs": result["sdgs"], "matrix": result["matrix"]}


def combine_heatmaps(heatmaps):
    total = combine({**empty_tally(), **h} for h in heatmaps)
    return {"sdgs": total["sdgs"], "matrix": total["matrix"]}


def matrix_max(result):
    """Largest cell of a tally's matrix (0 when empty), for heatmap shading."""
    return max((c for row in result["matrix"].values() for c in row.values()), default=0)
