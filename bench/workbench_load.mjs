// Load benchmark of `lockstep serve` on loopback: N concurrent sessions
// (default 50), each logged in as its own analyst, for S seconds (default
// 60), each looping over what an investigator's browser asks for: the queue,
// a network page (detail, graph, evidence of one edge, audit log). Prints
// requests per second, p50/p95/p99 latency per endpoint, and errors.
//
//   node bench/workbench_load.mjs --cli build/tools/lockstep/lockstep --store STORE [--sessions 50] [--seconds 60]
//
// STORE must hold at least one run (lockstep detect DATA --store STORE),
// with its data set where detect found it (run from the same directory).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const cli = args.cli || "build/tools/lockstep/lockstep";
const store = args.store;
const sessions = Number(args.sessions || 50);
const seconds = Number(args.seconds || 60);
if (!store) {
  console.error("usage: node bench/workbench_load.mjs --cli LOCKSTEP --store STORE [--sessions N] [--seconds S]");
  process.exit(1);
}

const tmp = mkdtempSync(join(tmpdir(), "lockstep-load-"));
writeFileSync(join(tmp, "pw"), "load-test-password\n");
const add = spawnSync(cli, ["serve", "--store", store, "--add-user", "loadtest", "--role", "analyst", "--password-file", join(tmp, "pw")], { encoding: "utf8" });
if (add.status !== 0) throw new Error(add.stderr);
const server = spawn(cli, ["serve", "--store", store, "--listen", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
const base = await new Promise((resolve, reject) => {
  let out = "";
  server.stdout.on("data", (d) => {
    out += d;
    const m = out.match(/on (http:\/\/127\.0\.0\.1:\d+)\//);
    if (m) resolve(m[1]);
  });
  server.on("exit", (c) => reject(new Error(`serve exited ${c}`)));
});

async function login() {
  const r = await fetch(`${base}/api/login`, { method: "POST", body: new URLSearchParams({ name: "loadtest", password: "load-test-password" }) });
  if (!r.ok) throw new Error(`login: ${r.status}`);
  const cookie = r.headers.get("set-cookie").split(";")[0];
  return { cookie, csrf: (await r.json()).csrf };
}

const lat = {};
let errors = 0, requests = 0;
async function get(s, name, path) {
  const t0 = performance.now();
  const r = await fetch(`${base}${path}`, { headers: { cookie: s.cookie } });
  const body = await r.text();
  (lat[name] ||= []).push(performance.now() - t0);
  requests++;
  if (!r.ok) {
    errors++;
    if (errors < 5) console.error(`${name} ${path}: ${r.status} ${body.slice(0, 200)}`);
    return null;
  }
  return JSON.parse(body);
}

// Warm-up: one session loads the data sets and every case view once.
const warm = await login();
let t0 = performance.now();
const queue = await get(warm, "warmup", "/api/queue");
const cases = queue.networks.map((n) => n.case_id);
const edges = {};
for (const c of cases) {
  const g = await get(warm, "warmup", `/api/cases/${c}/graph`);
  if (g && g.edges.length) edges[c] = { source: g.nodes[g.edges[0][0]].id, target: g.nodes[g.edges[0][1]].id };
}
console.log(`warm-up (load data, ${cases.length} networks): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
delete lat.warmup;
requests = 0;

const all = await Promise.all(Array.from({ length: sessions }, login));
const end = performance.now() + seconds * 1000;
t0 = performance.now();
await Promise.all(
  all.map(async (s, i) => {
    let k = i;
    while (performance.now() < end) {
      const c = cases[k++ % cases.length];
      await get(s, "queue", "/api/queue");
      await get(s, "network", `/api/cases/${c}`);
      await get(s, "graph", `/api/cases/${c}/graph`);
      const e = edges[c];
      if (e) await get(s, "edge", `/api/cases/${c}/edge?a=${encodeURIComponent(e.source)}&b=${encodeURIComponent(e.target)}`);
      await get(s, "audit", `/api/audit?case=${c}`);
    }
  }),
);
const wall = (performance.now() - t0) / 1000;
server.kill("SIGTERM");
rmSync(tmp, { recursive: true, force: true });
const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
console.log(`${sessions} sessions, ${wall.toFixed(1)} s, ${requests} requests (${(requests / wall).toFixed(0)}/s), ${errors} errors`);
console.log("endpoint   requests   p50 ms   p95 ms   p99 ms");
for (const [name, xs] of Object.entries(lat)) {
  xs.sort((a, b) => a - b);
  console.log(`${name.padEnd(10)} ${String(xs.length).padStart(8)} ${pct(xs, 50).toFixed(1).padStart(8)} ${pct(xs, 95).toFixed(1).padStart(8)} ${pct(xs, 99).toFixed(1).padStart(8)}`);
}
process.exit(errors ? 1 : 0);
