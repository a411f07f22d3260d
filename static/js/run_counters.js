/* A session's live counters on the console (templates/facilitator/_run_counters.html):
   drawn from the `workshop:watch` answer, then from each `session:counters` message.
   Screen readers hear the joined count only, politely and at most every ANNOUNCE_EVERY
   milliseconds (the latest count once the pause is over), never votes or posts. */
import { on } from "./console.js";

const ANNOUNCE_EVERY = 15000;
const panels = new Map(); // session id -> {node, joined, announced, at, timer}

for (const node of document.querySelectorAll(".run-counters")) {
  panels.set(Number(node.dataset.sessionId), { node, joined: null, announced: null, at: 0, timer: null });
}

function draw(panel, counters) {
  for (const cell of panel.node.querySelectorAll("[data-counter]")) {
    const value = counters[cell.dataset.counter];
    const text = value === null || value === undefined ? "–" : String(value);
    if (cell.textContent !== text) cell.textContent = text;
  }
}

function announce(panel) {
  panel.timer = null;
  if (panel.joined === panel.announced) return;
  panel.announced = panel.joined;
  panel.at = Date.now();
  const region = panel.node.querySelector(".counters-announcer");
  region.textContent = panel.node.dataset.joinedText.replace("{count}", String(panel.joined));
}

function joinedChanged(panel) {
  if (panel.timer) return; // the latest count goes out when the pause is over
  const wait = panel.at + ANNOUNCE_EVERY - Date.now();
  if (wait <= 0) announce(panel);
  else panel.timer = window.setTimeout(() => announce(panel), wait);
}

function show(counters, first) {
  const panel = panels.get(counters.session_id);
  if (!panel) return;
  draw(panel, counters);
  if (first || panel.announced === null) {
    panel.announced = counters.joined; // what the console opened with is not news
  }
  panel.joined = counters.joined;
  if (panel.joined !== panel.announced) joinedChanged(panel);
}

on("watch", (ack) => {
  for (const counters of Object.values(ack.counters || {})) show(counters, true);
});
on("session:counters", (message) => show(message, false));
