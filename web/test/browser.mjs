// Browser tests of the workbench in Debian's chromium (puppeteer-core, no
// browser download): a simulated troll farm whose handles and post texts are
// hostile markup, detected into a store, served by `lockstep serve` on a free
// loopback port. Run from CTest (tests/CMakeLists.txt) with LOCKSTEP_CLI set.
// Exit 77 (skipped) only when chromium is missing.
//   WORKBENCH_SCREENSHOTS=docs/img  also writes the screenshots docs/workbench.md shows.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import puppeteer from "puppeteer-core";

const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.log(`SKIP: ${chromium} is missing (apt-get install chromium); the browser tests need it`);
  process.exit(77);
}
const cli = process.env.LOCKSTEP_CLI;
if (!cli || !existsSync(cli)) {
  console.error("LOCKSTEP_CLI must name the lockstep binary");
  process.exit(2);
}
const shots = process.env.WORKBENCH_SCREENSHOTS || "";
if (shots) mkdirSync(shots, { recursive: true });

const HOSTILE_HANDLE = `<img src=x onerror="window.__pwned='handle'">`;
const HOSTILE_TEXT = `<script>window.__pwned='text'</script><b>bold?</b> javascript:alert(1)`;

// RFC 4180 CSV rows (quoted fields with "" escapes and newlines).
function parseCsv(text) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n") { row.push(field); rows.push(row); row = []; field = ""; }
    else if (c !== "\r") field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}
const csvField = (s) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const writeCsv = (path, rows) => writeFileSync(path, rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n");

function run(args, input) {
  const r = spawnSync(cli, args, { encoding: "utf8", input, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`lockstep ${args.join(" ")} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

const dir = mkdtempSync(join(tmpdir(), "lockstep-workbench-"));
let server, browser;
let failures = 0;
async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e.stack || e}`);
  }
}

try {
  const data = join(dir, "data"), store = join(dir, "cases.db");
  run(["simulate", "--scenario", "troll_farm", "--seed", "3", "--scale", "0.05", "--out", data]);
  // Hostile handles and texts for the planted accounts.
  const planted = new Set(parseCsv(readFileSync(join(data, "labels.csv"), "utf8")).slice(1).filter((r) => r[1]).map((r) => r[0]));
  const accounts = parseCsv(readFileSync(join(data, "accounts.csv"), "utf8"));
  const ha = accounts[0].indexOf("handle");
  for (const r of accounts.slice(1)) if (planted.has(r[0])) r[ha] = HOSTILE_HANDLE;
  writeCsv(join(data, "accounts.csv"), accounts);
  const events = parseCsv(readFileSync(join(data, "events.csv"), "utf8"));
  const [eh, ...erows] = events;
  const col = (n) => eh.indexOf(n);
  for (const r of erows) if (planted.has(r[col("account_id")]) && r[col("text")]) r[col("text")] = `${HOSTILE_TEXT} ${r[col("text")]}`;
  writeCsv(join(data, "events.csv"), events);
  run(["detect", data, "--no-report", "--out", join(dir, "out"), "--store", store]);
  // A published takedown list naming a domain the planted accounts link to;
  // `watch` then records the accounts that touch it as alerts in the store.
  const plantedUrl = erows.find((r) => planted.has(r[col("account_id")]) && r[col("urls")])[col("urls")].split(" ")[0];
  const listedDomain = new URL(plantedUrl).hostname;
  const listFile = join(dir, "Q3_2026_BROWSER_TEST_NETWORK.csv");
  writeFileSync(listFile, `Tactic ,Technique,Procedure,Indicator\r\n0. Acquiring assets,0.6 Acquiring domains,0.6.2 Acquiring domains to support influence operations,${listedDomain.replace(/\.([^.]+)$/, "[.]$1")}\r\n`);
  run(["case", "import-indicators", "--store", store, listFile]);
  run(["watch", "--no-detect", "--store", store, data]);
  writeFileSync(join(dir, "pw"), "analyst-password\n");
  run(["serve", "--store", store, "--add-user", "ana", "--role", "analyst", "--password-file", join(dir, "pw")]);
  run(["serve", "--store", store, "--add-user", "vic", "--role", "viewer"], "viewer-password\n");

  server = spawn(cli, ["serve", "--store", store, "--listen", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
  const base = await new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) resolve(m[1]);
    });
    server.on("exit", (code) => reject(new Error(`lockstep serve exited ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`lockstep serve did not start: ${out}`)), 60000);
  });

  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    // A whole network's evidence CSV takes minutes on a loaded 2-core runner;
    // puppeteer's default of 180 s per call then fails a correct page.
    protocolTimeout: 600000,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"],
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("dialog", (d) => d.dismiss());

  async function login(p, name, password) {
    await p.goto(`${base}/#/login`);
    await p.waitForSelector("#login");
    await p.type("#name", name);
    await p.type("#password", password);
    await Promise.all([p.waitForSelector("#queue", { timeout: 120000 }), p.click("#login button[type=submit]")]);
  }

  await step("the login page appears without a session, and the API refuses", async () => {
    await page.goto(`${base}/`);
    await page.waitForSelector("#login");
    const status = await page.evaluate(async () => (await fetch("/api/queue")).status);
    assert.equal(status, 401);
  });

  await step("log in; the queue lists the detected network", async () => {
    await login(page, "ana", "analyst-password");
    const cases = await page.$$eval("#queue tbody a", (as) => as.map((a) => a.textContent));
    assert.ok(cases.includes("r1.N1"), `queue: ${cases}`);
    if (shots) await page.screenshot({ path: join(shots, "workbench-queue.png") });
  });

  await step("the queue filters by origin and by target", async () => {
    const origins = await page.$$eval("#f-origin option", (os) => os.map((o) => o.value).filter(Boolean));
    const targets = await page.$$eval("#f-target option", (os) => os.map((o) => o.value).filter(Boolean));
    assert.ok(origins.length > 0, "a troll farm has an origin (country or inferred time zone)");
    assert.ok(targets.length > 0, "and a target (country, language or outlet)");
    const originCell = await page.$eval("#queue tbody tr td.origin", (td) => td.textContent);
    const origin = origins.find((o) => originCell.includes(o));
    assert.ok(origin, `the first network's origin ${originCell} is among the choices ${origins}`);
    await page.select("#f-origin", origin);
    await page.evaluate(() => (window.__oldQueue = document.querySelector("#queue")));
    await page.click("#queue-filters button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#queue tbody tr") && document.querySelector("#queue") !== window.__oldQueue, { timeout: 60000 });
    assert.ok((await page.evaluate(() => location.hash)).includes(`origin=${encodeURIComponent(origin)}`), "the filter is in the address");
    const cells = await page.$$eval("#queue tbody td.origin", (tds) => tds.map((t) => t.textContent));
    assert.ok(cells.length > 0 && cells.every((c) => c.includes(origin)), `only networks from ${origin}: ${cells}`);
    await page.goto(`${base}/#/queue?target=${encodeURIComponent("no-such-target.example")}`);
    await page.waitForFunction(() => document.querySelector("main")?.textContent.includes("No network matches."), { timeout: 60000 });
    await page.goto(`${base}/#/queue`);
    await page.waitForSelector("#queue tbody tr", { timeout: 60000 });
  });

  await step("watch's alerts are at the top of the queue, with what matched and the source", async () => {
    await page.goto(`${base}/#/queue`);
    await page.waitForSelector("#watch-alerts tbody tr", { timeout: 60000 });
    const first = await page.evaluate(() => {
      const a = document.querySelector("#watch-alerts"), q = document.querySelector("#queue");
      return !!(a.compareDocumentPosition(q) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.ok(first, "the alerts come before the networks");
    const rows = await page.$$eval("#watch-alerts tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    const accounts = rows.map((r) => r[1]);
    assert.ok(accounts.some((a) => planted.has(a)), `a planted account that links to ${listedDomain} is alerted: ${accounts.slice(0, 5)}`);
    for (const r of rows) {
      assert.match(r[2], /known indicator/);
      assert.ok(r[4].includes(`links to ${listedDomain}`), `what matched: ${r[4]}`);
      assert.equal(r[5], "Q3_2026_BROWSER_TEST_NETWORK.csv (BROWSER TEST NETWORK, Q3 2026)", "the source of the indicator");
    }
  });

  let edge;
  await step("open the network; the WebGL graph has non-blank pixels", async () => {
    await page.goto(`${base}/#/network/r1.N1`);
    await page.waitForSelector("#graph canvas");
    await page.waitForSelector("#edges tbody tr", { timeout: 120000 });
    await new Promise((r) => setTimeout(r, 1500));
    const box = await (await page.$("#graph")).boundingBox();
    const png = await page.screenshot({ clip: box, encoding: "base64" });
    const inked = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement("canvas");
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext("2d");
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) n++;
      return n;
    }, png);
    assert.ok(inked > 500, `only ${inked} non-white pixels in the graph`);
    if (shots) await page.screenshot({ path: join(shots, "workbench-network.png") });
  });

  await step("edge evidence lists the posts both accounts acted on", async () => {
    await page.click("#edges tbody tr button.show-edge");
    await page.waitForSelector("#evidence-posts tbody tr", { timeout: 60000 });
    const heading = await page.$eval("#evidence p", (p) => p.textContent);
    const [a, b] = heading.split(" — ");
    const objects = await page.$$eval("#evidence-posts tbody tr td:first-child", (tds) => tds.map((t) => t.textContent));
    // Independently, from the data set: keys (target post or URL) both accounts acted on.
    const keysOf = (acc) => {
      const s = new Set();
      for (const r of erows)
        if (r[col("account_id")] === acc) {
          if (r[col("target_id")]) s.add(r[col("target_id")]);
          for (const u of (r[col("urls")] || "").split(" ").filter(Boolean)) s.add(u);
        }
      return s;
    };
    const ka = keysOf(a), kb = keysOf(b);
    const both = [...ka].filter((k) => kb.has(k));
    assert.ok(objects.length > 0, "some posts");
    for (const o of objects) assert.ok(ka.has(o) && kb.has(o), `${o} is not acted on by both ${a} and ${b}`);
    assert.ok(objects.length >= Math.min(both.length, 500), `${objects.length} rows for ${both.length} shared keys`);
    edge = { a, b };
    if (shots) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(shots, "workbench-evidence.png") });
    }
  });

  await step("the edge's evidence as CSV has the posts the panel shows", async () => {
    const href = await page.$eval("#edge-csv", (a) => a.getAttribute("href"));
    const csv = await page.evaluate(async (h) => (await fetch(h)).text(), href);
    const rows = parseCsv(csv);
    assert.deepEqual(rows[0].slice(0, 6), ["account_a", "handle_a", "account_b", "handle_b", "evidence", "object"]);
    const shown = await page.$$eval("#evidence-posts tbody tr td:first-child", (tds) => tds.map((t) => t.textContent));
    const inCsv = rows.slice(1).filter((r) => r[4] === "co_share");
    assert.ok(inCsv.every((r) => r[0] === edge.a && r[2] === edge.b), "only this edge");
    assert.deepEqual(inCsv.map((r) => r[5]).slice(0, shown.length), shown, "the same posts, closest in time first");
    const whole = await page.evaluate(async () => (await fetch(document.getElementById("export-evidence").getAttribute("href"))).text());
    const pairs = new Set(parseCsv(whole).slice(1).map((r) => `${r[0]} ${r[2]}`));
    assert.ok(pairs.size > 1, `the network's evidence CSV holds more than one edge: ${[...pairs].slice(0, 3)}`);
  });

  await step("nodes coloured by evidence, with a legend that works without colour and by keyboard", async () => {
    await page.select("#colour-by", "evidence");
    const entries = await page.$$eval("#legend button", (bs) => bs.map((b) => b.textContent));
    assert.ok(entries.some((t) => /^co_share.* \(\d+\)$/.test(t)), `legend names each colour in words with a count: ${entries}`);
    const before = await page.$$eval("#edges tbody tr", (trs) => trs.length);
    await page.focus("#legend button");
    await page.keyboard.press("Enter");
    await page.waitForSelector('#legend button[aria-pressed="true"]');
    const members = await page.evaluate(() => document.querySelector('#legend button[aria-pressed="true"]').dataset.value);
    assert.ok(members, "the picked entry is pressed");
    if (shots) await page.screenshot({ path: join(shots, "workbench-evidence-colours.png") });
    await page.keyboard.press("Enter");
    await page.waitForSelector('#legend button[aria-pressed="true"]', { hidden: true });
    const after = await page.$$eval("#edges tbody tr", (trs) => trs.length);
    assert.equal(after, before, "picking the entry again shows every node");
  });

  await step("the graph by keyboard: a visible focus steps through members and neighbours, announced; Enter opens the ego view", async () => {
    const n = await page.evaluate(async () => (await fetch("/api/cases/r1.N1")).json());
    const g = await page.evaluate(async () => (await fetch("/api/cases/r1.N1/graph")).json());
    const ids = g.nodes.map((x) => x.id);
    const order = n.members.map((m) => m.account_id).filter((id) => ids.includes(id));
    const focusedNode = () => page.$eval("#graph", (e) => e.dataset.focusedNode);
    const said = () => page.$eval("#graph-focus", (e) => e.textContent);
    assert.equal(await page.$eval("#graph-focus", (e) => e.getAttribute("aria-live")), "polite", "announced to screen readers");
    await page.focus("#graph");
    assert.equal(await page.evaluate(() => document.activeElement.id), "graph", "the graph takes the keyboard focus");
    await page.waitForFunction(() => document.querySelector("#graph").dataset.focusedNode, { timeout: 10000 });
    assert.equal(await focusedNode(), order[0], "focus starts at the strongest member");
    assert.match(await said(), new RegExp(`^member 1 of ${order.length}: `));
    assert.ok((await said()).includes(order[0]) || (await said()).includes("@"), await said());
    assert.match(await said(), /score \d\.\d\d; evidence: .*co_share links, \d+ infrastructure links, \d+ events/, "the member's indicators");
    await page.keyboard.press("ArrowRight");
    assert.equal(await focusedNode(), order[1], "→ to the next member");
    assert.match(await said(), new RegExp(`^member 2 of ${order.length}: `));
    await page.keyboard.press("ArrowLeft");
    assert.equal(await focusedNode(), order[0], "← back");
    // ↓: the neighbours of the focused member, strongest link first.
    const i0 = ids.indexOf(order[0]);
    const weight = new Map();
    for (const [a, b, , w] of g.edges) if (a === i0 || b === i0) weight.set(ids[a === i0 ? b : a], (weight.get(ids[a === i0 ? b : a]) || 0) + w);
    assert.ok(weight.size > 0, "the strongest member has neighbours");
    const strongest = Math.max(...weight.values());
    await page.keyboard.press("ArrowDown");
    const nb = await focusedNode();
    assert.equal(weight.get(nb), strongest, `↓ goes to a strongest neighbour (${nb}: ${weight.get(nb)}, best ${strongest})`);
    assert.match(await said(), new RegExp(`^neighbour 1 of ${weight.size} of .*, link weight ${strongest} `));
    if (shots) await page.screenshot({ path: join(shots, "workbench-keyboard.png") });
    await page.keyboard.press("e");
    await page.waitForFunction((a, b) => document.querySelector("#evidence p")?.textContent === `${a} — ${b}`, { timeout: 60000 }, order[0], nb);
    await page.keyboard.press("ArrowUp");
    assert.equal(await focusedNode(), order[0], "↑ past the strongest neighbour is the member again");
    await page.keyboard.press("Enter");
    assert.equal(await page.$eval("#ego", (e) => e.value), order[0], "Enter opens the ego view of the focused member");
    assert.match(await said(), /^ego view of /);
    assert.equal(await page.$$eval("#members tr.focused-member", (trs) => trs.map((t) => t.dataset.account).join()), order[0], "and marks its row");
    await page.keyboard.press("Escape");
    assert.equal(await page.$eval("#ego", (e) => e.value), "", "Escape leaves it");
    assert.equal(await page.evaluate(() => document.activeElement.id), "graph", "the focus stays in the graph");
  });

  await step("the charts' numbers are tables too", async () => {
    const days = await page.$$eval("#hours-table tbody tr", (trs) => trs.length);
    assert.equal(days, 7, "a row per weekday");
    const months = await page.$$eval("#months-table tbody tr", (trs) => trs.length);
    assert.ok(months > 0, "a row per month");
  });

  await step("the disclosure archive downloads and is audited", async () => {
    const downloads = join(dir, "downloads");
    mkdirSync(downloads, { recursive: true });
    const cdp = await browser.target().createCDPSession();
    await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads });
    await page.type("#salt", "browser-test-salt");
    await page.click("#disclosure-form button[type=submit]");
    const file = join(downloads, "r1.N1-disclosure.tar");
    const t0 = Date.now();
    while (!existsSync(file) && Date.now() - t0 < 60000) await new Promise((r) => setTimeout(r, 200));
    assert.ok(existsSync(file), `the archive was downloaded: ${(await page.$eval("#disclosure-form", (f) => f.textContent))}`);
    const tar = readFileSync(file);
    assert.equal(tar.subarray(0, 100).toString("latin1").replace(/\0[\s\S]*$/, ""), "r1.N1-disclosure/N1_users_csv_hashed.csv");
    assert.equal(tar.subarray(257, 262).toString("latin1"), "ustar");
    assert.ok(!tar.includes("browser-test-salt"), "the salt is not in the archive");
    await page.reload();
    await page.waitForSelector("#audit tbody tr", { timeout: 120000 });
    const audit = await page.$eval("#audit", (e) => e.textContent);
    assert.ok(audit.includes("export") && audit.includes("disclosure archive"), audit);
  });

  await step("a verdict survives a reload and appears in the audit log", async () => {
    await page.select("#verdict", "confirmed");
    await page.type("#reason", "same devices and texts <i>really</i>");
    await page.click("#verdict-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#verdicts")?.textContent.includes("same devices and texts"), { timeout: 60000 });
    await page.reload();
    await page.waitForSelector("#audit tbody tr", { timeout: 120000 });
    const verdicts = await page.$eval("#verdicts", (e) => e.textContent);
    assert.ok(verdicts.includes("confirmed by ana: same devices and texts <i>really</i>"), verdicts);
    const audit = await page.$eval("#audit", (e) => e.textContent);
    assert.ok(audit.includes("ana") && audit.includes("verdict") && audit.includes("confirmed"), audit);
    assert.equal(await page.$eval("#case-status", (e) => e.textContent), "confirmed");
  });

  await step("a request without the CSRF token is refused", async () => {
    const status = await page.evaluate(async () => {
      const r = await fetch("/api/cases/r1.N1/verdict", { method: "POST", body: new URLSearchParams({ verdict: "dismissed", reason: "x" }) });
      return r.status;
    });
    assert.equal(status, 403);
  });

  await step("hostile handles, texts and URLs stay inert", async () => {
    const text = await page.evaluate(() => document.body.textContent);
    assert.ok(text.includes(HOSTILE_HANDLE.slice(0, 12)) || text.includes("<script>window.__pwned"), "hostile data is shown as text");
    assert.equal(await page.evaluate(() => window.__pwned), undefined, "no hostile script ran");
    assert.equal(await page.$$eval("img[src=x], main script, main b", (e) => e.length), 0, "no element came from data");
    assert.deepEqual(pageErrors, [], "no page errors");
  });

  await step("a failed login is in the audit log with the address, never the password", async () => {
    const status = await page.evaluate(async () => (await fetch("/api/login", { method: "POST", body: new URLSearchParams({ name: "mallory", password: "not-the-password" }) })).status);
    assert.equal(status, 401);
    await page.goto(`${base}/#/audit?action=login_failed`);
    await page.waitForSelector("#audit-all tbody tr", { timeout: 60000 });
    const rows = await page.$$eval("#audit-all tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    assert.ok(rows.every((r) => r[2] === "login_failed"), "the filter keeps failed logins only");
    assert.ok(rows.some((r) => r[1] === "mallory" && r[4] === "from 127.0.0.1"), `who tried, from where: ${JSON.stringify(rows)}`);
    assert.ok(!(await page.$eval("main", (m) => m.textContent)).includes("not-the-password"), "never the password");
    assert.match(await page.$eval("#audit-summary", (p) => p.textContent), /[1-9]\d* failed logins?/);
    if (shots) await page.screenshot({ path: join(shots, "workbench-audit.png") });
  });

  await step("a viewer reads but cannot write", async () => {
    const ctx = await browser.createBrowserContext();
    const v = await ctx.newPage();
    await v.setViewport({ width: 1400, height: 1000 });
    await login(v, "vic", "viewer-password");
    await v.goto(`${base}/#/network/r1.N1`);
    await v.waitForSelector("#audit", { timeout: 120000 });
    assert.equal(await v.$("#verdict-form"), null, "no verdict form for a viewer");
    assert.equal(await v.$("button.remove-member"), null, "no remove buttons for a viewer");
    const status = await v.evaluate(async () => {
      const me = await (await fetch("/api/me")).json();
      const r = await fetch("/api/cases/r1.N1/verdict", { method: "POST", headers: { "X-CSRF-Token": me.csrf }, body: new URLSearchParams({ verdict: "dismissed", reason: "x" }) });
      return r.status;
    });
    assert.equal(status, 403);
    await ctx.close();
  });
} catch (e) {
  failures++;
  console.log(`FAIL setup: ${e.stack || e}`);
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server && server.exitCode === null) {
    // A clean stop on SIGTERM; under AddressSanitizer a leak or error makes the exit code non-zero.
    const code = await new Promise((resolve) => {
      server.on("exit", (c, sig) => resolve(c ?? sig));
      server.kill("SIGTERM");
    });
    if (code !== 0) {
      failures++;
      console.log(`FAIL lockstep serve exited ${code} on SIGTERM`);
    } else console.log("ok   lockstep serve stops cleanly on SIGTERM");
  }
  rmSync(dir, { recursive: true, force: true });
}
console.log(failures ? `${failures} browser test(s) failed` : "all browser tests passed");
process.exit(failures ? 1 : 0);
