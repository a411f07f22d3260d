/* The results phase on the participant page, when the facilitator shows them: the
   rankings, and the SDGs chosen for each axis as short labelled bars that fit a phone
   (the room screen and the console draw the full axis x SDG heatmap). */
import { el, t } from "./live.js";
import { ranking } from "./results.js";

/* Per axis, the SDGs that were chosen, most chosen first, each with its count. */
function picksByAxis(container, picks, taxonomy) {
  const max = Math.max(1, ...taxonomy.axes.flatMap((a) => taxonomy.sdgs.map((s) => picks.matrix[a.code][s.number] || 0)));
  container.replaceChildren(...taxonomy.axes.map((axis) => {
    const chosen = taxonomy.sdgs
      .map((s) => ({ sdg: s, count: picks.matrix[axis.code][s.number] || 0 }))
      .filter((x) => x.count > 0)
      .sort((a, b) => b.count - a.count || a.sdg.number - b.sdg.number);
    return el("section", { class: "axis-result", "data-axis": axis.code },
      el("h4", {}, axis.name),
      chosen.length
        ? el("ol", { class: "pick-bars" }, chosen.map(({ sdg, count }) => {
            const fill = el("span", { class: `bar-fill sdg-${sdg.number}` });
            fill.style.width = `${Math.round((count / max) * 100)}%`;
            return el("li", { "data-sdg": sdg.number },
              el("span", { class: "bar-label" },
                el("span", { class: `badge sdg-${sdg.number}` }, sdg.number), " ", sdg.name),
              el("span", { class: "bar-track", "aria-hidden": "true" }, fill),
              el("span", { class: "bar-count" }, t("chosen_by", { count })));
          }))
        : el("p", { class: "empty" }, t("nothing_yet")));
  }));
}

export default function participantResults() {
  let ctx = null;
  let latest = null;

  function draw() {
    const shown = ctx.state.settings && ctx.state.settings.results_to_participants && latest;
    document.getElementById("results-hidden").textContent = shown ? "" : t("results_hidden");
    document.getElementById("participant-results").hidden = !shown;
    if (!shown) return;
    for (const kind of ["barrier", "enabler"]) {
      ranking(document.getElementById(`ranking-${kind}`), latest.rankings[kind], ctx.pageData.locale);
    }
    const picks = document.getElementById("picks-results");
    picks.parentElement.hidden = ctx.state.phase === "voting"; // the SDGs come after the vote
    picksByAxis(picks, latest.sdg_picks, ctx.pageData.taxonomy);
  }

  return {
    events: [],
    init(context) {
      ctx = context;
      ctx.socket.on("session:results", (message) => { latest = message; draw(); });
    },
    snapshot(snapshot) { latest = snapshot.results; },
    settings() { draw(); },
    phase() { draw(); },
  };
}
