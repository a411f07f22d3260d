/* Draws results from plain data: counts, axis x SDG heatmaps and the rankings of barriers
   and enablers. `draw` fills whichever results elements the page has: the dashboard, the
   projector and the participant page (rankings and SDG picks only) all draw with it. */
import { el, t } from "./live.js";
import { kindLabel, translationOf } from "./translated.js";

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
  const entry = translationOf(first, "text", first.lang, lang);
  if (entry) rest.unshift(first); // no text of the unit in the viewer's language: translated
  return [
    entry ? el("span", { class: "unit-text is-translated", lang }, entry.text) : el("span", { class: "unit-text", lang: first.lang }, first.text),
    entry ? el("span", { class: "tr-label" }, kindLabel(entry)) : null,
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

/* Draw `view` ({tally?, rankings, sdg_picks}) into the page's results elements: those of
   `root` named by class when a root is given (one per session), else by id. */
export function draw(view, taxonomy, locale, root) {
  const find = (id) => (root ? root.querySelector(`.${id}`) : document.getElementById(id));
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
  if (find("picks-table")) heatmap(find("picks-table"), view.sdg_picks, taxonomy, null);
}

/* --- the room screen's charts (projector.js) ------------------------------------------ */

/* Horizontal bars of ranked units, sorted as ranked, each with its number on the bar and,
   for screen readers, "12 dots" as text. Rows are kept by unit key so that a bar grows
   smoothly (CSS transition on --share) as dots arrive. `options.note(unit)` adds a line
   under a unit (where its dots come from). */
export function bars(container, units, { lang, note } = {}) {
  let list = container.querySelector(":scope > ol.bars");
  if (!list) {
    list = el("ol", { class: "bars" });
    container.replaceChildren(list);
  }
  const kept = new Map([...list.children].map((li) => [li.dataset.key, li]));
  const top = Math.max(1, ...units.map((u) => u.dots));
  const rows = units.map((u) => {
    const row = kept.get(u.key) || el("li", { "data-key": u.key },
      el("span", { class: "bar-label" }),
      el("span", { class: "bar" }, el("span", { class: "bar-fill" }),
        el("span", { class: "bar-value", "aria-hidden": "true" }),
        el("span", { class: "visually-hidden bar-unit" })),
      el("span", { class: "bar-note" }));
    const [first] = orderTexts(u.texts, lang);
    const entry = translationOf(first, "text", first.lang, lang);
    const label = row.querySelector(".bar-label");
    if (entry) {
      label.replaceChildren(el("span", { lang }, entry.text), " ",
        el("span", { class: "tr-original-small" }, el("span", { lang: first.lang }, first.text), " ",
          el("span", { class: "tr-tag" }, kindLabel(entry))));
      label.removeAttribute("lang");
    } else {
      label.textContent = first.text;
      label.setAttribute("lang", first.lang);
    }
    row.querySelector(".bar-value").textContent = u.dots;
    row.querySelector(".bar-unit").textContent = ` ${t("room_dots_on", { count: u.dots })}`;
    row.querySelector(".bar-fill").style.setProperty("--share", (u.dots / top).toFixed(4));
    row.querySelector(".bar-note").textContent = note ? note(u) : "";
    return row;
  });
  list.replaceChildren(...rows);
  return list;
}

/* An SDG x axis heatmap for the room screen: one row per SDG with its number, short name
   and UN colour, one column per axis; zeros faded, the numbers in the cells, a caption. */
export function sdgHeatmap(container, matrix, taxonomy, caption, legend) {
  const max = largest(matrix, taxonomy);
  container.replaceChildren(el("table", { class: "sdg-heat" },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, el("td", {}),
      taxonomy.axes.map((a) => el("th", { scope: "col" }, a.name)))),
    el("tbody", {}, taxonomy.sdgs.map((s) => el("tr", {},
      el("th", { scope: "row" }, el("span", { class: `sdg-num sdg-${s.number}` }, s.number), " ",
        el("span", { class: "sdg-name" }, s.name)),
      taxonomy.axes.map((a) => {
        const count = matrix[a.code][s.number];
        return el("td", { class: `heat-${level(count, max)}` }, count);
      }))))),
  el("p", { class: "legend" }, legend, " ",
    el("span", { class: "swatches", "aria-hidden": "true" },
      el("span", { class: "heat-0" }, t("room_none")),
      [1, 2, 3, 4].map((n) => el("span", { class: `heat-${n}` }, "")),
      el("span", { class: "heat-5" }, t("room_most")))));
}

/* Show as many rows of `list` as fit in `box` (which does not scroll), then a last line
   "and N more" for the rest. Returns how many are left out. */
export function fit(box, list, moreClass = "more") {
  const rows = [...list.children].filter((r) => !r.classList.contains(moreClass));
  for (const old of list.querySelectorAll(`:scope > .${moreClass}`)) old.remove();
  for (const row of rows) row.hidden = false;
  const over = () => box.scrollHeight > box.clientHeight + 1;
  if (!rows.length || !over()) return 0;
  const more = el(list.tagName === "OL" || list.tagName === "UL" ? "li" : "p", { class: moreClass });
  list.append(more);
  const show = (count) => {
    rows.forEach((row, i) => { row.hidden = i >= count; });
    more.textContent = t("room_more", { count: rows.length - count });
  };
  let low = 0;
  let high = rows.length - 1; // the largest count that may fit
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    show(mid);
    if (over()) high = mid - 1;
    else low = mid;
  }
  show(low);
  return rows.length - low;
}
