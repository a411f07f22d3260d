"""What the report shows, for the HTML page, its PDF and the Word document alike.

In order: a one-page summary (participants, cities or organisations, countries,
initiatives per axis, the top barriers and enablers, the main SDGs of each axis), the
good practices of each axis, the rankings and heatmaps, then each session on its own
(whole-workshop reports with more than one session). Names of axes, SDGs and headings
are in the viewer's language; participants' texts keep their own, with its code.
"""

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..domain.anonymity import Anonymity
from ..domain.taxonomy import taxonomy
from ..models import Initiative, Participant
from ..services import results, translated
from .charts import bar_chart, heat
from .tables import matrix_rows, total_labels

TOP = 5  # barriers and enablers in the summary
TOP_CHART = 10  # bars in a ranking chart
MAIN_SDGS = 3  # SDGs named per axis in the summary
KINDS = ("barrier", "enabler")


def _part(data, key, session_id):
    return data[key]["combined"] if session_id is None else data[key]["sessions"][str(session_id)]


def ordered_texts(texts, lang):
    """A merged unit's texts, the viewer's language first, then by item id (as on screen)."""
    return sorted(texts, key=lambda t: (t["lang"] != lang, t["item_id"]))


def source_label(entry, names=True):
    """ "Machine translation", "Translated by …" or "Human translation"."""
    if entry["origin"] != "human":
        return _("Machine translation")
    if entry.get("by") and names:
        return _("Translated by %(name)s", name=entry["by"])
    return _("Human translation")


def in_viewer_language(translations, text_lang, lang, names=True):
    """{field: {"text", "label"}} of a text's translations into the viewer's language
    `lang` ({} when it is written in it or has none)."""
    if text_lang == lang:
        return {}
    fields = (translations or {}).get(lang, {})
    return {f: {"text": e["text"], "label": source_label(e, names)} for f, e in fields.items()}


def _with_translation(text, lang):
    found = in_viewer_language(text.get("translations"), text["lang"], lang).get("text")
    return {**text, "translation": found}


def _ranking(units, lang):
    return [
        {**u, "texts": [_with_translation(t, lang) for t in ordered_texts(u["texts"], lang)]}
        for u in units
    ]


def _matrix(part, scoped, locale):
    """A heatmap: rows of (axis name, [(count, heat)], totals) and the totals' labels."""
    tax = taxonomy()
    names = {a.code: a.name(locale) for a in tax.axes}
    top = max((n for _a, cells, _t in matrix_rows(part, scoped) for n in cells), default=0)
    return {
        "totals": total_labels(part),
        "rows": [
            (names[axis], [(n, heat(n, top)) for n in cells], totals)
            for axis, cells, totals in matrix_rows(part, scoped)
        ],
    }


def _main_sdgs(picks, locale):
    """Per axis, the SDGs participants chose most (up to MAIN_SDGS, ties by number)."""
    tax = taxonomy()
    rows = []
    for axis in tax.axes:
        counts = picks["matrix"][axis.code]
        chosen = sorted((s for s in tax.sdgs if counts[s.number]), key=lambda s: -counts[s.number])
        rows.append(
            (
                axis.name(locale),
                [(s.number, s.name(locale), counts[s.number]) for s in chosen][:MAIN_SDGS],
            )
        )
    return rows


def scope_results(data, session_id, locale):
    """Charts, heatmaps and rankings of the whole workshop (None) or of one session."""
    tax = taxonomy()
    tally = data["combined"] if session_id is None else data["sessions"][str(session_id)]
    ranking = {
        k: _ranking(units, locale) for k, units in _part(data, "rankings", session_id).items()
    }
    picks = _part(data, "sdg_picks", session_id)
    return {
        "initiatives": tally["initiatives"],
        "axis_chart": bar_chart([(a.name(locale), tally["axes"][a.code]) for a in tax.axes]),
        "matrix": _matrix("initiatives", tally, locale),
        "picks": _matrix("sdg_picks", picks, locale),
        "main_sdgs": _main_sdgs(picks, locale),
        "ranking": ranking,
        "ranking_charts": {
            kind: bar_chart([(u["texts"][0]["text"], u["dots"]) for u in units[:TOP_CHART]])
            for kind, units in ranking.items()
        },
    }


def _distinct(values):
    return len({" ".join(v.split()).casefold() for v in values if v and v.strip()})


def _summary(people, scoped):
    return {
        "participants": len(people),
        "places": _distinct(p.organisation for p in people),
        "countries": _distinct(p.country for p in people),
        "initiatives": scoped["initiatives"],
        "top": {kind: scoped["ranking"][kind][:TOP] for kind in KINDS},
    }


def context(workshop, session, locale):
    """Everything the report draws (exports/report.html, word.py)."""
    data = results.workshop_results(workshop.id)
    shown = [session] if session else list(workshop.sessions)
    shown_ids = [s.id for s in shown]
    people = Participant.query.filter(Participant.session_id.in_(shown_ids)).all()
    initiatives = (
        Initiative.query.filter(
            Initiative.session_id.in_(shown_ids),
            Initiative.withdrawn_at.is_(None),
            Initiative.hidden.is_(False),
        )
        .options(selectinload(Initiative.sdg_links), selectinload(Initiative.participant))
        .order_by(Initiative.axis, Initiative.id)
        .all()
    )
    tax = taxonomy()
    whole = scope_results(data, session.id if session else None, locale)
    names = Anonymity(workshop.anonymity).names_for(facilitator=True)
    found = translated.of_workshop(workshop.id)["initiative"]
    langs = {s.id: s.language for s in workshop.sessions}
    initiative_translations = {
        i.id: in_viewer_language(found.get(i.id), langs[i.session_id], locale, names)
        for i in initiatives
    }
    return {
        "workshop": workshop,
        "session": session,
        "lang": locale,
        "tax": tax,
        "sdg_names": {s.number: s.name(locale) for s in tax.sdgs},
        "names": names,
        "translations": initiative_translations,
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "summary": _summary(people, whole),
        "whole": whole,
        "practices": [(axis, [i for i in initiatives if i.axis == axis.code]) for axis in tax.axes],
        "per_session": (
            [(s, scope_results(data, s.id, locale)) for s in shown] if len(shown) > 1 else []
        ),
        "participation": data["participation"],
        "session_names": {s.id: s.name for s in workshop.sessions},
        "session_langs": {s.id: s.language for s in workshop.sessions},
    }
