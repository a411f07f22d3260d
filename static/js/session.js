/* The participant's session page (its entry module): the connection, the feed of the
   session with its offline outbox, the phase with its countdown. Each dynamic is a part
   (initiatives, items, SDG picks, results) that gets the page's context. What a part
   confirms stands beside the control used and goes through the polite live region; a new
   phase clears it all. */
import { announce, connect, countdown, inView, newId, pageData, t } from "./live.js";
import { Feed, Outbox, request } from "./feed.js";
import initiatives from "./initiatives.js";
import items from "./items.js";
import sdgPicks from "./sdg_picks.js";
import participantResults from "./participant_results.js";
import otherBoards from "./other_boards.js";

const page = pageData();
const parts = [initiatives(), items(), sdgPicks(), participantResults(), otherBoards()];
const state = { phase: null, settings: null };

/* Say `text` in `node` (beside the control used) and to screen readers. */
function confirm(node, text, isError) {
  node.textContent = text;
  node.classList.toggle("is-error", Boolean(isError));
  if (text) { announce(text); inView(node); }
}

function clearConfirmations() {
  for (const node of document.querySelectorAll(".action-status")) {
    node.textContent = "";
    node.classList.remove("is-error");
  }
  announce("");
}

function showPhase(message) {
  if (state.phase !== null && state.phase !== message.phase) clearConfirmations();
  state.phase = message.phase;
  const banner = document.getElementById("phase-banner");
  banner.textContent = t(`phase_${message.phase}`);
  banner.dataset.phase = message.phase;
  for (const section of document.querySelectorAll("[data-phases]")) {
    section.hidden = !section.dataset.phases.split(" ").includes(message.phase);
  }
  state.timeUp = false;
  countdown(document.getElementById("timer"), message, () => announce(t("one_minute")), () => {
    if (state.timeUp) return;
    state.timeUp = true; // the server refuses this phase's writes from now on
    for (const part of parts) if (part.timeUp) part.timeUp();
  });
  for (const part of parts) if (part.phase) part.phase(message.phase);
}

const socket = connect({ session_id: page.session_id });
const outbox = new Outbox(socket, {
  key: `outbox:${page.session_id}:${page.participant_id}`,
  newId,
  pending: (count) => socket.showPending(count),
  done(item, ack) {
    const part = parts.find((p) => p.events && p.events.includes(item.event));
    if (part) part.done(item, ack);
  },
});
const feed = new Feed(socket, {
  fetch: (id, since) => request(socket, "session:snapshot", { since_seq: since }),
  /* the other sessions' initiative deltas come too (other_boards.js): never followed here */
  sessionOf: (message) => (message.session_id === undefined ? page.session_id : message.session_id),
  onSnapshot(snapshot) {
    state.settings = snapshot.settings;
    for (const part of parts) if (part.snapshot) part.snapshot(snapshot);
    showPhase(snapshot);
  },
});
feed.track(page.session_id);

/* `resync(true)` asks for the whole session again, not only what changed. */
const resync = (full) => feed.resync(page.session_id, full === true);
const context = {
  socket, outbox, state, confirm, pageData: page, resync,
  onDelta: (event, handler) => feed.on(event, handler),
};
for (const part of parts) part.init(context);
socket.on("connect", () => resync());
feed.on("session:phase", showPhase);
feed.on("session:settings", (message) => {
  state.settings = message.settings;
  for (const part of parts) if (part.settings) part.settings(message.settings);
});
