"""The console's two views: preparing a workshop, and running one session or all of them
side by side; the run view's parts are included with the context they are promised."""

import json
import re

import pytest
from conftest import make_facilitator, sign_in
from jinja2 import ChoiceLoader, DictLoader

PROBE = (
    '<p class="probe" data-session="{{ session.id }}" data-sessions="{{ sessions | length }}"'
    ' data-workshop="{{ workshop.id }}">{{ part }}</p>'
)


def page_data(html):
    found = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html)
    return json.loads(found.group(1))


def test_the_prepare_view_links_to_the_run_views_and_has_no_live_controls(
    facilitator_client, workshop
):
    html = facilitator_client.get(f"/facilitator/workshops/{workshop['id']}").text
    for s in ("en", "es"):
        assert f'href="/facilitator/sessions/{workshop[s]["id"]}/run"' in html
    assert f'href="/facilitator/workshops/{workshop["id"]}/run"' in html
    assert "Run English group" in html and "Run all sessions side by side" in html
    assert 'id="voting-rules"' in html and 'id="display-settings"' in html
    for live_control in ("phase-form", "item-admin", "merge-button", "results-scope"):
        assert live_control not in html


def test_the_run_view_of_one_session(facilitator_client, workshop):
    en = workshop["en"]["id"]
    response = facilitator_client.get(f"/facilitator/sessions/{en}/run")
    assert response.status_code == 200
    html = response.text
    assert html.count('class="run-column ') == 1 and f'data-session-id="{en}"' in html
    for control in ("step-back", "step-next", "countdown-start", "countdown-pause", "auto_close"):
        assert control in html
    assert 'role="tablist"' in html and 'role="tabpanel"' in html
    assert f'href="/facilitator/workshops/{workshop["id"]}"' in html  # back to preparing
    data = page_data(html)
    assert data["session_ids"] == [en] and data["workshop_id"] == workshop["id"]
    assert data["phases"][0] == "lobby" and data["phases"][-1] == "closed"
    # run.js comes last, after every part's module
    scripts = re.findall(r'<script type="module" src="[^"]*/js/([a-z_]+)\.js', html)
    assert scripts[-1] == "run"
    for part in ("run_counters", "run_contributions", "run_proxy", "run_merge"):
        assert scripts.index(part) < len(scripts) - 1, part


def test_the_run_view_of_all_sessions(facilitator_client, workshop):
    html = facilitator_client.get(f"/facilitator/workshops/{workshop['id']}/run").text
    assert html.count('class="run-column ') == 2
    data = page_data(html)
    assert data["session_ids"] == [workshop["en"]["id"], workshop["es"]["id"]]


@pytest.mark.parametrize(
    "path", ["/facilitator/sessions/{en}/run", "/facilitator/workshops/{w}/run"]
)
def test_run_views_of_another_facilitators_workshop_are_404(app, workshop, path):
    make_facilitator(app, "eve@example.org", "Eve")
    other = app.test_client()
    sign_in(other, "eve@example.org")
    url = path.format(en=workshop["en"]["id"], w=workshop["id"])
    assert other.get(url).status_code == 404


def test_parts_are_included_with_their_context(app, facilitator_client, workshop):
    """Each part gets `workshop`, `sessions` and (per session) `session`; the
    per-session ones once per column, the merge part once per page."""
    parts = {
        f"facilitator/_run_{name}.html": PROBE.replace("{{ part }}", name)
        for name in ("counters", "contributions", "proxy")
    }
    parts["facilitator/_run_merge.html"] = (
        '<p class="probe-merge" data-sessions="{{ sessions | length }}">merge</p>'
    )
    app.jinja_loader = ChoiceLoader([DictLoader(parts), app.jinja_loader])
    app.jinja_env.loader = app.jinja_loader
    ids = [workshop["en"]["id"], workshop["es"]["id"]]
    wide = facilitator_client.get(f"/facilitator/workshops/{workshop['id']}/run").text
    for name in ("counters", "contributions", "proxy"):
        shown = re.findall(
            rf'data-session="(\d+)" data-sessions="2" data-workshop="\d+">{name}<', wide
        )
        assert [int(i) for i in shown] == ids, name
    assert wide.count('class="probe-merge" data-sessions="2"') == 1
    assert 'id="tab-page-merge"' in wide
    one = facilitator_client.get(f"/facilitator/sessions/{ids[0]}/run").text
    assert one.count('class="probe-merge"') == 1
    assert f'id="tab-{ids[0]}-merge"' in one and f'id="tab-{ids[0]}-proxy"' in one
