"""The report of the seeded two-session workshop laid out in pages by WeasyPrint: no page
ends with a heading, no table, chart or initiative is split, the first page holds the
whole summary; every bar leaves room for its number."""

import html
import re

import pytest
from conftest import sign_in
from exports_seed import seeded_app

from facilitation.domain.taxonomy import taxonomy
from facilitation.exports import charts, pdf

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption"}
WHOLE = {"table", "figure", "svg"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    if not pdf.available():
        pytest.skip("WeasyPrint cannot run here")
    app, workshop, _ids = seeded_app(tmp_path_factory.mktemp("pages"))
    return app, workshop, sign_in(app.test_client())


def report_html(seeded, query):
    _app, workshop, client = seeded
    response = client.get(f"/facilitator/workshops/{workshop['id']}/report?{query}")
    assert response.status_code == 200
    return response.text


def pages(seeded, query):
    app, _workshop, _client = seeded
    source = report_html(seeded, query)
    with app.test_request_context():
        found = pdf.assets(source, "http://localhost/", app)
        return pdf.document(source, "http://localhost/", found).pages


def walk(box, ancestors=()):
    """(box, its ancestors' boxes) for every box under `box`, in reading order."""
    yield box, ancestors
    for child in getattr(box, "children", ()):
        yield from walk(child, (*ancestors, box))


def shows_something(box):
    """A line showing some text or a picture (charts are SVG pictures)."""
    return any(
        getattr(child, "text", "").strip() or "Replaced" in type(child).__name__
        for child, _a in walk(box)
    )


def text_lines(page):
    """(line box, ancestors) of every line on a page that shows some text or a chart."""
    for box, ancestors in walk(page._page_box):
        if type(box).__name__ == "LineBox" and shows_something(box):
            yield box, ancestors


def tags(ancestors):
    return [getattr(a, "element_tag", None) for a in ancestors]


QUERIES = ["lang=en", "lang=es", "lang=fr", "lang=es&session={es}", "lang=en&session={en}"]


def query_for(seeded, query):
    _app, workshop, _client = seeded
    return query.format(en=workshop["en"]["id"], es=workshop["es"]["id"])


@pytest.mark.parametrize("query", QUERIES)
def test_no_page_ends_with_a_heading(seeded, query):
    laid_out = pages(seeded, query_for(seeded, query))
    assert len(laid_out) > 2
    for number, page in enumerate(laid_out, start=1):
        lines = list(text_lines(page))
        assert lines, f"page {number} is empty"
        _last, ancestors = lines[-1]
        assert not HEADINGS & set(tags(ancestors)), (number, tags(ancestors))


@pytest.mark.parametrize("query", QUERIES)
def test_no_table_chart_or_initiative_is_split(seeded, query):
    laid_out = pages(seeded, query_for(seeded, query))
    seen = {}
    for number, page in enumerate(laid_out):
        for box, _ancestors in walk(page._page_box):
            element = getattr(box, "element", None)
            if element is None:
                continue
            whole = box.element_tag in WHOLE or "practice" in element.get("class", "").split()
            if whole:
                seen.setdefault(element, set()).add(number)
    assert len(seen) > 10
    split = [(e.tag, e.get("class"), sorted(p)) for e, p in seen.items() if len(p) > 1]
    assert split == []


@pytest.mark.parametrize("query", QUERIES)
def test_the_first_page_holds_the_whole_summary(seeded, query):
    laid_out = pages(seeded, query_for(seeded, query))
    where = set()
    for number, page in enumerate(laid_out):
        for box, _ancestors in walk(page._page_box):
            element = getattr(box, "element", None)
            if element is not None and "summary" in element.get("class", "").split():
                where.add(number)
    assert where == {0}
    first = " ".join(
        child.text
        for line, _a in text_lines(laid_out[0])
        for child, _b in walk(line)
        if hasattr(child, "text")
    )
    assert (
        "Top barriers" in first or "Barreras principales" in first or "Principaux freins" in first
    )
    assert "Slow procurement" in first or "Contratación pública lenta" in first


def test_no_heading_repeats_the_one_above_it(seeded):
    """ "Barriers" above a chart called "Barriers" read twice; captions say more."""
    page = html.unescape(report_html(seeded, "lang=en"))
    titles = re.findall(r"<(?:h\d|caption|figcaption)[^>]*>\s*(.*?)\s*</", page, re.S)
    plain = [re.sub(r"<[^>]+>", "", t).strip() for t in titles]
    assert [a for a, b in zip(plain, plain[1:], strict=False) if a == b] == []


def test_every_bar_shows_its_number(seeded):
    page = html.unescape(report_html(seeded, "lang=es"))
    svgs = re.findall(r"<svg[^>]*width=\"(\d+)\"[^>]*>(.*?)</svg>", page, re.S)
    assert len(svgs) >= 9  # summary, then rankings of the workshop and of each session
    longest = 0
    for width, body in svgs:
        bars = re.findall(r'<rect x="(\d+)" y="\d+" width="(\d+)"', body)
        values = re.findall(r'<text class="bar-value" x="(\d+)"[^>]*>(\d+)</text>', body)
        assert len(bars) == len(values) > 0
        for (x, length), (value_x, value) in zip(bars, values, strict=True):
            assert int(value_x) >= int(x) + int(length)  # right of its bar
            # 13 px digits are at most 8 px wide
            assert int(value_x) + 8 * len(value) <= int(width), (value, value_x, width)
            longest = max(longest, int(length))
    assert longest == charts.BAR_SPACE


def test_the_number_of_a_very_long_bar_fits_too():
    chart = charts.bar_chart([("a", 99999), ("b", 1), ("c", 0)])
    assert [b.value for b in chart.bars] == [99999, 1, 0]
    for bar in chart.bars:
        assert bar.value_x + 8 * len(str(bar.value)) <= chart.width
        assert bar.value_x >= charts.LABEL_WIDTH + bar.length
    assert chart.bars[0].length == charts.BAR_SPACE and chart.bars[2].length == 0


def test_sdg_badges_keep_their_un_colours(seeded):
    """The colours come from /sdg.css, a stylesheet the app makes: the drawing child gets it
    from the server (pdf.assets), not from the static folder."""
    coloured = {}
    for page in pages(seeded, "lang=en"):
        for box, _ancestors in walk(page._page_box):
            element = getattr(box, "element", None)
            classes = element.get("class", "").split() if element is not None else []
            for name in classes:
                if re.fullmatch(r"sdg-\d+", name):
                    colour = box.style["background_color"].to("srgb")
                    hexed = "#" + "".join(f"{round(c * 255):02X}" for c in colour.coordinates)
                    coloured.setdefault(name, set()).add((hexed, colour.alpha))
    assert coloured, "no SDG badge in the report"
    un = {f"sdg-{s.number}": s.colour for s in taxonomy().sdgs}
    for name, drawn in coloured.items():  # the badge's box (anonymous ones inside have none)
        assert (un[name].upper(), 1) in drawn, (name, drawn)


@pytest.fixture(scope="module")
def long_rankings(tmp_path_factory):
    """The seeded workshop with 40 more barriers in the English session: its rankings run
    longer than a page."""
    if not pdf.available():
        pytest.skip("WeasyPrint cannot run here")
    from facilitation.extensions import db
    from facilitation.models import Facilitator, Session
    from facilitation.services import items
    from facilitation.unit_of_work import work

    app, workshop, _ids = seeded_app(tmp_path_factory.mktemp("long"))
    with app.app_context(), work():
        owner = db.session.query(Facilitator).one()
        session = db.session.get(Session, workshop["en"]["id"])
        for n in range(40):
            text = f"Barrier number {n} about permits, budgets and procurement rules"
            items.add_by_facilitator(
                owner, session, {"client_id": f"long{n}", "text": text, "kind": "barrier"}
            )
    return app, workshop, sign_in(app.test_client())


def test_a_ranking_longer_than_a_page_runs_on_after_what_precedes_it(long_rankings):
    """A ranking that cannot fit a page is not pushed to a fresh one (which left the page
    before it half empty): it starts under the chart above it, its header row repeated."""
    _app, workshop, _client = long_rankings
    laid_out = pages(long_rankings, f"lang=en&session={workshop['en']['id']}")
    where = {}
    for number, page in enumerate(laid_out):
        for box, _ancestors in walk(page._page_box):
            element = getattr(box, "element", None)
            if element is not None and box.element_tag in {"table", "figure", "thead"}:
                where.setdefault(element, []).append(number)
    order = list(where)
    long = [e for e in order if "long" in e.get("class", "").split()]
    assert long, "no ranking was marked long"
    for table in long:
        pages_of = sorted(set(where[table]))
        assert len(pages_of) > 1  # it runs on
        before = order[order.index(table) - 1]  # the chart of its top 10
        assert before.tag == "figure", before.tag
        assert pages_of[0] == max(where[before])
        header = next(e for e in order if e.tag == "thead" and e in list(table))
        assert sorted(set(where[header])) == pages_of  # the header row on every page
