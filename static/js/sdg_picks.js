/* Participants pick the main SDGs of each axis, up to the workshop's limit per axis: one
   axis at a time ("Axis 2 of 6", 17 SDG tiles), then a review of every axis where each can
   be changed. Each pick is saved as it is made and confirmed under the tiles. */
import { el, t } from "./live.js";

export default function sdgPicks() {
  let ctx = null;
  let picks = {};
  let limit = 3;
  let step = 0;
  let steps, back, next, status, review;

  const axes = () => ctx.pageData.taxonomy.axes;
  const sdgName = (n) => (ctx.pageData.taxonomy.sdgs.find((s) => s.number === n) || {}).name || "";
  const axisName = (code) => (axes().find((a) => a.code === code) || {}).name || code;

  function countText(size) {
    return size >= limit ? t("chosen_full", { count: size, limit }) : t("chosen_of", { count: size, limit });
  }

  function drawReview() {
    review.replaceChildren(...axes().map((axis, index) => {
      const chosen = [...(picks[axis.code] || [])].sort((a, b) => a - b);
      const change = el("button", { type: "button", class: "review-change", "aria-describedby": `review-${axis.code}` }, t("change"));
      change.addEventListener("click", () => show(index, true));
      return el("li", { "data-axis": axis.code },
        el("h4", { id: `review-${axis.code}` }, axis.name),
        chosen.length
          ? el("ul", { class: "badges", "aria-label": t("sdgs_label") }, chosen.map((n) =>
              el("li", { class: `badge sdg-${n}` }, t("sdg", { number: n }), el("span", { class: "badge-name" }, ` ${sdgName(n)}`))))
          : el("p", { class: "empty" }, t("none_chosen")),
        change);
    }));
  }

  function draw() {
    for (const fieldset of document.querySelectorAll(".axis-picks")) {
      const chosen = new Set(picks[fieldset.dataset.axis] || []);
      for (const box of fieldset.querySelectorAll('input[type="checkbox"]')) {
        box.checked = chosen.has(Number(box.value));
        box.closest(".sdg-tile").classList.toggle("is-chosen", box.checked);
      }
      fieldset.classList.toggle("is-full", chosen.size >= limit);
      fieldset.querySelector(".pick-count").textContent = countText(chosen.size);
    }
    document.getElementById("picks-hint").textContent = t("picks_hint", { limit, total: axes().length });
    drawReview();
  }

  /* Show step `index` (an axis, or the review after the last one); `focus` moves the focus
     there, as the step buttons do. */
  function show(index, focus) {
    step = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach((node, i) => { node.hidden = i !== step; });
    const reviewing = step === steps.length - 1;
    back.disabled = step === 0;
    next.hidden = reviewing;
    next.textContent = step === steps.length - 2 ? t("review_choices") : t("next_axis");
    status.textContent = "";
    if (!focus) return;
    const target = reviewing ? steps[step].querySelector("h3") : steps[step].querySelector("input");
    target.focus();
    if (!reviewing) steps[step].scrollIntoView({ block: "start" });
  }

  function toggle(box) {
    const axis = box.closest(".axis-picks").dataset.axis;
    const sdg = Number(box.value);
    const current = new Set(picks[axis] || []);
    if (box.checked && current.size >= limit) {
      box.checked = false;
      ctx.confirm(status, t("chosen_full", { count: current.size, limit }), true);
      return;
    }
    if (box.checked) current.add(sdg); else current.delete(sdg);
    picks = { ...picks, [axis]: [...current] };
    draw();
    const said = box.checked ? "sdg_chosen" : "sdg_unchosen";
    ctx.confirm(status, `${t(said, { sdg: `${sdg} ${sdgName(sdg)}`, axis: axisName(axis) })} ${countText(current.size)}`);
    ctx.outbox.add("sdg:pick", { axis, sdg, picked: box.checked });
  }

  return {
    events: ["sdg:pick"],
    init(context) {
      ctx = context;
      steps = [...document.querySelectorAll(".stepper [data-step]")];
      back = document.getElementById("step-back");
      next = document.getElementById("step-next");
      status = document.getElementById("picks-status");
      review = document.getElementById("picks-review-list");
      for (const box of document.querySelectorAll(".axis-picks input[type=checkbox]")) {
        box.addEventListener("change", () => toggle(box));
      }
      back.addEventListener("click", () => show(step - 1, true));
      next.addEventListener("click", () => show(step + 1, true));
      ctx.socket.on("sdg:mine", (mine) => { picks = mine.picks; limit = mine.limit; draw(); });
      show(0, false);
    },
    done(item, ack) {
      if (ack.error) {
        ctx.confirm(status, ack.error.message, true);
        ctx.resync(true);
        return;
      }
      limit = ack.limit;
      // later picks still on their way: the server's answer is older than the screen
      if (ctx.outbox.items().some((waiting) => waiting.event === "sdg:pick")) return;
      picks = ack.picks;
      draw();
    },
    snapshot(snapshot) { picks = snapshot.picks; limit = snapshot.settings.sdg_limit; draw(); },
    settings(settings) { limit = settings.sdg_limit; draw(); },
  };
}
