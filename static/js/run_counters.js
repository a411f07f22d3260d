/* A session's live counters on the console (templates/facilitator/_run_counters.html):
   drawn from the `workshop:watch` answer, then from each `session:counters` message.
   Screen readers hear the joined count only, politely and at most every ANNOUNCE_EVERY
   milliseconds (sparing.js), never votes or posts. */
import { on } from "./console.js";
import { Sparing } from "./sparing.js";

const ANNOUNCE_EVERY = 15000;
const panels = new Map(); // session id -> {node, joined: Sparing}

for (const node of document.querySelectorAll(".run-counters")) {
  const region = node.querySelector(".counters-announcer");
  const say = (count) => { region.textContent = node.dataset.joinedText.replace("{count}", String(count)); };
  panels.set(Number(node.dataset.sessionId), { node, joined: new Sparing(say, ANNOUNCE_EVERY) });
}

function draw(panel, counters) {
  for (const cell of panel.node.querySelectorAll("[data-counter]")) {
    const value = counters[cell.dataset.counter];
    const text = value === null || value === undefined ? "–" : String(value);
    if (cell.textContent !== text) cell.textContent = text;
  }
}

function show(counters, opening) {
  const panel = panels.get(counters.session_id);
  if (!panel) return;
  draw(panel, counters);
  if (opening) panel.joined.start(counters.joined);
  else panel.joined.update(counters.joined);
}

on("watch", (ack) => {
  for (const counters of Object.values(ack.counters || {})) show(counters, true);
});
on("session:counters", (message) => show(message, false));
