"""Facilitators moderate initiatives (services.moderation): a hidden initiative leaves
boards, counts, tallies, matrices, results sheets and the report, and comes back when shown
again; a corrected wording is kept with the author's original, which only facilitators and
exports see. Corrected items keep their original text too."""

import io
import json

import pytest
from conftest import make_facilitator
from exports_seed import read_csv_zip

from facilitation.domain.errors import RuleError
from facilitation.domain.taxonomy import taxonomy
from facilitation.exports.backup import write_json
from facilitation.exports.import_rules import ImportProblem
from facilitation.exports.restore import import_workshop
from facilitation.extensions import db
from facilitation.models import Facilitator, Initiative, Item, Participant, Session, Workshop
from facilitation.services import initiatives, items, moderation, participants, results
from facilitation.unit_of_work import work

WHO = {"display_name": "Ana", "organisation": "Lyon", "country": "France"}


@pytest.fixture
def posted(app, workshop):
    """Ana's two initiatives in the English session: (participant id, kept id, rude id)."""
    with app.app_context(), work():
        ana = participants.join(workshop["en"]["code"], WHO)
        kept = initiatives.post(
            ana, {"client_id": "k", "title": "Bike lanes", "axis": "mobility", "sdgs": [11]}
        )[0]
        rude = initiatives.post(
            ana,
            {
                "client_id": "r",
                "title": "Rude words",
                "description": "More rude words",
                "axis": "economy",
                "sdgs": [8, 9],
            },
        )[0]
        return ana.id, kept["id"], rude["id"]


def hide(app, workshop, initiative_id, hidden=True):
    with app.app_context(), work():
        moderation.set_hidden(moderation.initiative_in({workshop["id"]}, initiative_id), hidden)


def correct(app, workshop, initiative_id, **wording):
    with app.app_context(), work():
        found = moderation.initiative_in({workshop["id"]}, initiative_id)
        return moderation.correct(found, wording).id


def en_results(app, workshop):
    with app.app_context():
        return results.workshop_results(workshop["id"])["sessions"][str(workshop["en"]["id"])]


def board_ids(app, session_id, **options):
    with app.app_context():
        board = initiatives.board(session_id, 50, **options)
        return {i["id"]: i["hidden"] for i in board["initiatives"]}, board["initiatives_total"]


def test_a_hidden_initiative_leaves_boards_and_tallies_until_shown_again(app, workshop, posted):
    ana, kept, rude = posted
    en = workshop["en"]["id"]
    before = en_results(app, workshop)
    assert (before["initiatives"], before["matrix"]["economy"][8]) == (2, 1)

    hide(app, workshop, rude)
    after = en_results(app, workshop)
    assert after["initiatives"] == 1
    assert after["axes"]["economy"] == 0
    assert (after["matrix"]["economy"][8], after["matrix"]["economy"][9]) == (0, 0)
    assert after["matrix"]["mobility"][11] == 1
    assert board_ids(app, en) == ({kept: False}, 1)  # participants and room screens
    assert board_ids(app, en, moderator=True) == ({kept: False, rude: True}, 1)
    # its author alone still sees it, marked hidden
    assert board_ids(app, en, own_ids=[kept, rude]) == ({kept: False, rude: True}, 1)
    with app.app_context(), work():  # a newer one to page below
        newest = initiatives.post(
            db.session.get(Participant, ana),
            {"client_id": "n", "title": "Newest", "axis": "quality", "sdgs": [4]},
        )[0]["id"]
    with app.app_context():
        for moderator, listed in ((False, [kept]), (True, [kept, rude])):
            page = initiatives.older_page(en, newest, 50, moderator=moderator)
            assert [i["id"] for i in page["initiatives"]] == listed
            assert page["initiatives_total"] == 2
    with app.app_context(), work():
        initiatives.withdraw(db.session.get(Participant, ana), {"id": newest})

    hide(app, workshop, rude, hidden=False)
    assert en_results(app, workshop) == before
    assert board_ids(app, en) == ({kept: False, rude: False}, 2)


def test_hiding_twice_changes_nothing_and_withdrawing_a_hidden_one_counts_once(
    app, workshop, posted
):
    ana, kept, rude = posted
    hide(app, workshop, rude)
    with app.app_context():
        seq = db.session.get(Session, workshop["en"]["id"]).seq
    hide(app, workshop, rude)
    with app.app_context():
        assert db.session.get(Session, workshop["en"]["id"]).seq == seq
    with app.app_context(), work():
        author = db.session.get(Participant, ana)
        initiatives.edit(
            author, {"id": rude, "title": "Still rude", "axis": "quality", "sdgs": [4]}
        )
    assert en_results(app, workshop)["axes"]["quality"] == 0  # edited, still hidden
    with app.app_context(), work():
        initiatives.withdraw(db.session.get(Participant, ana), {"id": rude})
    assert en_results(app, workshop)["initiatives"] == 1
    with pytest.raises(RuleError) as refused, app.app_context(), work():
        moderation.initiative_in({workshop["id"]}, rude)  # withdrawn: nothing to moderate
    assert refused.value.code == "not_found"


def test_an_initiative_of_another_workshop_is_not_found(app, workshop, posted):
    _ana, kept, _rude = posted
    with app.app_context():
        for ids, target in (({workshop["id"] + 1}, kept), ({workshop["id"]}, 10**6), (set(), kept)):
            with pytest.raises(RuleError) as refused, work():
                moderation.initiative_in(ids, target)
            assert refused.value.code == "not_found"


def test_a_correction_keeps_the_authors_first_wording(app, workshop, posted):
    _ana, _kept, rude = posted
    correct(app, workshop, rude, title="Kind words")
    correct(app, workshop, rude, title="Kinder words", description="")
    with app.app_context():
        found = db.session.get(Initiative, rude)
        assert (found.title, found.description) == ("Kinder words", "")
        assert (found.original_title, found.original_description) == (
            "Rude words",
            "More rude words",
        )
        assert found.corrected_at is not None
        for_participants = initiatives.to_data(found)
        assert "original_title" not in for_participants
        assert "original_description" not in json.dumps(for_participants)
        moderated = initiatives.to_data(found, moderator=True)
        assert moderated["original_title"] == "Rude words"


def test_a_correction_is_checked_and_an_unchanged_one_records_nothing(app, workshop, posted):
    _ana, kept, _rude = posted
    with app.app_context():
        for wording, field in (
            ({"title": ""}, "title"),
            ({"description": "x" * 1001}, "description"),
        ):
            with pytest.raises(RuleError) as refused, work():
                moderation.correct(moderation.initiative_in({workshop["id"]}, kept), wording)
            assert refused.value.code == "invalid" and field in refused.value.fields
        seq = db.session.get(Session, workshop["en"]["id"]).seq
    correct(app, workshop, kept, title="Bike lanes")
    with app.app_context():
        found = db.session.get(Initiative, kept)
        assert (found.original_title, found.corrected_at) == (None, None)
        assert db.session.get(Session, workshop["en"]["id"]).seq == seq


def test_a_corrected_item_keeps_its_first_text(app, workshop, facilitator):
    with app.app_context(), work():
        owner = db.session.get(Facilitator, facilitator)
        session = db.session.get(Session, workshop["en"]["id"])
        item = items.add_by_facilitator(
            owner, session, {"client_id": "i", "text": "Red tpae", "kind": "barrier"}
        )[0][0]
        items.correct(item, {"axis": "governance"})  # not the text: nothing to keep
        assert (item.original_text, item.corrected_at) == (None, None)
        items.correct(item, {"text": "Red tape"})
        items.correct(item, {"text": "Too much red tape"})
        item_id = item.id
    with app.app_context():
        item = db.session.get(Item, item_id)
        assert (item.text, item.original_text) == ("Too much red tape", "Red tpae")
        assert item.corrected_at is not None


def test_exports_list_hidden_and_corrected_initiatives_and_leave_them_out_of_results(
    app, workshop, posted, facilitator_client
):
    _ana, kept, rude = posted
    correct(app, workshop, kept, title="Protected bike lanes")
    hide(app, workshop, rude)
    response = facilitator_client.get(
        f"/facilitator/workshops/{workshop['id']}/export/csv?lang=en", buffered=True
    )
    assert response.status_code == 200
    tables, _raw = read_csv_zip(response.data)
    header, *rows = tables["initiatives.csv"]
    listed = {int(r[0]): dict(zip(header, r, strict=True)) for r in rows}
    assert listed[rude]["Hidden"] == "Yes" and listed[kept]["Hidden"] == "No"
    assert listed[kept]["Title"] == "Protected bike lanes"
    assert listed[kept]["Original title"] == "Bike lanes"
    assert listed[rude]["Original title"] == ""
    matrix_name = f"initiatives_matrix_{workshop['en']['id']}.csv"
    header, *matrix = tables[matrix_name]
    economy = matrix[0]  # the taxonomy's first axis
    assert economy[0] == taxonomy().axes[0].name("en") and taxonomy().axes[0].code == "economy"
    assert economy[header.index("Initiatives on this axis")] == "0"
    report = facilitator_client.get(f"/facilitator/workshops/{workshop['id']}/report?lang=en")
    assert report.status_code == 200
    assert "Protected bike lanes" in report.text and "Rude words" not in report.text


def test_a_backup_carries_moderation_and_an_old_one_still_imports(app, workshop, posted):
    _ana, kept, rude = posted
    correct(app, workshop, kept, title="Protected bike lanes", description="Forty km")
    hide(app, workshop, rude)
    with app.app_context(), work():
        buffer = io.StringIO()
        write_json(db.session.get(Workshop, workshop["id"]), buffer)
    data = json.loads(buffer.getvalue())
    by_id = {r["id"]: r for r in data["initiatives"]}
    assert by_id[rude]["hidden"] is True
    assert (by_id[kept]["original_title"], by_id[kept]["original_description"]) == (
        "Bike lanes",
        "",
    )
    other = make_facilitator(app, "bea@example.org", "Bea")
    old = json.loads(buffer.getvalue())
    for record in old["initiatives"]:
        for key in ("hidden", "original_title", "original_description", "corrected_at"):
            del record[key]
    with app.app_context(), work():
        owner = db.session.get(Facilitator, other)
        copy = import_workshop(data, owner, ["en", "es"])
        from_old = import_workshop(old, owner, ["en", "es"])
        copies = {
            name: sorted(
                (i.title, i.hidden, i.original_title)
                for i in Initiative.query.filter(
                    Initiative.session_id.in_([s.id for s in found.sessions])
                )
            )
            for name, found in (("new", copy), ("old", from_old))
        }
        tally = results.workshop_results(copy.id)["combined"]["initiatives"]
    assert copies["new"] == [
        ("Protected bike lanes", False, "Bike lanes"),
        ("Rude words", True, None),
    ]
    assert copies["old"] == [("Protected bike lanes", False, None), ("Rude words", False, None)]
    assert tally == 1


def test_an_import_refuses_an_original_no_column_holds(app, workshop, posted, facilitator):
    _ana, kept, _rude = posted
    correct(app, workshop, kept, title="Protected bike lanes")
    with app.app_context(), work():
        buffer = io.StringIO()
        write_json(db.session.get(Workshop, workshop["id"]), buffer)
    for key, value, problem in (
        ("original_title", "x" * 121, "initiatives[0].original_title"),
        ("hidden", "yes", "initiatives[0].hidden"),
    ):
        data = json.loads(buffer.getvalue())
        data["initiatives"][0][key] = value
        with app.app_context(), pytest.raises(ImportProblem) as refused, work():
            import_workshop(data, db.session.get(Facilitator, facilitator), ["en", "es"])
        assert refused.value.detail.startswith(problem)
