/* A participant's page follows two kinds of sessions on one socket: its own (session.js's
   Feed) and the workshop's other sessions, whose initiative deltas also arrive (the
   "other groups" section's Feed). Neither disturbs the other's seq; a gap in another
   session's seq fetches the other boards, never the own session's snapshot. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Feed } from "../../static/js/feed.js";
import { FakeSocket, FakeTimers, settle } from "./fakes.mjs";

const OWN = 1;

function setup() {
  const socket = new FakeSocket(new FakeTimers());
  const fetched = { own: [], others: [] };
  const applied = { own: [], others: [] };
  /* as session.js: a message without session_id is the page's own session's */
  const own = new Feed(socket, {
    fetch: (id) => new Promise((answer) => fetched.own.push({ id, answer })),
    onSnapshot: () => {},
    sessionOf: (m) => (m.session_id === undefined ? OWN : m.session_id),
  });
  own.track(OWN);
  /* as other_boards.js: every session but the own one, tracked from its first delta */
  const others = new Feed(socket, {
    fetch: (id) => new Promise((answer) => fetched.others.push({ id, answer })),
    onSnapshot: () => {},
  });
  socket.on("initiative:upserted", (m) => { if (m.session_id !== OWN) others.track(m.session_id); });
  own.on("initiative:upserted", (m) => applied.own.push([m.session_id, m.seq]));
  others.on("initiative:upserted", (m) => applied.others.push([m.session_id, m.seq]));
  const delta = (session_id, seq) => socket.fire("initiative:upserted", { session_id, seq });
  return { own, others, fetched, applied, delta };
}

test("other sessions' deltas leave the own session's seq alone", () => {
  const { own, others, fetched, applied, delta } = setup();
  own.accept({ session_id: OWN, seq: 10 });
  others.accept({ session_id: 2, seq: 3 });
  delta(2, 4);
  delta(OWN, 11);
  delta(2, 5);
  delta(OWN, 12);
  assert.deepEqual(applied.own, [[OWN, 11], [OWN, 12]]);
  assert.deepEqual(applied.others, [[2, 4], [2, 5]]);
  assert.equal(own.seq(OWN), 12);
  assert.equal(others.seq(2), 5);
  assert.equal(others.seq(OWN), -1, "the own session is never followed as another's");
  assert.deepEqual([fetched.own.length, fetched.others.length], [0, 0]);
});

test("a gap in another session's seq fetches the other boards only", async () => {
  const { own, others, fetched, applied, delta } = setup();
  own.accept({ session_id: OWN, seq: 10 });
  others.accept({ session_id: 2, seq: 3 });
  delta(2, 7); // its phase and items moved its seq meanwhile
  assert.deepEqual(applied.others, []);
  assert.deepEqual(fetched.others.map((f) => f.id), [2]);
  assert.equal(fetched.own.length, 0);
  fetched.others[0].answer({ ok: true, session_id: 2, seq: 7 });
  await settle();
  assert.equal(others.seq(2), 7);
  delta(2, 8);
  assert.deepEqual(applied.others, [[2, 8]]);
  delta(OWN, 11);
  assert.deepEqual(applied.own, [[OWN, 11]]);
});

test("a session the page did not know is followed from its first delta", () => {
  const { others, fetched, delta } = setup();
  delta(3, 5);
  assert.equal(others.seq(3), -1);
  assert.deepEqual(fetched.others.map((f) => f.id), [3]);
});
