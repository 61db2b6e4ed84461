// The dashboard in a real browser (Debian's chromium, driven by playwright-core), against a
// running `dyad serve` (run.sh starts it). Fills the store through POST /api/documents with
// made-up news of our own, then: loads the overview (series and map), filters the event
// table by an actor, opens an event (highlighted sentence, trace) and codes pasted text.
// Screenshots go to $ARTIFACTS. Ends with "N passed, M failed"; exit status 1 on a failure.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const URL = process.env.DYAD_URL;
const TOKEN = readFileSync(process.env.DYAD_TOKEN_FILE, "utf8").trim();
const ARTIFACTS = process.env.ARTIFACTS;
mkdirSync(ARTIFACTS, { recursive: true });

// ------------------------------------------------------------ made-up news (our own text)
const COUNTRIES = [
  ["Iran", "Iranian"], ["Iraq", "Iraqi"], ["Syria", "Syrian"], ["Turkey", "Turkish"],
  ["Russia", "Russian"], ["Ukraine", "Ukrainian"], ["China", "Chinese"], ["Japan", "Japanese"],
  ["India", "Indian"], ["Pakistan", "Pakistani"], ["Israel", "Israeli"], ["Egypt", "Egyptian"],
  ["Kenya", "Kenyan"], ["Nigeria", "Nigerian"], ["Brazil", "Brazilian"], ["Mexico", "Mexican"],
  ["France", "French"], ["Germany", "German"], ["Canada", "Canadian"], ["Australia", "Australian"],
];
const TEMPLATES = [
  (a, b) => `${a[1]} troops attacked a border post in ${b[0]} on Monday.`,
  (a, b) => `The foreign minister of ${a[0]} praised ${b[0]} for its help after the floods.`,
  (a, b) => `${a[0]} accused ${b[0]} of spying on its diplomats.`,
  (a, b) => `${a[0]} sent food aid to ${b[0]} last week.`,
  (a, b) => `${a[1]} officials met their counterparts from ${b[0]} in the capital.`,
  (a, b) => `${a[0]} threatened ${b[0]} with new sanctions.`,
];
function makeDocs(n) {
  let seed = 20260301n;
  const rnd = (k) => {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
    return Number((seed >> 33n) % BigInt(k));
  };
  const docs = [];
  for (let i = 0; i < n; i++) {
    // Iran and Iraq are in the news more often than the others.
    const a = rnd(3) === 0 ? COUNTRIES[rnd(2)] : COUNTRIES[rnd(COUNTRIES.length)];
    let b = COUNTRIES[rnd(COUNTRIES.length)];
    if (b === a) b = COUNTRIES[(COUNTRIES.indexOf(a) + 1) % COUNTRIES.length];
    const day = new Date(Date.UTC(2026, 0, 5) + rnd(175) * 864e5).toISOString().slice(0, 10);
    const text = [TEMPLATES[rnd(TEMPLATES.length)](a, b)];
    if (rnd(2)) text.push(TEMPLATES[rnd(TEMPLATES.length)](b, a));
    docs.push({ id: `gen-${i}`, date: day, title: `${a[0]} and ${b[0]}`, source: "Dyad Test Wire",
      url: `https://news.example/${i}`, text: text.join(" ") });
  }
  return docs;
}

async function post(path, body, type = "application/x-ndjson") {
  const res = await fetch(URL + path, {
    method: "POST",
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": type },
    body,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${json.error}`);
  return json;
}

// ------------------------------------------------------------ tests
const results = [];
async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push([name, null]);
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (err) {
    results.push([name, err]);
    console.log(`FAIL ${name}: ${err.stack || err}`);
  }
}

let browser, page;
const pageErrors = [];

await step("store filled through POST /api/documents", async () => {
  if (process.env.SAMPLES_CODED !== "1") {
    const r = await post("api/documents", readFileSync(process.env.SAMPLES, "utf8"));
    assert.equal(r.documents, 3);
  }
  const docs = makeDocs(240);
  let events = 0;
  for (let i = 0; i < docs.length; i += 80) {
    const chunk = docs.slice(i, i + 80).map((d) => JSON.stringify(d)).join("\n");
    events += (await post("api/documents", chunk)).events;
  }
  assert.ok(events > 150, `only ${events} events coded from 240 documents`);
  const meta = await (await fetch(URL + "api/meta")).json();
  assert.ok(meta.events >= events);
});

await step("browser starts", async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
});

await step("overview: series by QuadClass and the world map", async () => {
  await page.goto(URL);
  await page.waitForSelector("svg.chart circle.pt");
  await page.waitForSelector("svg.map path.country");
  const lines = await page.locator("svg.chart path[stroke]").count();
  assert.ok(lines >= 3, `${lines} series lines`);
  const legend = await page.locator(".legend .item").allTextContents();
  assert.ok(legend.some((t) => t.includes("Material conflict")), legend.join("|"));
  // Countries with events are coloured: Iran (364) and Iraq (368) among them.
  const filled = await page.$$eval("svg.map path.country", (ps) =>
    ps.filter((p) => p.getAttribute("fill") !== "#eef0f3").length);
  assert.ok(filled >= 10, `${filled} countries coloured`);
  const top = await page.locator(".side table td code").allTextContents();
  assert.ok(top.includes("IRN") && top.includes("IRQ"), top.join(","));
  assert.match(await page.locator("#meta").textContent(), /events/);
  await page.screenshot({ path: join(ARTIFACTS, "overview.png"), fullPage: true });
});

await step("event table filtered by an actor", async () => {
  await page.click("nav a[data-view=events]");
  await page.waitForSelector("table.events tr.row");
  await page.fill("#filters input[name=actor]", "irn");
  await page.click("#filters button[type=submit]");
  await page.waitForFunction(() => location.hash.includes("actor=IRN"));
  await page.waitForSelector("table.events tr.row");
  const rows = await page.$$eval("table.events tr.row", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
  assert.ok(rows.length > 5, `${rows.length} rows`);
  for (const r of rows) assert.ok(r[1].startsWith("IRN") || r[3].startsWith("IRN"), r.join(" | "));
  assert.match(await page.locator("main .hint").first().textContent(), /of \d+/);
  await page.screenshot({ path: join(ARTIFACTS, "events-actor-IRN.png"), fullPage: true });
  // The next page exists and differs.
  const first = rows[0].join("|");
  if (await page.locator(".pager button", { hasText: "Next" }).isEnabled()) {
    await page.click(".pager button:has-text('Next')");
    await page.waitForFunction(() => location.hash.includes("offset=50"));
    await page.waitForSelector("table.events tr.row");
    const again = await page.$$eval("table.events tr.row td", (tds) => tds.slice(0, 7).map((t) => t.textContent).join("|"));
    assert.notEqual(again, first);
    await page.goBack();
    await page.waitForSelector("table.events tr.row");
  }
});

await step("an event's page: highlighted sentence and the trace", async () => {
  await page.locator("table.events tr.row").first().click();
  await page.waitForSelector(".event p.hl mark.src");
  const src = await page.locator(".event p.hl mark.src").first().textContent();
  const verb = await page.locator(".event p.hl mark.verb").first().textContent();
  const sentence = await page.locator(".event p.hl").first().textContent();
  const row = await page.$$eval(".cols > div:first-child table.kv tr", (trs) =>
    Object.fromEntries(trs.map((tr) => [tr.querySelector("th").textContent, tr.querySelector("td").textContent])));
  assert.ok(sentence.includes(src) && sentence.includes(verb));
  assert.ok(row.Source.includes(src), `source cell "${row.Source}" lacks "${src}"`);
  assert.match(row.Code, /^\d{2,4} /);
  const trace = await page.locator("pre.trace").textContent();
  assert.match(trace, /events:/);
  await page.screenshot({ path: join(ARTIFACTS, "event.png"), fullPage: true });
});

await step("paste text and code it on the spot", async () => {
  await page.click("nav a[data-view=code]");
  await page.waitForSelector("#paste");
  await page.fill("#paste", "Quiet day in Zürich. Iranian troops attacked a border post in Iraq on Monday.");
  await page.click("#code-btn");
  await page.waitForSelector("#code-out .coded");
  const heads = await page.locator("#code-out .coded h3").allTextContents();
  assert.ok(heads.some((h) => h.startsWith("IRNMIL → IRQ")), heads.join(" | "));
  // Byte spans after a multi-byte character still land on the words.
  assert.equal(await page.locator("#code-out mark.verb").first().textContent(), "attacked");
  assert.equal(await page.locator("#code-out mark.tgt").first().textContent(), "Iraq");
  await page.screenshot({ path: join(ARTIFACTS, "code.png"), fullPage: true });
});

await step("a chosen dyad's series", async () => {
  await page.goto(URL + "#/?source=IRN&target=IRQ&by=month");
  await page.waitForSelector("svg.chart circle.pt");
  assert.match(await page.locator("main h2").first().textContent(), /IRN → IRQ/);
  await page.screenshot({ path: join(ARTIFACTS, "dyad-IRN-IRQ.png"), fullPage: true });
});

await step("no errors in the page", async () => {
  assert.deepEqual(pageErrors, []);
});

if (browser) await browser.close();
const failed = results.filter((r) => r[1]).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
console.log(`screenshots in ${ARTIFACTS}`);
process.exit(failed ? 1 : 0);
