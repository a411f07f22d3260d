/* Draws one session's initiatives board, grouped by axis, from plain data. */
"use strict";

const Board = (() => {
  const { t, el } = Live;

  function sdgBadge(sdg, number) {
    const info = sdg.get(number);
    return el("li", { class: `badge sdg-${number}`, title: info ? info.name : "" },
      t("sdg", { number }),
      info ? el("span", { class: "visually-hidden" }, ` ${info.name}`) : null);
  }

  function card(item, options) {
    const lang = options.textLang;
    const author = item.author;
    const actions = options.actions ? options.actions(item) : null;
    return el("li", { class: "initiative", "data-id": item.id },
      el("h4", { lang }, item.title),
      item.description ? el("p", { class: "description", lang }, item.description) : null,
      el("ul", { class: "badges", "aria-label": t("sdgs_label") }, item.sdgs.map((n) => sdgBadge(options.sdg, n))),
      item.link ? el("p", {}, el("a", { href: item.link, rel: "noopener noreferrer nofollow", target: "_blank" },
        t("link"), el("span", { class: "visually-hidden" }, ` ${t("opens_new_window")}`))) : null,
      author ? el("p", { class: "author", lang }, Live.byline(author)) : null,
      actions);
  }

  /* Render `items` (a Map id -> initiative) into `container`, one section per axis. */
  function render(container, items, options) {
    const byAxis = new Map(options.taxonomy.axes.map((a) => [a.code, []]));
    for (const item of items.values()) {
      if (byAxis.has(item.axis)) byAxis.get(item.axis).push(item);
    }
    const sdg = new Map(options.taxonomy.sdgs.map((s) => [s.number, s]));
    const sections = options.taxonomy.axes.map((axis) => {
      const list = byAxis.get(axis.code).sort((a, b) => a.id - b.id);
      return el("section", { class: "axis-column", "data-axis": axis.code },
        el("h3", {}, axis.name, " ", el("span", { class: "count" }, `(${list.length})`)),
        list.length
          ? el("ul", { class: "initiatives" }, list.map((item) => card(item, { ...options, sdg })))
          : el("p", { class: "empty" }, t("empty_axis")));
    });
    container.replaceChildren(...sections);
  }

  return { render };
})();
