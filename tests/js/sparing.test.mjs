/* The console's polite announcements of the joined count: at most one per pause, the
   latest value when the pause is over, nothing for a value already said. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Sparing } from "../../static/js/sparing.js";
import { FakeTimers } from "./fakes.mjs";

function sparing(every = 15000) {
  const timers = new FakeTimers();
  const said = [];
  const clock = { setTimeout: (f, ms) => timers.setTimeout(f, ms), clearTimeout: (t) => timers.clearTimeout(t), now: () => timers.now };
  return { timers, said, value: new Sparing((v) => said.push(v), every, clock) };
}

test("the opening value is not announced, the first change is at once", () => {
  const { said, value } = sparing();
  value.start(4);
  assert.deepEqual(said, []);
  value.update(5);
  assert.deepEqual(said, [5]);
});

test("changes within the pause wait, and only the latest is said", async () => {
  const { timers, said, value } = sparing();
  value.start(0);
  value.update(1);
  for (let n = 2; n <= 40; n++) value.update(n); // a room joining at once
  assert.deepEqual(said, [1]);
  await timers.advance(14999);
  assert.deepEqual(said, [1]);
  await timers.advance(1);
  assert.deepEqual(said, [1, 40]);
  await timers.advance(60000);
  assert.deepEqual(said, [1, 40], "nothing more without a change");
});

test("a value back to what was said last is not said again", async () => {
  const { timers, said, value } = sparing();
  value.start(3);
  value.update(4);
  value.update(5);
  value.update(4);
  await timers.advance(20000);
  assert.deepEqual(said, [4]);
});

test("a reconnect starts again from what the console shows", async () => {
  const { timers, said, value } = sparing();
  value.start(1);
  value.update(2);
  value.update(3); // waits
  value.start(3); // the watch answer after a reconnect
  await timers.advance(20000);
  assert.deepEqual(said, [2]);
  value.update(4);
  assert.deepEqual(said, [2, 4]);
});

test("before any opening value, the first one is taken as it", () => {
  const { said, value } = sparing();
  value.update(7);
  value.update(8);
  assert.deepEqual(said, [8]);
});
