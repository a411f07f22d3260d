/* People without a device, in the facilitator's console: per session, a form to enter
   someone, the list of those the facilitators entered, and for the one chosen the controls
   of the session's phase (post an initiative, propose a barrier or enabler, place dots,
   choose SDGs per axis). Every action is a `proxy:*` event: the server applies the
   participants' own rules and answers with that person's state, drawn here. */
import { el, keepFocus, newId, t } from "./live.js";
import { act, on, page, request } from "./console.js";

const tax = page.taxonomy;
const limits = page.limits || {};
const stringsNode = document.querySelector(".proxy-strings");
const strings = stringsNode ? JSON.parse(stringsNode.textContent) : {};
const panels = new Map(); // session id -> panel

/* A string of the partial, placeholders filled like live.js's `t`. */
function s(key, params) {
  let text = strings[key] || key;
  for (const [name, value] of Object.entries(params || {})) text = text.split(`%(${name})s`).join(String(value));
  return text;
}

function nameOf(person) {
  return person.display_name || s("participant_number", { id: person.id });
}

function whereOf(person) {
  return `${person.organisation} (${person.country})`;
}

function later(panel, key, fn) {
  window.clearTimeout(panel.timers[key]);
  panel.timers[key] = window.setTimeout(fn, 300);
}

/* --- the list of entered participants ------------------------------------------------ */

async function loadList(panel) {
  let ack;
  try {
    ack = await request("proxy:list", { session_id: panel.id });
  } catch (e) {
    return;
  }
  if (!ack.ok) return;
  panel.people = ack.participants;
  drawList(panel);
}

function drawList(panel) {
  const list = panel.node.querySelector(".proxy-people");
  keepFocus(list, () => list.replaceChildren(...panel.people.map((person) => {
    const button = el("button", { type: "button", class: "proxy-person", "aria-pressed": String(person.id === panel.chosen),
      "data-focus-key": `p${person.id}`, "data-focus-group": "people" },
    el("span", { class: "proxy-person-name" }, nameOf(person), el("span", { class: "proxy-comma" }, ",")),
    el("span", { class: "proxy-person-where" }, whereOf(person)));
    button.addEventListener("click", () => choose(panel, person.id === panel.chosen ? null : person.id));
    return el("li", {}, button);
  })));
  panel.node.querySelector(".proxy-nobody").hidden = panel.people.length > 0;
}

async function choose(panel, participantId) {
  panel.chosen = participantId;
  panel.state = null;
  drawList(panel);
  if (participantId === null) { drawAct(panel); return; }
  await loadState(panel);
  const heading = panel.node.querySelector(".proxy-act h5");
  if (heading) heading.focus();
}

async function loadState(panel) {
  if (panel.chosen === null) return;
  let ack;
  try {
    ack = await request("proxy:state", { participant_id: panel.chosen });
  } catch (e) {
    panel.status.textContent = t("offline");
    return;
  }
  if (!ack.ok) { panel.status.textContent = ack.error.message; return; }
  panel.state = ack.state;
  drawAct(panel);
}

/* Send `event` for the chosen participant; their new state is drawn, `said(ack)` (or
   the error) goes to the status line; a `form` sent is emptied once stored. */
async function actFor(panel, event, payload, said, form) {
  const ack = await act(event, { participant_id: panel.chosen, ...payload }, panel.status);
  if (!ack) return null;
  if (ack.ok) {
    if (form) form.reset();
    panel.state = ack.state;
    drawAct(panel);
    panel.status.textContent = said(ack);
  } else {
    const fields = Object.entries(ack.error.fields || {}).map(([f, e]) => `${s(f)}: ${e.message}`);
    panel.status.textContent = [ack.error.message, ...fields].join(" ");
  }
  return ack;
}

/* --- the controls of each phase ------------------------------------------------------- */

function axisSelect(id, withNone) {
  const options = tax.axes.map((a) => el("option", { value: a.code }, a.name));
  if (withNone) options.unshift(el("option", { value: "" }, t("no_axis")));
  return el("select", { id, name: "axis" }, options);
}

function field(id, label, input) {
  input.dataset.focusKey = id;
  return el("div", { class: "field" }, el("label", { for: id }, label), input);
}

/* Each SDG a coloured number; its name is said to screen readers and shown on hover. */
function sdgBoxes(name, chosen, idPrefix) {
  return tax.sdgs.map((sdg) => {
    const named = `${t("sdg", { number: sdg.number })} ${sdg.name}`;
    return el("label", { class: "proxy-sdg", title: named },
      el("input", { type: "checkbox", name, value: sdg.number, checked: chosen.has(sdg.number),
        id: `${idPrefix}-${sdg.number}`, "data-focus-key": `${idPrefix}-${sdg.number}` }),
      el("span", { class: `badge sdg-${sdg.number}`, "aria-hidden": "true" }, sdg.number),
      el("span", { class: "visually-hidden" }, named));
  });
}

function initiativeControls(panel, name) {
  const id = (f) => `proxy-${panel.id}-i-${f}`;
  const form = el("form", { class: "proxy-form", novalidate: true },
    field(id("title"), s("title"), el("input", { id: id("title"), name: "title", maxlength: limits["initiative.title"] })),
    field(id("description"), s("description"), el("textarea", { id: id("description"), name: "description", rows: "2",
      maxlength: limits["initiative.description"] })),
    field(id("axis"), s("axis"), axisSelect(id("axis"), false)),
    el("fieldset", { class: "proxy-sdgs" }, el("legend", {}, s("sdgs")), sdgBoxes("sdgs", new Set(), id("sdg"))),
    el("button", { type: "submit", class: "primary" }, t("post")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = {
      client_id: newId(),
      title: form.elements.title.value.trim(),
      description: form.elements.description.value.trim(),
      axis: form.elements.axis.value,
      sdgs: [...form.querySelectorAll('input[name="sdgs"]:checked')].map((c) => Number(c.value)),
      link: "",
    };
    const ack = await actFor(panel, "proxy:initiative_post", data, () => s("posted_for", { name }), form);
    if (ack && ack.ok) panel.node.querySelector(".proxy-act input").focus();
  });
  const own = panel.state.initiatives;
  return [form, el("h6", {}, s("their_initiatives")), own.length
    ? el("ul", { class: "proxy-own" }, own.map((i) => {
        const withdraw = el("button", { type: "button", class: "danger", "aria-label": `${t("withdraw")}: ${i.title}` }, t("withdraw"));
        withdraw.addEventListener("click", () => actFor(panel, "proxy:initiative_withdraw", { id: i.id }, () => s("withdrawn_for", { name })));
        return el("li", {}, el("span", { lang: panel.lang }, i.title), " ", withdraw);
      }))
    : el("p", { class: "empty" }, t("nothing_yet"))];
}

function proposalControls(panel, name) {
  const id = (f) => `proxy-${panel.id}-p-${f}`;
  const form = el("form", { class: "proxy-form", novalidate: true },
    field(id("text"), s("text"), el("input", { id: id("text"), name: "text", maxlength: limits["item.text"] })),
    el("div", { class: "proxy-row" },
      field(id("kind"), s("kind"), el("select", { id: id("kind"), name: "kind" },
        el("option", { value: "barrier" }, t("barrier")), el("option", { value: "enabler" }, t("enabler")))),
      field(id("axis"), s("axis"), axisSelect(id("axis"), true))),
    el("button", { type: "submit", class: "primary" }, s("propose")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = { client_id: newId(), text: form.elements.text.value.trim(), kind: form.elements.kind.value,
      axis: form.elements.axis.value || null };
    const ack = await actFor(panel, "proxy:item_propose", data, () => s("proposed_for", { name }), form);
    if (ack && ack.ok) panel.node.querySelector(".proxy-act input").focus();
  });
  const own = panel.state.proposed;
  return [form, el("h6", {}, s("their_proposals")), own.length
    ? el("ul", { class: "proxy-own" }, own.map((i) => el("li", { lang: panel.lang }, `${t(i.kind)}: ${i.text}`)))
    : el("p", { class: "empty" }, t("nothing_yet"))];
}

/* Units people vote on, as the phone shows them: a merged group or an item alone, when it
   holds an item of this session (the dot goes on that one). */
function units(panel) {
  const byKey = new Map();
  for (const item of [...panel.state.items].sort((a, b) => a.id - b.id)) {
    if (!byKey.has(item.unit)) byKey.set(item.unit, { key: item.unit, kind: item.kind, texts: [], own: null });
    const unit = byKey.get(item.unit);
    unit.texts.push(item);
    if (item.session_id === panel.id && unit.own === null) unit.own = item.id;
  }
  return [...byKey.values()].filter((u) => u.own !== null);
}

function dotsLeftText(votes) {
  const say = (n) => (n > 0 ? t("dots_left", { count: n }) : t("no_dots_left"));
  if (!votes.budget.separate) return say(votes.dots_left.all || 0);
  return ["barrier", "enabler"].map((k) => t("dots_left_kind", { kind: t(`${k}s`), left: say(votes.dots_left[k] || 0) })).join(" · ");
}

function votingControls(panel, name) {
  const votes = panel.state.votes;
  const all = units(panel);
  const leftOf = (kind) => votes.dots_left[votes.budget.separate ? kind : "all"] || 0;
  const said = (key) => () => s(key, { name, left: dotsLeftText(panel.state.votes) });
  const columns = ["barrier", "enabler"].map((kind) => {
    const list = all.filter((u) => u.kind === kind);
    return el("section", { class: "proxy-kind" }, el("h6", {}, t(`${kind}s`)),
      el("ul", { class: "proxy-units" }, list.map((unit) => {
        const mine = votes.units[unit.key] || 0;
        const text = unit.texts[0].text;
        const focus = (what) => ({ "data-focus-key": `${unit.key}:${what}`, "data-focus-group": unit.key });
        const add = el("button", { type: "button", class: "dot-button", "aria-label": t("add_dot_to", { text }), ...focus("add") }, "+");
        add.disabled = leftOf(kind) <= 0 || mine >= votes.budget.per_item;
        add.addEventListener("click", () => actFor(panel, "proxy:vote_cast",
          { client_id: newId(), item_id: unit.own, delta: 1 }, said("dot_placed_for")));
        const remove = el("button", { type: "button", class: "dot-button", "aria-label": t("remove_dot_from", { text }), ...focus("remove") }, "−");
        remove.disabled = mine <= 0;
        remove.addEventListener("click", () => actFor(panel, "proxy:vote_cast",
          { client_id: newId(), item_id: unit.own, delta: -1 }, said("dot_taken_back_for")));
        return el("li", { class: "proxy-unit", "data-unit": unit.key },
          el("span", { class: "proxy-unit-text" }, unit.texts.map((i, n) => el("span", { lang: i.lang }, n ? ` / ${i.text}` : i.text))),
          el("span", { class: "proxy-unit-dots" }, s("their_dots", { count: mine })), add, remove);
      })));
  });
  return [el("p", { class: "proxy-dots-left" }, dotsLeftText(votes)),
    all.length ? el("div", { class: "proxy-kinds" }, columns) : el("p", { class: "empty" }, s("no_items"))];
}

function picksControls(panel, name) {
  const { picks, limit } = panel.state.picks;
  const axis = panel.axis || tax.axes[0].code;
  const chosen = new Set(picks[axis] || []);
  const id = `proxy-${panel.id}-s-axis`;
  const select = axisSelect(id, false);
  select.value = axis;
  select.addEventListener("change", () => { panel.axis = select.value; drawAct(panel); panel.node.querySelector(`#${id}`).focus(); });
  const boxes = el("fieldset", { class: "proxy-sdgs" },
    el("legend", {}, `${s("sdgs")} · ${t("chosen_of", { count: chosen.size, limit })}`), sdgBoxes("picks", chosen, `proxy-${panel.id}-s-sdg`));
  for (const box of boxes.querySelectorAll("input")) {
    box.addEventListener("change", () => actFor(panel, "proxy:sdg_pick",
      { axis, sdg: Number(box.value), picked: box.checked },
      (ack) => s("picks_saved_for", { name, count: t("chosen_of", { count: (ack.picks[axis] || []).length, limit }) }))
      .then((ack) => { if (ack && !ack.ok) box.checked = !box.checked; }));
  }
  return [field(id, s("axis"), select), boxes];
}

const CONTROLS = {
  initiatives: initiativeControls,
  proposing: proposalControls,
  voting: votingControls,
  sdg_picks: picksControls,
};

function drawAct(panel) {
  const area = panel.node.querySelector(".proxy-act");
  const state = panel.state;
  area.hidden = state === null;
  if (state === null) { area.replaceChildren(); return; }
  const name = nameOf(state.participant);
  const stop = el("button", { type: "button", class: "link-button" }, s("stop"));
  stop.addEventListener("click", () => {
    const back = panel.node.querySelector(`.proxy-person[aria-pressed="true"]`);
    choose(panel, null);
    if (back) panel.node.querySelector(`[data-focus-key="${back.dataset.focusKey}"]`).focus();
  });
  const controls = CONTROLS[state.phase];
  // a redraw in the same phase (their state moved) keeps what is being typed
  const typed = area.dataset.phase === state.phase ? typedValues(area) : [];
  area.dataset.phase = state.phase;
  keepFocus(area, () => area.replaceChildren(
    el("div", { class: "proxy-act-head" }, el("h5", { tabindex: "-1" }, s("acting_for", { name })), stop),
    el("p", { class: "hint" }, whereOf(state.participant), " · ", t(`phase_name_${state.phase}`)),
    ...(controls ? controls(panel, name) : [el("p", { class: "empty" }, s("nothing_in_phase", { phase: t(`phase_name_${state.phase}`) }))])));
  for (const [id, value, checked] of typed) {
    const input = document.getElementById(id);
    if (!input) continue;
    if (checked === null) input.value = value; else input.checked = checked;
  }
}

/* [id, value, checked or null] of the unsent forms' fields (SDG picks are sent at once). */
function typedValues(area) {
  return [...area.querySelectorAll(".proxy-form input, .proxy-form textarea, .proxy-form select")]
    .filter((input) => input.id)
    .map((input) => [input.id, input.value, input.type === "checkbox" ? input.checked : null]);
}

/* --- wiring ----------------------------------------------------------------------------- */

for (const node of document.querySelectorAll(".proxy-panel")) {
  const id = Number(node.dataset.sessionId);
  const panel = { id, node, lang: node.dataset.textLang || null, people: [], chosen: null, state: null, axis: null, timers: {},
    status: node.querySelector(".proxy-status") };
  panels.set(id, panel);
  const form = node.querySelector(".proxy-add-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const who = Object.fromEntries(["display_name", "organisation", "country"].map((f) => [f, form.elements[f].value]));
    const ack = await act("participant:enter", { session_id: id, ...who }, panel.status);
    if (!ack || !ack.ok) return;
    form.reset();
    panel.people = [...panel.people.filter((p) => p.id !== ack.participant.id), ack.participant];
    drawList(panel);
    panel.status.textContent = s("entered", { name: nameOf(ack.participant) });
    // the form folds away; the keyboard goes to the person just added
    node.querySelector(".proxy-add").open = false;
    node.querySelector(`[data-focus-key="p${ack.participant.id}"]`).focus();
  });
}

on("watch", () => {
  for (const panel of panels.values()) { loadList(panel); loadState(panel); }
});
const follow = (event, redraw) => on(event, (message) => {
  const panel = panels.get(message.session_id);
  if (panel && panel.chosen !== null) later(panel, "state", () => loadState(panel));
  if (panel && redraw) later(panel, "list", () => loadList(panel));
});
follow("session:phase");
follow("session:settings");
on("items:upserted", (message) => {  // what they may vote on changed
  const panel = panels.get(message.session_id);
  if (panel && panel.state && panel.state.phase === "voting") later(panel, "state", () => loadState(panel));
});
follow("participant:joined", true);
