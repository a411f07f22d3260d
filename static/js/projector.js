/* The projector view (its entry module): no controls, large type; follows the phase on its
   own and shows the live results of the current phase, for one session or the whole
   workshop. Initiatives are drawn as the server sends them: an initiative without author
   data shows no name. */
import { connect, countdown, pageData, t } from "./live.js";
import { Feed, request } from "./feed.js";
import { Paged, render } from "./board.js";
import { draw as drawResults, scoped } from "./results.js";

const page = pageData();
const tax = page.taxonomy;
const socket = connect();
const onlySession = page.session_id;
const sessions = new Map();
let results = null;

const feed = new Feed(socket, {
  fetch: (id, since) => request(socket, "session:snapshot", { session_id: id, since_seq: since }),
  onSnapshot(board) {
    const session = sessions.get(board.session_id) || { board: new Paged() };
    session.board.reset(board);
    Object.assign(session, { id: board.session_id, phase: board.phase, ends_at: board.ends_at, server_now: board.server_now });
    sessions.set(board.session_id, session);
    draw();
  },
});

const shown = () => (onlySession ? [sessions.get(onlySession)] : [...sessions.values()]).filter(Boolean);

function draw() {
  /* the phase on screen: the session's, or for a workshop the first session's */
  const lead = shown()[0];
  if (!lead) return;
  document.getElementById("phase-name").textContent = t(`phase_name_${lead.phase}`);
  countdown(document.getElementById("timer"), lead);
  for (const section of document.querySelectorAll("[data-stage]")) {
    section.hidden = !section.dataset.stage.split(" ").includes(lead.phase);
  }
  document.getElementById("stage-message").textContent = t(`phase_${lead.phase}`);
  const board = document.getElementById("projector-board");
  board.hidden = !onlySession;
  /* the newest page only (no controls here), with how many of the total it shows */
  if (onlySession) {
    const paging = sessions.get(onlySession).board;
    render(board, paging.items, { taxonomy: tax, textLang: board.dataset.textLang, paging });
  }
  const view = results && scoped(results, onlySession || "combined");
  if (view) drawResults(view, tax, page.locale);
}

socket.on("connect", async () => {
  try {
    const ack = await request(socket, "workshop:watch", { workshop_id: page.workshop_id, view: "projector" });
    if (!ack.ok) return;
    results = ack.results;
    for (const board of ack.boards) feed.accept(board);
    draw();
  } catch (e) { /* reconnect retries */ }
});
feed.on("initiative:upserted", (m) => { if (sessions.get(m.session_id).board.upsert(m.initiative, m)) draw(); });
feed.on("initiative:withdrawn", (m) => { sessions.get(m.session_id).board.withdraw(m.id, m); draw(); });
feed.on("session:phase", (m) => { Object.assign(sessions.get(m.session_id), m); draw(); });
/* not drawn here, but numbered in the same sequence: followed so that no gap is seen */
feed.on("items:upserted", () => {});
feed.on("session:settings", () => {});
socket.on("workshop:results", (m) => { results = m; draw(); });
