/* The results phase on the participant page, when the facilitator shows them. */
"use strict";

SessionPage.register((() => {
  const { t } = Live;
  let ctx = null;
  let latest = null;

  function draw() {
    const shown = ctx.state.settings && ctx.state.settings.results_to_participants && latest;
    document.getElementById("results-hidden").textContent = shown ? "" : t("results_hidden");
    document.getElementById("participant-results").hidden = !shown;
    if (!shown) return;
    for (const kind of ["barrier", "enabler"]) {
      Results.ranking(document.getElementById(`ranking-${kind}`), latest.rankings[kind], ctx.pageData.locale);
    }
    Results.heatmap(document.getElementById("picks-table"), latest.sdg_picks, ctx.pageData.taxonomy, null);
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
})());
