/* The facilitator's live dashboard: every session's board and phase, and the results. */
"use strict";

(() => {
  const { t, el, pageData } = Live;
  const tax = pageData.taxonomy;
  const socket = Live.connect();
  const sessions = new Map();
  let results = null;

  for (const card of document.querySelectorAll(".session-card")) {
    const id = Number(card.dataset.sessionId);
    sessions.set(id, { id, card, items: new Map(), seq: -1, phase: null });
    for (const button of card.querySelectorAll(".phase-button")) {
      button.addEventListener("click", () => setPhase(id, button.dataset.phase));
    }
  }

  async function setPhase(id, phase) {
    const status = sessions.get(id).card.querySelector(".form-status");
    try {
      const ack = await Live.request(socket, "session:set_phase", { session_id: id, phase });
      status.textContent = ack.ok ? "" : ack.error.message;
      if (ack.ok) showPhase(sessions.get(id), ack.phase);
    } catch (e) {
      status.textContent = t("offline");
    }
  }

  function showPhase(session, phase) {
    session.phase = phase;
    const node = session.card.querySelector(".phase-name");
    node.textContent = t(`phase_name_${phase}`);
    node.dataset.phase = phase;
    for (const button of session.card.querySelectorAll(".phase-button")) {
      button.setAttribute("aria-pressed", String(button.dataset.phase === phase));
    }
  }

  function drawBoard(session) {
    const container = session.card.querySelector(".board");
    Board.render(container, session.items, { taxonomy: tax, textLang: container.dataset.textLang });
  }

  function applyBoard(board) {
    const session = sessions.get(board.session_id);
    if (!session || board.unchanged) return;
    session.items.clear();
    for (const item of board.initiatives) session.items.set(item.id, item);
    session.seq = board.seq;
    showPhase(session, board.phase);
    drawBoard(session);
  }

  async function resync(session) {
    const ack = await Live.request(socket, "session:snapshot", { session_id: session.id, since_seq: session.seq });
    if (ack.ok) applyBoard(ack);
  }

  function inOrder(message) {
    const session = sessions.get(message.session_id);
    if (!session || message.seq <= session.seq) return null;
    if (message.seq !== session.seq + 1) { resync(session); return null; }
    session.seq = message.seq;
    return session;
  }

  /* Heat levels 0-5 are CSS classes, so no inline style is needed (strict CSP). */
  function level(count, max) {
    return count === 0 || max === 0 ? 0 : Math.max(1, Math.ceil((count / max) * 5));
  }

  function drawResults() {
    if (!results) return;
    const scope = document.getElementById("results-scope").value;
    const data = scope === "combined" ? results.combined : results.sessions[scope];
    if (!data) return;
    document.getElementById("results-total").textContent = t("count_initiatives", { count: data.initiatives });
    document.querySelector("#axis-table tbody").replaceChildren(...tax.axes.map((a) =>
      el("tr", {}, el("th", { scope: "row" }, a.name), el("td", {}, data.axes[a.code]))));
    document.querySelector("#sdg-table tbody").replaceChildren(...tax.sdgs.map((s) =>
      el("tr", {}, el("th", { scope: "row" }, el("span", { class: `badge sdg-${s.number}` }, s.number), " ", s.name),
        el("td", {}, data.sdgs[s.number]))));
    const max = Math.max(0, ...tax.axes.flatMap((a) => tax.sdgs.map((s) => data.matrix[a.code][s.number])));
    const matrix = document.getElementById("matrix-table");
    matrix.querySelector("thead").replaceChildren(el("tr", {}, el("td", {}),
      tax.sdgs.map((s) => el("th", { scope: "col", class: `sdg-${s.number}`, title: s.name },
        el("abbr", { title: s.name }, s.number))),
      el("th", { scope: "col" }, t("total"))));
    matrix.querySelector("tbody").replaceChildren(...tax.axes.map((a) => el("tr", {},
      el("th", { scope: "row" }, a.name),
      tax.sdgs.map((s) => {
        const count = data.matrix[a.code][s.number];
        return el("td", { class: `heat-${level(count, max)}` }, count);
      }),
      el("td", { class: "total" }, data.axes[a.code]))));
  }

  document.getElementById("results-scope").addEventListener("change", drawResults);

  socket.on("connect", async () => {
    try {
      const ack = await Live.request(socket, "workshop:watch", { workshop_id: pageData.workshop_id });
      if (!ack.ok) return;
      for (const board of ack.boards) { sessions.get(board.session_id).seq = -1; applyBoard(board); }
      results = ack.results;
      drawResults();
    } catch (e) { /* reconnect retries */ }
  });
  socket.on("initiative:upserted", (message) => {
    const session = inOrder(message);
    if (!session) return;
    session.items.set(message.initiative.id, message.initiative);
    drawBoard(session);
  });
  socket.on("initiative:withdrawn", (message) => {
    const session = inOrder(message);
    if (!session) return;
    session.items.delete(message.id);
    drawBoard(session);
  });
  socket.on("session:phase", (message) => {
    const session = inOrder(message);
    if (session) showPhase(session, message.phase);
  });
  socket.on("workshop:results", (message) => {
    results = message;
    drawResults();
  });
})();
