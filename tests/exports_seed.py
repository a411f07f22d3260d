"""Seed data for the export suites: a two-session (en, es) workshop that has been through
every phase, and helpers that read exports back and count what the database holds."""

import csv
import io
import json
import zipfile

from facilitation.extensions import db
from facilitation.models import (
    AccountToken,
    Facilitator,
    Initiative,
    InitiativeSdg,
    Item,
    ItemGroup,
    Participant,
    SdgPick,
    Session,
    Vote,
    Workshop,
    workshop_facilitators,
)
from facilitation.services import initiatives, items, participants, voting, workshops
from facilitation.unit_of_work import work

EN_PEOPLE = [
    ("Bo Lindqvist", "Oslo", "Norway"),
    ("Chiara Rossi", "Torino", "Italy"),
    ("Dmitri Kovač", "Ljubljana", "Slovenia"),
]
ES_PEOPLE = [
    ("José Müller 🙂", "Ayuntamiento de Cádiz", "España"),
    ("Lucía Peña", "Medellín", "Colombia"),
    ("Ñandú Ibáñez", "Córdoba", "Argentina"),
]

# (session, person index, client id, axis, sdgs, title, description)
INITIATIVES = [
    ("en", 0, "i1", "economy", [8, 9], "Open data portal", "All budgets online"),
    ("en", 0, "i2", "mobility", [11], "Bike lanes", "Forty km\nof protected lanes"),
    ("en", 1, "i3", "economy", [8], "Startup hub", ""),
    ("en", 2, "i4", "governance", [16, 17], "Participatory budget", "Residents decide"),
    ("en", 2, "i5", "environment", [13], "Withdrawn idea", "Gone"),
    ("es", 0, "i1", "mobility", [3, 11], "Carriles bici 🚲", "Cuarenta km de carriles"),
    ("es", 1, "i2", "economy", [8, 9, 17], "Presupuesto participativo", "Vecinos deciden"),
    ("es", 2, "i3", "quality", [3], "Salud en el barrio", "Centros de día"),
]

SEEDED_AXES = ("economy", "mobility", "governance", "quality", "environment", "citizenship")


def _people(session, who):
    return [
        participants.join(
            session.join_code,
            {"display_name": name, "organisation": organisation, "country": country},
        )
        for name, organisation, country in who
    ]


def _propose(person, client_id, kind, text, axis=None):
    payload = {"client_id": client_id, "kind": kind, "text": text, "axis": axis}
    return items.propose(person, payload)[0][0]


def _vote(person, client_id, item, delta=1):
    state, created = voting.cast(
        person, {"client_id": client_id, "item_id": item.id, "delta": delta}
    )
    assert created, (client_id, state)


def seed(app, workshop, facilitator_id):
    """Fill the `workshop` fixture's sessions with initiatives (one withdrawn), barriers
    and enablers (a cross-language merge, a same-session merge, one hidden after it got
    dots, one added by the facilitator), votes (one taken back) and SDG picks.

    Returns the ids the tests need.
    """
    with app.app_context(), work():
        owner = db.session.get(Facilitator, facilitator_id)
        en = db.session.get(Session, workshop["en"]["id"])
        es = db.session.get(Session, workshop["es"]["id"])
        people = {"en": _people(en, EN_PEOPLE), "es": _people(es, ES_PEOPLE)}

        posted = {}
        for lang, who, client_id, axis, sdgs, title, description in INITIATIVES:
            data, _seq, created = initiatives.post(
                people[lang][who],
                {
                    "client_id": client_id,
                    "title": title,
                    "description": description,
                    "axis": axis,
                    "sdgs": sdgs,
                    "link": "https://example.org/" + client_id if who == 0 else "",
                },
            )
            assert created
            posted[(lang, client_id)] = data["id"]
        initiatives.withdraw(people["en"][2], {"id": posted[("en", "i5")]})

        for s in (en, es):
            workshops.set_phase(s, "proposing")
        ben, cen, den = people["en"]
        jes, les, nes = people["es"]
        b1 = _propose(ben, "b1", "barrier", "Slow procurement", "economy")
        b2 = _propose(cen, "b2", "barrier", "No open data standards")
        e1 = _propose(den, "e1", "enabler", "Political leadership", "governance")
        e2 = _propose(ben, "e2", "enabler", "Strong leadership from the mayor")
        b3 = _propose(jes, "b3", "barrier", "Contratación pública lenta", "economy")
        e3 = _propose(les, "e3", "enabler", "Liderazgo político", "governance")
        b4 = _propose(nes, "b4", "barrier", "Falta de presupuesto")
        f1 = items.add_by_facilitator(
            owner, en, {"client_id": "f1", "kind": "enabler", "text": "Training for staff"}
        )[0][0]
        items.merge(en.workshop, [b1.id, b3.id])  # across languages
        items.merge(en.workshop, [e1.id, e2.id, e3.id])  # within en, then es joins

        for s in (en, es):
            workshops.set_phase(s, "voting")
        _vote(ben, "v1", b1)
        _vote(ben, "v2", b1)
        _vote(ben, "v3", e1)
        _vote(ben, "v4", f1)
        _vote(cen, "v1", b2)
        _vote(cen, "v2", b2)
        _vote(cen, "v3", f1)
        _vote(cen, "v4", f1, -1)  # taken back
        _vote(jes, "v1", b3)
        _vote(jes, "v2", b4)
        _vote(jes, "v3", b1)  # the English text of the merged group
        _vote(les, "v1", e3)
        _vote(les, "v2", e3)
        _vote(nes, "v1", b4)
        _vote(nes, "v2", e1)
        items.set_hidden(b2, True)  # its 2 dots go back to Chiara

        for s in (en, es):
            workshops.set_phase(s, "sdg_picks")
        picks = [
            (ben, "economy", 8),
            (ben, "economy", 9),
            (ben, "mobility", 11),
            (cen, "economy", 8),
            (den, "governance", 16),
            (jes, "economy", 8),
            (jes, "quality", 3),
            (les, "mobility", 11),
            (les, "mobility", 3),
            (nes, "environment", 13),
        ]
        for person, axis, sdg in picks:
            voting.pick(person, {"axis": axis, "sdg": sdg, "picked": True})
        voting.pick(nes, {"axis": "environment", "sdg": 13, "picked": False})
        voting.pick(nes, {"axis": "environment", "sdg": 7, "picked": True})

        for s in (en, es):
            workshops.set_phase(s, "results")
        return {
            "en": en.id,
            "es": es.id,
            "people": {lang: [p.id for p in ps] for lang, ps in people.items()},
            "initiatives": posted,
            "items": {
                name: item.id
                for name, item in zip(
                    ("b1", "b2", "b3", "b4", "e1", "e2", "e3", "f1"),
                    (b1, b2, b3, b4, e1, e2, e3, f1),
                    strict=True,
                )
            },
        }


COUNTED = (
    Workshop,
    Session,
    Participant,
    Initiative,
    InitiativeSdg,
    ItemGroup,
    Item,
    Vote,
    SdgPick,
    Facilitator,
    AccountToken,
)


def row_counts(app):
    """Rows in every table an import could touch."""
    with app.app_context():
        counts = {model.__tablename__: db.session.query(model).count() for model in COUNTED}
        counts["workshop_facilitators"] = db.session.execute(
            db.select(db.func.count()).select_from(workshop_facilitators)
        ).scalar()
        return counts


def read_csv_zip(payload):
    """{file name: list of rows} of a CSV export, and {file name: raw bytes}."""
    tables, raw = {}, {}
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        for name in archive.namelist():
            raw[name] = archive.read(name)
            text = io.TextIOWrapper(io.BytesIO(raw[name]), encoding="utf-8-sig", newline="")
            tables[name] = list(csv.reader(text))
    return tables, raw


def seeded_app(folder):
    """An app of its own under `folder` holding the seeded workshop, for module-scoped
    fixtures: returns (app, workshop ids as the `workshop` fixture gives them, seed ids)."""
    from conftest import make_app, make_facilitator

    app = make_app(folder)
    facilitator_id = make_facilitator(app)
    with app.app_context(), work():
        owner = db.session.get(Facilitator, facilitator_id)
        found = workshops.create_workshop(
            owner, {"title": "Smart Cities Study", "date": "2026-05-10"}
        )
        sessions = {
            lang: workshops.add_session(found, {"name": name, "language": lang}, ["en", "es"])
            for lang, name in (("en", "English group"), ("es", "Grupo español"))
        }
        for s in sessions.values():
            workshops.set_phase(s, "initiatives")
        workshop = {"id": found.id}
        workshop.update({k: {"id": s.id, "code": s.join_code} for k, s in sessions.items()})
    return app, workshop, seed(app, workshop, facilitator_id)


def export_document(app, workshop_id):
    """The JSON export of a workshop, parsed (written as `flask export` writes it)."""
    from facilitation.views.exports import write_export

    target = io.BytesIO()
    with app.app_context():
        write_export(db.session.get(Workshop, workshop_id), "json", "en", None, target)
    return json.loads(target.getvalue())
