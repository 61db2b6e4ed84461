// The dyad dashboard: a single page whose state is in the URL hash, so every view can be
// linked to and reloaded:
//   #/?filters            overview: the time series and the world map
//   #/events?filters      the event table, paged on the server
//   #/event/<id>          one event: its sentence with the actors and verb highlighted,
//                         its document, provenance and the coder's explain trace
//   #/code                paste text and code it on the spot (nothing is stored)
// Every piece of data goes into the page as text (d3's .text / textContent), never as HTML.
import { select } from "d3-selection";
import { get, post } from "./api.js";
import { drawSeries, QUAD_COLORS, QUAD_NAMES } from "./chart.js";
import { countryName } from "./countries.js";
import { drawMap } from "./map.js";
import { segments } from "./utf8.js";

const FILTERS = ["actor", "source", "target", "code", "quad_class", "from", "to", "text", "one_a_day"];
const PAGE = 50;
const view = select("#view");
let cameo = new Map();  // code -> {name, quad_class, goldstein}

function parseHash() {
  const h = location.hash.replace(/^#/, "") || "/";
  const [path, qs] = h.split("?");
  return { path, params: new URLSearchParams(qs || "") };
}

function filtersFrom(params) {
  const f = {};
  for (const k of FILTERS) if (params.get(k)) f[k] = params.get(k);
  return f;
}

function hashFor(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "" && v !== null) q.set(k, v);
  const s = q.toString();
  return `#${path}${s ? "?" + s : ""}`;
}

function go(path, params) {
  location.hash = hashFor(path, params);
}

// The filter form mirrors the URL; submitting it changes the URL.
const form = document.getElementById("filters");
function fillForm(f) {
  for (const k of FILTERS) {
    const el = form.elements[k];
    if (el.type === "checkbox") el.checked = !!f[k];
    else el.value = f[k] || "";
  }
}
function readForm() {
  const f = {};
  for (const k of FILTERS) {
    const el = form.elements[k];
    if (el.type === "checkbox") {
      if (el.checked) f[k] = "1";
    } else if (el.value.trim()) {
      f[k] = ["actor", "source", "target"].includes(k) ? el.value.trim().toUpperCase() : el.value.trim();
    }
  }
  return f;
}
form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  const { path, params } = parseHash();
  const keep = {};
  for (const k of ["by", "group"]) if (params.get(k)) keep[k] = params.get(k);
  go(path === "/events" ? "/events" : "/", { ...keep, ...readForm() });
});
document.getElementById("clear").addEventListener("click", () => {
  const { path } = parseHash();
  go(path === "/events" ? "/events" : "/", {});
});

function showError(where, err) {
  select(where).append("p").attr("class", "error").text(`Error: ${err.message}`);
}

function codeLabel(code) {
  const c = cameo.get(code);
  return c ? `${code} ${c.name}` : code;
}

// ---------------------------------------------------------------- overview
async function overview(params) {
  const f = filtersFrom(params);
  const by = params.get("by") || "week";
  const dyad = !!(f.source && f.target);
  const group = params.get("group") || (dyad ? "none" : "quad_class");
  view.selectAll("*").remove();
  const head = view.append("section").attr("class", "card");
  const bar = head.append("div").attr("class", "bar");
  bar.append("h2").text(dyad ? `Events ${f.source} → ${f.target}` : "Events over time");
  const sel = (name, value, options) => {
    const s = bar.append("label").text(name + " ").append("select").attr("name", name.toLowerCase());
    s.selectAll("option").data(options).join("option").attr("value", (o) => o[0]).text((o) => o[1])
      .property("selected", (o) => o[0] === value);
    return s;
  };
  sel("By", by, [["day", "day"], ["week", "week"], ["month", "month"]])
    .on("change", function () { go("/", { ...f, by: this.value, group }); });
  sel("Group", group, [["quad_class", "QuadClass"], ["none", "total"], ["dyad", "top dyads"]])
    .on("change", function () { go("/", { ...f, by, group: this.value }); });
  bar.append("span").attr("class", "hint")
    .text("Set Source and Target to follow one dyad; click a point for its events.");
  const chart = head.append("div").attr("id", "series").attr("class", "chart-box");
  const mapCard = view.append("section").attr("class", "card");
  mapCard.append("h2").text("Events by country (source or target)");
  const mapRow = mapCard.append("div").attr("class", "map-row");
  const mapBox = mapRow.append("div").attr("id", "map").attr("class", "map-box");
  const side = mapRow.append("div").attr("class", "side");

  const pick = (period, key) => {
    const range = periodRange(period, by);
    const next = { ...f, from: range.from, to: range.to };
    if (group === "quad_class" && key) next.quad_class = key;
    if (group === "dyad" && key && key.includes(">")) {
      const [s, t] = key.split(">");
      next.source = s;
      next.target = t;
    }
    go("/events", next);
  };
  try {
    const s = await get("series", { ...f, by, group });
    const lines = [];
    const byKey = new Map();
    const periods = allPeriods(s.buckets.map((b) => b.period).filter((p) => p), by);
    for (const b of s.buckets) {
      if (!b.period) continue;  // undated events have no place on a time axis
      const key = b.key === undefined || b.key === null ? "all" : String(b.key);
      if (!byKey.has(key)) byKey.set(key, []);
      byKey.get(key).push({ period: b.period, count: b.count });
    }
    for (const [key, sparse] of byKey) {
      // Periods without events are zeros, not gaps the line jumps over.
      const have = new Map(sparse.map((p) => [p.period, p.count]));
      const points = periods.map((p) => ({ period: p, count: have.get(p) || 0 }));
      let label = key === "all" ? "All events" : key;
      let color;
      if (group === "quad_class") {
        label = `${key} ${QUAD_NAMES[key] || ""}`;
        color = QUAD_COLORS[key];
      } else if (group === "dyad") {
        label = key.replace(">", " → ");
      }
      lines.push({ key, label, color, points });
    }
    lines.sort((a, b) => (a.key < b.key ? -1 : 1));
    drawSeries(chart.node(), lines, { onPick: pick });
  } catch (err) {
    showError(chart.node(), err);
  }
  try {
    const c = await get("countries", f);
    drawMap(mapBox.node(), c.countries, { onPick: (code) => go("/events", { ...f, actor: code }) });
    side.append("h3").text("Top countries");
    const t = side.append("table").attr("class", "compact");
    const rows = t.append("tbody").selectAll("tr").data(c.countries.slice(0, 15)).join("tr")
      .on("click", (_, r) => go("/events", { ...f, actor: r.code }));
    rows.append("td").append("code").text((r) => r.code);
    rows.append("td").text((r) => countryName(r.code));
    rows.append("td").attr("class", "num").text((r) => r.count.toLocaleString("en"));
    if (!c.countries.length) side.append("p").attr("class", "empty").text("No events.");
  } catch (err) {
    showError(mapBox.node(), err);
  }
}

// Every bucket start from the first to the last of `starts` (YYYY-MM-DD), by day, week
// (the server's weeks start on Monday) or month. At most 20000.
function allPeriods(starts, by) {
  if (!starts.length) return [];
  const sorted = [...starts].sort();
  const d = new Date(sorted[0] + "T00:00:00Z"), end = new Date(sorted[sorted.length - 1] + "T00:00:00Z");
  const out = [];
  while (d <= end && out.length < 20000) {
    out.push(d.toISOString().slice(0, 10));
    if (by === "month") d.setUTCMonth(d.getUTCMonth() + 1);
    else d.setUTCDate(d.getUTCDate() + (by === "week" ? 7 : 1));
  }
  return out;
}

// The dates a period bucket covers ("2026-03-02" for a week starting then).
function periodRange(period, by) {
  const d = new Date(period + "T00:00:00Z");
  const end = new Date(d);
  if (by === "week") end.setUTCDate(end.getUTCDate() + 6);
  else if (by === "month") {
    end.setUTCMonth(end.getUTCMonth() + 1);
    end.setUTCDate(0);
  }
  const iso = (x) => x.toISOString().slice(0, 10);
  return { from: iso(d), to: iso(end) };
}

// ---------------------------------------------------------------- event table
async function events(params) {
  const f = filtersFrom(params);
  const offset = Math.max(0, parseInt(params.get("offset") || "0", 10) || 0);
  view.selectAll("*").remove();
  const card = view.append("section").attr("class", "card");
  const bar = card.append("div").attr("class", "bar");
  bar.append("h2").text("Events");
  const info = bar.append("span").attr("class", "hint");
  const box = card.append("div");
  try {
    const r = await get("events", { ...f, limit: PAGE, offset, count: 1 });
    const n = r.events.length;
    info.text(n ? `${offset + 1}–${offset + n}${r.total !== undefined ? " of " + r.total.toLocaleString("en") : ""}` : "");
    if (!n) {
      box.append("p").attr("class", "empty").text("No events match these filters.");
    } else {
      const t = box.append("table").attr("class", "events");
      const cols = ["Date", "Source", "Event", "Target", "Class", "Goldstein", "Sentence"];
      if (f.one_a_day) cols.push("Reports");
      t.append("thead").append("tr").selectAll("th").data(cols).join("th").text((c) => c);
      const tr = t.append("tbody").selectAll("tr").data(r.events).join("tr")
        .attr("class", "row").attr("data-id", (e) => e.id)
        .on("click", (_, e) => go(`/event/${e.id}`, {}));
      tr.append("td").attr("class", "nowrap").text((e) => e.date);
      tr.append("td").append("code").text((e) => e.source || "—");
      tr.append("td").attr("title", (e) => codeLabel(e.code)).text((e) => codeLabel(e.code));
      tr.append("td").append("code").text((e) => e.target || "—");
      tr.append("td").append("span").attr("class", (e) => `qc qc${e.quad_class}`).text((e) => e.quad_class);
      tr.append("td").attr("class", "num").text((e) => Number(e.goldstein).toFixed(1));
      tr.append("td").attr("class", "sentence").text((e) => e.text);
      if (f.one_a_day) tr.append("td").attr("class", "num").text((e) => e.reports);
    }
    const pager = card.append("div").attr("class", "pager");
    pager.append("button").text("← Previous").property("disabled", offset === 0)
      .on("click", () => go("/events", { ...f, offset: Math.max(0, offset - PAGE) || "" }));
    pager.append("button").text("Next →").property("disabled", !r.has_more)
      .on("click", () => go("/events", { ...f, offset: offset + PAGE }));
  } catch (err) {
    showError(box.node(), err);
  }
}

// Renders text[range] with the spans highlighted: spans = {source, target, verb}, each
// [begin, end] in UTF-8 bytes of `text` (see utf8.js), or null.
function highlighted(parent, text, range, spans) {
  const list = [];
  for (const [key, cls] of [["source", "src"], ["target", "tgt"], ["verb", "verb"]]) {
    const s = spans[key];
    if (s) list.push({ begin: s[0], end: s[1], cls });
  }
  const p = parent.append("p").attr("class", "hl");
  for (const seg of segments(text, range, list)) {
    if (seg.classes.length) p.append("mark").attr("class", seg.classes.join(" ")).text(seg.text);
    else p.append("span").text(seg.text);
  }
  return p;
}

function kv(parent, rows) {
  const t = parent.append("table").attr("class", "kv");
  const tr = t.append("tbody").selectAll("tr").data(rows.filter((r) => r[1] !== undefined && r[1] !== ""))
    .join("tr");
  tr.append("th").text((r) => r[0]);
  tr.append("td").text((r) => r[1]);
  return t;
}

// ---------------------------------------------------------------- one event
async function eventPage(id) {
  view.selectAll("*").remove();
  const card = view.append("section").attr("class", "card event");
  try {
    const r = await get(`events/${encodeURIComponent(id)}`);
    const e = r.event, d = r.document || {};
    card.append("h2").text(`${e.source || "—"} → ${e.target || "—"}: ${codeLabel(e.code)}`);
    const legend = card.append("div").attr("class", "legend");
    legend.append("mark").attr("class", "src").text(`source ${e.source_text || ""}`);
    legend.append("mark").attr("class", "verb").text(`verb ${e.verb_text || ""}`);
    legend.append("mark").attr("class", "tgt").text(`target ${e.target_text || ""}`);
    highlighted(card, r.sentence.text, null, e.highlight || {});
    const cols = card.append("div").attr("class", "cols");
    const left = cols.append("div");
    left.append("h3").text("Event");
    kv(left, [
      ["Date", e.date], ["Source", `${e.source} ${e.source_text ? "(" + e.source_text + ")" : ""}`],
      ["Target", `${e.target} ${e.target_text ? "(" + e.target_text + ")" : ""}`],
      ["Code", codeLabel(e.code)], ["Root", codeLabel(e.root)],
      ["QuadClass", `${e.quad_class} ${QUAD_NAMES[e.quad_class] || ""}`],
      ["Goldstein", String(e.goldstein)], ["Issues", (e.issues || []).join(", ")],
      ["Pattern", e.pattern], ["Pattern at", e.pattern_where],
      ["Reports", e.reports > 1 ? String(e.reports) : ""],
    ]);
    const right = cols.append("div");
    right.append("h3").text("Document and provenance");
    kv(right, [
      ["Document", d.id || e.doc_id], ["Title", d.title], ["Date", d.date], ["Source", d.source],
      ["URL", d.url], ["Sentence", String(e.sentence)],
      ["Model", (r.provenance || {}).model], ["Dictionary", (r.provenance || {}).dict],
      ["Run", String((r.provenance || {}).run || "")],
    ]);
    if (d.url && /^https?:\/\//i.test(d.url)) {
      right.append("a").attr("href", d.url).attr("rel", "noopener noreferrer").attr("target", "_blank")
        .text("open the story");
    }
    card.append("h3").text("Why: the coder's trace");
    if (r.explain_note) card.append("p").attr("class", "hint").text(r.explain_note);
    if (r.explain) card.append("pre").attr("class", "trace").text(r.explain);
    else card.append("p").attr("class", "empty").text("No trace available.");
    const others = await get("events", { doc_id: e.doc_id, limit: 50 });
    if (others.events.length > 1) {
      card.append("h3").text("Other events in this document");
      const ul = card.append("ul").attr("class", "others");
      const li = ul.selectAll("li").data(others.events.filter((o) => o.id !== e.id)).join("li");
      li.append("a").attr("href", (o) => `#/event/${o.id}`)
        .text((o) => `${o.source || "—"} → ${o.target || "—"}: ${codeLabel(o.code)}`);
      li.append("span").attr("class", "hint").text((o) => `  sentence ${o.sentence}`);
    }
  } catch (err) {
    showError(card.node(), err);
  }
}

// ---------------------------------------------------------------- paste and code
let lastPaste = "";
function codeView() {
  view.selectAll("*").remove();
  const card = view.append("section").attr("class", "card");
  card.append("h2").text("Code text on the spot");
  card.append("p").attr("class", "hint")
    .text("Paste news text; dyad splits, parses and codes it here. Nothing is stored.");
  const ta = card.append("textarea").attr("id", "paste").attr("rows", 8)
    .attr("placeholder", "e.g. Iranian troops attacked a border post in Iraq on Monday.")
    .property("value", lastPaste);
  const row = card.append("div").attr("class", "bar");
  const date = row.append("label").text("Date ").append("input").attr("type", "date").attr("name", "date");
  const btn = row.append("button").attr("id", "code-btn").text("Code it");
  const out = card.append("div").attr("id", "code-out");
  btn.on("click", async () => {
    lastPaste = ta.property("value");
    out.selectAll("*").remove();
    btn.property("disabled", true);
    try {
      const r = await post("code", { text: lastPaste, date: date.property("value") || undefined });
      out.append("p").attr("class", "hint")
        .text(`${r.sentences.length} sentence(s), ${r.events.length} event(s)`);
      r.events.forEach((e) => {
        const div = out.append("div").attr("class", "coded");
        div.append("h3").text(`${e.source || "—"} → ${e.target || "—"}: ${codeLabel(e.code)}`);
        const s = r.sentences[e.sentence];
        highlighted(div, r.text, s && s.span ? { begin: s.span[0], end: s.span[1] } : null,
          { source: e.source_span, target: e.target_span, verb: e.verb_span });
      });
      const det = out.append("details").property("open", r.events.length === 0);
      det.append("summary").text("The coder's trace");
      det.append("pre").attr("class", "trace").text(r.explain || "");
    } catch (err) {
      showError(out.node(), err);
    } finally {
      btn.property("disabled", false);
    }
  });
}

// ---------------------------------------------------------------- routing
function route() {
  const { path, params } = parseHash();
  const f = filtersFrom(params);
  fillForm(f);
  const name = path.startsWith("/event/") ? "event" : path === "/events" ? "events" : path === "/code" ? "code" : "overview";
  select("header nav").selectAll("a").classed("active", function () {
    return this.dataset.view === name || (name === "event" && this.dataset.view === "events");
  });
  select("#filters").classed("hidden", name === "code" || name === "event");
  if (name === "event") return eventPage(decodeURIComponent(path.slice("/event/".length)));
  if (name === "events") return events(params);
  if (name === "code") return codeView();
  return overview(params);
}

async function start() {
  try {
    const m = await get("meta");
    select("#meta").text(`${(m.events || 0).toLocaleString("en")} events · dyad ${m.version}`);
    const c = await get("cameo");
    cameo = new Map(c.codes.map((x) => [x.code, x]));
  } catch (err) {
    select("#meta").text(`server: ${err.message}`);
  }
  window.addEventListener("hashchange", route);
  route();
}
start();
