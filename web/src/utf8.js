// Byte offsets (what dyad's spans are: UTF-8, half-open [begin, end) into the document's
// text) to pieces of a JavaScript string (UTF-16). An offset that falls inside a character is
// moved to that character's start, so a bad span can never split a surrogate pair.

// Returns an array `at` with at[b] = the UTF-16 index of byte offset b, for every b from 0 to
// the byte length (inclusive).
export function byteToIndex(text) {
  const at = [];
  let i = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < n; k++) at.push(i);  // bytes inside a character map to its start
    i += ch.length;
  }
  at.push(i);
  return at;
}

export function utf8Length(text) {
  return byteToIndex(text).length - 1;
}

// Cuts text[range] into segments, each with the classes of the spans that cover it.
//   text:  the document's text (a JS string)
//   range: {begin, end} in bytes (e.g. the sentence), or null for the whole text
//   spans: [{begin, end, cls}] in bytes; empty, reversed or out-of-range spans are ignored
// Returns [{text, classes: [cls...]}], in order, joining back into text[range].
export function segments(text, range, spans) {
  const at = byteToIndex(text);
  const nbytes = at.length - 1;
  const clamp = (b) => Math.max(0, Math.min(nbytes, b | 0));
  const lo = range ? clamp(range.begin) : 0;
  const hi = range ? Math.max(lo, clamp(range.end)) : nbytes;
  const good = (spans || []).filter(
    (s) => s && Number.isFinite(s.begin) && Number.isFinite(s.end) && s.end > s.begin &&
      s.end > lo && s.begin < hi);
  const cuts = new Set([lo, hi]);
  for (const s of good) {
    cuts.add(Math.max(lo, clamp(s.begin)));
    cuts.add(Math.min(hi, clamp(s.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const b = points[k], e = points[k + 1];
    const piece = text.slice(at[b], at[e]);
    if (!piece) continue;
    const classes = good.filter((s) => s.begin <= b && s.end >= e).map((s) => s.cls);
    const last = out[out.length - 1];
    if (last && last.classes.join(" ") === classes.join(" ")) last.text += piece;
    else out.push({ text: piece, classes });
  }
  return out;
}
