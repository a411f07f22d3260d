/* The room screen (its entry module): no controls but full screen; the console drives it.
   One panel per session shown, each in its own phase with its own countdown; the whole
   workshop's screen shows one combined panel instead when the facilitator chose
   "combined" and every session is in the same phase (past the lobby). Nothing scrolls:
   lists show what fits and "and N more". Initiatives and items are drawn as the server
   sends them: without author data, no name or place. */
import { connect, el, pageData, t } from "./live.js";
import { Feed, request } from "./feed.js";
import { Paged } from "./board.js";
import { bars, fit, scoped, sdgHeatmap } from "./results.js";
import { bothTexts, setStatus, statusNote } from "./translated.js";

const page = pageData();
const tax = page.taxonomy;
const sdgs = new Map(tax.sdgs.map((s) => [s.number, s]));
const socket = connect();
const sessions = new Map(page.sessions.map((s) => [s.id, {
  ...s, board: new Paged(), items: new Map(), phase: null, clock: null, joined: 0, names: null, fresh: null,
}]));
let results = null;
let display = page.display;
const FRESH_MS = 5000;
const PAGE_MS = 15000; // the results phase turns its pages on its own

/* A phase's clock, read when its message arrives: the server's time then, so that every
   later redraw counts from the same offset (a snapshot's server_now goes stale). */
function clockOf(message) {
  const parse = (value) => (value ? Date.parse(value) : null);
  const now = Date.now();
  return {
    offset: message.server_now ? parse(message.server_now) - now : 0,
    startedAt: parse(message.started_at),
    endsAt: parse(message.ends_at),
    paused: typeof message.paused_seconds === "number" ? message.paused_seconds : null,
    autoClose: Boolean(message.auto_close),
  };
}

function follow(id, message) {
  const session = sessions.get(id);
  if (!session) return null;
  session.phase = message.phase;
  session.clock = clockOf(message);
  return session;
}

const feed = new Feed(socket, {
  fetch: (id, since) => request(socket, "session:snapshot", { session_id: id, since_seq: since }),
  onSnapshot(board) {
    const session = follow(board.session_id, board);
    if (!session) return;
    session.board.reset(board);
    if (board.items) session.items = new Map(board.items.map((i) => [i.id, i]));
    if (board.participants) {
      session.joined = board.participants.count;
      session.names = board.participants.names;
    }
    schedule();
  },
});

/* --- what is shown --------------------------------------------------------------------- */

function views() {
  const all = [...sessions.values()];
  if (page.session_id) return [{ key: String(page.session_id), sessions: all, scope: String(page.session_id) }];
  const phase = all[0] && all[0].phase;
  if (display.layout === "combined" && all.length > 1 && phase !== "lobby" && all.every((s) => s.phase === phase)) {
    return [{ key: "combined", sessions: all, scope: "combined", combined: true }];
  }
  return all.map((s) => ({ key: String(s.id), sessions: [s], scope: String(s.id), named: all.length > 1 }));
}

let pending = false;
function schedule() {
  if (pending) return;
  pending = true;
  window.requestAnimationFrame(() => { pending = false; draw(); });
}

function draw() {
  const host = document.getElementById("panels");
  const shown = views().filter((v) => v.sessions[0] && v.sessions[0].phase);
  const kept = new Map([...host.children].map((p) => [p.dataset.key, p]));
  const panels = shown.map((view) => {
    const panel = kept.get(view.key) || document.getElementById("panel-template").content.firstElementChild.cloneNode(true);
    panel.dataset.key = view.key;
    fill(panel, view);
    return panel;
  });
  host.replaceChildren(...panels);
  host.dataset.count = panels.length;
  translationNote(shown);
  for (const [panel, view] of panels.map((p, i) => [p, shown[i]])) fitAll(panel, view);
  tick();
}

function fill(panel, view) {
  const lead = view.sessions[0];
  const phase = lead.phase;
  const fresh = panel.dataset.phase !== phase;
  panel.dataset.phase = phase;
  panel.setAttribute("aria-label", view.combined ? t("combined") : lead.name);
  panel.querySelector(".phase-name").textContent = t(`phase_name_${phase}`);
  panel.querySelector(".scope").textContent = view.combined ? t("combined")
    : (view.named ? t("room_session", { name: lead.name }) : "");
  panel.querySelector(".instruction").textContent = t(`room_step_${phase}`);
  panel.clocks = view.sessions.filter((s) => s.clock && (s.clock.endsAt || s.clock.paused !== null));
  const stage = panel.querySelector(".stage");
  if (fresh) stage.replaceChildren();
  STAGES[phase](stage, view);
  const strip = panel.querySelector(".join-strip");
  const several = view.sessions.length > 1;
  strip.replaceChildren(...(phase === "lobby" || phase === "closed" ? [] : view.sessions.map((s) => joinSmall(s, several))));
}

/* "Machine translation is off" where one screen shows texts in another language than
   the room's (the combined panel, or a session in another language). */
function translationNote(shown) {
  let node = document.getElementById("translation-status");
  if (!node) {
    node = el("p", { id: "translation-status", class: "translation-status", hidden: true });
    document.getElementById("panels").after(node);
  }
  const mixed = shown.some((v) => v.sessions.some((s) => s.language !== page.locale) && v.sessions[0].phase !== "lobby");
  statusNote(node, mixed);
}
socket.on("translation:status", (message) => {
  setStatus(message);
  schedule();
});

/* --- join ---------------------------------------------------------------------------------- */

/* Under a panel of several sessions (combined), each code is named by its session, so
   that everyone scans the one of their own group. */
function joinSmall(s, named) {
  const joinAt = t("room_join_at", { host: page.join_host });
  return el("div", { class: "join-small" },
    el("img", { src: s.qr, alt: named ? `${s.name}: ${joinAt}` : joinAt, width: 96, height: 96 }),
    el("div", { class: "join-small-text" },
      named ? el("p", { class: "join-session", lang: s.language }, s.name) : null,
      el("p", {}, joinAt, " · ", t("room_code"), " ", el("strong", { class: "join-code-small" }, s.join_code)),
      el("p", { class: "joined" }, t("room_joined", { count: s.joined }))));
}

function lobby(stage, view) {
  const s = view.sessions[0];
  stage.replaceChildren(el("div", { class: "lobby" },
    el("img", { class: "qr-large", src: s.qr, width: 400, height: 400, alt: t("room_join_at", { host: page.join_host }) }),
    el("div", { class: "join-text" },
      el("p", { class: "join-at" }, t("room_join_at", { host: "" }), el("strong", {}, page.join_host)),
      el("p", { class: "code-label" }, t("room_code")),
      el("p", { class: "join-code" }, s.join_code),
      el("p", { class: "joined joined-large" }, t("room_joined", { count: s.joined })),
      s.names ? el("div", { class: "fit-box names-box" },
        el("ul", { class: "names" }, [...s.names].reverse().map((n) => el("li", {}, n)))) : null)));
}

/* --- initiatives: the wall ---------------------------------------------------------------- */

function badge(number) {
  const info = sdgs.get(number);
  return el("li", { class: `sdg-num sdg-${number}`, title: info ? info.name : "" }, number,
    info ? el("span", { class: "visually-hidden" }, ` ${info.name}`) : null);
}

function wall(stage, view) {
  const cards = view.sessions.flatMap((s) => [...s.board.items.values()].map((item) => ({ item, s })));
  const boxes = tax.axes.map((axis) => {
    const mine = cards.filter((c) => c.item.axis === axis.code).sort((a, b) => b.item.created_at.localeCompare(a.item.created_at) || b.item.id - a.item.id);
    const count = view.sessions.reduce((sum, s) => {
      const onBoard = [...s.board.items.values()].filter((i) => i.axis === axis.code).length;
      return sum + (s.board.axes && s.board.axes[axis.code] !== undefined ? Math.max(s.board.axes[axis.code], onBoard) : onBoard);
    }, 0);
    return el("section", { class: "axis-box", "data-axis": axis.code },
      el("h3", {}, axis.name, " ", el("span", { class: "count" }, count)),
      el("div", { class: "fit-box" }, el("ul", { class: "wall" }, mine.map(({ item, s }) => {
        const author = item.author;
        return el("li", { class: `card${s.fresh === `i${item.id}` ? " fresh" : ""}`, "data-id": item.id },
          ...bothTexts("p", "card-title", item, "title", s.language),
          author ? el("p", { class: "card-place", lang: s.language }, `${author.organisation}, ${author.country}`) : null,
          el("ul", { class: "sdg-badges", "aria-label": t("sdgs_label") }, item.sdgs.map(badge)));
      }))));
  });
  stage.replaceChildren(el("div", { class: "wall-grid" }, boxes));
}

/* --- barriers and enablers: proposing, then ranked --------------------------------------- */

/* One line per unit: items merged into a group (also across sessions, whose snapshots each
   carry the group) show once, in the words of the panel's own session where it has them. */
function oneEach(entries) {
  const units = new Map();
  for (const entry of entries) {
    const held = units.get(entry.i.unit);
    const own = entry.i.session_id === entry.s.id;
    if (!held || (own && held.i.session_id !== held.s.id)) units.set(entry.i.unit, entry);
  }
  return [...units.values()];
}

function proposing(stage, view) {
  const columns = ["barrier", "enabler"].map((kind) => {
    const list = oneEach(view.sessions.flatMap((s) => [...s.items.values()].filter((i) => i.kind === kind && !i.hidden).map((i) => ({ i, s }))))
      .sort((a, b) => b.i.created_at.localeCompare(a.i.created_at) || b.i.id - a.i.id);
    return el("section", { class: `kind-column kind-${kind}` },
      el("h3", {}, t(`${kind}s`), " ", el("span", { class: "count" }, list.length)),
      el("div", { class: "fit-box" }, el("ul", { class: "proposals" }, list.map(({ i, s }) =>
        el("li", { class: s.fresh === `t${i.id}` ? "fresh" : "", "data-id": i.id },
          bothTexts("span", "proposal-text", i, "text", i.lang))))));
  });
  stage.replaceChildren(el("div", { class: "kinds" }, columns));
}

function participation(view) {
  const parts = results && results.participation;
  if (!parts) return null;
  const chosen = view.sessions.map((s) => parts[String(s.id)]).filter(Boolean);
  const participants = chosen.reduce((n, p) => n + p.participants, 0);
  const notVoted = chosen.reduce((n, p) => n + p.not_voted, 0);
  return { participants, not_voted: notVoted, voted: participants - notVoted };
}

function hiddenNote(view) {
  const counts = participation(view);
  return el("div", { class: "hidden-results" },
    el("p", { class: "big-note" }, t("room_results_hidden")),
    counts ? el("p", { class: "voted" }, t("room_voted", counts)) : null);
}

/* Where a merged unit's dots come from, on the combined panel: "Room en 2 · Room es 1". */
function origins(view, kind) {
  if (!view.combined || !results) return null;
  return (unit) => {
    const parts = view.sessions.map((s) => {
      const found = (results.rankings.sessions[String(s.id)] || {})[kind] || [];
      const mine = found.find((u) => u.key === unit.key);
      return mine ? `${s.name} ${mine.dots}` : null;
    }).filter(Boolean);
    return parts.length > 1 ? t("room_from", { parts: parts.join(" · ") }) : "";
  };
}

function ranked(stage, view) {
  const data = results && scoped(results, view.scope);
  if (!data) return;
  if (!display.results_shown) {
    stage.replaceChildren(hiddenNote(view));
    return;
  }
  let grid = stage.querySelector(":scope > .ranked");
  if (!grid) {
    grid = el("div", { class: "ranked" },
      ["barrier", "enabler"].map((kind) => el("section", { class: `kind-column kind-${kind}`, "data-kind": kind },
        el("h3", {}, t(`${kind}s`)), el("div", { class: "fit-box" }))),
      el("p", { class: "voted" }));
    stage.replaceChildren(grid);
  }
  for (const kind of ["barrier", "enabler"]) {
    const box = grid.querySelector(`[data-kind="${kind}"] .fit-box`);
    if (data.rankings[kind].length) bars(box, data.rankings[kind], { lang: page.locale, note: origins(view, kind) });
    else box.replaceChildren(el("p", { class: "empty" }, t("nothing_yet")));
  }
  const counts = view.sessions[0].phase === "voting" && participation(view);
  grid.querySelector(".voted").textContent = counts ? t("room_voted", counts) : "";
}

function picks(stage, view) {
  const data = results && scoped(results, view.scope);
  if (!data) return;
  if (!display.results_shown) {
    stage.replaceChildren(hiddenNote(view));
    return;
  }
  stage.replaceChildren(el("div", { class: "heat-page" }));
  sdgHeatmap(stage.firstChild, data.sdg_picks.matrix || data.sdg_picks, tax, page.captions.picks, t("room_legend"));
}

function matrix(stage, view) {
  const data = results && scoped(results, view.scope);
  if (!data || !data.tally) return;
  stage.replaceChildren(el("div", { class: "heat-page" }));
  sdgHeatmap(stage.firstChild, data.tally.matrix, tax, page.captions.matrix, t("room_legend_initiatives"));
}

/* The results phase turns its pages on its own: rankings, SDGs per axis, axis x SDG. */
function resultPages(stage, view) {
  const turn = Math.floor(Date.now() / PAGE_MS) % 3;
  if (stage.dataset.turn !== String(turn)) stage.replaceChildren();
  stage.dataset.turn = turn;
  [ranked, picks, matrix][turn](stage, view);
}

function closed(stage, view) {
  const data = results && scoped(results, view.scope);
  const counts = participation(view);
  const places = results && results.places && (view.scope === "combined" ? results.places.combined : results.places.sessions[view.scope]);
  const units = data ? [...data.rankings.barrier, ...data.rankings.enabler] : [];
  const figures = [
    ["room_participants", counts ? counts.participants : view.sessions.reduce((n, s) => n + s.joined, 0)],
    ["room_places", places ? places.places : null],
    ["room_countries", places ? places.countries : null],
    ["room_initiatives", data && data.tally ? data.tally.initiatives : null],
    ["room_items", data ? units.length : null],
    ["room_dots", data ? units.reduce((n, u) => n + u.dots, 0) : null],
  ].filter(([, value]) => value !== null);
  stage.replaceChildren(el("div", { class: "thanks" },
    el("p", { class: "thanks-line" }, t("room_thanks")),
    el("dl", { class: "figures" }, figures.map(([key, value]) =>
      el("div", {}, el("dt", {}, t(key)), el("dd", {}, Number(value).toLocaleString(page.locale)))))));
}

const STAGES = {
  lobby, initiatives: wall, proposing, voting: ranked, sdg_picks: picks, results: resultPages, closed,
};

/* Show what fits of every list of a panel, "and N more" for the rest. */
function fitAll(panel) {
  for (const box of panel.querySelectorAll(".fit-box")) {
    const list = box.querySelector("ul, ol");
    if (list) fit(box, list);
  }
}

/* --- the clocks ------------------------------------------------------------------------ */

/* What one session's countdown says now, and how much of it is left (0 to 1). */
function countdown(clock) {
  const now = Date.now() + clock.offset;
  const paused = clock.paused !== null;
  const left = paused ? clock.paused : Math.max(0, Math.round((clock.endsAt - now) / 1000));
  const time = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  const up = clock.autoClose ? t("time_up_closed") : t("time_up");
  const span = clock.startedAt ? clock.endsAt - clock.startedAt : 0;
  return {
    text: paused ? t("countdown_paused", { time }) : (left > 0 ? t("time_left", { time }) : up),
    state: paused ? "paused" : left === 0 ? "up" : (left <= 60 ? "last" : "running"),
    share: paused ? null : (span > 0 ? Math.min(1, Math.max(0, (clock.endsAt - now) / span)) : 0),
  };
}

/* Countdowns started together (within two seconds of each other, both running or both
   paused, closing alike) read as one; a second apart they would flicker between one line
   and two as each rounds its seconds. */
function alike(clocks) {
  const [a] = clocks;
  const near = (x, y, slack) => (x === null || y === null ? x === y : Math.abs(x - y) <= slack);
  return clocks.every((b) => b.autoClose === a.autoClose
    && near(a.paused, b.paused, 2) && near(a.endsAt, b.endsAt, 2000));
}

/* One countdown per panel; a combined panel whose sessions' countdowns differ shows each
   on its own line, named and coloured by its own state, without the progress bar. */
function tick() {
  for (const panel of document.querySelectorAll("#panels .panel")) {
    const box = panel.querySelector(".clock");
    const clocks = (panel.clocks || []).map((s) => ({ name: s.name, lang: s.language, ...countdown(s.clock) }));
    box.hidden = !clocks.length;
    if (!clocks.length) continue;
    const several = !alike(panel.clocks.map((s) => s.clock));
    const timer = box.querySelector(".timer");
    const key = clocks.map((c) => `${c.name}\n${c.text}`).join("\n");
    if (!several && timer.textContent !== clocks[0].text) timer.textContent = clocks[0].text;
    if (several && timer.dataset.key !== key) {
      timer.replaceChildren(...clocks.map((c) => el("span", { class: "timer-line", "data-state": c.state },
        el("span", { class: "timer-name", lang: c.lang }, c.name), " ", c.text)));
    }
    timer.dataset.key = several ? key : "";
    box.dataset.several = several;
    if (several) { // each line its own colour; one bar could not say whose it is
      box.dataset.state = "several";
      continue;
    }
    box.dataset.state = clocks[0].state;
    if (clocks[0].share !== null) box.querySelector(".progress-fill").style.setProperty("--share", clocks[0].share.toFixed(4));
  }
}
window.setInterval(tick, 250);
/* the results phase turns a page, a newcomer stops being new */
window.setInterval(() => {
  if ([...sessions.values()].some((s) => s.phase === "results")) schedule();
}, PAGE_MS / 3);

function arrived(session, key) {
  session.fresh = key;
  window.clearTimeout(session.freshTimer);
  session.freshTimer = window.setTimeout(() => { session.fresh = null; schedule(); }, FRESH_MS);
}

/* --- the room screen's own controls: full screen (button or F), the idle cursor ---------- */

const fullscreen = document.getElementById("fullscreen");
function toggleFullscreen() {
  if (document.fullscreenElement) document.exitFullscreen();
  else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
}
fullscreen.addEventListener("click", toggleFullscreen);
document.addEventListener("keydown", (event) => {
  if ((event.key === "f" || event.key === "F") && !event.ctrlKey && !event.metaKey && !event.altKey) toggleFullscreen();
});
let idle;
function awake() {
  document.body.classList.remove("idle");
  window.clearTimeout(idle);
  idle = window.setTimeout(() => document.body.classList.add("idle"), 3000);
}
for (const name of ["mousemove", "mousedown", "keydown", "touchstart"]) document.addEventListener(name, awake, { passive: true });
awake();
window.addEventListener("resize", schedule);

/* --- the live feed ------------------------------------------------------------------------ */

socket.on("connect", async () => {
  try {
    const ack = await request(socket, "workshop:watch", { workshop_id: page.workshop_id, view: "projector" });
    if (!ack.ok) return;
    results = ack.results;
    if (ack.projector) display = ack.projector;
    for (const board of ack.boards) if (sessions.has(board.session_id)) feed.accept(board, true);
    schedule();
  } catch (e) { /* reconnect retries */ }
});
feed.on("initiative:upserted", (m) => {
  const session = sessions.get(m.session_id);
  if (!session) return;
  const known = session.board.items.has(m.initiative.id);
  if (session.board.upsert(m.initiative, m)) {
    if (!known) arrived(session, `i${m.initiative.id}`);
    schedule();
  }
});
feed.on("initiative:withdrawn", (m) => {
  const session = sessions.get(m.session_id);
  if (session) { session.board.withdraw(m.id, m); schedule(); }
});
feed.on("items:upserted", (m) => {
  const session = sessions.get(m.session_id);
  if (!session) return;
  for (const item of m.items) {
    if (!session.items.has(item.id) && !item.hidden) arrived(session, `t${item.id}`);
    session.items.set(item.id, item);
  }
  schedule();
});
feed.on("session:phase", (m) => { if (follow(m.session_id, m)) schedule(); });
feed.on("session:settings", () => {});
socket.on("participant:joined", (m) => {
  const session = sessions.get(m.session_id);
  if (!session) return;
  session.joined = m.participants;
  if (m.name && session.names) session.names = [...session.names, m.name].slice(-100);
  schedule();
});
socket.on("projector:display", (m) => {
  display = m;
  document.body.dataset.layout = m.layout;
  schedule();
});
socket.on("workshop:results", (m) => { results = m; schedule(); });
