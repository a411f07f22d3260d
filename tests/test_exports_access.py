"""Who may export, see the report and import: a workshop's facilitators only. Anonymous
visitors and participants are sent to the login page; another workshop's facilitator gets
404, as if the workshop did not exist."""

import io
import json

import pytest
from conftest import PASSWORD, join, make_facilitator, sign_in
from exports_seed import row_counts

from facilitation.extensions import db
from facilitation.models import Session, Workshop
from facilitation.services import accounts
from facilitation.unit_of_work import work

EXPORTS = [
    "export/csv",
    "export/xlsx",
    "export/json",
    "export/csv?lang=es",
    "export/xlsx?session={en}",
    "report",
    "report?lang=es&session={es}",
]
PDF = ["report.pdf", "report.pdf?lang=es&session={es}"]


def urls(workshop, paths=(*EXPORTS, *PDF)):
    return [
        f"/facilitator/workshops/{workshop['id']}/"
        + path.format(en=workshop["en"]["id"], es=workshop["es"]["id"])
        for path in paths
    ]


def small_export():
    """A valid export file of a one-session workshop, for import attempts."""
    return json.dumps(
        {
            "schema_version": 1,
            "workshop": {
                "title": "Smuggled in",
                "date": "2026-05-10",
                "description": "",
                "anonymity": "public",
                "dots": 5,
                "dots_per_item": 2,
                "separate_budgets": False,
                "sdg_limit": 3,
                "results_to_participants": False,
                "created_at": "2026-05-01T09:00:00Z",
            },
            "sessions": [
                {
                    "id": 1,
                    "name": "One",
                    "language": "en",
                    "join_code": "ACDEFG",
                    "phase": "lobby",
                    "phase_ends_at": None,
                    "seq": 0,
                    "created_at": "2026-05-01T09:00:00Z",
                }
            ],
            "participants": [],
            "initiatives": [],
            "item_groups": [],
            "items": [],
            "votes": [],
            "sdg_picks": [],
        }
    ).encode()


def post_import(client):
    return client.post(
        "/facilitator/import",
        data={"file": (io.BytesIO(small_export()), "w.json")},
        content_type="multipart/form-data",
    )


def assert_sent_to_login(response):
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.fixture
def participant_client(app, workshop):
    """A browser that joined the English session (and the Spanish one): no account."""
    browser = app.test_client()
    join(browser, workshop["en"]["code"])
    join(browser, workshop["es"]["code"], name="Eva")
    with browser.session_transaction() as cookie:
        assert len(cookie["participants"]) == 2
    return browser


@pytest.fixture
def stranger_client(app, workshop):
    """Signed in as a facilitator who runs another workshop, not this one."""
    make_facilitator(app, email="zed@example.org", name="Zed")
    stranger = sign_in(app.test_client(), "zed@example.org")
    response = stranger.post(
        "/facilitator/workshops/new", data={"title": "Zed's own", "date": "2026-06-01"}
    )
    assert response.status_code == 302
    return stranger


def test_anonymous_visitors_are_sent_to_login(app, client, workshop):
    for url in urls(workshop):
        response = client.get(url, buffered=True)
        assert_sent_to_login(response)
        assert "next=" in response.headers["Location"], url
    assert_sent_to_login(client.get("/facilitator/import"))
    before = row_counts(app)
    assert_sent_to_login(post_import(client))
    assert row_counts(app) == before


def test_participants_are_sent_to_login(app, participant_client, workshop):
    for url in urls(workshop):
        assert_sent_to_login(participant_client.get(url, buffered=True))
    assert_sent_to_login(participant_client.get("/facilitator/import"))
    before = row_counts(app)
    assert_sent_to_login(post_import(participant_client))
    assert row_counts(app) == before


def test_another_workshops_facilitator_gets_404(app, stranger_client, workshop):
    for url in urls(workshop):
        response = stranger_client.get(url, buffered=True)
        assert response.status_code == 404, url
        assert "Smart Cities Study" not in response.text


def test_the_workshops_facilitators_get_everything(app, facilitator_client, workshop):
    for url in urls(workshop, EXPORTS):
        assert facilitator_client.get(url, buffered=True).status_code == 200, url
    # a co-facilitator invited to the workshop too
    with app.app_context(), work():
        token = accounts.invite("co@example.org", "Co", workshop["id"])
        accounts.redeem_token(
            token, {"name": "Co", "email": "co@example.org", "password": PASSWORD}
        )
    co = sign_in(app.test_client(), "co@example.org")
    for url in urls(workshop, EXPORTS):
        assert co.get(url, buffered=True).status_code == 200, url


def test_any_facilitator_may_import_into_their_own_account(app, stranger_client):
    before = row_counts(app)
    response = post_import(stranger_client)
    assert response.status_code == 302
    after = row_counts(app)
    assert after["workshops"] == before["workshops"] + 1
    assert after["sessions"] == before["sessions"] + 1


def test_unknown_workshop_session_or_format_is_404(
    app, facilitator_client, stranger_client, workshop
):
    base = f"/facilitator/workshops/{workshop['id']}"
    with app.app_context():
        theirs = db.session.query(Workshop).filter_by(title="Zed's own").one().id
    for url in [
        f"/facilitator/workshops/{theirs}/export/csv",
        "/facilitator/workshops/999/export/json",
        "/facilitator/workshops/999/report",
        f"{base}/export/pdf",
        f"{base}/export/csv?session=999",
        f"{base}/report?session=nonsense",
    ]:
        assert facilitator_client.get(url, buffered=True).status_code == 404, url
    # a session of another workshop is not a session of this one
    response = stranger_client.post(
        f"/facilitator/workshops/{theirs}/sessions", data={"name": "Zed's", "language": "en"}
    )
    assert response.status_code == 302
    with app.app_context():
        foreign = db.session.query(Session).filter_by(name="Zed's").one()
        assert foreign.workshop_id == theirs
        foreign_id = foreign.id
    for url in (f"{base}/export/xlsx?session={foreign_id}", f"{base}/report?session={foreign_id}"):
        assert facilitator_client.get(url, buffered=True).status_code == 404, url
