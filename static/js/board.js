/* Draws one session's initiatives board, grouped by axis, newest first, from plain data;
   keeps a board that is loaded page by page (Paged). */
import { byline, el, pageData, t } from "./live.js";
import { texts } from "./translated.js";

function sdgBadge(sdg, number) {
  const info = sdg.get(number);
  return el("li", { class: `badge sdg-${number}`, title: info ? info.name : "" },
    t("sdg", { number }),
    info ? el("span", { class: "visually-hidden" }, ` ${info.name}`) : null);
}

export function card(item, options) {
  const lang = options.textLang;
  const author = item.author;
  const actions = options.actions ? options.actions(item) : null;
  const correct = options.correct ? (change) => options.correct({ subject: "initiative", subject_id: item.id, ...change }) : null;
  const shown = texts(item, item.description ? ["title", "description"] : ["title"], lang, `i${item.id}`, { correct });
  return el("li", { class: `initiative${item.hidden ? " is-hidden" : ""}`, "data-id": item.id },
    item.hidden ? el("p", { class: "moderation-note" }, t(options.hiddenNote || "hidden_by_facilitator")) : null,
    shown.node("h4", {}, "title"),
    item.description ? shown.node("p", { class: "description" }, "description") : null,
    shown.note,
    el("ul", { class: "badges", "aria-label": t("sdgs_label") }, item.sdgs.map((n) => sdgBadge(options.sdg, n))),
    item.link ? el("p", {}, el("a", { href: item.link, rel: "noopener noreferrer nofollow", target: "_blank" },
      t("link"), el("span", { class: "visually-hidden" }, ` ${t("opens_new_window")}`))) : null,
    author ? el("p", { class: "author", lang }, byline(author)) : null,
    actions);
}

const number = (n) => Number(n).toLocaleString(pageData().locale || undefined);

/* "Initiatives shown: 200 of 5,000" for a Paged board (also what is announced). */
export function shownText(paging) {
  const shown = paging.items.size;
  return t("board_shown", { shown: number(shown), total: number(Math.max(paging.total, shown)) });
}

/* "Initiatives shown: 200 of 5,000" and, while older ones are left, the button that
   loads the next page (`options.onOlder`). The count takes the focus when the button
   goes away (keepFocus falls back on the same data-focus-group). */
function pager(paging, options) {
  if (!paging.total && !paging.items.size) return null;
  const group = { "data-focus-group": "board-paging" };
  const count = el("p", { class: "board-count", tabindex: "-1", ...group }, shownText(paging));
  let more = null;
  if (paging.older !== null && options.onOlder) {
    more = el("button", { type: "button", class: "board-older", "data-focus-key": "board:older", ...group },
      t("show_older"));
    more.addEventListener("click", options.onOlder);
  }
  return el("div", { class: "board-paging" }, count, more);
}

/* An axis's initiatives on the whole board when the server said (older pages may not be
   loaded), else those drawn. */
function axisCount(paging, code, list) {
  const axes = paging && paging.axes;
  return axes && axes[code] !== undefined ? Math.max(axes[code], list.length) : list.length;
}

/* Render `items` (a Map id -> initiative) into `container`, one section per axis;
   `options.paging` (a Paged board) adds the count and the "Show older" button. */
export function render(container, items, options) {
  const byAxis = new Map(options.taxonomy.axes.map((a) => [a.code, []]));
  for (const item of items.values()) {
    if (byAxis.has(item.axis)) byAxis.get(item.axis).push(item);
  }
  const sdg = new Map(options.taxonomy.sdgs.map((s) => [s.number, s]));
  const sections = options.taxonomy.axes.map((axis) => {
    const list = byAxis.get(axis.code).sort((a, b) => b.id - a.id);
    const count = axisCount(options.paging, axis.code, list);
    return el("section", { class: "axis-column", "data-axis": axis.code },
      el("h3", {}, axis.name, " ", el("span", { class: "count" }, `(${number(count)})`)),
      list.length
        ? el("ul", { class: "initiatives" }, list.map((item) => card(item, { ...options, sdg })))
        : el("p", { class: "empty" }, t(count ? "axis_on_older_pages" : "empty_axis")));
  });
  const paging = options.paging ? pager(options.paging, options) : null;
  container.replaceChildren(...sections, ...(paging ? [paging] : []));
}

/* One session's board as far as it is loaded: a snapshot's newest page, older pages on
   request (`initiative:page`) and the live deltas. Every live initiative from the id
   `older` up is loaded (all of them when `older` is null); a participant's own older
   ones come with the snapshot too. `total` counts the session's live initiatives. */
export class Paged {
  constructor() {
    this.items = new Map();
    this.total = 0;
    this.older = null;
    this.loading = false;
    this.pending = [];
    this.generation = 0;
  }

  reset(board) {
    this.items = new Map(board.initiatives.map((i) => [i.id, i]));
    this.total = board.initiatives.length;
    this.axes = null;
    this.counted(board);
    this.older = board.initiatives_older === undefined ? null : board.initiatives_older;
    this.pending = [];
    this.generation += 1;
  }

  loaded(id) { return this.older === null || id >= this.older; }

  /* The board's size and size per axis, as a snapshot, a page or a delta (`message`)
     brings them; true when it did. */
  counted(message) {
    if (!message || message.initiatives_total === undefined) return false;
    this.total = message.initiatives_total;
    this.axes = message.initiatives_axes || null;
    return true;
  }

  /* A live `initiative:upserted` (or the answer to one's own post, without `message`):
     false when nothing changed on screen (an initiative older than the loaded ones is
     left to paging: it would land in the wrong place). */
  upsert(item, message) {
    const counted = this.counted(message);
    if (this.items.has(item.id)) {
      this.items.set(item.id, item);
      return true;
    }
    if (!this.loaded(item.id)) {
      if (this.loading) this.pending.push(item);
      return counted;
    }
    this.items.set(item.id, item);
    if (!counted) this.total += 1;
    return true;
  }

  /* A live `initiative:withdrawn` (sent once per initiative, loaded or not). */
  withdraw(id, message) {
    if (!this.counted(message)) this.total = Math.max(0, this.total - 1);
    if (!this.items.delete(id) && this.loading) this.pending.push({ id, withdrawn: true });
  }

  /* Load the next older page with `fetchPage(beforeId)` (resolves with the ack); deltas
     for that range that arrived meanwhile are applied on top. Resolves with the ack, or
     null when there was nothing to load or a snapshot replaced the board meanwhile. */
  async loadOlder(fetchPage) {
    if (this.older === null || this.loading) return null;
    const generation = this.generation;
    this.loading = true;
    try {
      const ack = await fetchPage(this.older);
      if (generation !== this.generation) return null;
      if (ack.ok) {
        for (const item of ack.initiatives) if (!this.items.has(item.id)) this.items.set(item.id, item);
        this.older = ack.initiatives_older;
        this.counted(ack);
        for (const delta of this.pending) {
          if (delta.withdrawn) this.items.delete(delta.id);
          else if (this.items.has(delta.id)) this.items.set(delta.id, delta);
        }
      }
      return ack;
    } finally {
      this.loading = false;
      if (generation === this.generation) this.pending = [];
    }
  }
}
