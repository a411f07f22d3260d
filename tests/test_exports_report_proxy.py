"""The printed report (HTML, and the Word file) says which initiatives a facilitator
entered for someone without a device, as the workbook's participants table does."""

import html
import io

import docx
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
