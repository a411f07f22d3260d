/* The feed: snapshots and seq-numbered deltas applied once and in order, deltas that
   arrive ahead held until the missing ones come, and a snapshot fetched after a gap. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Feed } from "../../static/js/feed.js";
import { FakeSocket, FakeTimers, settle } from "./fakes.mjs";

/* A feed following session 1 (and 2 when asked); `fetches` holds each snapshot request,
   answered by the test through its `answer`. */
function setup(sessions = [1]) {
  const socket = new FakeSocket(new FakeTimers());
  const drawn = [];
  const applied = [];
  const fetches = [];
  const feed = new Feed(socket, {
    fetch: (id, since) => new Promise((answer) => fetches.push({ id, since, answer })),
    onSnapshot: (snapshot) => drawn.push([snapshot.session_id, snapshot.seq]),
  });
  for (const id of sessions) feed.track(id);
  feed.on("session:phase", (m) => applied.push([m.session_id, m.seq]));
  feed.on("items:upserted", (m) => applied.push([m.session_id, m.seq, "items"]));
  const delta = (seq, session_id = 1, event = "session:phase") => socket.fire(event, { session_id, seq });
  return { socket, feed, drawn, applied, fetches, delta };
}

test("deltas that follow the snapshot are applied in order, each once", () => {
  const { feed, drawn, applied, fetches, delta } = setup();
  assert.equal(feed.accept({ ok: true, session_id: 1, seq: 4 }), true);
  delta(5);
  delta(6, 1, "items:upserted");
  delta(6);
  delta(5);
  delta(7);
  assert.deepEqual(drawn, [[1, 4]]);
  assert.deepEqual(applied, [[1, 5], [1, 6, "items"], [1, 7]]);
  assert.equal(fetches.length, 0, "a duplicate is no gap");
});

test("a delta that arrives ahead waits for the missing one", async () => {
  const { feed, applied, fetches, delta } = setup();
  feed.accept({ ok: true, session_id: 1, seq: 0 });
  delta(3);
  delta(2);
  assert.deepEqual(applied, []);
  assert.equal(fetches.length, 1, "one snapshot request for the gap");
  assert.deepEqual([fetches[0].id, fetches[0].since], [1, 0]);
  delta(1);
  assert.deepEqual(applied, [[1, 1], [1, 2], [1, 3]]);
  fetches[0].answer({ ok: true, session_id: 1, unchanged: true });
  await settle();
  delta(4);
  assert.deepEqual(applied.at(-1), [1, 4]);
  assert.equal(fetches.length, 1);
});

test("after a gap the snapshot is drawn and the held deltas that follow it applied", async () => {
  const { feed, drawn, applied, fetches, delta } = setup();
  feed.accept({ ok: true, session_id: 1, seq: 1 });
  delta(4);
  delta(5);
  delta(3);
  assert.equal(fetches.length, 1, "one request at a time");
  fetches[0].answer({ ok: true, session_id: 1, seq: 3 });
  await settle();
  assert.deepEqual(drawn, [[1, 1], [1, 3]]);
  assert.deepEqual(applied, [[1, 4], [1, 5]], "3 is in the snapshot; 4 and 5 follow it");
  delta(6);
  assert.deepEqual(applied.at(-1), [1, 6]);
});

test("a snapshot that covers the held deltas drops them", async () => {
  const { feed, applied, fetches, delta } = setup();
  feed.accept({ ok: true, session_id: 1, seq: 1 });
  delta(3);
  fetches[0].answer({ ok: true, session_id: 1, seq: 7 });
  await settle();
  assert.deepEqual(applied, []);
  delta(7);
  delta(8);
  assert.deepEqual(applied, [[1, 8]]);
});

test("when the snapshot still leaves a gap, the feed asks again", async () => {
  const { feed, applied, fetches, delta } = setup();
  feed.accept({ ok: true, session_id: 1, seq: 1 });
  delta(6);
  fetches[0].answer({ ok: true, session_id: 1, seq: 3 });
  await settle();
  assert.equal(fetches.length, 2);
  assert.equal(fetches[1].since, 3);
  fetches[1].answer({ ok: true, session_id: 1, seq: 5 });
  await settle();
  assert.deepEqual(applied, [[1, 6]]);
});

test("an older snapshot is not drawn, an equal one is, `replace` draws any", () => {
  const { feed, drawn } = setup();
  feed.accept({ ok: true, session_id: 1, seq: 5 });
  assert.equal(feed.accept({ ok: true, session_id: 1, seq: 4 }), false);
  assert.equal(feed.accept({ ok: true, session_id: 1, unchanged: true }), false);
  assert.equal(feed.accept({ ok: true, session_id: 1, seq: 5 }), true);
  assert.equal(feed.accept({ ok: true, session_id: 1, seq: 2 }, true), true);
  assert.deepEqual(drawn, [[1, 5], [1, 5], [1, 2]]);
  assert.equal(feed.seq(1), 2);
});

test("a delta before the first snapshot asks for one; a full resync asks for everything", async () => {
  const { feed, drawn, applied, fetches, delta } = setup();
  delta(3);
  assert.deepEqual([fetches[0].since], [-1]);
  fetches[0].answer({ ok: true, session_id: 1, seq: 2 });
  await settle();
  assert.deepEqual(applied, [[1, 3]]);
  feed.resync(1, true);
  assert.equal(fetches[1].since, null);
  fetches[1].answer({ ok: true, session_id: 1, seq: 3 });
  await settle();
  assert.deepEqual(drawn, [[1, 2], [1, 3]]);
});

test("a failed snapshot request leaves the feed ready to ask again", async () => {
  const socket = new FakeSocket(new FakeTimers());
  let calls = 0;
  const feed = new Feed(socket, {
    fetch: () => { calls += 1; return Promise.reject(new Error("timeout")); },
    onSnapshot: () => {},
  });
  feed.track(1);
  feed.on("session:phase", () => {});
  socket.fire("session:phase", { session_id: 1, seq: 2 });
  await settle();
  socket.fire("session:phase", { session_id: 1, seq: 3 });
  await settle();
  assert.equal(calls, 2);
});

test("sessions are ordered apart; a session not followed is ignored", () => {
  const { feed, applied, fetches, delta } = setup([1, 2]);
  feed.accept({ ok: true, session_id: 1, seq: 10 });
  feed.accept({ ok: true, session_id: 2, seq: 0 });
  delta(11, 1);
  delta(1, 2);
  delta(1, 3);
  delta(12, 1);
  assert.deepEqual(applied, [[1, 11], [2, 1], [1, 12]]);
  assert.equal(fetches.length, 0);
});

test("a page of one session names it for every message", () => {
  const socket = new FakeSocket(new FakeTimers());
  const applied = [];
  const feed = new Feed(socket, { fetch: () => new Promise(() => {}), onSnapshot: () => {}, sessionOf: () => 7 });
  feed.track(7);
  feed.accept({ ok: true, seq: 1 });
  feed.on("session:settings", (m) => applied.push(m.seq));
  socket.fire("session:settings", { seq: 2 });
  assert.deepEqual(applied, [2]);
  assert.equal(feed.seq(7), 2);
});
