"""Stored translations (services/translations.py), on SQLite and PostgreSQL: what still
needs one, machine translations stored once however many processes store them, a person's
translation winning over the machine until the text changes."""

import pytest
from conftest import fresh_postgres, join, make_app, make_facilitator

from facilitation import runtime
from facilitation.domain.errors import RuleError
from facilitation.extensions import db
from facilitation.models import Facilitator, Participant, Translation
from facilitation.schemas import check
from facilitation.schemas.payloads import TranslationCorrection
from facilitation.services import initiatives, translations, workshops
from facilitation.unit_of_work import work


@pytest.fixture(params=["sqlite", "postgresql"])
def store_app(request, tmp_path):
    if request.param == "sqlite":
        app = make_app(tmp_path)
    else:
        app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=fresh_postgres(request))
    make_facilitator(app)
    yield app
    runtime.of(app).drain()  # the results broadcasts read the database
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def posted(store_app):
    """A workshop with a Spanish and an English session; a Spanish initiative."""
    app = store_app
    with app.app_context(), work():
        owner = db.session.query(Facilitator).one()
        found = workshops.create_workshop(owner, {"title": "Bilingual", "date": "2026-05-10"})
        es = workshops.add_session(found, {"name": "Grupo", "language": "es"}, ["en", "es"])
        workshops.add_session(found, {"name": "Group", "language": "en"}, ["en", "es"])
        workshops.set_phase(es, "initiatives")
        code = es.join_code
    participant_id = join(app.test_client(), code, name="Lucía")
    with app.app_context(), work():
        author = db.session.get(Participant, participant_id)
        draft = {
            "client_id": "c1",
            "title": "Falta de financiación",
            "description": "Los pilotos no tienen presupuesto",
            "axis": "governance",
            "sdgs": [11],
        }
        data, _, _ = initiatives.post(author, draft)
    return {"app": app, "id": data["id"], "participant_id": participant_id, "draft": draft}


def needed(app, initiative_id=None):
    with app.app_context():
        if initiative_id is None:
            return translations.needed(everything=True)
        return translations.needed([initiative_id])


def store(app, results):
    """Store machine results in a unit of work; returns (stored, events recorded)."""
    with app.app_context(), work() as unit:
        stored = translations.store_machine(results)
    return stored, unit.events


def rows(app):
    with app.app_context():
        found = db.session.query(Translation).order_by(Translation.field).all()
        return [(t.field, t.language, t.text, t.origin, t.translated_by) for t in found]


def test_a_new_text_needs_every_other_language_of_its_workshop(posted):
    app, id_ = posted["app"], posted["id"]
    texts = needed(app, id_)
    assert {(t.field, t.language, t.targets) for t in texts} == {
        ("title", "es", ("en",)),
        ("description", "es", ("en",)),
    }
    assert [t.subject_id for t in needed(app)] == [id_, id_]  # the catch-up finds it too


def test_stored_once_however_often_it_is_stored(posted):
    app, id_ = posted["app"], posted["id"]
    texts = needed(app, id_)
    results = [(t, "en", f"EN {t.text}") for t in texts]
    stored, events = store(app, results)
    assert stored == 2
    assert [type(e).__name__ for e in events] == ["InitiativeUpserted"]  # one re-broadcast
    assert needed(app, id_) == [] and needed(app) == []
    again, events = store(app, results)  # another process stores the same: nothing changes
    assert again == 0 and events == []
    assert rows(app) == [
        ("description", "en", "EN Los pilotos no tienen presupuesto", "machine", None),
        ("title", "en", "EN Falta de financiación", "machine", None),
    ]


def test_a_person_wins_over_the_machine_until_the_text_changes(posted):
    app, id_ = posted["app"], posted["id"]
    texts = needed(app, id_)  # read before the correction: the machine's pass is under way
    with app.app_context(), work() as unit:
        draft = check(
            TranslationCorrection,
            {
                "subject": "initiative",
                "subject_id": id_,
                "field": "title",
                "language": "en",
                "text": "Lack of funding",
            },
        )
        thing = translations._subject("initiative", id_)
        shown = translations.correct(draft, thing, "Ana", ["en", "es", "fr"])
    assert shown["origin"] == "human" and shown["by"] == "Ana"
    assert [type(e).__name__ for e in unit.events] == ["InitiativeUpserted"]
    assert [t.field for t in needed(app, id_)] == ["description"]
    # the machine's results land afterwards: the title keeps the person's translation
    assert store(app, [(t, "en", f"EN {t.text}") for t in texts])[0] == 1  # description only
    assert ("title", "en", "Lack of funding", "human", "Ana") in rows(app)
    assert store(app, [(t, "en", f"EN2 {t.text}") for t in texts])[0] == 0

    # the author changes the title: the machine translates it again
    with app.app_context(), work():
        author = db.session.get(Participant, posted["participant_id"])
        initiatives.edit(author, {**posted["draft"], "id": id_, "title": "Falta de dinero"})
    [title] = needed(app, id_)
    assert (title.field, title.text) == ("title", "Falta de dinero")
    store(app, [(title, "en", "Lack of money")])
    assert ("title", "en", "Lack of money", "machine", None) in rows(app)


def test_a_result_for_a_text_changed_meanwhile_is_dropped(posted):
    app, id_ = posted["app"], posted["id"]
    old = [t for t in needed(app, id_) if t.field == "title"]
    with app.app_context(), work():
        author = db.session.get(Participant, posted["participant_id"])
        initiatives.edit(author, {**posted["draft"], "id": id_, "title": "Otro título"})
    assert store(app, [(old[0], "en", "Lack of funding")]) == (0, [])
    assert [t.text for t in needed(app, id_) if t.field == "title"] == ["Otro título"]


def test_corrections_are_checked(posted):
    app, id_ = posted["app"], posted["id"]
    base = {"subject": "initiative", "subject_id": id_, "field": "title", "text": "Lack"}
    with app.app_context():
        thing = translations._subject("initiative", id_)
        for change, field in (
            ({"language": "es"}, "language"),  # the text's own language
            ({"language": "de"}, "language"),  # not one the app speaks
            ({"language": "en", "field": "text"}, "field"),  # items have a text
        ):
            draft = check(TranslationCorrection, {**base, **change})
            with pytest.raises(RuleError) as refused:
                translations.correct(draft, thing, "Ana", ["en", "es", "fr"])
            assert refused.value.code == "invalid" and field in refused.value.fields
            db.session.rollback()


def test_an_authors_own_translation_is_credited_only_where_names_are_shown():
    assert translations.shown_by("Lucía", "Lucía", names=True) == "Lucía"
    assert translations.shown_by("Lucía", "Lucía", names=False) is None
    assert translations.shown_by("Ana", "Lucía", names=False) == "Ana"  # a facilitator
    assert translations.shown_by(None, "Lucía", names=False) is None
