/* A part of the participant page: "From the other groups", the initiatives of the
   workshop's other sessions, read only, newest first, each in the reader's language
   where a translation came (translated.js). A collapsible section with a count; nothing
   is announced. The boards arrive with `workshop:boards`, then as the other sessions'
   `initiative:upserted` / `initiative:withdrawn` deltas, followed per session by a Feed
   of their own: the page's own session is never followed here (its Feed is session.js's),
   and a gap in another session's seq fetches the boards again. */
import { el, keepFocus, pageData, t } from "./live.js";
import { Feed, request } from "./feed.js";
import { card } from "./board.js";
import { setStatus, statusNote } from "./translated.js";

const SHOWN = 20; // newest initiatives per group on a phone
const GAP_JITTER_MS = 1500; // phones that saw the same change do not all ask at once

export default function otherBoards() {
  const boards = new Map(); // session id -> {session_id, name, language, total, items: Map}
  let ctx = null;
  let feed = null;
  let loading = null;
  let toggle, body, list, countNode, statusNode;

  /* One request for every board at once, shared by whoever asks meanwhile. */
  function load() {
    if (!loading) {
      loading = request(ctx.socket, "workshop:boards", {}).finally(() => { loading = null; });
    }
    return loading;
  }

  /* Draw every board of an answer (those `except` names are left to the Feed). */
  function acceptAll(ack, except) {
    if (!ack || !ack.ok) return;
    for (const board of ack.boards) {
      feed.track(board.session_id);
      if (board.session_id !== except) feed.accept(board);
    }
  }

  async function refresh() {
    try {
      acceptAll(await load());
    } catch (e) {
      /* offline: the next connect asks again */
    }
  }

  const pause = () => new Promise((done) => window.setTimeout(done, Math.random() * GAP_JITTER_MS));

  /* The Feed's fetch after a gap: the boards again, a moment later. */
  async function fetchAfterGap(id) {
    await pause();
    const ack = await load();
    acceptAll(ack, id);
    const board = ack && ack.ok ? ack.boards.find((b) => b.session_id === id) : null;
    return board ? { ok: true, ...board } : null;
  }

  function drawn(board) {
    boards.set(board.session_id, {
      session_id: board.session_id, name: board.name, language: board.language,
      total: board.initiatives_total, items: new Map(board.initiatives.map((i) => [i.id, i])),
    });
    draw();
  }

  function upserted(message) {
    const board = boards.get(message.session_id);
    if (!board) return;
    board.items.set(message.initiative.id, message.initiative);
    if (message.initiatives_total !== undefined) board.total = message.initiatives_total;
    draw();
  }

  function withdrawn(message) {
    const board = boards.get(message.session_id);
    if (!board) return;
    board.items.delete(message.id);
    if (message.initiatives_total !== undefined) board.total = message.initiatives_total;
    draw();
  }

  const number = (n) => Number(n).toLocaleString(pageData().locale || undefined);

  function boardNode(board, sdg, axes) {
    const newest = [...board.items.values()].sort((a, b) => b.id - a.id).slice(0, SHOWN);
    const total = Math.max(board.total || 0, board.items.size);
    const headingId = `others-${board.session_id}`;
    const cards = newest.map((item) => {
      const made = card(item, { sdg, textLang: board.language });
      const axis = axes.get(item.axis);
      if (axis) made.querySelector("ul.badges").before(el("p", { class: "axis-tag" }, axis));
      return made;
    });
    return el("section", { class: "other-board", "aria-labelledby": headingId },
      el("h3", { id: headingId }, el("span", { lang: board.language }, board.name), " ",
        el("span", { class: "count" }, `(${number(total)})`)),
      cards.length ? el("ul", { class: "initiatives" }, cards) : el("p", { class: "empty" }, t("others_empty")),
      newest.length < total
        ? el("p", { class: "board-count" }, t("board_shown", { shown: number(newest.length), total: number(total) }))
        : null);
  }

  function draw() {
    if (!list) return;
    const taxonomy = ctx.pageData.taxonomy;
    const sdg = new Map(taxonomy.sdgs.map((s) => [s.number, s]));
    const axes = new Map(taxonomy.axes.map((a) => [a.code, a.name]));
    const shown = [...boards.values()];
    const total = shown.reduce((sum, b) => sum + Math.max(b.total || 0, b.items.size), 0);
    countNode.textContent = `(${number(total)})`;
    statusNote(statusNode, shown.some((b) => b.language !== ctx.pageData.locale && b.items.size));
    keepFocus(list, () => {
      list.replaceChildren(...(shown.length ? shown.map((b) => boardNode(b, sdg, axes)) : []));
    });
  }

  return {
    /* the workshop's settings changed (who sees names): the boards again, a moment later */
    async settings() {
      await pause();
      refresh();
    },
    init(context) {
      ctx = context;
      const section = document.getElementById("others-section");
      if (!section) return;
      toggle = document.getElementById("others-toggle");
      body = document.getElementById("others-body");
      list = document.getElementById("others-boards");
      countNode = document.getElementById("others-count");
      statusNode = document.getElementById("others-translation");
      toggle.addEventListener("click", () => {
        const open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        body.hidden = !open;
      });
      feed = new Feed(ctx.socket, { fetch: fetchAfterGap, onSnapshot: drawn });
      /* a session added to the workshop after the boards came: followed from its first delta */
      for (const event of ["initiative:upserted", "initiative:withdrawn"]) {
        ctx.socket.on(event, (message) => {
          if (message.session_id !== ctx.pageData.session_id) feed.track(message.session_id);
        });
      }
      feed.on("initiative:upserted", upserted);
      feed.on("initiative:withdrawn", withdrawn);
      ctx.socket.on("translation:status", (message) => { setStatus(message); draw(); });
      ctx.socket.on("connect", refresh);
      if (ctx.socket.connected) refresh();
    },
  };
}
