/* Draws results from plain data: counts, axis x SDG heatmaps and the rankings of barriers
   and enablers. `draw` fills whichever results elements the page has: the dashboard, the
   projector and the participant page (rankings and SDG picks only) all draw with it. */
import { el, t } from "./live.js";

const KINDS = ["barrier", "enabler"];

/* Heat levels 0-5 are CSS classes, so no inline style is needed (strict CSP). */
export function level(count, max) {
  return count === 0 || max === 0 ? 0 : Math.max(1, Math.ceil((count / max) * 5));
}

/* The largest cell of an axis x SDG matrix (0 for an empty one). */
export function largest(matrix, taxonomy) {
  return Math.max(0, ...taxonomy.axes.flatMap((a) => taxonomy.sdgs.map((s) => matrix[a.code][s.number])));
}

/* One scope of a workshop's results (`workshop:watch`, `workshop:results`): "combined" or
   a session id; null when that session has none. The view `draw` takes. */
export function scoped(results, scope) {
  const part = (whole) => (scope === "combined" ? whole.combined : whole.sessions[scope]);
  const tally = part(results);
  if (!tally) return null;
  return { tally, rankings: part(results.rankings), sdg_picks: part(results.sdg_picks) };
}

/* Fill a <table> (with <thead>, <tbody>) with an axis x SDG matrix and row totals. */
export function heatmap(table, data, taxonomy, rowTotals) {
  const max = largest(data.matrix, taxonomy);
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

/* A merged unit's texts, the viewer's language first, then by item id. */
export function orderTexts(texts, lang) {
  return [...texts].sort((a, b) => (a.lang === lang ? 0 : 1) - (b.lang === lang ? 0 : 1) || a.item_id - b.item_id);
}

/* Texts of a merged unit, the viewer's language first; each keeps its own lang. */
export function unitTexts(texts, lang) {
  const [first, ...rest] = orderTexts(texts, lang);
  return [
    el("span", { class: "unit-text", lang: first.lang }, first.text),
    rest.length ? el("ul", { class: "other-texts" }, rest.map((x) =>
      el("li", { lang: x.lang }, el("span", { class: "lang-tag", "aria-hidden": "true" }, x.lang), " ", x.text))) : null,
  ];
}

/* An ordered list of ranked units for one kind. */
export function ranking(container, units, lang) {
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

/* Draw `view` ({tally?, rankings, sdg_picks}) into the page's results elements. */
export function draw(view, taxonomy, locale) {
  const find = (id) => document.getElementById(id);
  const tally = view.tally;
  if (tally && find("results-total")) {
    find("results-total").textContent = t("count_initiatives", { count: tally.initiatives });
  }
  if (tally && find("axis-table")) {
    find("axis-table").querySelector("tbody").replaceChildren(...taxonomy.axes.map((a) =>
      el("tr", {}, el("th", { scope: "row" }, a.name), el("td", {}, tally.axes[a.code]))));
  }
  if (tally && find("sdg-table")) {
    find("sdg-table").querySelector("tbody").replaceChildren(...taxonomy.sdgs.map((s) =>
      el("tr", {}, el("th", { scope: "row" }, el("span", { class: `badge sdg-${s.number}` }, s.number), " ", s.name),
        el("td", {}, tally.sdgs[s.number]))));
  }
  if (tally && find("matrix-table")) heatmap(find("matrix-table"), tally, taxonomy, tally.axes);
  for (const kind of KINDS) ranking(find(`ranking-${kind}`), view.rankings[kind], locale);
  heatmap(find("picks-table"), view.sdg_picks, taxonomy, null);
}
