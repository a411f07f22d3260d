/* Dynamic two on the participant page: propose barriers and enablers, then vote with dots.
   The budget and each item's dots are drawn as dots; an "add" button that cannot be used
   says why; a proposal confirms under its button, a dot beside the item it went to. */
import { announce, el, inView, keepFocus, newId, t } from "./live.js";
import { unitTexts } from "./results.js";

/* `filled` dots of `total`, drawn (the numbers are said in text next to them). */
function dotRow(filled, total) {
  const dots = [];
  for (let i = 0; i < total; i += 1) dots.push(el("span", { class: i < filled ? "dot is-filled" : "dot" }));
  return dots;
}

export default function itemsPart() {
  const items = new Map();
  let votes = { dots_left: {}, units: {}, budget: { dots: 0, per_item: 0, separate: false } };
  let ctx = null;
  let form, listNode, dotsNode, budgetNode, formStatus;
  let notice = null; // { key, text, error } said beside the unit last voted on

  /* Units are what people vote on: a merged group, or an item on its own. */
  function units() {
    const byKey = new Map();
    for (const item of [...items.values()].sort((a, b) => a.id - b.id)) {
      if (!byKey.has(item.unit)) byKey.set(item.unit, { key: item.unit, kind: item.kind, firstId: item.id, texts: [], ownItemId: null });
      const unit = byKey.get(item.unit);
      unit.texts.push({ item_id: item.id, text: item.text, lang: item.lang, translations: item.translations });
      if (item.session_id === ctx.pageData.session_id && unit.ownItemId === null) unit.ownItemId = item.id;
    }
    return [...byKey.values()].filter((u) => u.ownItemId !== null);
  }

  function pool(kind) { return votes.budget.separate ? kind : "all"; }

  function left(kind) { return votes.dots_left[pool(kind)] || 0; }

  function say(n) { return n > 0 ? t("dots_left", { count: n }) : t("no_dots_left"); }

  function dotsLeftText() {
    if (!votes.budget.separate) return say(votes.dots_left.all || 0);
    return ["barrier", "enabler"].map((k) => t("dots_left_kind", { kind: t(`${k}s`), left: say(votes.dots_left[k] || 0) })).join(" · ");
  }

  function drawBudget() {
    dotsNode.textContent = dotsLeftText();
    const pools = votes.budget.separate ? ["barrier", "enabler"] : ["all"];
    budgetNode.replaceChildren(...pools.map((p) => {
      const n = votes.dots_left[p] || 0;
      return el("span", { class: "dot-pool" }, dotRow(n, votes.budget.dots));
    }));
  }

  /* Why "add a dot" cannot be used now, or null. */
  function reason(unit, mine) {
    if (ctx.state.timeUp) return t("reason_time_up");
    if (left(unit.kind) <= 0) return t("reason_no_dots");
    if (mine >= votes.budget.per_item) return t("reason_item_limit", { count: votes.budget.per_item });
    return null;
  }

  function vote(unit, delta) {
    const text = unit.texts[0].text;
    notice = { key: unit.key, text: "", error: false, delta, title: text };
    ctx.outbox.add("vote:cast", { client_id: newId(), item_id: unit.ownItemId, delta });
  }

  function voteButtons(unit) {
    const mine = votes.units[unit.key] || 0;
    const text = unit.texts[0].text;
    const focus = (what) => ({ "data-focus-key": `${unit.key}:${what}`, "data-focus-group": unit.key });
    const why = reason(unit, mine);
    const whyId = `why-${unit.key}`;
    const add = el("button", { type: "button", class: "primary dot-button", "aria-label": t("add_dot_to", { text }),
      "aria-describedby": why ? whyId : null, ...focus("add") }, "+ ", t("add_dot"));
    add.disabled = Boolean(why);
    add.addEventListener("click", () => vote(unit, 1));
    const remove = el("button", { type: "button", class: "dot-button", "aria-label": t("remove_dot_from", { text }), ...focus("remove") }, "− ", t("remove_dot"));
    remove.disabled = mine <= 0 || Boolean(ctx.state.timeUp);
    remove.addEventListener("click", () => vote(unit, -1));
    const said = notice && notice.key === unit.key && notice.text
      ? el("p", { class: notice.error ? "action-status is-error" : "action-status" }, notice.text) : null;
    return el("div", { class: "vote-box" },
      el("div", { class: "vote-row" },
        el("span", { class: "my-dots" }, t("my_dots", { count: mine })),
        el("span", { class: "dot-row", "aria-hidden": "true" }, dotRow(mine, votes.budget.per_item))),
      el("div", { class: "vote-row" }, add, remove),
      why ? el("p", { class: "dot-reason", id: whyId }, why) : null,
      said);
  }

  function draw() {
    const voting = ctx.state.phase === "voting";
    const all = units();
    keepFocus(listNode, () => listNode.replaceChildren(...["barrier", "enabler"].map((kind) => {
      const list = all.filter((u) => u.kind === kind);
      return el("section", { class: "kind-column", "data-kind": kind },
        el("h3", {}, t(`${kind}s`), " ", el("span", { class: "count" }, `(${list.length})`)),
        list.length
          ? el("ul", { class: "units" }, list.map((u) => el("li", { class: "unit", "data-unit": u.key },
              unitTexts(u.texts, ctx.pageData.locale), voting ? voteButtons(u) : null)))
          : el("p", { class: "empty" }, t(ctx.state.phase === "proposing" ? "items_empty" : "nothing_yet")));
    })));
    drawBudget();
    const said = notice && notice.text && listNode.querySelector(".unit .action-status");
    if (said) inView(said);
  }

  function setVotes(next) { votes = next; draw(); }

  return {
    events: ["item:propose", "vote:cast"],
    init(context) {
      ctx = context;
      form = document.getElementById("item-form");
      listNode = document.getElementById("items");
      dotsNode = document.getElementById("dots-left");
      budgetNode = document.getElementById("dots-budget");
      formStatus = document.getElementById("item-status");
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const text = form.elements.text.value.trim();
        const kind = (form.querySelector('input[name="kind"]:checked') || {}).value || "";
        const errors = { text: text ? "" : t("required_title"), kind: kind ? "" : t("required_kind") };
        document.getElementById("f-text-error").textContent = errors.text;
        document.getElementById("f-kind-error").textContent = errors.kind;
        if (errors.text || errors.kind) { form.querySelector(errors.text ? "#f-text" : 'input[name="kind"]').focus(); return; }
        ctx.outbox.add("item:propose", { client_id: newId(), text, kind, axis: form.elements.axis.value || null });
        form.reset();
        ctx.confirm(formStatus, ctx.socket.connected ? t("sending") : t("queued"));
      });
      ctx.onDelta("items:upserted", (message) => {
        for (const item of message.items) {
          if (item.hidden) items.delete(item.id);
          else items.set(item.id, item);
        }
        draw();
      });
      ctx.socket.on("vote:mine", setVotes);
    },
    done(item, ack) {
      if (ack.error) {
        if (item.event === "item:propose") {
          form.elements.text.value = item.payload.text;
          const fields = ack.error.fields || {};
          document.getElementById("f-text-error").textContent = fields.text ? fields.text.message : "";
          ctx.confirm(formStatus, ack.error.message, true);
        } else if (notice) {
          notice = { ...notice, text: ack.error.message, error: true };
          draw();
          announce(notice.text);
        }
        return;
      }
      if (ack.item) { items.set(ack.item.id, ack.item); draw(); ctx.confirm(formStatus, t("proposed")); }
      if (ack.votes) {
        // a later dot still on its way: keep what the screen shows until its answer
        if (!ctx.outbox.items().some((waiting) => waiting.event === "vote:cast")) votes = ack.votes;
        if (notice) {
          const key = notice.delta > 0 ? "dot_placed" : "dot_taken_back";
          const unit = units().find((u) => u.key === notice.key);
          const after = unit ? ack.votes.dots_left[pool(unit.kind)] || 0 : 0;
          notice = { ...notice, error: false, text: t(key, { text: notice.title, left: say(after) }) };
          announce(notice.text);
        }
        draw();
      }
    },
    snapshot(snapshot) {
      items.clear();
      for (const item of snapshot.items) items.set(item.id, item);
      votes = snapshot.votes;
    },
    settings(settings) {
      const pools = settings.budget.separate ? ["barrier", "enabler"] : ["all"];
      const left = Object.fromEntries(pools.map((p) => [p, settings.budget.dots]));
      votes = { ...votes, budget: settings.budget, dots_left: left };
      for (const unit of units()) left[pool(unit.kind)] -= votes.units[unit.key] || 0;
      draw();
    },
    phase() { notice = null; draw(); },
    timeUp() { draw(); }, // the dot buttons say why they are off
  };
}
