"""The report as a Word document, downloaded from the console and written by `flask
export`: python-docx opens it; its headings, pictures and languages are real; its tables
hold the numbers of the XLSX export; every total is labelled alike in every file."""

import io

import docx
import openpyxl
import pytest
from conftest import sign_in, translated
from exports_seed import read_csv_zip, seeded_app

from facilitation.i18n import js_strings


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    app, workshop, _ids = seeded_app(tmp_path_factory.mktemp("docx"))
    return app, workshop, sign_in(app.test_client())


def download(seeded, what, query):
    _app, workshop, client = seeded
    response = client.get(f"/facilitator/workshops/{workshop['id']}/{what}?{query}", buffered=True)
    assert response.status_code == 200, response.text
    return response


def word(seeded, query="lang=en"):
    response = download(seeded, "report.docx", query)
    assert response.mimetype.endswith("wordprocessingml.document")
    assert response.headers["Content-Disposition"].endswith(".docx")
    return docx.Document(io.BytesIO(response.data))


def blocks(document):
    """(heading 1 above, caption above, table) for every table, in document order."""
    heading = caption = None
    found = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[1]
        if tag == "p":
            paragraph = docx.text.paragraph.Paragraph(child, document)
            if paragraph.style.name in ("Heading 1", "Title"):
                heading = paragraph.text
            elif paragraph.style.name == "Caption":
                caption = paragraph.text
        elif tag == "tbl":
            found.append((heading, caption, docx.table.Table(child, document)))
    return found


def cells(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def numbers(row):
    return [int(v) if isinstance(v, str) and v.isdigit() else v for v in row]


def test_the_word_report_has_real_headings_pictures_and_languages(seeded):
    document = word(seeded)
    styles = [p.style.name for p in document.paragraphs if p.text]
    assert styles[0] == "Title"
    for level in ("Heading 1", "Heading 2", "Heading 3"):
        assert level in styles
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Summary · All sessions combined",
        "Good practices by axis",
        "Rankings and heatmaps · All sessions combined",
        "English group (en)",
        "Grupo español (es)",
    ]
    # a chart per axis summary (3) and per ranking (2 x 3 scopes), as PNG pictures
    assert len(document.inline_shapes) == 9
    pictures = [p for p in document.part.package.parts if p.partname.endswith(".png")]
    assert pictures and all(p.blob.startswith(b"\x89PNG") for p in pictures)
    title = next(p for p in document.paragraphs if p.text == "Carriles bici 🚲")
    assert title.style.name == "Heading 3"
    langs = title.runs[0]._r.xpath("./w:rPr/w:lang/@w:val")
    assert langs == ["es-ES"]


def test_word_tables_hold_the_numbers_of_the_workbook(seeded):
    document = word(seeded)
    book = openpyxl.load_workbook(io.BytesIO(download(seeded, "export/xlsx", "lang=en").data))
    sheet_rows = {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book}
    scopes = {
        "Rankings and heatmaps · All sessions combined": "",
        "English group (en)": " – English group",
        "Grupo español (es)": " – Grupo español",
    }
    captions = {
        "Axis × SDG: initiatives naming each SDG, by axis": "Axis × SDG",
        "The main SDGs of each axis: how many participants chose each": "SDGs per axis",
    }
    compared = 0
    for heading, caption, table in blocks(document):
        if caption in captions:
            expected = sheet_rows[captions[caption] + scopes[heading]]
            found = cells(table)
            sdgs = len(expected[0]) - 1 - (2 if caption.startswith("Axis") else 1)
            assert found[0][sdgs + 1 :] == expected[0][sdgs + 1 :]  # the totals' labels
            assert [numbers(r) for r in found[1:]] == expected[1:], (heading, caption)
            compared += 1
    assert compared == 6
    ranking = sheet_rows["Ranking"]
    for heading, caption, table in blocks(document):
        if heading.startswith("Rankings") and caption.startswith("Every "):
            kind = "Barrier" if "barrier" in caption else "Enabler"
            expected = [[r[1], r[2]] for r in ranking[1:] if r[0] == kind]
            assert [numbers(r[:2]) for r in cells(table)[1:]] == expected
            compared += 1
    assert compared == 8


def test_a_session_word_report_has_that_session_only(seeded):
    _app, workshop, _client = seeded
    document = word(seeded, f"lang=es&session={workshop['es']['id']}")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Carriles bici 🚲" in text and "Open data portal" not in text
    assert translated("All sessions combined") not in text
    assert translated("Good practices by axis") in text


def test_flask_export_writes_the_word_report(seeded, tmp_path):
    app, workshop, _client = seeded
    out = tmp_path / "report.docx"
    result = app.test_cli_runner().invoke(
        args=["export", str(workshop["id"]), "--format", "docx", "--lang", "fr", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    assert translated("Good practices by axis", "fr") in [p.text for p in document.paragraphs]


def test_every_total_says_what_it_counts_alike_everywhere(seeded):
    """The screen's heatmap column, the report, the workbook, the CSV files and the Word
    document name the same totals with the same words."""
    for lang in ("en", "es", "fr"):
        initiatives = [
            translated("Initiatives on this axis", lang),
            translated("SDG mentions on this axis", lang),
        ]
        choices = [translated("SDG choices on this axis", lang)]
        assert initiatives[0] != "Total"
        book = openpyxl.load_workbook(
            io.BytesIO(download(seeded, "export/xlsx", f"lang={lang}").data)
        )
        for sheet in book.worksheets[3:9]:
            header = [c.value for c in sheet[1]]
            assert header[18:] in (initiatives, choices), sheet.title
        tables, _raw = read_csv_zip(download(seeded, "export/csv", f"lang={lang}").data)
        assert tables["initiatives_matrix.csv"][0][18:] == initiatives
        assert tables["sdg_picks.csv"][0][18:] == choices
        page = download(seeded, "report", f"lang={lang}").text
        for label in initiatives + choices:
            assert f'<th scope="col" class="total">{label}</th>' in page
        word_tables = [cells(t) for _h, caption, t in blocks(word(seeded, f"lang={lang}"))]
        headers = [t[0][18:] for t in word_tables if len(t[0]) in (19, 20)]
        assert headers.count(initiatives) == 3 and headers.count(choices) == 3
    app, _workshop, _client = seeded
    with app.test_request_context(), app.app_context():
        assert js_strings()["total"] == "Initiatives on this axis"
