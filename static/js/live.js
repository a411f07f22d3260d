/* Shared by every live page: translated strings, safe element building, the socket
   connection with its status line, acknowledged requests and the offline outbox. */
"use strict";

const Live = (() => {
  const strings = JSON.parse(document.getElementById("i18n").textContent);
  const pageData = JSON.parse(document.getElementById("page-data").textContent);

  function t(key, params) {
    let text = strings[key] || key;
    for (const [name, value] of Object.entries(params || {})) {
      text = text.split(`%(${name})s`).join(String(value));
    }
    return text;
  }

  /* Build an element; text always goes in as text, never as markup. */
  function el(tag, attrs, ...children) {
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

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  /* Announce a short summary to screen readers (polite, replaces the previous one). */
  function announce(text) {
    const region = document.getElementById("announcer");
    if (!region) return;
    region.textContent = "";
    window.setTimeout(() => { region.textContent = text; }, 50);
  }

  function connect(auth) {
    const socket = io("/live", { auth: auth || {}, transports: ["websocket", "polling"] });
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

  /* Emit with an acknowledgement; resolves with the ack, rejects on timeout. */
  function request(socket, event, payload, timeout) {
    return socket.timeout(timeout || 10000).emitWithAck(event, payload);
  }

  /* Changes kept in localStorage until the server acknowledges them; sent again,
     with the same ids, after every reconnect. */
  class Outbox {
    constructor(socket, key, handlers) {
      this.socket = socket;
      this.key = key;
      this.handlers = handlers;
      this.inflight = new Set();
      this.backoff = 0; // `busy` or `server_error` answers in a row
      this.paused = null; // a timer while the whole outbox waits before trying again
      socket.on("connect", () => this.flush());
    }
    items() {
      try { return JSON.parse(localStorage.getItem(this.key)) || []; } catch (e) { return []; }
    }
    save(items) {
      localStorage.setItem(this.key, JSON.stringify(items));
      this.socket.showPending(items.length);
    }
    add(event, payload) {
      const item = { id: newId(), event, payload };
      this.save([...this.items(), item]);
      this.send(item);
      return item;
    }
    remove(id) {
      this.save(this.items().filter((i) => i.id !== id));
    }
    flush() {
      for (const item of this.items()) this.send(item);
      this.socket.showPending(this.items().length);
    }
    async send(item) {
      if (!this.socket.connected || this.paused || this.inflight.has(item.id)) return;
      if (!this.items().some((i) => i.id === item.id)) return; // answered meanwhile
      this.inflight.add(item.id);
      let ack;
      try {
        ack = await request(this.socket, item.event, item.payload);
      } catch (e) {
        this.inflight.delete(item.id);
        if (this.socket.connected) window.setTimeout(() => this.send(item), 2000);
        return;
      }
      this.inflight.delete(item.id);
      const code = ack && ack.error && ack.error.code;
      if (code === "busy" || code === "server_error") {
        this.pause();
        return;
      }
      this.backoff = 0;
      this.remove(item.id);
      this.handlers.done(item, ack);
      if (this.items().length) this.flush(); // what a pause held back
    }
    /* The server turned a change away: hold the whole outbox for a growing delay (1, 2, 4,
       then 8 s at most), each time between half and all of it at random, so that the phones
       a busy server turned away do not all come back at the same instant; then try the
       oldest change alone, and the others once one is accepted. All stay in the outbox. */
    pause() {
      if (this.paused) return; // another answer of the same wave
      const ceiling = Math.min(8000, 1000 * 2 ** this.backoff);
      this.backoff += 1;
      this.paused = window.setTimeout(() => {
        this.paused = null;
        const oldest = this.items()[0];
        if (oldest) this.send(oldest);
      }, ceiling / 2 + Math.random() * (ceiling / 2));
    }
  }

  /* Show the time left of a phase in `node`, from the server's end time and clock;
     `onLastMinute` runs once when one minute is left. */
  function countdown(node, message, onLastMinute) {
    window.clearTimeout(node.countdownTimer);
    const endsAt = message.ends_at ? Date.parse(message.ends_at) : null;
    const offset = message.server_now ? Date.parse(message.server_now) - Date.now() : 0;
    let warned = false;
    const tick = () => {
      if (!endsAt) { node.textContent = ""; return; }
      const left = Math.max(0, Math.round((endsAt - (Date.now() + offset)) / 1000));
      const time = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
      node.textContent = left > 0 ? t("time_left", { time }) : t("time_up");
      if (left > 0 && left <= 60 && !warned && onLastMinute) { warned = true; onLastMinute(); }
      if (left > 0) node.countdownTimer = window.setTimeout(tick, 1000);
    };
    tick();
  }

  /* Redraw `container` with `render` without losing a keyboard user's place: a focused
     control with a data-focus-key is focused again in the new content or, when that one is
     now disabled or gone, the first enabled control of the same data-focus-group. */
  function keepFocus(container, render) {
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
  function byline(author) {
    return t("by", { name: author.display_name, organisation: author.organisation, country: author.country });
  }

  /* For pages that follow several sessions (dashboard, projector): the session of
     `sessions` (a Map id -> {seq, …}) that a seq-numbered delta is the next one for, its
     `seq` advanced; null when it was applied already, or after a gap, which calls
     `resync(session)` to fetch a snapshot instead. */
  function inOrder(sessions, message, resync) {
    const session = sessions.get(message.session_id);
    if (!session || message.seq <= session.seq) return null;
    if (message.seq !== session.seq + 1) { resync(session); return null; }
    session.seq = message.seq;
    return session;
  }

  return { t, el, newId, announce, byline, connect, request, countdown, keepFocus, inOrder, Outbox, pageData };
})();
