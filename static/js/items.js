/* Dynamic two on the participant page: propose barriers and enablers, then vote with dots. */
import { el, keepFocus, newId, t } from "./live.js";
import { unitTexts } from "./results.js";

export default function itemsPart() {
  const items = new Map();
  let votes = { dots_left: {}, units: {}, budget: { dots: 0, per_item: 0, separate: false } };
  let ctx = null;
  let form, listNode, dotsNode;

  /* Units are what people vote on: a merged group, or an item on its own. */
  function units() {
    const byKey = new Map();
    for (const item of [...items.values()].sort((a, b) => a.id - b.id)) {
      if (!byKey.has(item.unit)) byKey.set(item.unit, { key: item.unit, kind: item.kind, firstId: item.id, texts: [], ownItemId: null });
      const unit = byKey.get(item.unit);
      unit.texts.push({ item_id: item.id, text: item.text, lang: item.lang });
      if (item.session_id === ctx.pageData.session_id && unit.ownItemId === null) unit.ownItemId = item.id;
    }
    return [...byKey.values()].filter((u) => u.ownItemId !== null);
  }

  function pool(kind) { return votes.budget.separate ? kind : "all"; }

  function dotsLeftText() {
    const say = (n) => (n > 0 ? t("dots_left", { count: n }) : t("no_dots_left"));
    if (!votes.budget.separate) return say(votes.dots_left.all || 0);
    return ["barrier", "enabler"].map((k) => t("dots_left_kind", { kind: t(`${k}s`), left: say(votes.dots_left[k] || 0) })).join(" · ");
  }

  function voteButtons(unit) {
    const mine = votes.units[unit.key] || 0;
    const text = unit.texts[0].text;
    const focus = (what) => ({ "data-focus-key": `${unit.key}:${what}`, "data-focus-group": unit.key });
    const add = el("button", { type: "button", class: "primary dot-button", "aria-label": t("add_dot_to", { text }), ...focus("add") }, "+ ", t("add_dot"));
    add.disabled = (votes.dots_left[pool(unit.kind)] || 0) <= 0 || mine >= votes.budget.per_item;
    add.addEventListener("click", () => ctx.outbox.add("vote:cast", { client_id: newId(), item_id: unit.ownItemId, delta: 1 }));
    const remove = el("button", { type: "button", class: "dot-button", "aria-label": t("remove_dot_from", { text }), ...focus("remove") }, "− ", t("remove_dot"));
    remove.disabled = mine <= 0;
    remove.addEventListener("click", () => ctx.outbox.add("vote:cast", { client_id: newId(), item_id: unit.ownItemId, delta: -1 }));
    return el("div", { class: "vote-row" }, el("span", { class: "my-dots" }, t("my_dots", { count: mine })), add, remove);
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
          : el("p", { class: "empty" }, t("nothing_yet")));
    })));
    dotsNode.textContent = dotsLeftText();
  }

  function setVotes(next) { votes = next; draw(); }

  return {
    events: ["item:propose", "vote:cast"],
    init(context) {
      ctx = context;
      form = document.getElementById("item-form");
      listNode = document.getElementById("items");
      dotsNode = document.getElementById("dots-left");
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
        if (!ctx.socket.connected) ctx.status(t("queued"), false);
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
        }
        return;
      }
      if (ack.item) { items.set(ack.item.id, ack.item); ctx.status(t("proposed"), false); draw(); }
      if (ack.votes) setVotes(ack.votes);
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
    phase() { draw(); },
  };
}
