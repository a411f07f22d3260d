"""Write export tables as a zip of CSV files or as an XLSX workbook, streaming rows.

Both write to a file object; the caller picks a temporary file, so memory stays flat
however large the workshop.
"""

import csv
import io
import re
import zipfile

import xlsxwriter

from ..domain.taxonomy import taxonomy

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """A cell value a spreadsheet will not run: text starting like a formula gets a `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv_zip(tables, target):
    """One UTF-8 CSV (with BOM, so Excel reads accents) per table, in a zip."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            with archive.open(f"{table.key}.csv", "w", force_zip64=True) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                writer = csv.writer(text)
                writer.writerow([inert(h) for h in table.headers])
                for row in table.rows():
                    writer.writerow([inert(cell) for cell in row])
                text.flush()
                text.detach()


def _sheet_name(title, used):
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Sheet"
    base, n = name, 2
    while name.lower() in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name.lower())
    return name


def write_xlsx(tables, target):
    """A workbook: a sheet per table with a frozen header row and sized columns, heat
    colours and a stacked chart on the matrices, bar charts of the top of each ranking."""
    book = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    header = book.add_format(
        {"bold": True, "bg_color": "#E8EEF4", "text_wrap": True, "valign": "top", "border": 1}
    )
    used = set()
    for table in tables:
        sheet = book.add_worksheet(_sheet_name(table.title, used))
        widths = [min(max(len(str(h)), 8), 40) for h in table.headers]
        sheet.write_row(0, 0, table.headers, header)
        count = 0
        for count, row in enumerate(table.rows(), start=1):
            for col, value in enumerate(row):
                if isinstance(value, str):
                    sheet.write_string(count, col, value)
                    widths[col] = min(max(widths[col], len(value)), 60)
                elif value is not None:
                    sheet.write_number(count, col, value)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width + 2)
        sheet.freeze_panes(1, 1 if table.kind == "matrix" else 0)
        sheet.autofilter(0, 0, max(count, 1), len(table.headers) - 1)
        if table.kind == "matrix":
            _matrix_extras(book, sheet, table, count)
        elif table.kind == "ranking":
            _ranking_chart(book, sheet, table, count)
    book.close()


def _matrix_extras(book, sheet, table, rows):
    sdgs = taxonomy().sdgs
    if rows:
        sheet.conditional_format(
            1,
            1,
            rows,
            len(sdgs),
            {"type": "2_color_scale", "min_color": "#FFFFFF", "max_color": "#2F76C0"},
        )
    chart = book.add_chart({"type": "bar", "subtype": "stacked"})
    name = sheet.get_name()
    for col, sdg in enumerate(sdgs, start=1):
        chart.add_series(
            {
                "name": [name, 0, col],
                "categories": [name, 1, 0, rows, 0],
                "values": [name, 1, col, rows, col],
                "fill": {"color": sdg.colour},
            }
        )
    chart.set_title({"name": table.title})
    chart.set_size({"width": 900, "height": 420})
    sheet.insert_chart(rows + 3, 0, chart)


def _ranking_chart(book, sheet, table, rows):
    """A bar chart of the top 15 of each kind (rows come grouped: barriers, enablers)."""
    name, texts, first = sheet.get_name(), len(table.headers) - 1, 1
    for position, (label, size) in enumerate(table.extra["blocks"]):
        if size:
            last = first + min(size, 15) - 1
            chart = book.add_chart({"type": "bar"})
            chart.add_series(
                {
                    "name": label,
                    "categories": [name, first, texts, last, texts],
                    "values": [name, first, 2, last, 2],
                    "fill": {"color": "#0B5CAD" if position == 0 else "#1E6B35"},
                }
            )
            chart.set_title({"name": label})
            chart.set_y_axis({"reverse": True})
            chart.set_legend({"none": True})
            chart.set_size({"width": 900, "height": 480})
            sheet.insert_chart(1 + position * 26, texts + 2, chart)
        first += size
