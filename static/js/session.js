/* The participant's session page: connection, offline outbox, sequence numbers, the
   phase with its countdown. Each dynamic is a part registered with SessionPage. */
"use strict";

const SessionPage = (() => {
  const { t, announce, pageData } = Live;
  const parts = [];
  const state = { seq: -1, phase: null, settings: null };
  let socket = null;
  let outbox = null;

  function register(part) { parts.push(part); }

  function showPhase(message) {
    state.phase = message.phase;
    const banner = document.getElementById("phase-banner");
    banner.textContent = t(`phase_${message.phase}`);
    banner.dataset.phase = message.phase;
    for (const section of document.querySelectorAll("[data-phases]")) {
      section.hidden = !section.dataset.phases.split(" ").includes(message.phase);
    }
    Live.countdown(document.getElementById("timer"), message, () => announce(t("one_minute")));
    for (const part of parts) if (part.phase) part.phase(message.phase);
  }

  function applySnapshot(snapshot) {
    if (snapshot.unchanged || snapshot.seq < state.seq) return;
    state.seq = snapshot.seq;
    state.settings = snapshot.settings;
    for (const part of parts) if (part.snapshot) part.snapshot(snapshot);
    showPhase(snapshot);
  }

  async function resync(force) {
    try {
      const since = force === true ? null : state.seq;
      const ack = await Live.request(socket, "session:snapshot", { since_seq: since });
      if (ack.ok) applySnapshot(ack);
    } catch (e) { /* the next connect retries */ }
  }

  /* A delta is applied only if it is the next one; a gap means we missed something. */
  function onDelta(event, handler) {
    socket.on(event, (message) => {
      if (message.seq <= state.seq) return;
      if (message.seq !== state.seq + 1) { resync(); return; }
      state.seq = message.seq;
      handler(message);
    });
  }

  function status(text, isError) {
    const node = document.getElementById("form-status");
    node.textContent = text;
    node.classList.toggle("is-error", Boolean(isError));
  }

  function start() {
    socket = Live.connect({ session_id: pageData.session_id });
    outbox = new Live.Outbox(socket, `outbox:${pageData.session_id}:${pageData.participant_id}`, {
      done(item, ack) {
        const part = parts.find((p) => p.events && p.events.includes(item.event));
        if (ack.error) status(t("failed_queued", { message: ack.error.message }), true);
        if (part) part.done(item, ack);
      },
    });
    const context = { socket, outbox, onDelta, state, status, pageData, resync };
    for (const part of parts) part.init(context);
    socket.on("connect", resync);
    onDelta("session:phase", showPhase);
    onDelta("session:settings", (message) => {
      state.settings = message.settings;
      for (const part of parts) if (part.settings) part.settings(message.settings);
    });
  }

  document.addEventListener("DOMContentLoaded", start);
  return { register, state };
})();
