/* The results drawer's rules: heat levels, one scope of a workshop's results, the order of
   a merged unit's texts. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { largest, level, orderTexts, scoped } from "../../static/js/results.js";

test("heat levels run from 0 (none) to 5 (the largest cell)", () => {
  assert.equal(level(0, 10), 0);
  assert.equal(level(3, 0), 0);
  assert.equal(level(1, 100), 1, "any count shows");
  assert.equal(level(50, 100), 3);
  assert.equal(level(100, 100), 5);
});

test("the largest cell of a matrix", () => {
  const taxonomy = { axes: [{ code: "a" }, { code: "b" }], sdgs: [{ number: 1 }, { number: 2 }] };
  assert.equal(largest({ a: { 1: 0, 2: 4 }, b: { 1: 7, 2: 0 } }, taxonomy), 7);
  assert.equal(largest({ a: { 1: 0, 2: 0 }, b: { 1: 0, 2: 0 } }, taxonomy), 0);
});

test("one scope of a workshop's results: combined or one session", () => {
  const results = {
    combined: { initiatives: 3 }, sessions: { 4: { initiatives: 1 } },
    rankings: { combined: { barrier: ["c"] }, sessions: { 4: { barrier: ["s"] } } },
    sdg_picks: { combined: "all picks", sessions: { 4: "session picks" } },
  };
  assert.deepEqual(scoped(results, "combined"),
    { tally: { initiatives: 3 }, rankings: { barrier: ["c"] }, sdg_picks: "all picks" });
  assert.deepEqual(scoped(results, "4"),
    { tally: { initiatives: 1 }, rankings: { barrier: ["s"] }, sdg_picks: "session picks" });
  assert.deepEqual(scoped(results, 4).sdg_picks, "session picks");
  assert.equal(scoped(results, "9"), null);
});

test("a merged unit's texts: the viewer's language first, then by item", () => {
  const texts = [
    { item_id: 3, lang: "es", text: "tres" }, { item_id: 1, lang: "fr", text: "un" },
    { item_id: 2, lang: "es", text: "dos" }, { item_id: 4, lang: "en", text: "four" },
  ];
  assert.deepEqual(orderTexts(texts, "es").map((x) => x.item_id), [2, 3, 1, 4]);
  assert.deepEqual(orderTexts(texts, "de").map((x) => x.item_id), [1, 2, 3, 4]);
  assert.equal(texts[0].item_id, 3, "the data is left as it was");
});
