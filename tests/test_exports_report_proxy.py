"""The printed report (HTML, and the Word file) and the workbook's initiatives say which
initiatives a facilitator entered for someone without a device, as the workbook's
participants table does."""

import html
import io

import docx
import openpyxl
from conftest import translated

from facilitation.extensions import db
from facilitation.models import Facilitator, Session
from facilitation.services import initiatives, participants, proxy
from facilitation.unit_of_work import work


def post(app, facilitator, session_id, by_proxy, title):
    with app.app_context(), work():
        session = db.session.get(Session, session_id)
        who = {"display_name": "Dee", "organisation": "Lagos", "country": "Nigeria"}
        if by_proxy:
            person = proxy.enter(db.session.get(Facilitator, facilitator), session, who)
        else:
            person = participants.add(session, {**who, "display_name": "Bo"})
        initiatives.post(
            person,
            {"client_id": title, "title": title, "axis": "mobility", "sdgs": [11], "link": ""},
        )


def place_lines(text, marker):
    return [line for line in text.splitlines() if "Lagos, Nigeria" in line and marker in line]


def test_initiatives_entered_for_someone_are_marked(app, facilitator, facilitator_client, workshop):
    post(app, facilitator, workshop["es"]["id"], True, "Bus a demanda")
    post(app, facilitator, workshop["es"]["id"], False, "Carril bici")
    for lang in ("en", "es"):
        marker = translated("Entered by the facilitator", lang)
        url = f"/facilitator/workshops/{workshop['id']}/report"
        page = html.unescape(facilitator_client.get(f"{url}?lang={lang}").text)
        assert len(place_lines(page, marker)) == 1, lang
        assert page.count(marker) == 1, lang
        document = docx.Document(
            io.BytesIO(facilitator_client.get(f"{url}.docx?lang={lang}", buffered=True).data)
        )
        text = "\n".join(p.text for p in document.paragraphs)
        assert len(place_lines(text, marker)) == 1, lang


def test_the_workbook_marks_them_too(app, facilitator, facilitator_client, workshop):
    post(app, facilitator, workshop["es"]["id"], True, "Bus a demanda")
    post(app, facilitator, workshop["es"]["id"], False, "Carril bici")
    url = f"/facilitator/workshops/{workshop['id']}/export/xlsx?lang=es"
    book = openpyxl.load_workbook(io.BytesIO(facilitator_client.get(url, buffered=True).data))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    column = rows[0].index(translated("Entered by the facilitator", "es"))
    title = rows[0].index(translated("Title", "es"))
    marks = {row[title]: row[column] for row in rows[1:]}
    assert marks == {
        "Bus a demanda": translated("Yes", "es"),
        "Carril bici": translated("No", "es"),
    }
