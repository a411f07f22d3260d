/* Merging duplicates in the console: the barriers and enablers of every session side by
   side by kind, a merge control beside them (sticky, with how many are selected), merged
   groups with an undo per member, and the suggested duplicates ranked by similarity, each
   merged or dismissed ("not the same") in one action; the last action can be undone.
   Suggestions are asked for again when items change or a co-facilitator dismisses one. */
import { announce, el, keepFocus, t } from "./live.js";
import { act, on, page, request } from "./console.js";
import { translationOf } from "./translated.js";

const root = document.getElementById("merge-panel");
const items = new Map(); // id -> item (facilitators' version)
const selected = new Set(); // item ids; a group is selected through one of its members
let suggestions = [];
let dismissed = [];
let undo = null; // {label, run}: the last merge or dismissal, taken back
let asking = null;

const status = root ? root.querySelector("#merge-status") : null;
const percent = new Intl.NumberFormat(page.locale, { style: "percent" });

/* Units as the lists show them: a lone item, or a merged group with its members. */
function units(kind) {
  const groups = new Map();
  const shown = [];
  for (const item of [...items.values()].sort((a, b) => a.id - b.id)) {
    if (item.kind !== kind) continue;
    if (!item.group_id) {
      if (!item.hidden) shown.push({ key: `i${item.id}`, id: item.id, members: [item] });
      continue;
    }
    if (!groups.has(item.group_id)) {
      const unit = { key: `g${item.group_id}`, id: item.id, members: [] };
      groups.set(item.group_id, unit);
      shown.push(unit);
    }
    groups.get(item.group_id).members.push(item);
  }
  return shown.filter((u) => u.members.some((m) => !m.hidden));
}

function text(item, attrs) {
  return el("span", { class: "merge-text", lang: item.lang, ...attrs }, item.text);
}

/* The item's translation into the console's language, where it carries one (a list
   row's: a line under its text; a suggestion's: a paragraph). */
function translation(item, tagName = "span") {
  const found = translationOf(item, "text", item.lang, page.locale);
  return found ? el(tagName, { class: "meta merge-translation" }, `${t("merge_translation")}: `,
    el("span", { lang: page.locale }, found.text)) : null;
}

function tag(item) {
  return el("span", { class: "lang-tag", "aria-hidden": "true" }, item.lang);
}

/* A member of a group: its text, and "Separate from group". */
function member(item) {
  const focus = { "data-focus-key": `${item.id}:unmerge`, "data-focus-group": "merge-lists" };
  const separate = el("button", { type: "button", class: "small", ...focus }, t("unmerge"));
  separate.setAttribute("aria-label", `${t("unmerge")}: ${item.text}`);
  separate.addEventListener("click", () => act("item:unmerge", { item_id: item.id }, status, t("merge_separated")));
  return el("li", {}, tag(item), " ", text(item), item.hidden ? el("span", { class: "meta" }, ` · ${t("hidden_item")}`) : null, " ", separate, translation(item));
}

function unitRow(unit) {
  const first = unit.members[0];
  const check = el("input", { type: "checkbox", "data-focus-key": `${unit.key}:select`, "data-focus-group": "merge-lists" });
  check.checked = unit.members.some((m) => selected.has(m.id));
  check.setAttribute("aria-label", t("select_for_merge", { text: unit.members.map((m) => m.text).join(" / ") }));
  check.addEventListener("change", () => {
    for (const m of unit.members) selected.delete(m.id);
    if (check.checked) selected.add(unit.id);
    drawControl();
  });
  if (unit.members.length === 1) {
    return el("li", { class: "merge-unit", "data-id": first.id },
      el("label", { class: "choice" }, check, el("span", {}, tag(first), " ", text(first), translation(first))));
  }
  return el("li", { class: "merge-unit is-group", "data-group": first.group_id },
    el("label", { class: "choice" }, check, el("span", { class: "meta" }, t("merged_with"))),
    el("ul", { class: "merge-members" }, unit.members.map(member)));
}

function drawLists() {
  if (!root) return;
  for (const list of root.querySelectorAll(".merge-list")) {
    const shown = units(list.dataset.kind);
    keepFocus(list, () => list.replaceChildren(...(shown.length
      ? shown.map(unitRow) : [el("li", { class: "empty" }, t("nothing_yet"))])));
  }
  drawControl();
}

function drawControl() {
  const live = new Set([...items.values()].map((i) => i.id));
  for (const id of [...selected]) if (!live.has(id)) selected.delete(id);
  root.querySelector("#merge-count").textContent = t("merge_selected_count", { count: selected.size });
  root.querySelector("#merge-selected").disabled = selected.size < 2;
  root.querySelector("#merge-clear").disabled = selected.size === 0;
  const back = root.querySelector("#merge-undo");
  back.hidden = !undo;
  if (undo) back.textContent = undo.label;
}

function reasonText(reason) {
  return t(`merge_reason_${reason.code}`, { terms: reason.terms.join(", ") });
}

/* One side of a suggestion: the text, its language, a translation into the console's
   language where the item carries one. */
function side(item) {
  return el("div", { class: "merge-side" },
    el("p", {}, tag(item), " ", text(item), item.group_id ? el("span", { class: "meta" }, ` · ${t("merged_with")}`) : null),
    translation(item, "p"));
}

function suggestionRow(suggestion, index) {
  const [a, b] = suggestion.item_ids.map((id) => items.get(id));
  if (!a || !b) return null;
  const id = `merge-suggestion-${suggestion.item_ids.join("-")}`;
  const focus = (what) => ({ "data-focus-key": `${id}:${what}`, "data-focus-group": "merge-suggestions" });
  const accept = el("button", { type: "button", class: "primary", "aria-describedby": id, ...focus("merge") }, t("merge_accept"));
  const reject = el("button", { type: "button", "aria-describedby": id, ...focus("dismiss") }, t("merge_dismiss"));
  accept.addEventListener("click", () => mergeIds(suggestion.item_ids));
  reject.addEventListener("click", () => dismiss(suggestion.item_ids));
  return el("li", { class: "merge-suggestion" },
    el("div", { id }, side(a), side(b),
      el("p", { class: "meta" }, t("merge_score", { score: percent.format(suggestion.score) }), " · ",
        suggestion.reasons.map(reasonText).join(" · "))),
    el("div", { class: "actions" }, accept, reject));
}

function drawSuggestions() {
  if (!root) return;
  const list = root.querySelector(".merge-suggestions");
  const rows = suggestions.map(suggestionRow).filter(Boolean);
  keepFocus(list, () => list.replaceChildren(...(rows.length ? rows : [el("li", { class: "empty" }, t("merge_no_suggestions"))])));
  const box = root.querySelector(".merge-dismissed");
  const pairs = dismissed.filter((pair) => pair.every((i) => items.has(i)));
  box.hidden = pairs.length === 0;
  box.querySelector("summary").textContent = t("merge_dismissed_list", { count: pairs.length });
  const restoreList = box.querySelector("ul");
  keepFocus(restoreList, () => restoreList.replaceChildren(...pairs.map((pair) => {
    const [a, b] = pair.map((i) => items.get(i));
    const again = el("button", { type: "button", class: "small", "data-focus-key": `r${pair.join("-")}`, "data-focus-group": "merge-dismissed" }, t("merge_restore"));
    again.setAttribute("aria-label", `${t("merge_restore")}: ${a.text} / ${b.text}`);
    again.addEventListener("click", () => restore(pair));
    return el("li", {}, tag(a), " ", text(a), " / ", tag(b), " ", text(b), " ", again);
  })));
}

/* Ask for the suggestions once things settle (a burst of changes asks once). */
function refresh(delay = 400) {
  window.clearTimeout(asking);
  asking = window.setTimeout(async () => {
    try {
      const ack = await request("merge:suggestions", { workshop_id: page.workshop_id });
      if (!ack.ok) return;
      suggestions = ack.suggestions;
      dismissed = ack.dismissed || [];
      drawSuggestions();
    } catch (e) {
      /* offline: the next change or reconnection asks again */
    }
  }, delay);
}

/* Merge `ids`; the undo takes back out the items that were on their own before. */
async function mergeIds(ids) {
  const alone = ids.filter((id) => items.has(id) && !items.get(id).group_id);
  const grouped = ids.some((id) => items.has(id) && items.get(id).group_id);
  const ack = await act("item:merge", { workshop_id: page.workshop_id, item_ids: ids }, status, t("merged"));
  if (!ack || !ack.ok) return;
  for (const item of ack.items) items.set(item.id, item);
  selected.clear();
  const out = grouped ? alone : alone.slice(1);
  undo = {
    label: t("merge_undo_merge"),
    run: async () => {
      for (const id of out) await act("item:unmerge", { item_id: id }, status, t("merge_undone"));
    },
  };
  drawLists();
  suggestions = suggestions.filter((s) => !s.item_ids.some((i) => ids.includes(i)));
  drawSuggestions();
  announce(t("merged"));
}

async function dismiss(pair) {
  const ack = await act("merge:dismiss", { workshop_id: page.workshop_id, item_ids: pair }, status, t("merge_dismissed"));
  if (!ack || !ack.ok) return;
  undo = { label: t("merge_undo_dismiss"), run: () => restore(pair) };
  suggestions = suggestions.filter((s) => s.item_ids.join() !== ack.item_ids.join());
  drawSuggestions();
  drawControl();
}

async function restore(pair) {
  await act("merge:restore", { workshop_id: page.workshop_id, item_ids: pair }, status, t("merge_undone"));
}

if (root) {
  root.querySelector("#merge-selected").addEventListener("click", () => {
    if (selected.size < 2) { status.textContent = t("merge_need_two"); return; }
    mergeIds([...selected]);
  });
  root.querySelector("#merge-clear").addEventListener("click", () => {
    selected.clear();
    drawLists();
  });
  root.querySelector("#merge-undo").addEventListener("click", async () => {
    const last = undo;
    undo = null;
    root.querySelector("#merge-count").focus(); /* the button goes: keep the keyboard's place */
    drawControl();
    if (last) await last.run();
  });

  on("snapshot", (board) => {
    for (const item of [...items.values()]) if (item.session_id === board.session_id) items.delete(item.id);
    for (const item of board.items) items.set(item.id, item);
    drawLists();
    refresh();
  });
  on("items:upserted", (message) => {
    for (const item of message.items) items.set(item.id, item);
    drawLists();
    refresh();
  });
  on("merge:dismissed", () => refresh(100));
}
