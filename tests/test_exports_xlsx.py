"""The XLSX export, downloaded through the route and opened with openpyxl: every count,
rank and matrix cell is checked against the database, queried through the models."""

import io
from collections import defaultdict

import openpyxl
import pytest
from conftest import translated
from exports_seed import seed

from facilitation.domain.taxonomy import taxonomy
from facilitation.extensions import db
from facilitation.models import (
    Initiative,
    InitiativeSdg,
    Item,
    Participant,
    SdgPick,
    Session,
    Vote,
)

SHEETS = [
    "Initiatives",
    "Barriers and enablers",
    "Ranking",
    "Axis × SDG",
    "Axis × SDG – English group",
    "Axis × SDG – Grupo español",
    "SDGs per axis",
    "SDGs per axis – English group",
    "SDGs per axis – Grupo español",
    "Participants",
]
KIND_LABELS = {"barrier": "Barrier", "enabler": "Enabler"}


@pytest.fixture
def seeded(app, workshop, facilitator):
    """The two-session workshop after every phase (see exports_seed.seed)."""
    return seed(app, workshop, facilitator)


def download(client, workshop_id, query="lang=en"):
    response = client.get(
        f"/facilitator/workshops/{workshop_id}/export/xlsx?{query}", buffered=True
    )
    assert response.status_code == 200, response.text
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return openpyxl.load_workbook(io.BytesIO(response.data))


def rows(sheet):
    """Header and rows, with the blank cells xlsxwriter leaves for "" read back as ""."""
    values = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    return values[0], values[1:]


def by_header(sheet):
    header, body = rows(sheet)
    return [dict(zip(header, row, strict=True)) for row in body]


# what the database says, computed here from the models


def unit_of(item):
    return f"g{item.group_id}" if item.group_id else f"i{item.id}"


def expected_rankings(session_ids):
    """{scope: {unit: (kind, dots, rank, first item id)}} for None (all) and each session.

    Hidden items are in no ranking and their dots count nowhere; a session ranks the
    units holding one of its items, with its own participants' dots.
    """
    shown = Item.query.filter(Item.session_id.in_(session_ids), Item.hidden.is_(False)).all()
    members = defaultdict(list)
    for item in shown:
        members[unit_of(item)].append(item)
    dots = defaultdict(int)  # (scope session, unit) -> dots
    for vote in Vote.query.filter(Vote.session_id.in_(session_ids)):
        item = db.session.get(Item, vote.item_id)
        if not item.hidden:
            dots[(vote.session_id, unit_of(item))] += vote.delta
            dots[(None, unit_of(item))] += vote.delta
    result = {}
    for scope in (None, *session_ids):
        units = [
            (unit, group[0].kind, dots[(scope, unit)], min(i.id for i in group))
            for unit, group in members.items()
            if scope is None or any(i.session_id == scope for i in group)
        ]
        ranked = {}
        for kind in ("barrier", "enabler"):
            ordered = sorted((u for u in units if u[1] == kind), key=lambda u: (-u[2], u[3]))
            for unit, _kind, count, first in ordered:
                rank = 1 + sum(1 for other in ordered if other[2] > count)
                ranked[unit] = (kind, count, rank, first)
        result[scope] = ranked
    return result


def expected_matrix(model_rows):
    matrix = defaultdict(int)
    for axis, sdg in model_rows:
        matrix[(axis, sdg)] += 1
    return matrix


def initiative_matrix(session_ids):
    return expected_matrix(
        db.session.execute(
            db.select(Initiative.axis, InitiativeSdg.sdg)
            .join(InitiativeSdg, InitiativeSdg.initiative_id == Initiative.id)
            .where(Initiative.session_id.in_(session_ids), Initiative.withdrawn_at.is_(None))
        ).all()
    )


def picks_matrix(session_ids):
    return expected_matrix(
        db.session.execute(
            db.select(SdgPick.axis, SdgPick.sdg).where(SdgPick.session_id.in_(session_ids))
        ).all()
    )


def initiatives_per_axis(session_ids):
    return dict(
        db.session.execute(
            db.select(Initiative.axis, db.func.count())
            .where(Initiative.session_id.in_(session_ids), Initiative.withdrawn_at.is_(None))
            .group_by(Initiative.axis)
        ).all()
    )


def check_matrix(sheet, expected, locale="en", per_axis=None):
    """The sheet holds `expected`; its totals say what they count: initiatives on the axis
    (given `per_axis`) and SDG mentions, or SDG choices. Returns the mentions or choices."""
    tax = taxonomy()
    header, body = rows(sheet)
    if per_axis is None:
        totals = [translated("SDG choices on this axis", locale)]
    else:
        totals = [
            translated("Initiatives on this axis", locale),
            translated("SDG mentions on this axis", locale),
        ]
    assert header == [
        translated("Axis", locale),
        *(f"{s.number} {s.name(locale)}" for s in tax.sdgs),
        *totals,
    ]
    assert [row[0] for row in body] == [a.name(locale) for a in tax.axes]
    for axis, row in zip(tax.axes, body, strict=True):
        cells = [expected[(axis.code, s.number)] for s in tax.sdgs]
        counted = [] if per_axis is None else [per_axis.get(axis.code, 0)]
        assert row[1:] == [*cells, *counted, sum(cells)], (sheet.title, axis.code)
    return sum(row[-1] for row in body)


def test_workbook_has_every_sheet_in_order(facilitator_client, seeded, workshop):
    book = download(facilitator_client, workshop["id"])
    assert book.sheetnames == SHEETS


def test_initiatives_sheet_matches_the_database(app, facilitator_client, seeded, workshop):
    book = download(facilitator_client, workshop["id"])
    found = by_header(book["Initiatives"])
    tax = taxonomy()
    with app.app_context():
        own = lambda i: db.session.get(Session, i.session_id).language  # noqa: E731
        live = (
            Initiative.query.join(Session)
            .filter(Session.workshop_id == workshop["id"], Initiative.withdrawn_at.is_(None))
            .order_by(Initiative.id)
            .all()
        )
        expected = [
            {
                "ID": i.id,
                "Session": db.session.get(Session, i.session_id).name,
                "Language": db.session.get(Session, i.session_id).language,
                "Title": i.title,
                "Description": i.description,
                "Axis": next(a.name("en") for a in tax.axes if a.code == i.axis),
                "SDGs": "; ".join(
                    f"{n} {next(s.name('en') for s in tax.sdgs if s.number == n)}"
                    for n in sorted(link.sdg for link in i.sdg_links)
                ),
                "Web link": i.link,
                "Participant": i.participant.display_name,
                "City or organisation": i.participant.organisation,
                "Country": i.participant.country,
                "Entered by the facilitator": "Yes" if i.participant.entered_by_id else "No",
                "Created (UTC)": i.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                "Updated (UTC)": i.updated_at.strftime("%Y-%m-%d %H:%M:%S"),
                # moderation: none hidden or corrected here
                "Hidden": "No",
                "Original title": "",
                "Original description": "",
                "Corrected (UTC)": "",
                # no translation stored: each text in its own language's columns only
                **{
                    column: value
                    for field, label in (("title", "Title"), ("description", "Description"))
                    for lang in ("en", "es")
                    for column, value in (
                        (
                            f"{label} [{lang}]",
                            getattr(i, field) if lang == own(i) else "",
                        ),
                        (
                            f"{label} [{lang}]: source",
                            "Original" if lang == own(i) else "",
                        ),
                    )
                },
            }
            for i in live
        ]
        withdrawn = Initiative.query.filter(Initiative.withdrawn_at.isnot(None)).count()
    assert found == expected
    assert len(found) == 7 and withdrawn == 1
    assert seeded["initiatives"][("en", "i5")] not in [row["ID"] for row in found]
    # a newline inside a description stays a newline in the cell
    assert "Forty km\nof protected lanes" in [row["Description"] for row in found]


def test_items_sheet_dots_and_ranks_match_the_database(app, facilitator_client, seeded, workshop):
    book = download(facilitator_client, workshop["id"])
    found = {row["ID"]: row for row in by_header(book["Barriers and enablers"])}
    with app.app_context():
        sessions = [seeded["en"], seeded["es"]]
        ranking = expected_rankings(sessions)
        all_items = Item.query.filter(Item.session_id.in_(sessions)).all()
        assert sorted(found) == sorted(i.id for i in all_items)
        for item in all_items:
            row = found[item.id]
            assert row["Kind"] == KIND_LABELS[item.kind]
            assert row["Text"] == item.text
            assert row["Merged group"] == (item.group_id or "")
            assert row["Hidden"] == ("Yes" if item.hidden else "No")
            proposer = item.participant.display_name if item.participant else "Facilitator"
            assert row["Proposed by"] == proposer
            own = ranking[item.session_id].get(unit_of(item))
            everywhere = ranking[None].get(unit_of(item))
            if item.hidden:
                assert own is None and everywhere is None
                ranks = ("Dots in its session", "Rank in its session")
                ranks += ("Dots, all sessions", "Rank, all sessions")
                assert [row[k] for k in ranks] == ["", "", "", ""]
                continue
            assert (row["Dots in its session"], row["Rank in its session"]) == own[1:3]
            assert (row["Dots, all sessions"], row["Rank, all sessions"]) == everywhere[1:3]
    # anchors worked out by hand from the seed, so the computation above cannot drift
    b1, b3, b2 = (found[seeded["items"][k]] for k in ("b1", "b3", "b2"))
    assert (b1["Dots in its session"], b3["Dots in its session"]) == (2, 2)
    assert b1["Dots, all sessions"] == b3["Dots, all sessions"] == 4
    assert b1["Merged group"] == b3["Merged group"] != ""
    assert (b2["Hidden"], b2["Dots, all sessions"]) == ("Yes", "")
    assert found[seeded["items"]["f1"]]["Proposed by"] == "Facilitator"
    assert found[seeded["items"]["f1"]]["Dots, all sessions"] == 1  # one of two taken back


def test_ranking_sheet_matches_the_database(app, facilitator_client, seeded, workshop):
    book = download(facilitator_client, workshop["id"])
    header, body = rows(book["Ranking"])
    assert header == [
        "Kind",
        "Rank",
        "Dots",
        "Dots: English group",
        "Dots: Grupo español",
        "Texts",
    ]
    with app.app_context():
        sessions = [seeded["en"], seeded["es"]]
        ranking = expected_rankings(sessions)
        languages = {s: db.session.get(Session, s).language for s in sessions}
        expected = []
        for kind in ("barrier", "enabler"):
            units = sorted(
                (u for u, v in ranking[None].items() if v[0] == kind),
                key=lambda u: (ranking[None][u][2], ranking[None][u][3]),
            )
            for unit in units:
                members = (
                    Item.query.filter(Item.hidden.is_(False), Item.session_id.in_(sessions))
                    .order_by(Item.id)
                    .all()
                )
                texts = [
                    f"[{languages[i.session_id]}] {i.text}" for i in members if unit_of(i) == unit
                ]
                per_session = [ranking[s][unit][1] if unit in ranking[s] else 0 for s in sessions]
                _kind, dots, rank, _first = ranking[None][unit]
                expected.append([KIND_LABELS[kind], rank, dots, *per_session, " / ".join(texts)])
    assert body == expected
    assert body[0] == [
        "Barrier",
        1,
        4,
        2,
        2,
        "[en] Slow procurement / [es] Contratación pública lenta",
    ]
    assert len(body) == 4  # 2 barriers (b2 hidden), 2 enablers (e1+e2+e3 merged, f1)


def test_initiative_matrices_match_the_database(app, facilitator_client, seeded, workshop):
    book = download(facilitator_client, workshop["id"])
    with app.app_context():
        both = [seeded["en"], seeded["es"]]
        total = check_matrix(
            book["Axis × SDG"], initiative_matrix(both), per_axis=initiatives_per_axis(both)
        )
        en, es = (
            check_matrix(
                book[f"Axis × SDG – {name}"],
                initiative_matrix([seeded[key]]),
                per_axis=initiatives_per_axis([seeded[key]]),
            )
            for key, name in (("en", "English group"), ("es", "Grupo español"))
        )
        links = (
            db.session.query(InitiativeSdg)
            .join(Initiative)
            .filter(Initiative.withdrawn_at.is_(None))
            .count()
        )
    assert total == en + es == links == 12  # the withdrawn initiative's SDG is left out


def test_sdg_pick_matrices_match_the_database(app, facilitator_client, seeded, workshop):
    book = download(facilitator_client, workshop["id"])
    with app.app_context():
        both = [seeded["en"], seeded["es"]]
        total = check_matrix(book["SDGs per axis"], picks_matrix(both))
        en = check_matrix(book["SDGs per axis – English group"], picks_matrix([seeded["en"]]))
        es = check_matrix(book["SDGs per axis – Grupo español"], picks_matrix([seeded["es"]]))
        picks = db.session.query(SdgPick).count()
    assert total == en + es == picks == 10  # one pick was taken back and replaced


def test_participants_sheet_matches_the_database(app, facilitator_client, seeded, workshop):
    book = download(facilitator_client, workshop["id"])
    found = by_header(book["Participants"])
    with app.app_context():
        people = (
            Participant.query.filter(Participant.session_id.in_([seeded["en"], seeded["es"]]))
            .order_by(Participant.id)
            .all()
        )
        expected = [
            {
                "ID": p.id,
                "Session": db.session.get(Session, p.session_id).name,
                "Language": db.session.get(Session, p.session_id).language,
                "Participant": p.display_name,
                "City or organisation": p.organisation,
                "Country": p.country,
                "Joined (UTC)": p.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                "Initiatives": Initiative.query.filter_by(
                    participant_id=p.id, withdrawn_at=None
                ).count(),
                "Barriers and enablers": Item.query.filter_by(participant_id=p.id).count(),
                "Dots placed": sum(v.delta for v in Vote.query.filter_by(participant_id=p.id)),
                "Entered by the facilitator": "Yes" if p.entered_by_id else "No",
            }
            for p in people
        ]
    assert found == expected
    assert len(found) == 6
    chiara = next(row for row in found if row["Participant"] == "Chiara Rossi")
    # 3 placed, 1 taken back, 2 given back when a facilitator hid the item they were on
    assert (chiara["Dots placed"], chiara["Initiatives"]) == (0, 1)


def test_session_export_holds_only_that_session(app, facilitator_client, seeded, workshop):
    book = download(facilitator_client, workshop["id"], f"lang=en&session={seeded['es']}")
    assert book.sheetnames == [
        "Initiatives",
        "Barriers and enablers",
        "Ranking",
        "Axis × SDG – Grupo español",
        "SDGs per axis – Grupo español",
        "Participants",
    ]
    for name in ("Initiatives", "Barriers and enablers", "Participants"):
        assert {row["Session"] for row in by_header(book[name])} == {"Grupo español"}, name
    header, body = rows(book["Ranking"])
    assert header == ["Kind", "Rank", "Dots", "Dots: Grupo español", "Texts"]
    with app.app_context():
        ranking = expected_rankings([seeded["en"], seeded["es"]])[seeded["es"]]
        check_matrix(
            book["Axis × SDG – Grupo español"],
            initiative_matrix([seeded["es"]]),
            per_axis=initiatives_per_axis([seeded["es"]]),
        )
        check_matrix(book["SDGs per axis – Grupo español"], picks_matrix([seeded["es"]]))
    assert sorted((row[0], row[1], row[2]) for row in body) == sorted(
        (KIND_LABELS[kind], rank, dots) for kind, dots, rank, _first in ranking.values()
    )
    # the merged enabler has 3 dots from the Spanish session alone
    assert body[2][:4] == ["Enabler", 1, 3, 3]


def test_spanish_workbook_names_axes_and_sdgs_in_spanish(app, facilitator_client, seeded, workshop):
    book = download(facilitator_client, workshop["id"], "lang=es")
    with app.app_context():
        both = [seeded["en"], seeded["es"]]
        check_matrix(book.worksheets[3], initiative_matrix(both), "es", initiatives_per_axis(both))
    axes = {row[5] for row in rows(book.worksheets[0])[1]}
    assert "Economía inteligente" in axes and "Smart Economy" not in axes


def test_cli_export_writes_the_same_cells_as_the_route(
    app, facilitator_client, seeded, workshop, tmp_path
):
    out = tmp_path / "cli.xlsx"
    result = app.test_cli_runner().invoke(
        args=["export", str(workshop["id"]), "--format", "xlsx", "--lang", "en", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    from_cli = openpyxl.load_workbook(out)
    from_route = download(facilitator_client, workshop["id"])
    assert from_cli.sheetnames == from_route.sheetnames
    for name in from_cli.sheetnames:
        assert rows(from_cli[name]) == rows(from_route[name]), name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999", "--out", "x.xlsx"], "There is no workshop 999."),
        (["1", "--lang", "de", "--out", "x.xlsx"], "Unknown language 'de'."),
        (["1", "--session", "999", "--out", "x.xlsx"], "Workshop 1 has no session 999."),
    ],
)
def test_cli_export_refuses_unknown_targets(app, seeded, workshop, args, message, tmp_path):
    args = [a if a != "x.xlsx" else str(tmp_path / a) for a in args]
    result = app.test_cli_runner().invoke(args=["export", *args])
    assert workshop["id"] == 1
    assert result.exit_code != 0 and message in result.output
    assert not (tmp_path / "x.xlsx").exists()
