/* The projector view: no controls, large type; follows the phase on its own and shows the
   live results of the current phase, for one session or the whole workshop. */
"use strict";

(() => {
  const { t, pageData } = Live;
  const tax = pageData.taxonomy;
  const socket = Live.connect();
  const onlySession = pageData.session_id;
  const sessions = new Map();
  let results = null;
  let settings = null;

  const shown = () => (onlySession ? [sessions.get(onlySession)] : [...sessions.values()]).filter(Boolean);

  /* The phase on screen: the session's, or for a workshop the first session's. */
  function currentPhase() {
    const first = shown()[0];
    return first ? first : null;
  }

  function draw() {
    const lead = currentPhase();
    if (!lead) return;
    document.getElementById("phase-name").textContent = t(`phase_name_${lead.phase}`);
    Live.countdown(document.getElementById("timer"), lead);
    for (const section of document.querySelectorAll("[data-stage]")) {
      section.hidden = !section.dataset.stage.split(" ").includes(lead.phase);
    }
    document.getElementById("stage-message").textContent = t(`phase_${lead.phase}`);
    const initiatives = new Map();
    const names = settings && settings.anonymity === "public";
    for (const s of shown()) {
      for (const [id, item] of s.board.items) initiatives.set(id, names ? item : { ...item, author: null });
    }
    const board = document.getElementById("projector-board");
    board.hidden = !onlySession;
    /* the newest page only (no controls here), with how many of the total it shows */
    const paging = onlySession ? sessions.get(onlySession).board : null;
    if (onlySession) Board.render(board, initiatives, { taxonomy: tax, textLang: board.dataset.textLang, paging });
    if (!results) return;
    const scope = (part) => (onlySession ? part.sessions[onlySession] : part.combined);
    const tally = onlySession ? results.sessions[onlySession] : results.combined;
    Results.heatmap(document.getElementById("matrix-table"), tally, tax, tally.axes);
    for (const kind of ["barrier", "enabler"]) {
      Results.ranking(document.getElementById(`ranking-${kind}`), scope(results.rankings)[kind], pageData.locale);
    }
    Results.heatmap(document.getElementById("picks-table"), scope(results.sdg_picks), tax, null);
  }

  function applyBoard(board) {
    const known = sessions.get(board.session_id);
    if (board.unchanged || (known && board.seq < known.seq)) return;
    const session = sessions.get(board.session_id) || { board: new Board.Paged() };
    session.board.reset(board);
    Object.assign(session, { id: board.session_id, seq: board.seq, phase: board.phase, ends_at: board.ends_at, server_now: board.server_now });
    sessions.set(board.session_id, session);
  }

  async function resync(session) {
    const ack = await Live.request(socket, "session:snapshot", { session_id: session.id, since_seq: session.seq });
    if (ack.ok) { applyBoard(ack); draw(); }
  }

  const inOrder = (message) => Live.inOrder(sessions, message, resync);

  socket.on("connect", async () => {
    try {
      const ack = await Live.request(socket, "workshop:watch", { workshop_id: pageData.workshop_id });
      if (!ack.ok) return;
      ack.boards.forEach(applyBoard);
      settings = ack.settings;
      results = ack.results;
      draw();
    } catch (e) { /* reconnect retries */ }
  });
  socket.on("initiative:upserted", (m) => { const s = inOrder(m); if (s && s.board.upsert(m.initiative, m)) draw(); });
  socket.on("initiative:withdrawn", (m) => { const s = inOrder(m); if (s) { s.board.withdraw(m.id, m); draw(); } });
  socket.on("items:upserted", (m) => { inOrder(m); });
  socket.on("session:phase", (m) => { const s = inOrder(m); if (s) { Object.assign(s, m); draw(); } });
  socket.on("session:settings", (m) => { if (inOrder(m)) { settings = m.settings; draw(); } });
  socket.on("workshop:results", (m) => { results = m; draw(); });
})();
