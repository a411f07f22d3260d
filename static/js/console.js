/* The facilitator's console: one connection and one feed for the whole page, and a hub
   its parts subscribe to (phases and countdowns, counters, contributions, merging,
   participants entered by a facilitator, settings, results). Each part is its own module
   and imports `on`, `request` and `act` from here; none opens a connection of its own. */
import { connect, pageData, t } from "./live.js";
import { Feed, request as ask } from "./feed.js";

export const page = pageData();
export const socket = connect();
export const request = (event, payload) => ask(socket, event, payload);
const STATUS_MS = 6000; // how long "Saved." and other successes stay in a status line

/* Deltas numbered by their session's seq: applied in order, a gap asks for a snapshot. */
const SEQUENCED = new Set([
  "initiative:upserted",
  "initiative:withdrawn",
  "items:upserted",
  "session:phase",
  "session:settings",
]);
const listeners = new Map(); // event -> handlers
const dispatch = (event) => (message) => {
  for (const handler of listeners.get(event) || []) handler(message);
};
const feed = new Feed(socket, {
  fetch: (id, since) => request("session:snapshot", { session_id: id, since_seq: since }),
  onSnapshot: dispatch("snapshot"),
});

/* Call `handler(message)` for each `event`: "snapshot" for every session snapshot drawn
   (on watch and on resync), "watch" for the `workshop:watch` answer, sequenced deltas in
   their session's order, and any other socket event as it comes. */
export function on(event, handler) {
  if (!listeners.has(event)) {
    listeners.set(event, []);
    if (SEQUENCED.has(event)) feed.on(event, dispatch(event));
    else if (event !== "snapshot" && event !== "watch") socket.on(event, dispatch(event));
  }
  listeners.get(event).push(handler);
}

/* Send a facilitator event; the answer's error message (or `okText`, "saved" by default,
   cleared after a few seconds) goes to `statusNode`. Resolves with the ack, or null when
   offline. */
export async function act(event, payload, statusNode, okText) {
  try {
    const ack = await request(event, payload);
    const text = ack.ok ? okText || t("saved") : ack.error.message;
    statusNode.textContent = text;
    statusNode.classList.toggle("is-error", !ack.ok);
    /* a success is said, then leaves room (errors stay until the next action) */
    if (ack.ok) setTimeout(() => { if (statusNode.textContent === text) statusNode.textContent = ""; }, STATUS_MS);
    return ack;
  } catch (e) {
    statusNode.textContent = t("offline");
    return null;
  }
}

/* Follow the page's sessions and watch the workshop on every (re)connection. Parts call
   `start()` once, after subscribing (the dashboard's module does it last). */
export function start(sessionIds) {
  for (const id of sessionIds) feed.track(id);
  const watch = async () => {
    try {
      const ack = await request("workshop:watch", { workshop_id: page.workshop_id });
      if (!ack.ok) return;
      for (const board of ack.boards) feed.accept(board, true);
      dispatch("watch")(ack);
    } catch (e) {
      /* a reconnect watches again */
    }
  };
  socket.on("connect", watch);
  /* the parts' modules run one by one: the connection may already be up by now */
  if (socket.connected) watch();
}
