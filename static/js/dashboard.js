/* The facilitator's live dashboard: phases and countdowns, every session's boards, the
   barriers and enablers to correct, hide and merge, settings, and the live results. */
import { announce, byline, countdown, el, keepFocus, newId, t } from "./live.js";
import { act, on, page, request, start } from "./console.js";
import { Paged, render, shownText } from "./board.js";
import { draw as drawResultsView, scoped } from "./results.js";
import { setStatus, statusNote, texts } from "./translated.js";

const tax = page.taxonomy;
const axisName = new Map(tax.axes.map((a) => [a.code, a.name]));
const sessions = new Map();
const items = new Map();
const selected = new Set();
let results = null;

for (const card of document.querySelectorAll(".session-card")) {
  const id = Number(card.dataset.sessionId);
  const session = { id, card, board: new Paged(), phase: null, status: card.querySelector(":scope > .form-status") };
  sessions.set(id, session);
  card.querySelector(".phase-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const minutes = form.elements.minutes.value ? Number(form.elements.minutes.value) : null;
    const ack = await act("session:set_phase", { session_id: id, phase: form.elements.phase.value, minutes }, session.status);
    if (ack && ack.ok) showPhase(session, ack);
  });
  card.querySelector(".add-item").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const ack = await act("item:add", {
      session_id: id, client_id: newId(), text: form.elements.text.value,
      kind: form.elements.kind.value, axis: form.elements.axis.value || null,
    }, session.status);
    if (ack && ack.ok) form.reset();
  });
}

function showPhase(session, message) {
  session.phase = message.phase;
  session.card.querySelector(".phase-name").textContent = t(`phase_name_${message.phase}`);
  session.card.querySelector(".phase-form select").value = message.phase;
  countdown(session.card.querySelector(".timer"), message);
}

function drawBoard(session) {
  const container = session.card.querySelector(".board");
  const options = {
    taxonomy: tax, textLang: container.dataset.textLang, paging: session.board, onOlder: () => showOlder(session),
    correct: (change) => request("translation:correct", change),
  };
  keepFocus(container, () => render(container, session.board.items, options));
}

/* "Show older initiatives" on a session's board: the next page goes below. */
async function showOlder(session) {
  let ack;
  try {
    ack = await session.board.loadOlder((beforeId) => request("initiative:page", { session_id: session.id, before_id: beforeId }));
  } catch (e) {
    session.status.textContent = t("offline");
    return;
  }
  if (!ack) return;
  if (ack.error) { session.status.textContent = ack.error.message; return; }
  drawBoard(session);
  announce(shownText(session.board));
}

/* Item administration: each item with its group mates' texts and its controls. */
function itemRow(item, session) {
  const focus = (what) => ({ "data-focus-key": `${item.id}:${what}`, "data-focus-group": `i${item.id}` });
  const check = el("input", { type: "checkbox", "aria-label": t("select_for_merge", { text: item.text }), ...focus("select") });
  check.checked = selected.has(item.id);
  check.addEventListener("change", () => { if (check.checked) selected.add(item.id); else selected.delete(item.id); });
  const mates = item.group_id ? [...items.values()].filter((i) => i.group_id === item.group_id && i.id !== item.id) : [];
  const correct = el("button", { type: "button", ...focus("correct") }, t("correct"));
  correct.addEventListener("click", () => editText(item, session, row));
  const hide = el("button", { type: "button", class: item.hidden ? "" : "danger", ...focus("hide") }, item.hidden ? t("show") : t("hide"));
  hide.addEventListener("click", () => act("item:set_hidden", { item_id: item.id, hidden: !item.hidden }, session.status));
  const separate = item.group_id ? el("button", { type: "button", ...focus("unmerge") }, t("unmerge")) : null;
  if (separate) separate.addEventListener("click", () => act("item:unmerge", { item_id: item.id }, session.status));
  const who = item.author ? byline(item.author) : item.by_facilitator ? t("proposed_by_facilitator") : "";
  const shown = texts(item, ["text"], item.lang, `t${item.id}`, {
    correct: (change) => request("translation:correct", { subject: "item", subject_id: item.id, ...change }),
  });
  const row = el("li", { class: `admin-item${item.hidden ? " is-hidden" : ""}`, "data-id": item.id },
    el("label", { class: "choice" }, check, shown.node("span", {}, "text")),
    shown.note,
    el("p", { class: "meta" }, t(item.kind), " · ", item.axis ? axisName.get(item.axis) : t("no_axis"),
      who ? ` · ${who}` : "", item.hidden ? ` · ${t("hidden_item")}` : ""),
    mates.length ? el("div", { class: "group" }, el("span", { class: "meta" }, t("merged_with")),
      el("ul", {}, mates.map((m) => el("li", { lang: m.lang }, el("span", { class: "lang-tag" }, m.lang), " ", m.text)))) : null,
    el("div", { class: "actions" }, correct, hide, separate));
  return row;
}

function editText(item, session, row) {
  const input = el("input", { value: item.text, maxlength: String(page.limits["item.text"]), "aria-label": t("correct") });
  const save = el("button", { type: "submit", class: "primary" }, t("save"));
  const cancel = el("button", { type: "button" }, t("cancel"));
  const form = el("form", { class: "inline" }, input, save, cancel);
  /* live updates leave the session's list alone while a wording is being corrected */
  const done = () => {
    session.editing = null;
    drawItems();
    const back = session.card.querySelector(`[data-focus-key="${item.id}:correct"]`);
    if (back) back.focus();
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const ack = await act("item:correct", { item_id: item.id, text: input.value }, session.status);
    if (ack && ack.ok) done();
  });
  cancel.addEventListener("click", done);
  session.editing = item.id;
  row.replaceChildren(form);
  input.focus();
}

function drawItems() {
  for (const session of sessions.values()) {
    if (session.editing) continue;
    const own = [...items.values()].filter((i) => i.session_id === session.id).sort((a, b) => a.id - b.id);
    const container = session.card.querySelector(".item-admin");
    keepFocus(container, () => container.replaceChildren(own.length
      ? el("ul", { class: "admin-items" }, own.map((item) => itemRow(item, session)))
      : el("p", { class: "empty" }, t("nothing_yet"))));
  }
}

const mergeButton = document.getElementById("merge-button");
if (mergeButton) {
  mergeButton.addEventListener("click", async () => {
    const status = document.getElementById("merge-status");
    if (selected.size < 2) { status.textContent = t("merge_need_two"); return; }
    const ack = await act("item:merge", { workshop_id: page.workshop_id, item_ids: [...selected] }, status, t("merged"));
    if (ack && ack.ok) { selected.clear(); drawItems(); }
  });
}

/* A session's snapshot (from `workshop:watch` or a resync), accepted by the feed. */
function applyBoard(board) {
  const session = sessions.get(board.session_id);
  if (!session) return;
  session.board.reset(board);
  for (const item of [...items.values()]) if (item.session_id === session.id) items.delete(item.id);
  for (const item of board.items) items.set(item.id, item);
  showPhase(session, board);
  drawBoard(session);
  drawItems();
}

function drawResults() {
  if (!results) return;
  const view = scoped(results, document.getElementById("results-scope").value);
  if (!view) return;
  drawResultsView(view, tax, page.locale);
  for (const [id, session] of sessions) {
    const numbers = results.participation[id];
    if (numbers) session.card.querySelector(".participation").textContent = t("not_voted", numbers);
  }
}

function fillSettings(settings) {
  const rules = document.getElementById("voting-rules");
  rules.elements.dots.value = settings.budget.dots;
  rules.elements.per_item.value = settings.budget.per_item;
  rules.elements.separate.checked = settings.budget.separate;
  rules.elements.sdg_limit.value = settings.sdg_limit;
  const display = document.getElementById("display-settings");
  display.elements.anonymity.value = settings.anonymity;
  display.elements.results_to_participants.checked = settings.results_to_participants;
}

document.getElementById("voting-rules").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  act("workshop:set_voting_rules", {
    workshop_id: page.workshop_id, dots: form.elements.dots.value, per_item: form.elements.per_item.value,
    separate: form.elements.separate.checked, sdg_limit: form.elements.sdg_limit.value,
  }, form.querySelector(".form-status"));
});
document.getElementById("display-settings").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  act("workshop:set_display", {
    workshop_id: page.workshop_id, anonymity: form.elements.anonymity.value,
    results_to_participants: form.elements.results_to_participants.checked,
  }, form.querySelector(".form-status"));
});
/* The room screens: results hidden until the reveal, the whole-workshop screen's layout. */
const projectorForm = document.getElementById("projector-settings");
const reveal = document.getElementById("results-reveal");
function fillProjector(display) {
  reveal.dataset.hidden = String(!display.results_shown);
  reveal.textContent = display.results_shown ? reveal.dataset.hide : reveal.dataset.reveal;
  projectorForm.elements.layout.value = display.layout;
}
function setProjector(resultsShown) {
  act("workshop:set_projector", {
    workshop_id: page.workshop_id, results_shown: resultsShown, layout: projectorForm.elements.layout.value,
  }, projectorForm.querySelector(".form-status")).then((ack) => { if (ack && ack.ok) fillProjector(ack.projector); });
}
reveal.addEventListener("click", () => setProjector(reveal.dataset.hidden === "true"));
projectorForm.elements.layout.addEventListener("change", () => setProjector(reveal.dataset.hidden !== "true"));
projectorForm.addEventListener("submit", (event) => event.preventDefault());
on("projector:display", fillProjector);
document.getElementById("results-scope").addEventListener("change", drawResults);

/* "Machine translation is off" above the sessions when they speak different languages. */
const languages = new Set([...document.querySelectorAll(".board[data-text-lang]")].map((b) => b.dataset.textLang));
const mixedLanguages = languages.size > 1 || [...languages].some((l) => l !== page.locale);
const translationNote = el("p", { class: "translation-status", hidden: true });
document.getElementById("sessions-heading").after(translationNote);
statusNote(translationNote, mixedLanguages);
on("translation:status", (message) => {
  setStatus(message);
  statusNote(translationNote, mixedLanguages);
});

on("snapshot", applyBoard);
on("watch", (ack) => {
  fillSettings(ack.settings);
  if (ack.projector) fillProjector(ack.projector);
  results = ack.results;
  drawResults();
});
/* A delta of one of the sessions on this page, in seq order. */
const onSession = (event, handler) => on(event, (message) => {
  const session = sessions.get(message.session_id);
  if (session) handler(session, message);
});
onSession("initiative:upserted", (session, message) => {
  if (session.board.upsert(message.initiative, message)) drawBoard(session);
});
onSession("initiative:withdrawn", (session, message) => {
  session.board.withdraw(message.id, message);
  drawBoard(session);
});
on("items:upserted", (message) => {
  for (const item of message.items) items.set(item.id, item);
  drawItems();
});
onSession("session:phase", showPhase);
on("session:settings", (message) => fillSettings(message.settings));
on("workshop:results", (message) => {
  results = message;
  drawResults();
});
start(sessions.keys());
