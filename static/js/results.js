/* Draws results from plain data: axis x SDG heatmaps and rankings of barriers/enablers.
   Shared by the participant page, the dashboard and the projector. */
"use strict";

const Results = (() => {
  const { t, el } = Live;

  /* Heat levels 0-5 are CSS classes, so no inline style is needed (strict CSP). */
  function level(count, max) {
    return count === 0 || max === 0 ? 0 : Math.max(1, Math.ceil((count / max) * 5));
  }

  /* Fill a <table> (with <thead>, <tbody>) with an axis x SDG matrix and row totals. */
  function heatmap(table, data, taxonomy, rowTotals) {
    const max = Math.max(0, ...taxonomy.axes.flatMap((a) => taxonomy.sdgs.map((s) => data.matrix[a.code][s.number])));
    table.querySelector("thead").replaceChildren(el("tr", {}, el("td", {}),
      taxonomy.sdgs.map((s) => el("th", { scope: "col", class: `sdg-${s.number}` },
        el("abbr", { title: s.name }, s.number))),
      rowTotals ? el("th", { scope: "col" }, t("total")) : null));
    table.querySelector("tbody").replaceChildren(...taxonomy.axes.map((a) => el("tr", {},
      el("th", { scope: "row" }, a.name),
      taxonomy.sdgs.map((s) => {
        const count = data.matrix[a.code][s.number];
        return el("td", { class: `heat-${level(count, max)}` }, count);
      }),
      rowTotals ? el("td", { class: "total" }, rowTotals[a.code]) : null)));
  }

  /* Texts of a merged unit, the viewer's language first; each keeps its own lang. */
  function unitTexts(texts, lang) {
    const ordered = [...texts].sort((a, b) => (a.lang === lang ? 0 : 1) - (b.lang === lang ? 0 : 1) || a.item_id - b.item_id);
    const [first, ...rest] = ordered;
    return [
      el("span", { class: "unit-text", lang: first.lang }, first.text),
      rest.length ? el("ul", { class: "other-texts" }, rest.map((x) =>
        el("li", { lang: x.lang }, el("span", { class: "lang-tag", "aria-hidden": "true" }, x.lang), " ", x.text))) : null,
    ];
  }

  /* An ordered list of ranked units for one kind. */
  function ranking(container, units, lang) {
    if (!units.length) {
      container.replaceChildren(el("p", { class: "empty" }, t("nothing_yet")));
      return;
    }
    container.replaceChildren(el("ol", { class: "ranking" }, units.map((u) =>
      el("li", { "data-key": u.key },
        el("span", { class: "rank" }, t("rank", { rank: u.rank })),
        el("span", { class: "dots" }, t("dots_count", { count: u.dots })),
        el("div", { class: "unit-body" }, unitTexts(u.texts, lang))))));
  }

  return { heatmap, ranking, unitTexts, level };
})();
