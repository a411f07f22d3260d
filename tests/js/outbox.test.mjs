/* The outbox: changes kept until acknowledged, a bounded number in flight, backoff when
   the server is busy or silent, and exactly once after a reconnect. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Outbox, OUTBOX_IN_FLIGHT } from "../../static/js/feed.js";
import { FakeSocket, FakeStorage, FakeTimers, settle } from "./fakes.mjs";

const KEY = "outbox:1:2";

function setup({ storage = new FakeStorage(), random = () => 1 } = {}) {
  const timers = new FakeTimers();
  const socket = new FakeSocket(timers);
  const done = [];
  const pending = [];
  let counter = 0;
  const outbox = new Outbox(socket, {
    key: KEY, storage, timers, random,
    newId: () => `c${++counter}`,
    done: (item, ack) => done.push([item.id, ack]),
    pending: (count) => pending.push(count),
  });
  return { timers, socket, outbox, done, pending, storage };
}

/* A server that applies each client id once and acknowledges every request. */
function answerAll(socket, applied, ack = () => ({ ok: true })) {
  for (const request of [...socket.sent]) {
    const id = request.payload.client_id;
    if (!applied.includes(id)) applied.push(id);
    request.answer(ack(request));
  }
}

test("a change made offline is kept and sent on connect, then removed", async () => {
  const { socket, outbox, done, storage, pending } = setup();
  outbox.add("vote:cast", { client_id: "v1", item_id: 5, delta: 1 });
  assert.equal(socket.log.length, 0);
  assert.equal(JSON.parse(storage.getItem(KEY)).length, 1);
  socket.connect();
  assert.equal(socket.sent.length, 1);
  assert.deepEqual(socket.sent[0].payload, { client_id: "v1", item_id: 5, delta: 1 });
  socket.sent[0].answer({ ok: true, votes: {} });
  await settle();
  assert.deepEqual(done, [["c1", { ok: true, votes: {} }]]);
  assert.deepEqual(JSON.parse(storage.getItem(KEY)), []);
  assert.equal(pending.at(-1), 0);
});

test("a refused change is answered once and leaves the outbox", async () => {
  const { socket, outbox, done, storage } = setup();
  socket.connect();
  outbox.add("item:propose", { client_id: "p1", text: "" });
  const refusal = { ok: false, error: { code: "invalid", fields: { text: { code: "required" } } } };
  socket.sent[0].answer(refusal);
  await settle();
  assert.deepEqual(done, [["c1", refusal]]);
  assert.deepEqual(JSON.parse(storage.getItem(KEY)), []);
});

test("never more than the window in flight; the rest wait for acknowledgements", async () => {
  const { socket, outbox, done } = setup();
  for (let i = 0; i < 40; i += 1) outbox.add("vote:cast", { client_id: `v${i}`, item_id: 1, delta: 1 });
  socket.connect();
  assert.equal(socket.sent.length, OUTBOX_IN_FLIGHT);
  assert.ok(OUTBOX_IN_FLIGHT < 16, "a polling POST carries at most 16 packets");
  socket.sent[0].answer({ ok: true });
  await settle();
  assert.equal(socket.sent.length, OUTBOX_IN_FLIGHT, "one answered, the next one sent");
  const applied = [];
  while (socket.sent.length) {
    answerAll(socket, applied);
    await settle();
  }
  assert.equal(done.length, 40);
  assert.equal(socket.mostInFlight, OUTBOX_IN_FLIGHT);
  assert.deepEqual(socket.log.map((r) => r.payload.client_id), Array.from({ length: 40 }, (_, i) => `v${i}`));
});

test("busy answers back off 1, 2, 4, 8, 8 s, trying the oldest alone", async () => {
  const { socket, outbox, timers, done } = setup();
  for (let i = 0; i < 3; i += 1) outbox.add("vote:cast", { client_id: `v${i}`, item_id: 1, delta: 1 });
  socket.connect();
  assert.equal(socket.sent.length, 3);
  for (const request of [...socket.sent]) request.answer({ ok: false, error: { code: "busy" } });
  await settle();
  const waits = [];
  for (let round = 0; round < 5; round += 1) {
    assert.equal(socket.sent.length, 0, "nothing is sent during a pause");
    waits.push(timers.delays()[0]);
    await timers.advance(waits.at(-1));
    assert.equal(socket.sent.length, 1, "after a pause, the oldest change alone");
    assert.equal(socket.sent[0].payload.client_id, "v0");
    socket.sent[0].answer({ ok: false, error: { code: round % 2 ? "busy" : "server_error" } });
    await settle();
  }
  assert.deepEqual(waits.slice(1), [2000, 4000, 8000, 8000]);
  assert.equal(done.length, 0, "a busy answer is no answer: the changes stay");
  await timers.advance(timers.delays()[0]);
  socket.sent[0].answer({ ok: true });
  await settle();
  assert.equal(socket.sent.length, 2, "one accepted: the others go together");
  for (const request of [...socket.sent]) request.answer({ ok: true });
  await settle();
  assert.deepEqual(done.map(([id]) => id), ["c1", "c2", "c3"]);
  assert.equal(timers.delays().filter((d) => d > 1000).length, 0, "no pause left behind");
});

test("the pause is between half and all of its ceiling, at random", async () => {
  const { socket, outbox, timers } = setup({ random: () => 0 });
  outbox.add("vote:cast", { client_id: "v0", item_id: 1, delta: 1 });
  socket.connect();
  socket.sent[0].answer({ ok: false, error: { code: "busy" } });
  await settle();
  assert.deepEqual(timers.delays().filter((d) => d < 10000), [500]);
});

test("no answer in time is retried after a pause, not dropped", async () => {
  const { socket, outbox, timers, done } = setup();
  outbox.add("sdg:pick", { axis: "economy", sdg: 3, picked: true });
  socket.connect();
  await timers.advance(10000);
  assert.equal(socket.sent.length, 0);
  await timers.advance(1000);
  assert.equal(socket.sent.length, 1, "sent again after the pause");
  socket.sent[0].answer({ ok: true, picks: {}, limit: 3 });
  await settle();
  assert.equal(done.length, 1);
});

test("exactly once after a reconnect: resent with the same ids, answered once each", async () => {
  const { socket, outbox, done, storage } = setup();
  socket.connect();
  for (let i = 0; i < 12; i += 1) outbox.add("vote:cast", { client_id: `v${i}`, item_id: 1, delta: 1 });
  const applied = [];
  // the server applies the first window, but the connection drops before the answers come
  const lost = [...socket.sent];
  for (const request of lost) applied.push(request.payload.client_id);
  socket.disconnect();
  assert.equal(done.length, 0);
  socket.connect();
  assert.deepEqual(socket.sent.map((r) => r.payload.client_id), lost.map((r) => r.payload.client_id),
    "the same changes, with the same client ids, go again first");
  while (socket.sent.length) {
    answerAll(socket, applied);
    await settle();
  }
  assert.deepEqual(applied, Array.from({ length: 12 }, (_, i) => `v${i}`), "each applied once");
  assert.deepEqual(done.map(([id]) => id), Array.from({ length: 12 }, (_, i) => `c${i + 1}`));
  assert.deepEqual(JSON.parse(storage.getItem(KEY)), []);
  // an answer of the dropped connection that turns up late changes nothing
  lost[0].answer({ ok: true });
  await settle();
  assert.equal(done.length, 12);
});

test("a late timeout of the dropped connection does not pause the new one", async () => {
  const { socket, outbox, timers, done } = setup();
  socket.connect();
  outbox.add("vote:cast", { client_id: "v0", item_id: 1, delta: 1 });
  socket.disconnect();
  await timers.advance(5000);
  socket.connect();
  outbox.add("vote:cast", { client_id: "v1", item_id: 1, delta: 1 });
  assert.equal(socket.sent.length, 2);
  await timers.advance(5000); // the first connection's request times out now
  assert.equal(socket.sent.length, 2, "the new requests are still in flight");
  assert.equal(outbox.paused, null);
  for (const request of [...socket.sent]) request.answer({ ok: true });
  await settle();
  assert.equal(done.length, 2);
});

test("changes kept by an earlier page are sent by the next one", async () => {
  const storage = new FakeStorage();
  const first = setup({ storage });
  first.outbox.add("initiative:post", { client_id: "i1", title: "Bikes" });
  const again = setup({ storage });
  again.socket.connect();
  assert.deepEqual(again.socket.sent.map((r) => r.payload), [{ client_id: "i1", title: "Bikes" }]);
  again.socket.sent[0].answer({ ok: true, initiative: { id: 9 } });
  await settle();
  assert.equal(again.done.length, 1);
  assert.deepEqual(JSON.parse(storage.getItem(KEY)), []);
});

/* A refusal the same request would get again: answered once, never sent again. */
for (const refusal of [
  { ok: false, error: { code: "bad_request", message: "The request could not be understood." } },
  { ok: false, error: { code: "invalid", fields: { delta: { code: "invalid" } } } },
]) {
  test(`a change refused as ${refusal.error.code} is sent once, never again, not even after a reconnect`, async () => {
    const { socket, outbox, timers, done, storage } = setup();
    socket.connect();
    outbox.add("vote:cast", { client_id: "v0", item_id: 1, delta: 2 });
    outbox.add("vote:cast", { client_id: "v1", item_id: 1, delta: 1 });
    const [malformed, fine] = socket.sent;
    malformed.answer(refusal);
    await settle();
    assert.deepEqual(done, [["c1", refusal]], "the page is told, once");
    assert.deepEqual(JSON.parse(storage.getItem(KEY)).map((i) => i.id), ["c2"]);
    assert.equal(outbox.paused, null, "a final refusal is no reason to pause");
    socket.disconnect();
    await timers.advance(60000);
    socket.connect();
    assert.deepEqual(socket.sent.map((r) => r.payload.client_id), ["v1"], "only the other one goes again");
    fine.answer({ ok: true }); // the dropped connection's late answer
    socket.sent[0].answer({ ok: true });
    await settle();
    await timers.advance(60000);
    assert.equal(socket.log.filter((r) => r.payload.client_id === "v0").length, 1, "sent once");
    assert.deepEqual(done.map(([id]) => id), ["c1", "c2"]);
    assert.deepEqual(JSON.parse(storage.getItem(KEY)), []);
  });
}

test("only busy, rate_limited, server_error and silence are tried again", async () => {
  const codes = ["busy", "rate_limited", "server_error", "bad_request", "invalid", "unknown_event",
    "not_found", "forbidden", "phase_closed", "unauthorized", "no_dots_left", "a_code_yet_unknown"];
  const tried = {};
  for (const code of codes) {
    const { socket, outbox, timers, done } = setup();
    socket.connect();
    outbox.add("vote:cast", { client_id: "v0", item_id: 1, delta: 1 });
    socket.sent[0].answer({ ok: false, error: { code } });
    await settle();
    await timers.advance(10000);
    tried[code] = socket.log.length;
    assert.equal(done.length, tried[code] > 1 ? 0 : 1, code);
  }
  assert.deepEqual(tried, Object.fromEntries(codes.map((c) => [c, ["busy", "rate_limited", "server_error"].includes(c) ? 2 : 1])));
});
