// Spans are UTF-8 byte offsets; the page works in UTF-16. Run: node --test web/test/
import assert from "node:assert/strict";
import { test } from "node:test";
import { byteToIndex, segments, utf8Length } from "../src/utf8.js";

const join = (segs) => segs.map((s) => s.text).join("");

test("byte offsets map to string indexes across 1-4 byte characters", () => {
  const t = "aé€😀b";  // 1 + 2 + 3 + 4 + 1 bytes; 😀 is two UTF-16 units
  assert.equal(utf8Length(t), 11);
  const at = byteToIndex(t);
  assert.equal(at[0], 0);
  assert.equal(at[1], 1);   // é
  assert.equal(at[3], 2);   // €
  assert.equal(at[6], 3);   // 😀
  assert.equal(at[10], 5);  // b
  assert.equal(at[11], 6);
  assert.equal(at[7], 3);   // inside 😀: its start, never half a surrogate pair
});

test("highlights land on the right words after multibyte text", () => {
  const doc = "Café owners in Zürich said: Iran’s army attacked Iraq.";
  const enc = new TextEncoder();
  const bytes = (s) => enc.encode(s).length;
  const sb = bytes("Café owners in Zürich said: ");
  const src = { begin: sb, end: sb + bytes("Iran’s army"), cls: "src" };
  const vb = src.end + 1;
  const verb = { begin: vb, end: vb + bytes("attacked"), cls: "verb" };
  const tgt = { begin: verb.end + 1, end: verb.end + 1 + bytes("Iraq"), cls: "tgt" };
  const segs = segments(doc, null, [tgt, src, verb]);
  assert.equal(join(segs), doc);
  const marked = segs.filter((s) => s.classes.length).map((s) => [s.text, s.classes.join()]);
  assert.deepEqual(marked, [["Iran’s army", "src"], ["attacked", "verb"], ["Iraq", "tgt"]]);
});

test("a range cuts the sentence out and spans are clipped to it", () => {
  const doc = "Ünïcode first. Second one here.";
  const start = new TextEncoder().encode("Ünïcode first. ").length;
  const end = new TextEncoder().encode(doc).length;
  const segs = segments(doc, { begin: start, end }, [{ begin: 0, end: start + 6, cls: "src" }]);
  assert.equal(join(segs), "Second one here.");
  assert.deepEqual(segs[0], { text: "Second", classes: ["src"] });
});

test("bad spans are ignored, never thrown on", () => {
  const doc = "short";
  const segs = segments(doc, { begin: 2, end: 999 }, [
    { begin: 4, end: 2, cls: "x" }, { begin: NaN, end: 3, cls: "y" }, { begin: 900, end: 950, cls: "z" },
  ]);
  assert.equal(join(segs), "ort");
  assert.ok(segs.every((s) => s.classes.length === 0));
});
