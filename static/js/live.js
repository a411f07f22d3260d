/* Shared by every live page: the page's data and translated strings, safe element
   building, the socket connection with its status line, and a few drawing helpers. */

const parsed = new Map();

/* A JSON block of the page (`<script type="application/json" id=…>`), read once. */
function json(id) {
  if (!parsed.has(id)) parsed.set(id, JSON.parse(document.getElementById(id).textContent));
  return parsed.get(id);
}

/* The page's data: ids, taxonomy, locale and `limits` (maximum lengths by field). */
export function pageData() {
  return json("page-data");
}

export function t(key, params) {
  let text = json("i18n")[key] || key;
  for (const [name, value] of Object.entries(params || {})) {
    text = text.split(`%(${name})s`).join(String(value));
  }
  return text;
}

/* Build an element; text always goes in as text, never as markup. */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function newId() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  return Date.now().toString(36) + Math.random().toString(36).slice(2);
}

/* Announce a short summary to screen readers (polite, replaces the previous one; an
   empty `text` silences what was about to be said). */
export function announce(text) {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  window.clearTimeout(region.pending);
  if (text) region.pending = window.setTimeout(() => { region.textContent = text; }, 50);
}

/* The Socket.IO connection (the client is the classic script static/vendor/socket.io.min.js,
   loaded before the page's module), its state shown in the #connection line;
   `socket.showPending(count)` says how many changes wait in the outbox. */
export function connect(auth) {
  const socket = window.io("/live", { auth: auth || {}, transports: ["websocket", "polling"] });
  const status = document.getElementById("connection");
  const show = (state, text) => {
    if (!status) return;
    status.dataset.state = state;
    status.textContent = text;
  };
  socket.on("connect", () => show("online", t("online")));
  socket.on("disconnect", () => show("offline", t("offline")));
  socket.on("connect_error", () => show("offline", t("offline")));
  socket.io.on("reconnect_attempt", () => show("reconnecting", t("reconnecting")));
  socket.showPending = (count) => {
    if (count > 0 && socket.connected) show("pending", t("pending", { count }));
    else if (socket.connected) show("online", t("online"));
    else show("offline", t("offline"));
  };
  return socket;
}

/* Show the time left of a phase in `node`, from the server's end time and clock (or the
   seconds left of a paused countdown); at zero "Time is up", and that the phase is closed
   when the countdown closes it (`auto_close`). `node.dataset.state` says which: "running",
   "paused", "up" (none: no countdown). `onLastMinute` runs once when one minute is left,
   `onUp` once the time is up (the server refuses the phase's writes from then on). */
export function countdown(node, message, onLastMinute, onUp) {
  window.clearTimeout(node.countdownTimer);
  const endsAt = message.ends_at ? Date.parse(message.ends_at) : null;
  const offset = message.server_now ? Date.parse(message.server_now) - Date.now() : 0;
  const clock = (left) => `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  let warned = false;
  if (typeof message.paused_seconds === "number") {
    node.dataset.state = "paused";
    node.textContent = t("countdown_paused", { time: clock(message.paused_seconds) });
    return;
  }
  const tick = () => {
    if (!endsAt) { node.textContent = ""; delete node.dataset.state; return; }
    const left = Math.max(0, Math.round((endsAt - (Date.now() + offset)) / 1000));
    node.dataset.state = left > 0 ? "running" : "up";
    const up = message.auto_close ? t("time_up_closed") : t("time_up");
    node.textContent = left > 0 ? t("time_left", { time: clock(left) }) : up;
    if (left > 0 && left <= 60 && !warned && onLastMinute) { warned = true; onLastMinute(); }
    if (left > 0) node.countdownTimer = window.setTimeout(tick, 1000);
    else if (onUp) onUp();
  };
  tick();
}

/* Redraw `container` with `render` without losing a keyboard user's place: a focused
   control with a data-focus-key is focused again in the new content or, when that one is
   now disabled or gone, the first enabled control of the same data-focus-group. */
export function keepFocus(container, render) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.focusKey : undefined;
  const group = key ? active.dataset.focusGroup : undefined;
  render();
  if (!key) return;
  const enabled = (name, value) => [...container.querySelectorAll(`[data-${name}="${CSS.escape(value)}"]`)]
    .find((node) => !node.disabled);
  const again = enabled("focus-key", key) || (group ? enabled("focus-group", group) : undefined);
  if (again) again.focus();
}

/* "Name, organisation (country)" of a participant's author data. */
export function byline(author) {
  return t("by", { name: author.display_name, organisation: author.organisation, country: author.country });
}

/* Scroll as little as needed for `node` to be seen whole (a confirmation under the thumb). */
export function inView(node) {
  const box = node.getBoundingClientRect();
  if (box.top < 0 || box.bottom > window.innerHeight) node.scrollIntoView({ block: "nearest" });
}
