"""Live translation with the real app (`python app.py`, eventlet) and the real Apertium:
a Spanish text reaches the English facilitator translated, as an ordinary delta; people's
corrections win; an engine that is missing loses nothing and catches up when it returns."""

import json
import os
import re
import shutil

import pytest
from realserver import (
    RealServer,
    bilingual_workshop,
    connect_facilitator,
    connect_participant,
    create_facilitator,
    join,
    open_phase,
    wait_until,
)
from translation_kit import FakeLibreTranslate, need_apertium

pytestmark = pytest.mark.realserver

POST = {
    "client_id": "es-1",
    "title": "Falta de financiación para pilotos",
    "description": "Los ayuntamientos no tienen presupuesto",
    "axis": "governance",
    "sdgs": [11],
}


def page_data(http, url):
    html = http.get(url, timeout=10).text
    found = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S)
    assert found, "no page-data"
    return json.loads(found.group(1))


def stored(server, subject, subject_id):
    """{(field, language): (text, origin, translated_by, source_digest)}."""
    rows = server.query(
        "SELECT field, language, text, origin, translated_by, source_digest FROM translations"
        " WHERE subject = ? AND subject_id = ?",
        (subject, subject_id),
    )
    return {(r[0], r[1]): r[2:] for r in rows}


def upserted(client, initiative_id, after_seq):
    """The `initiative:upserted` deltas of an initiative with a seq above `after_seq`."""
    return [
        m
        for m in client.received("initiative:upserted")
        if m["initiative"]["id"] == initiative_id and m["seq"] > after_seq
    ]


class Workshop:
    """A running server with an English and a Spanish session, the facilitator watching
    and a Spanish participant connected, initiatives open."""

    def __init__(self, tmp_path, **env):
        # a loaded machine may take a while to start the app
        self.server = RealServer(tmp_path / "server", env=env).start(timeout=90)
        self.facilitator = create_facilitator(self.server)
        self.id, self.sessions = bilingual_workshop(self.server, self.facilitator)
        self.watcher = connect_facilitator(self.server, self.facilitator)
        assert self.watcher.call("workshop:watch", {"workshop_id": self.id}).get("ok")
        open_phase(self.watcher, [s.id for s in self.sessions.values()])
        self.lucia = join(self.server, self.sessions["es"], "Lucía")
        self.spanish = connect_participant(self.server, self.lucia)

    @property
    def page(self):
        return f"{self.server.url}/facilitator/workshops/{self.id}"

    def post(self, **changes):
        ack = self.spanish.call("initiative:post", {**POST, **changes})
        assert ack.get("ok") and ack["created"], ack
        return ack

    def close(self):
        self.spanish.close()
        self.watcher.close()
        self.server.stop()


@pytest.fixture
def translated(tmp_path):
    need_apertium()
    workshop = Workshop(tmp_path, TRANSLATION="apertium", TRANSLATION_RETRY="0.3")
    yield workshop
    workshop.close()


def test_a_spanish_initiative_reaches_the_english_facilitator_translated_live(translated):
    w = translated
    assert page_data(w.facilitator, w.page)["translation"] == {"enabled": True, "available": True}
    ack = w.post()
    initiative_id, posted_seq = ack["initiative"]["id"], ack["seq"]
    # the post's own delta first, untranslated; then the translation's, seq-numbered
    assert w.watcher.wait_for(lambda c: upserted(c, initiative_id, posted_seq), timeout=60)
    assert w.spanish.wait_for(lambda c: upserted(c, initiative_id, posted_seq), timeout=20)
    rows = stored(w.server, "initiative", initiative_id)
    assert set(rows) == {("title", "en"), ("description", "en")}
    title, origin, by, _ = rows[("title", "en")]
    assert origin == "machine" and by is None
    assert "pilot" in title.lower() and ("financ" in title.lower() or "fund" in title.lower())
    # the original is untouched
    [(original,)] = w.server.query("SELECT title FROM initiatives WHERE id = ?", (initiative_id,))
    assert original == POST["title"]

    # a barrier proposed in Spanish is translated too, and its delta follows
    open_phase(w.watcher, [w.sessions["es"].id], "proposing")
    proposal = {"client_id": "es-item", "text": "Falta de personal técnico", "kind": "barrier"}
    item_ack = w.spanish.call("item:propose", proposal)
    assert item_ack.get("ok"), item_ack
    item_id = item_ack["item"]["id"]
    assert wait_until(lambda: stored(w.server, "item", item_id), timeout=60)
    # its proposal's delta, then its translation's
    assert w.watcher.wait_for(
        lambda c: (
            sum(item_id in [i["id"] for i in m["items"]] for m in c.received("items:upserted")) >= 2
        ),
        timeout=20,
    )
    [(text, origin, _, _)] = stored(w.server, "item", item_id).values()
    assert origin == "machine" and ("staff" in text.lower() or "personnel" in text.lower())


def test_the_translation_delta_carries_the_translations_field(translated):
    """The read side (payloads' `translations`, built by services/translated.py) puts the
    stored translation into the delta."""
    w = translated
    ack = w.post()
    initiative_id = ack["initiative"]["id"]
    assert w.watcher.wait_for(lambda c: upserted(c, initiative_id, ack["seq"]), timeout=60)
    delta = upserted(w.watcher, initiative_id, ack["seq"])[-1]
    english = delta["initiative"]["translations"]["en"]["title"]
    assert english["origin"] == "machine" and english["by"] is None
    assert english["text"] == stored(w.server, "initiative", initiative_id)[("title", "en")][0]


def test_a_correction_wins_over_the_machine_until_the_text_changes(translated):
    w = translated
    ack = w.post()
    initiative_id = ack["initiative"]["id"]
    assert wait_until(lambda: len(stored(w.server, "initiative", initiative_id)) == 2, 60)

    correction = {
        "subject": "initiative",
        "subject_id": initiative_id,
        "field": "title",
        "language": "en",
        "text": "Lack of funding for pilots",
    }
    before = max(m["seq"] for m in w.watcher.received("initiative:upserted"))
    answer = w.watcher.call("translation:correct", correction)
    assert answer.get("ok"), answer
    assert answer["translation"] == {
        **{k: correction[k] for k in ("subject", "subject_id", "field", "language", "text")},
        "origin": "human",
        "by": "Ana",
    }
    assert w.watcher.wait_for(lambda c: upserted(c, initiative_id, before), timeout=20)
    text, origin, by, digest = stored(w.server, "initiative", initiative_id)[("title", "en")]
    assert (text, origin, by) == ("Lack of funding for pilots", "human", "Ana")

    # the author may not correct until the workshop lets authors translate
    mine = {**correction, "text": "Funding is missing"}
    assert w.spanish.call("translation:correct", mine)["error"]["code"] == "forbidden"
    display = {"workshop_id": w.id, "authors_translate": True}
    assert w.watcher.call("workshop:set_display", display)["settings"]["authors_translate"]
    assert w.spanish.call("translation:correct", mine)["translation"]["by"] == "Lucía"

    # the author edits the description only: it is translated again, the title stays theirs
    old_description = stored(w.server, "initiative", initiative_id)[("description", "en")]
    edit = {**POST, "id": initiative_id, "description": "No hay dinero para proyectos"}
    assert w.spanish.call("initiative:edit", edit).get("ok")
    assert wait_until(
        lambda: (
            stored(w.server, "initiative", initiative_id)[("description", "en")][3]
            != old_description[3]
        ),
        timeout=60,
    )
    title = stored(w.server, "initiative", initiative_id)[("title", "en")]
    assert title[:3] == ("Funding is missing", "human", "Lucía") and title[3] == digest

    # the title changes: the machine translates it again, replacing the person's
    edit = {**edit, "title": "Falta de dinero"}
    assert w.spanish.call("initiative:edit", edit).get("ok")
    assert wait_until(
        lambda: stored(w.server, "initiative", initiative_id)[("title", "en")][1] == "machine",
        timeout=60,
    )
    assert "money" in stored(w.server, "initiative", initiative_id)[("title", "en")][0].lower()


def test_with_the_engine_missing_nothing_is_lost_and_translations_catch_up(tmp_path):
    need_apertium()
    folder = tmp_path / "bin"
    folder.mkdir()
    binary = folder / "apertium"  # not there yet: the engine is missing
    w = Workshop(
        tmp_path, TRANSLATION="apertium", APERTIUM_BINARY=str(binary), TRANSLATION_RETRY="0.3"
    )
    try:
        assert page_data(w.facilitator, w.page)["translation"] == {
            "enabled": True,
            "available": False,
        }
        acks = [w.post(client_id=f"es-{n}", title=f"Falta de financiación {n}") for n in range(3)]
        ids = [a["initiative"]["id"] for a in acks]
        assert len(w.server.query("SELECT id FROM initiatives")) == 3  # posting works
        assert w.server.query("SELECT id FROM translations") == []

        os.symlink(shutil.which("apertium"), binary)  # the engine returns
        assert w.watcher.wait_for(
            lambda c: {"enabled": True, "available": True} in c.received("translation:status"),
            timeout=60,
        )
        assert wait_until(
            lambda: all(len(stored(w.server, "initiative", i)) == 2 for i in ids), timeout=60
        )
        assert page_data(w.facilitator, w.page)["translation"]["available"] is True

        binary.unlink()  # and goes away again while people post
        late = w.post(client_id="es-late", title="Falta de tiempo")
        assert w.watcher.wait_for(
            lambda c: {"enabled": True, "available": False} in c.received("translation:status"),
            timeout=60,
        )
        assert page_data(w.facilitator, w.page)["translation"]["available"] is False
        late_id = late["initiative"]["id"]
        assert stored(w.server, "initiative", late_id) == {}
        os.symlink(shutil.which("apertium"), binary)
        assert wait_until(lambda: len(stored(w.server, "initiative", late_id)) == 2, timeout=60)
        assert "time" in stored(w.server, "initiative", late_id)[("title", "en")][0].lower()
    finally:
        w.close()


def test_translation_off_leaves_texts_as_they_are_and_says_so(tmp_path):
    w = Workshop(tmp_path, TRANSLATION="off")
    try:
        assert page_data(w.facilitator, w.page)["translation"] == {
            "enabled": False,
            "available": False,
        }
        page = f"{w.server.url}/s/{w.sessions['es'].code}"
        assert page_data(w.lucia.http, page)["translation"]["enabled"] is False
        w.post()
        assert w.server.query("SELECT id FROM translations") == []
    finally:
        w.close()


def test_an_http_service_stopped_then_back_loses_nothing(tmp_path):
    """The LibreTranslate-compatible provider in the real app: a service that is down makes
    translation unavailable; when it is back, what was posted meanwhile is translated."""
    service = FakeLibreTranslate()
    port = service.port
    service.close()  # down from the start
    w = Workshop(
        tmp_path,
        TRANSLATION="libretranslate",
        TRANSLATION_URL=service.url,
        TRANSLATION_API_KEY="k-123",
        TRANSLATION_RETRIES="0",
        TRANSLATION_TIMEOUT="2",
        TRANSLATION_BREAKER_PAUSE="0.2",
        TRANSLATION_RETRY="0.3",
    )
    try:
        ack = w.post()
        initiative_id = ack["initiative"]["id"]
        assert w.watcher.wait_for(
            lambda c: {"enabled": True, "available": False} in c.received("translation:status"),
            timeout=30,
        )
        assert stored(w.server, "initiative", initiative_id) == {}

        service = FakeLibreTranslate(port)  # back
        assert wait_until(
            lambda: len(stored(w.server, "initiative", initiative_id)) == 2, timeout=30
        )
        rows = stored(w.server, "initiative", initiative_id)
        assert rows[("title", "en")][:3] == (f"[en] {POST['title']}", "machine", None)
        assert rows[("description", "en")][0] == f"[en] {POST['description']}"
        assert w.watcher.wait_for(lambda c: upserted(c, initiative_id, ack["seq"]), timeout=20)
        assert {"enabled": True, "available": True} in w.watcher.received("translation:status")
        sent = [r for r in service.requests if r["q"] != ["hello"]]  # not the probes
        assert sent and all(r["api_key"] == "k-123" and r["source"] == "es" for r in sent)
    finally:
        w.close()
        service.close()
