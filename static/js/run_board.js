/* A session's contributions on the run view (facilitator/_run_board.html): its initiatives
   board with older pages, and its barriers and enablers to correct, hide, separate, add and
   select for merging with items of any session. */
import { announce, byline, el, keepFocus, newId, t } from "./live.js";
import { act, on, page, request } from "./console.js";
import { Paged, render, shownText } from "./board.js";

const axisName = new Map(page.taxonomy.axes.map((a) => [a.code, a.name]));
const sessions = new Map();
const items = new Map();
const selected = new Set();

for (const root of document.querySelectorAll(".run-board")) {
  const id = Number(root.dataset.sessionId);
  const session = { id, root, board: new Paged(), status: root.querySelector(":scope > .form-status") };
  sessions.set(id, session);
  root.querySelector(".add-item").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const ack = await act("item:add", {
      session_id: id, client_id: newId(), text: form.elements.text.value,
      kind: form.elements.kind.value, axis: form.elements.axis.value || null,
    }, session.status);
    if (ack && ack.ok) form.reset();
  });
  root.querySelector(".merge-button").addEventListener("click", async () => {
    if (selected.size < 2) { session.status.textContent = t("merge_need_two"); return; }
    const ack = await act("item:merge", { workshop_id: page.workshop_id, item_ids: [...selected] }, session.status, t("merged"));
    if (ack && ack.ok) { selected.clear(); drawItems(); }
  });
}

function drawBoard(session) {
  const container = session.root.querySelector(".board");
  const options = { taxonomy: page.taxonomy, textLang: container.dataset.textLang, paging: session.board, onOlder: () => showOlder(session) };
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

/* Each item with its group mates' texts and its controls. */
function itemRow(item, session) {
  const focus = (what) => ({ "data-focus-key": `${item.id}:${what}`, "data-focus-group": `i${item.id}` });
  const check = el("input", { type: "checkbox", "aria-label": t("select_for_merge", { text: item.text }), ...focus("select") });
  check.checked = selected.has(item.id);
  check.addEventListener("change", () => {
    if (check.checked) selected.add(item.id); else selected.delete(item.id);
  });
  const mates = item.group_id ? [...items.values()].filter((i) => i.group_id === item.group_id && i.id !== item.id) : [];
  const correct = el("button", { type: "button", ...focus("correct") }, t("correct"));
  correct.addEventListener("click", () => editText(item, session, row));
  const hide = el("button", { type: "button", class: item.hidden ? "" : "danger", ...focus("hide") }, item.hidden ? t("show") : t("hide"));
  hide.addEventListener("click", () => act("item:set_hidden", { item_id: item.id, hidden: !item.hidden }, session.status));
  const separate = item.group_id ? el("button", { type: "button", ...focus("unmerge") }, t("unmerge")) : null;
  if (separate) separate.addEventListener("click", () => act("item:unmerge", { item_id: item.id }, session.status));
  const who = item.author ? byline(item.author) : item.by_facilitator ? t("proposed_by_facilitator") : "";
  const row = el("li", { class: `admin-item${item.hidden ? " is-hidden" : ""}`, "data-id": item.id },
    el("label", { class: "choice" }, check, el("span", { lang: item.lang }, item.text)),
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
    const back = session.root.querySelector(`[data-focus-key="${item.id}:correct"]`);
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
    const container = session.root.querySelector(".item-admin");
    keepFocus(container, () => container.replaceChildren(own.length
      ? el("ul", { class: "admin-items" }, own.map((item) => itemRow(item, session)))
      : el("p", { class: "empty" }, t("nothing_yet"))));
  }
}

/* A session's snapshot (from `workshop:watch` or a resync). */
on("snapshot", (board) => {
  const session = sessions.get(board.session_id);
  for (const item of [...items.values()]) if (item.session_id === board.session_id) items.delete(item.id);
  for (const item of board.items || []) items.set(item.id, item);
  if (session) { session.board.reset(board); drawBoard(session); }
  drawItems();
});
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
