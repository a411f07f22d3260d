/* Moderation of what a session's participants wrote (templates/facilitator/
   _run_contributions.html, once per session): its initiatives and its barriers and
   enablers, each hidden or shown again and its wording corrected; a corrected one shows
   the author's original. Live through console.js: snapshots and the sequenced deltas. */
import { byline, el, keepFocus, newId, t } from "./live.js";
import { act, on, page, request } from "./console.js";
import { Paged } from "./board.js";
import { texts } from "./translated.js";

const axisName = new Map(page.taxonomy.axes.map((a) => [a.code, a.name]));
const parts = new Map(); // session id -> { node, board, items, editing, status }

for (const node of document.querySelectorAll("[data-contributions-session]")) {
  const id = Number(node.dataset.contributionsSession);
  parts.set(id, {
    id, node, lang: node.dataset.textLang, board: new Paged(), items: new Map(), editing: null,
    status: node.querySelector(".contributions-status"), ready: false,
  });
  /* a barrier or enabler the facilitator adds to this session */
  node.querySelector(".add-item").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const ack = await act("item:add", {
      session_id: id, client_id: newId(), text: form.elements.text.value,
      kind: form.elements.kind.value, axis: form.elements.axis.value || null,
    }, parts.get(id).status);
    if (ack && ack.ok) form.reset();
  });
}

const focusOf = (key, what) => ({ "data-focus-key": `${key}:${what}`, "data-focus-group": key });

function original(text, lang) {
  return el("p", { class: "original meta" }, t("original_wording", { text: "" }),
    el("span", { lang }, text));
}

function meta(...bits) {
  return el("p", { class: "meta" }, bits.filter(Boolean).join(" · "));
}

function buttons(part, key, hidden, hideEvent, payload, onCorrect) {
  const hide = el("button", { type: "button", class: hidden ? "" : "danger", ...focusOf(key, "hide") },
    hidden ? t("show") : t("hide"));
  hide.addEventListener("click", () => act(hideEvent, { ...payload, hidden: !hidden }, part.status,
    t(hidden ? "moderation_shown" : "moderation_hidden")));
  const correct = el("button", { type: "button", ...focusOf(key, "correct") }, t("correct"));
  correct.addEventListener("click", onCorrect);
  return el("div", { class: "actions" }, correct, hide);
}

/* A row: the texts on the left (hidden mark, wording, who, the original), the buttons right. */
function row(attrs, hidden, texts, actions) {
  return el("li", { class: `admin-item${hidden ? " is-hidden" : ""}`, ...attrs },
    el("div", { class: "contribution-text" },
      hidden ? el("p", {}, el("span", { class: "hidden-mark" }, t("hidden_item"))) : null, ...texts),
    actions);
}

function initiativeRow(part, item) {
  const key = `ci${item.id}`;
  const corrected = item.original_title !== null && item.original_title !== undefined;
  const shown = texts(item, item.description ? ["title", "description"] : ["title"], part.lang, key, {
    correct: (change) => request("translation:correct", { subject: "initiative", subject_id: item.id, ...change }),
  });
  const node = row({ "data-initiative-id": item.id }, item.hidden, [
    el("p", { class: "contribution-title" }, shown.node("strong", {}, "title")),
    item.description ? shown.node("p", {}, "description") : null,
    shown.note,
    meta(axisName.get(item.axis), item.author ? byline(item.author) : ""),
    corrected ? original([item.original_title, item.original_description].filter(Boolean).join(" — "), part.lang) : null,
  ], buttons(part, key, item.hidden, "initiative:set_hidden", { initiative_id: item.id },
    () => correctForm(part, node, key, [["title", "input", item.title, page.limits["initiative.title"]],
      ["description", "textarea", item.description, page.limits["initiative.description"]]],
    (fields) => act("initiative:correct", { initiative_id: item.id, ...fields }, part.status, t("moderation_corrected")))));
  return node;
}

function itemRow(part, item) {
  const key = `cit${item.id}`;
  const who = item.author ? byline(item.author) : item.by_facilitator ? t("proposed_by_facilitator") : "";
  const shown = texts(item, ["text"], item.lang, key, {
    correct: (change) => request("translation:correct", { subject: "item", subject_id: item.id, ...change }),
  });
  const node = row({ "data-item-id": item.id }, item.hidden, [
    shown.node("p", {}, "text"),
    shown.note,
    meta(t(item.kind), item.axis ? axisName.get(item.axis) : t("no_axis"), who),
    item.original_text ? original(item.original_text, item.lang) : null,
  ], buttons(part, key, item.hidden, "item:set_hidden", { item_id: item.id },
    () => correctForm(part, node, key, [["text", "input", item.text, page.limits["item.text"]]],
      (fields) => act("item:correct", { item_id: item.id, ...fields }, part.status, t("moderation_corrected")))));
  return node;
}

/* The row becomes a form with one field per [name, tag, value, maxlength]; live updates
   leave this session's lists alone until it is saved or cancelled. */
function correctForm(part, row, key, fields, save) {
  const inputs = fields.map(([name, tag, value, limit]) => {
    const input = el(tag, { name, maxlength: limit ? String(limit) : null, lang: part.lang, rows: tag === "textarea" ? "3" : null });
    input.value = value || "";
    const labels = { title: "field_title", description: "field_description", text: "correct" };
    return el("label", { class: "field" }, el("span", {}, t(labels[name])), input);
  });
  const submit = el("button", { type: "submit", class: "primary" }, t("save"));
  const cancel = el("button", { type: "button" }, t("cancel"));
  const form = el("form", { class: "inline correct-form", novalidate: true }, ...inputs, el("div", { class: "actions" }, submit, cancel));
  const done = () => {
    part.editing = null;
    draw(part);
    const back = part.node.querySelector(`[data-focus-key="${key}:correct"]`);
    if (back) back.focus();
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(fields.map(([name]) => [name, form.elements[name].value]));
    const ack = await save(values);
    if (ack && ack.ok) done();
  });
  cancel.addEventListener("click", done);
  part.editing = key;
  row.replaceChildren(form);
  form.querySelector("input, textarea").focus();
  form.scrollIntoView({ block: "nearest" });
}

async function showOlder(part) {
  let ack;
  try {
    ack = await part.board.loadOlder((beforeId) => request("initiative:page", { session_id: part.id, before_id: beforeId }));
  } catch (e) {
    part.status.textContent = t("offline");
    return;
  }
  if (ack && ack.error) part.status.textContent = ack.error.message;
  if (ack) draw(part);
}

/* "(12)", or "(12 shown, 2 hidden)" */
const counted = (shown, hidden) => `(${hidden ? t("count_shown_hidden", { shown, hidden }) : shown})`;

function draw(part) {
  if (part.editing || !part.ready) return;
  const initiatives = [...part.board.items.values()].sort((a, b) => b.id - a.id);
  const items = [...part.items.values()].filter((i) => i.session_id === part.id).sort((a, b) => a.id - b.id);
  const older = part.board.older !== null
    ? el("button", { type: "button", class: "board-older", "data-focus-key": `c${part.id}:older` }, t("show_older")) : null;
  if (older) older.addEventListener("click", () => showOlder(part));
  keepFocus(part.node, () => {
    const hiddenOnes = initiatives.filter((i) => i.hidden).length;
    part.node.querySelector("[data-count=initiatives]").textContent = counted(part.board.total, hiddenOnes);
    const shownItems = items.filter((i) => !i.hidden).length;
    part.node.querySelector("[data-count=items]").textContent = counted(shownItems, items.length - shownItems);
    part.node.querySelector(".contributions-initiatives").replaceChildren(
      initiatives.length ? el("ul", { class: "admin-items" }, initiatives.map((i) => initiativeRow(part, i)))
        : el("p", { class: "empty" }, t("empty_axis")),
      ...(older ? [older] : []));
    part.node.querySelector(".contributions-items").replaceChildren(items.length
      ? el("ul", { class: "admin-items" }, items.map((i) => itemRow(part, i)))
      : el("p", { class: "empty" }, t("nothing_yet")));
  });
}

const forSession = (handler) => (message) => {
  const part = parts.get(message.session_id);
  if (part) handler(part, message);
};

on("snapshot", forSession((part, board) => {
  part.board.reset(board);
  part.items = new Map(board.items.map((i) => [i.id, i]));
  part.ready = true;
  draw(part);
}));
on("initiative:upserted", forSession((part, message) => {
  if (part.board.upsert(message.initiative, message)) draw(part);
}));
on("initiative:withdrawn", forSession((part, message) => {
  part.board.withdraw(message.id, message);
  draw(part);
}));
/* items:upserted carries the items of every session that shows them: keep this one's */
on("items:upserted", forSession((part, message) => {
  for (const item of message.items) if (item.session_id === part.id) part.items.set(item.id, item);
  draw(part);
}));
