/* The results phase on the participant page, when the facilitator shows them. */
import { t } from "./live.js";
import { draw as drawResults } from "./results.js";

export default function participantResults() {
  let ctx = null;
  let latest = null;

  function draw() {
    const shown = ctx.state.settings && ctx.state.settings.results_to_participants && latest;
    document.getElementById("results-hidden").textContent = shown ? "" : t("results_hidden");
    document.getElementById("participant-results").hidden = !shown;
    if (shown) drawResults(latest, ctx.pageData.taxonomy, ctx.pageData.locale);
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
