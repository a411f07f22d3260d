/* The run view's "Results" tab of each session: its initiatives, rankings and SDG picks,
   live from `workshop:watch` and `workshop:results`. */
import { on, page } from "./console.js";
import { draw, scoped } from "./results.js";

let results = null;

function drawAll() {
  if (!results) return;
  for (const panel of document.querySelectorAll(".run-results")) {
    const id = Number(panel.closest("[data-session-id]").dataset.sessionId);
    const view = scoped(results, id);
    if (view) draw(view, page.taxonomy, page.locale, panel);
  }
}

on("watch", (ack) => { results = ack.results; drawAll(); });
on("workshop:results", (message) => { results = message; drawAll(); });
