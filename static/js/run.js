/* The run view's phases and countdowns, one column per session: the phase shown big, the
   steps "Back: <phase>" and "Next: <phase>", the countdown (start, pause or resume, one
   more minute, close the phase when time is up). The other parts of the page (contributions,
   counters, results, merging) are their own modules; this one runs last and starts the
   console's feed once every part has subscribed. */
import { announce, countdown, el, t } from "./live.js";
import { act, on, page, start } from "./console.js";
import { setStatus, statusNote } from "./translated.js";

const ORDER = page.phases;
const columns = new Map();

for (const column of document.querySelectorAll(".run-column")) {
  const id = Number(column.dataset.sessionId);
  const find = (selector) => column.querySelector(selector);
  const state = { id, column, phase: null, message: null, status: find(":scope > .run-status > .form-status") };
  columns.set(id, state);
  const form = find(".countdown-form");
  for (const button of column.querySelectorAll(".phase-steps button")) {
    button.addEventListener("click", () => move(state, button.dataset.phase, null));
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const minutes = Number(form.elements.minutes.value);
    move(state, state.phase, minutes > 0 ? minutes : null);
  });
  for (const button of column.querySelectorAll(".countdown-controls [data-action]")) {
    button.addEventListener("click", () => send(state, "session:countdown", { action: button.dataset.action }));
  }
  form.elements.auto_close.addEventListener("change", () =>
    send(state, "session:set_auto_close", { auto_close: form.elements.auto_close.checked }));
}

async function send(state, event, payload) {
  const ack = await act(event, { session_id: state.id, ...payload }, state.status);
  if (ack && ack.ok) show(state, ack);
  return ack;
}

/* Move to `phase` (the same one restarts its countdown); the countdown of `minutes`. */
async function move(state, phase, minutes) {
  const before = state.phase;
  const ack = await send(state, "session:set_phase", { phase, minutes });
  if (ack && ack.ok && phase !== before) announce(t("phase_now", { phase: t(`phase_name_${phase}`) }));
}

function step(button, phase, key) {
  button.hidden = !phase;
  if (!phase) return;
  button.dataset.phase = phase;
  button.textContent = t(key, { phase: t(`phase_name_${phase}`) });
}

/* A session's phase and countdown, from a snapshot, a `session:phase` delta or an ack. */
function show(state, message) {
  if (state.message && message.seq < state.message.seq) return;
  state.phase = message.phase;
  state.message = message;
  const find = (selector) => state.column.querySelector(selector);
  const at = ORDER.indexOf(message.phase);
  find(".phase-name").textContent = t(`phase_name_${message.phase}`);
  state.column.dataset.phase = message.phase;
  step(find(".step-back"), ORDER[at - 1], "step_back");
  step(find(".step-next"), ORDER[at + 1], "step_next");
  const paused = typeof message.paused_seconds === "number";
  const running = Boolean(message.ends_at) || paused;
  const pause = find(".countdown-pause");
  pause.dataset.action = paused ? "resume" : "pause";
  pause.textContent = paused ? t("resume") : t("pause");
  pause.disabled = !running;
  /* nothing left to pause once the time is up; "+1 minute" or the next phase go on */
  countdown(find(".timer"), message, undefined, () => { pause.disabled = true; });
  find(".countdown-form").elements.auto_close.checked = Boolean(message.auto_close);
}

on("snapshot", (board) => { const state = columns.get(board.session_id); if (state) show(state, board); });
on("session:phase", (message) => { const state = columns.get(message.session_id); if (state) show(state, message); });
/* "Machine translation is off" under the page's title when its sessions' texts are in
   other languages than the console's. */
const languages = new Set([...document.querySelectorAll(".run-column .lang-tag")].map((tag) => tag.textContent.trim()));
const mixedLanguages = languages.size > 1 || [...languages].some((lang) => lang !== page.locale);
const translationNote = el("p", { class: "translation-status", hidden: true });
document.querySelector(".run-top").append(translationNote);
statusNote(translationNote, mixedLanguages);
on("translation:status", (message) => {
  setStatus(message);
  statusNote(translationNote, mixedLanguages);
});
start(columns.keys());
