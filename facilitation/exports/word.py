"""The report as a Word document (python-docx): the same parts as the HTML report, with
real headings, tables (heatmaps as shaded tables, so their numbers can be copied) and
the bar charts as PNG pictures. Participants' texts carry their language.

Call inside `force_locale(lang)`, with `report.context(...)` as `ctx`.
"""

from flask_babel import gettext as _

from . import paced
from .charts import HEAT_FILL, HEAT_TEXT, bar_chart_png

LANG_TAGS = {"en": "en-GB", "es": "es-ES", "fr": "fr-FR"}


def _lang(run, code):
    """Mark `run` as written in `code`, so spelling and screen readers use that language."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:lang")
    element.set(qn("w:val"), LANG_TAGS.get(code, code))
    run._r.get_or_add_rPr().append(element)
    return run


def _shade(cell, fill, colour):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)
    for run in cell.paragraphs[0].runs:
        run.font.color.rgb = RGBColor.from_string(colour)


class Writer:
    def __init__(self, ctx):
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm, Pt

        self.ctx = ctx
        self.doc = Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(1.5))
        self.doc.styles["Normal"].font.size = Pt(10)
        self.doc.core_properties.title = ctx["workshop"].title
        self.doc.core_properties.language = LANG_TAGS.get(ctx["lang"], ctx["lang"])

    def caption(self, text):
        paragraph = self.doc.add_paragraph(text, style="Caption")
        paragraph.paragraph_format.keep_with_next = True

    def table(self, caption, headers, rows, size=None):
        """A table under its caption; `rows` hold plain values or (text, lang) pairs."""
        from docx.shared import Pt

        self.caption(caption)
        table = self.doc.add_table(rows=1, cols=len(headers), style="Table Grid")
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = str(text)
            cell.paragraphs[0].runs[0].bold = True
        for row in paced(rows):
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                parts = value if isinstance(value, list) else [value]
                paragraph = cell.paragraphs[0]
                for n, part in enumerate(parts):
                    if n:
                        paragraph = cell.add_paragraph()
                    if isinstance(part, tuple):
                        _lang(paragraph.add_run(part[0]), part[1])
                    else:
                        paragraph.add_run(str(part))
        if size:
            for row in table.rows:
                for cell in row.cells:
                    for run in cell.paragraphs[0].runs:
                        run.font.size = Pt(size)
        return table

    def chart(self, chart, title):
        import io

        from docx.shared import Cm

        self.caption(title)
        width = Cm(16 * chart.width / 650)
        self.doc.add_picture(io.BytesIO(bar_chart_png(chart)), width=width)

    def _texts(self, texts):
        """A unit's texts, each followed by its translation into the viewer's language."""
        parts = []
        for t in texts:
            parts.append((t["text"], t["lang"]))
            if t.get("translation"):
                found = t["translation"]
                parts.append((f"{found['text']} ({found['label']})", self.ctx["lang"]))
        return parts

    def ranking(self, units, caption):
        if not units:
            self.doc.add_paragraph(_("Nothing yet."))
            return
        self.table(
            caption,
            [_("Rank"), _("Dots"), _("Texts")],
            [[u["rank"], u["dots"], self._texts(u["texts"])] for u in units],
        )

    def matrix(self, m, caption):
        tax = self.ctx["tax"]
        headers = [_("Axis"), *(str(s.number) for s in tax.sdgs), *m["totals"]]
        rows = [[axis, *(n for n, _level in cells), *totals] for axis, cells, totals in m["rows"]]
        table = self.table(caption, headers, rows, size=7)
        for row, (_axis, cells, _totals) in zip(table.rows[1:], m["rows"], strict=True):
            for cell, (_n, level) in zip(row.cells[1:], cells, strict=False):
                _shade(cell, HEAT_FILL[level], HEAT_TEXT[level])

    def rankings_and_heatmaps(self, r, level):
        for kind, heading, chart_title, list_title in (
            ("barrier", _("Barriers"), _("Dots per barrier, top 10"), _("Every barrier, by rank")),
            ("enabler", _("Enablers"), _("Dots per enabler, top 10"), _("Every enabler, by rank")),
        ):
            self.doc.add_heading(heading, level)
            if r["ranking"][kind]:
                self.chart(r["ranking_charts"][kind], chart_title)
            self.ranking(r["ranking"][kind], list_title)
        self.doc.add_heading(_("Heatmaps"), level)
        self.matrix(r["matrix"], _("Axis × SDG: initiatives naming each SDG, by axis"))
        self.matrix(r["picks"], _("The main SDGs of each axis: how many participants chose each"))

    def summary(self):
        ctx, doc = self.ctx, self.doc
        workshop, session, summary, whole = (
            ctx["workshop"],
            ctx["session"],
            ctx["summary"],
            ctx["whole"],
        )
        doc.add_heading(workshop.title + (f" · {session.name}" if session else ""), 0)
        doc.add_paragraph(
            f"{workshop.date} · " + _("Report generated %(when)s", when=ctx["generated"])
        )
        if workshop.description:
            doc.add_paragraph(workshop.description)
        heading = _("Summary") + ("" if session else " · " + _("All sessions combined"))
        doc.add_heading(heading, 1)
        self.table(
            _("Key figures"),
            [_("Participants"), _("Cities or organisations"), _("Countries"), _("Initiatives")],
            [
                [
                    summary["participants"],
                    summary["places"],
                    summary["countries"],
                    summary["initiatives"],
                ]
            ],
        )
        self.chart(whole["axis_chart"], _("Initiatives per axis"))
        self.ranking(summary["top"]["barrier"], _("Top barriers"))
        self.ranking(summary["top"]["enabler"], _("Top enablers"))
        self.table(
            _("Main SDGs of each axis, as participants chose them"),
            [_("Axis"), _("SDGs chosen most (participants choosing)")],
            [
                [axis, [f"{n} {name} ({count})" for n, name, count in chosen] or ""]
                for axis, chosen in whole["main_sdgs"]
            ],
        )

    def _translation(self, found):
        """A translation into the viewer's language under its original, labelled."""
        if found:
            paragraph = self.doc.add_paragraph()
            _lang(paragraph.add_run(found["text"]), self.ctx["lang"]).italic = True
            paragraph.add_run(f" ({found['label']})")

    def practices(self):
        from docx.enum.text import WD_BREAK

        ctx, doc = self.ctx, self.doc
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_heading(_("Good practices by axis"), 1)
        for axis, listed in ctx["practices"]:
            doc.add_heading(
                f"{axis.name(ctx['lang'])} · " + _("Initiatives: %(count)s", count=len(listed)), 2
            )
            if not listed:
                doc.add_paragraph(_("No initiatives yet."))
            for i in paced(listed):
                lang = ctx["session_langs"][i.session_id]
                heading = doc.add_heading("", 3)
                _lang(heading.add_run(i.title), lang)
                found = ctx["translations"].get(i.id, {})
                self._translation(found.get("title"))
                if i.description:
                    _lang(doc.add_paragraph().add_run(i.description), lang)
                    self._translation(found.get("description"))
                who = [i.participant.display_name] if ctx["names"] else []
                place = f"{i.participant.organisation}, {i.participant.country}"
                where = [*who, place, ctx["session_names"][i.session_id]]
                if i.participant.entered_by_facilitator:
                    where.append(_("Entered by the facilitator"))
                doc.add_paragraph(" · ".join(where + ([i.link] if i.link else [])))
                doc.add_paragraph(" · ".join(f"{n} {ctx['sdg_names'][n]}" for n in i.sdgs))

    def write(self, target):
        from docx.enum.text import WD_BREAK

        ctx, doc = self.ctx, self.doc
        self.summary()
        self.practices()
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        heading = _("Rankings and heatmaps")
        doc.add_heading(heading + ("" if ctx["session"] else " · " + _("All sessions combined")), 1)
        self.rankings_and_heatmaps(ctx["whole"], 2)
        for s, r in ctx["per_session"]:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            doc.add_heading(f"{s.name} ({s.language})", 1)
            doc.add_paragraph(
                _(
                    "Participants: %(participants)s · not voted yet: %(not_voted)s",
                    **ctx["participation"][str(s.id)],
                )
                + " · "
                + _("Initiatives: %(count)s", count=r["initiatives"])
            )
            self.chart(r["axis_chart"], _("Initiatives per axis"))
            self.rankings_and_heatmaps(r, 2)
        doc.save(target)


def write_docx(ctx, target):
    Writer(ctx).write(target)
