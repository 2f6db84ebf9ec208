// The investigator's workbench: login, queue, network page (WebGL graph with
// sigma.js + graphology, edge evidence, members, verdicts, notes, audit) and
// account search over `lockstep serve`'s JSON API.
//
// Every piece of data is put on the page with textContent or as an attribute
// value, never parsed as HTML: post texts, handles and URLs from the data
// stay inert. Writes send the session's CSRF token in X-CSRF-Token.
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import Sigma from "sigma";

type Json = any;

let csrf = "";
let role = "";
let renderer: Sigma | null = null;

const main = document.getElementById("main") as HTMLElement;

// el("td", {class: "x"}, "text", child): children are strings (as text) or nodes.
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (string | Node | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined) e.append(typeof c === "string" ? document.createTextNode(c) : c);
  return e;
}

function time(t: number | null | undefined): string {
  if (t === null || t === undefined) return "-";
  return new Date(t * 1000).toISOString().replace(".000Z", "Z");
}

function gap(s: number): string {
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${(s / 3600).toFixed(1)} h`;
}

class HttpError extends Error {
  constructor(public status: number, message: string) {
    super(message);
  }
}

async function api(path: string, form?: Record<string, string>): Promise<Json> {
  const init: RequestInit = { credentials: "same-origin", headers: {} };
  if (form) {
    init.method = "POST";
    init.body = new URLSearchParams(form);
    (init.headers as Record<string, string>)["X-CSRF-Token"] = csrf;
  }
  const res = await fetch(path, init);
  const body = await res.json().catch(() => ({}));
  if (res.status === 401 && path !== "/api/login") {
    location.hash = "#/login";
    throw new HttpError(401, "not logged in");
  }
  if (!res.ok) throw new HttpError(res.status, body.error || res.statusText);
  return body;
}

function showError(where: HTMLElement, e: unknown) {
  where.append(el("p", { class: "error", role: "alert" }, e instanceof Error ? e.message : String(e)));
}

function setTitle(text: string) {
  document.title = `${text} · lockstep workbench`;
}

// ---- login ----
function loginPage() {
  setTitle("Log in");
  (document.getElementById("nav") as HTMLElement).hidden = true;
  const name = el("input", { id: "name", name: "name", autocomplete: "username", required: "" });
  const password = el("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: "" });
  const message = el("div");
  const form = el(
    "form",
    { id: "login" },
    el("h1", {}, "Log in"),
    el("p", {}, el("label", { for: "name" }, "Name"), name),
    el("p", {}, el("label", { for: "password" }, "Password"), password),
    el("button", { type: "submit" }, "Log in"),
    message,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    message.textContent = "";
    try {
      const me = await api("/api/login", { name: name.value, password: password.value });
      csrf = me.csrf;
      role = me.role;
      showUser(me);
      location.hash = "#/queue";
    } catch (e) {
      showError(message, e);
    }
  });
  main.replaceChildren(form);
  name.focus();
}

function showUser(me: Json) {
  (document.getElementById("nav") as HTMLElement).hidden = false;
  (document.getElementById("who") as HTMLElement).textContent = `${me.user} (${me.role})`;
}

// Where a network operates from and whom it targets, as detection described it.
function originText(n: Json): string {
  const parts = [...(n.origin_countries || [])];
  if (n.origin_time_zone) parts.push(n.origin_time_zone);
  return parts.join(", ") || (n.described ? "unknown" : "not recorded");
}
function targetText(n: Json): string {
  const parts: string[] = [];
  if (n.target_countries?.length) parts.push(n.target_countries.join(", "));
  if (n.languages?.length) parts.push(`in ${n.languages.join(", ")}`);
  if (n.top_domains?.length) parts.push(`via ${n.top_domains.slice(0, 3).join(", ")}`);
  return parts.join("; ") || (n.described ? "unknown" : "not recorded");
}

// A download of what `fetch` answered (a POST cannot be a plain link).
async function download(path: string, form: Record<string, string>, name: string) {
  const res = await fetch(path, { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf }, body: new URLSearchParams(form) });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new HttpError(res.status, body.error || res.statusText);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// ---- queue ----
async function queuePage(params: URLSearchParams) {
  setTitle("Queue");
  const filters: Record<string, string[]> = {
    status: ["", "new", "needs_review", "confirmed", "dismissed", "removed"],
    tier: ["", "CIB", "FGI"],
    sort: ["confidence", "size", "run"],
  };
  const bar = el("form", { class: "filters", id: "queue-filters" });
  for (const [key, values] of Object.entries(filters)) {
    const sel = el("select", { id: `f-${key}`, name: key });
    for (const v of values) {
      const o = el("option", { value: v }, v || "any");
      if ((params.get(key) || "") === v) o.selected = true;
      sel.append(o);
    }
    bar.append(el("label", { for: `f-${key}` }, key), sel);
  }
  // Origin and target: the values any network has (the queue's facets), filled in below.
  const origin = el("select", { id: "f-origin", name: "origin" }, el("option", { value: "" }, "any"));
  const target = el("select", { id: "f-target", name: "target" }, el("option", { value: "" }, "any"));
  bar.append(el("label", { for: "f-origin" }, "origin"), origin, el("label", { for: "f-target" }, "target"), target);
  const platform = el("input", { id: "f-platform", name: "platform", value: params.get("platform") || "", size: "10" });
  const conf = el("input", { id: "f-min_confidence", name: "min_confidence", type: "number", min: "0", max: "1", step: "0.05", value: params.get("min_confidence") || "0" });
  bar.append(el("label", { for: "f-platform" }, "platform"), platform, el("label", { for: "f-min_confidence" }, "min confidence"), conf, el("button", { type: "submit" }, "Apply"));
  bar.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const f of Array.from(bar.elements) as HTMLInputElement[]) if (f.name && f.value) q.set(f.name, f.value);
    location.hash = `#/queue?${q}`;
  });
  const out = el("div");
  main.replaceChildren(el("h1", {}, "Queue"), bar, out);
  try {
    const q = await api(`/api/queue?${params}`);
    const fillFacets = (sel: HTMLSelectElement, groups: [string, string[]][], chosen: string) => {
      for (const [label, values] of groups) {
        if (!values.length) continue;
        const g = el("optgroup", { label });
        for (const v of values) {
          const o = el("option", { value: v }, v);
          if (v === chosen) o.selected = true;
          g.append(o);
        }
        sel.append(g);
      }
      if (chosen && sel.value !== chosen) sel.append(el("option", { value: chosen, selected: "" }, chosen));
    };
    fillFacets(origin, [["country", q.facets.origin_countries], ["inferred time zone", q.facets.time_zones]], params.get("origin") || "");
    fillFacets(target, [["country", q.facets.target_countries], ["language", q.facets.languages], ["outlet", q.facets.outlets]], params.get("target") || "");
    if (q.watch_alerts?.length) {
      // What `lockstep watch` found in new data: returning accounts of removed
      // networks and accounts touching known indicators, newest first.
      const t = el("table", { id: "watch-alerts" });
      t.append(el("caption", {}, "Accounts in newly watched data that match a removed network or a known indicator (from lockstep watch)"));
      t.append(el("thead", {}, el("tr", {}, ...["Found", "Account", "Matches", "Score", "What matched", "Source", "Active", "Data"].map((h) => el("th", { scope: "col" }, h)))));
      const tb = el("tbody");
      for (const a of q.watch_alerts) {
        const matches = a.kind === "returning"
          ? el("td", {}, "⟲ returning member of ", el("a", { href: `#/network/${encodeURIComponent(a.case_id)}` }, a.case_id))
          : el("td", {}, "⚑ known indicator");
        tb.append(el("tr", { class: `watch-alert watch-${a.kind}`, "data-account": a.account_id },
          el("td", {}, time(a.recorded_at)),
          el("td", {}, el("a", { href: `#/search?q=${encodeURIComponent(a.account_id)}` }, a.account_id)),
          matches,
          el("td", {}, Number(a.score).toFixed(2)),
          el("td", { class: "post" }, a.matched),
          el("td", { class: "post" }, a.source || "-"),
          el("td", {}, a.first_activity === null ? "-" : `${time(a.first_activity)} to ${time(a.last_activity)}`),
          el("td", {}, a.data_path)));
      }
      t.append(tb);
      // Many alerts would push the networks off the screen: then folded, with their count.
      const box = el("details", { id: "watch-alerts-box" }, el("summary", {}, el("h2", { class: "inline" }, `Watch alerts (${q.watch_alerts.length})`)), t);
      box.open = q.watch_alerts.length <= 10;
      out.append(box);
    }
    if (q.alerts.length) {
      const ul = el("ul", { id: "alerts" });
      for (const a of q.alerts)
        ul.append(el("li", {}, "⚠ ", el("a", { href: `#/network/${encodeURIComponent(a.case_id)}` }, a.case_id), ` shares ${a.shared_members} of ${a.size} members with ${a.removed_case_id}, removed ${time(a.removed_at)}`));
      out.append(el("h2", {}, "Returning networks"), ul);
    }
    const table = el("table", { id: "queue" });
    table.append(el("thead", {}, el("tr", {}, ...["Case", "Status", "Tier", "Confidence", "Size", "Platform", "Origin", "Target", "Latest verdict"].map((h) => el("th", { scope: "col" }, h)))));
    const body = el("tbody");
    for (const n of q.networks) {
      body.append(
        el(
          "tr",
          {},
          el("td", {}, el("a", { href: `#/network/${encodeURIComponent(n.case_id)}` }, n.case_id)),
          el("td", {}, el("span", { class: `status status-${n.status}` }, n.status)),
          el("td", {}, n.tier),
          el("td", {}, n.confidence.toFixed(2)),
          el("td", {}, String(n.size)),
          el("td", {}, n.platform || "-"),
          el("td", { class: "origin" }, originText(n)),
          el("td", { class: "target" }, targetText(n)),
          el("td", {}, n.verdict ? `${n.verdict.verdict} by ${n.verdict.analyst}: ${n.verdict.reason}` : "-"),
        ),
      );
    }
    table.append(body);
    out.append(q.networks.length ? table : el("p", {}, "No network matches."));
  } catch (e) {
    showError(out, e);
  }
}

// ---- network ----
function kCore(graph: Graph): Map<string, number> {
  const degree = new Map<string, number>();
  graph.forEachNode((n) => degree.set(n, graph.degree(n)));
  const core = new Map<string, number>();
  const left = new Set(graph.nodes());
  let k = 0;
  while (left.size) {
    let min = Infinity;
    for (const n of left) min = Math.min(min, degree.get(n)!);
    k = Math.max(k, min);
    for (const n of Array.from(left)) {
      if (degree.get(n)! <= k) {
        core.set(n, k);
        left.delete(n);
        graph.forEachNeighbor(n, (m) => {
          if (left.has(m)) degree.set(m, degree.get(m)! - 1);
        });
      }
    }
  }
  return core;
}

const layerColour: Record<string, string> = { co_share: "#1f77b4", infrastructure: "#d62728" };
// Node colours (Okabe-Ito, told apart with colour-blindness), by role or by
// the evidence that ties a member to the others.
const nodeColours: Record<"role" | "evidence", Record<string, string>> = {
  role: { core: "#009e73", attached: "#cc79a7" },
  evidence: { "co_share and infrastructure": "#d55e00", co_share: "#0072b2", infrastructure: "#e69f00", none: "#999999" },
};

async function networkPage(id: string) {
  setTitle(id);
  const head = el("div");
  main.replaceChildren(el("h1", {}, `Network ${id}`), head);
  let n: Json;
  try {
    n = await api(`/api/cases/${encodeURIComponent(id)}`);
  } catch (e) {
    showError(head, e);
    return;
  }
  const base = `/api/cases/${encodeURIComponent(n.case_id)}`;
  head.append(
    el("p", {}, el("span", { class: `status status-${n.status}`, id: "case-status" }, n.status), ` · tier ${n.tier} · confidence ${n.confidence.toFixed(2)} · ${n.size} members · platform ${n.platform || "-"}`),
    el("p", { class: "muted" }, `Data: ${n.data_path}`),
    n.data_error ? el("p", { class: "error" }, n.data_error) : el("p", {}, n.presence || ""),
    el("p", { id: "origin-target" }, el("strong", {}, "Origin: "), originText(n), " · ", el("strong", {}, "Target: "), targetText(n)),
    el("p", {}, "Exports: ", el("a", { href: `${base}/export/graph.gexf` }, "GEXF"), " · ", el("a", { href: `${base}/export/graph.svg` }, "graph as SVG"), " · ", el("a", { href: `${base}/export/members.csv`, id: "export-members" }, "members CSV"), " · ", el("a", { href: `${base}/export/evidence.csv`, id: "export-evidence" }, "evidence CSV (200 strongest links)"), " · ", el("a", { href: "#", id: "export-png" }, "graph view as PNG")),
  );
  if (role === "analyst" || role === "admin") {
    // The disclosure archive: ids of small accounts hashed with a secret salt.
    const salt = el("input", { id: "salt", name: "salt", type: "password", autocomplete: "off", required: "" });
    const threshold = el("input", { id: "threshold", name: "threshold", type: "number", min: "0", step: "1", value: "5000" });
    const msg = el("div", { "aria-live": "polite" });
    const form = el("form", { class: "inline", id: "disclosure-form" },
      el("label", { for: "salt" }, "Disclosure archive: secret salt"), salt,
      el("label", { for: "threshold" }, "accounts with fewer followers hashed"), threshold,
      el("button", { type: "submit" }, "Download archive"), msg);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      msg.textContent = "";
      if (!salt.value) return showError(msg, "the archive needs a secret salt");
      try {
        await download(`${base}/export/disclosure.tar`, { salt: salt.value, threshold: threshold.value }, `${n.case_id}-disclosure.tar`);
        msg.textContent = "Archive downloaded; the export is in the audit log.";
      } catch (e) {
        showError(msg, e);
      }
    });
    head.append(form);
  }

  // Graph with filters and the edge evidence panel.
  const graphBox = el("div", { id: "graph", role: "img", "aria-label": "member graph; the edge table below lists the same links" });
  const layerBoxes = Object.keys(layerColour).map((l) => el("input", { type: "checkbox", id: `layer-${l}`, checked: "" }));
  const minWeight = el("input", { type: "number", id: "min-weight", min: "1", value: "1", step: "1" });
  const minCore = el("input", { type: "number", id: "min-core", min: "0", value: "0", step: "1" });
  const ego = el("input", { id: "ego", placeholder: "account id" });
  const colourBy = el("select", { id: "colour-by" }, el("option", { value: "role" }, "role"), el("option", { value: "evidence" }, "evidence"));
  const legend = el("ul", { id: "legend", class: "legend", "aria-label": "node colours; pick one to show only its nodes" });
  const filters = el("div", { class: "filters" });
  Object.keys(layerColour).forEach((l, i) => filters.append(layerBoxes[i], el("label", { for: `layer-${l}` }, `${l} (${l === "co_share" ? "solid blue" : "red"})`)));
  filters.append(el("label", { for: "min-weight" }, "min weight"), minWeight, el("label", { for: "min-core" }, "k-core ≥"), minCore, el("label", { for: "ego" }, "ego view of"), ego, el("label", { for: "colour-by" }, "colour nodes by"), colourBy);
  const evidence = el("div", { id: "evidence", class: "panel", "aria-live": "polite" }, el("h2", {}, "Edge evidence"), el("p", { class: "muted" }, "Pick an edge in the graph or the table."));
  const edgeTable = el("table", { id: "edges" });
  // The graph is one keyboard widget: a focus that steps through the members
  // and their neighbours, announced in words (graph-focus, aria-live).
  graphBox.setAttribute("tabindex", "0");
  graphBox.setAttribute("role", "application");
  graphBox.setAttribute("aria-roledescription", "member graph");
  graphBox.setAttribute("aria-label", "member graph");
  graphBox.setAttribute("aria-describedby", "graph-keys");
  const graphKeys = el("p", { id: "graph-keys", class: "muted" }, "Keyboard, in the graph: → and ← step through the members (strongest score first), ↓ and ↑ through the focused member's neighbours by link weight, Home and End to the first and last member, Enter opens the ego view of the focused member (again to leave it), E shows the evidence of the link just followed, Escape leaves the ego view.");
  const graphFocus = el("p", { id: "graph-focus", class: "graph-focus", "aria-live": "polite", "aria-atomic": "true" });
  const graphSection = el("section", {}, el("h2", {}, "Member graph"), filters, graphBox, graphFocus, graphKeys, legend);
  main.append(el("div", { class: "grid" }, graphSection, el("div", {}, evidence)));
  main.append(el("h2", {}, "Strongest links"), edgeTable);

  async function showEdge(a: string, b: string) {
    evidence.replaceChildren(el("h2", {}, "Edge evidence"), el("p", {}, `${a} — ${b}`),
      el("p", {}, el("a", { href: `${base}/export/evidence.csv?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`, id: "edge-csv" }, "this link's evidence as CSV")));
    try {
      const ev = await api(`${base}/edge?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
      evidence.append(el("p", {}, `${ev.co_shared_total} co-shared actions; shared infrastructure: ${ev.shared_infrastructure.join(", ") || "none"}`));
      const t = el("table", { id: "evidence-posts" });
      t.append(el("thead", {}, el("tr", {}, ...["Object", `${a}`, `${b}`, "Gap"].map((h) => el("th", { scope: "col" }, h)))));
      const tb = el("tbody");
      for (const p of ev.co_shared)
        tb.append(
          el("tr", {},
            el("td", { class: "post" }, p.object),
            el("td", { class: "post" }, `${time(p.a_time)} ${p.a_type}\n${p.a_text}`),
            el("td", { class: "post" }, `${time(p.b_time)} ${p.b_type}\n${p.b_text}`),
            el("td", {}, gap(p.gap_seconds))));
      t.append(tb);
      evidence.append(t);
    } catch (e) {
      showError(evidence, e);
    }
  }

  try {
    const g = await api(`${base}/graph`);
    const graph = new Graph({ type: "undirected", multi: true });
    const count = g.nodes.length;
    g.nodes.forEach((node: Json, i: number) => {
      const angle = (2 * Math.PI * i) / Math.max(1, count);
      graph.addNode(node.id, {
        x: Math.cos(angle), y: Math.sin(angle), size: 3 + 6 * node.score,
        label: node.handle ? `@${node.handle}` : node.id,
        color: nodeColours.role[node.role] || "#888", role: node.role, evidence: node.evidence || "none",
      });
    });
    for (const [ai, bi, li, weight] of g.edges) {
      const e = { source: g.nodes[ai].id, target: g.nodes[bi].id, layer: g.layers[li], weight };
      graph.addEdge(e.source, e.target, { layer: e.layer, weight: e.weight, size: Math.min(4, 0.5 + Math.log2(1 + e.weight)), color: layerColour[e.layer] || "#888" });
    }
    if (count > 1) forceAtlas2.assign(graph, { iterations: count > 2000 ? 30 : 100, settings: forceAtlas2.inferSettings(graph) });
    const core = kCore(graph);
    renderer = new Sigma(graph, graphBox, { enableEdgeEvents: true, renderEdgeLabels: false, labelRenderedSizeThreshold: 8 });
    const visibleEdge = (e: string) => {
      const a = graph.getEdgeAttributes(e);
      const [s, t] = graph.extremities(e);
      const li = Object.keys(layerColour).indexOf(a.layer);
      if (li >= 0 && !layerBoxes[li].checked) return false;
      if (a.weight < Number(minWeight.value || 1)) return false;
      return visibleNode(s) && visibleNode(t);
    };
    // Colour by role or by evidence; the legend names each colour in words and
    // its count, and picking an entry shows only its nodes (no colour needed).
    let only = "";
    const fillLegend = () => {
      const by = colourBy.value as "role" | "evidence";
      const counts = new Map<string, number>();
      graph.forEachNode((_, a) => counts.set(a[by], (counts.get(a[by]) || 0) + 1));
      legend.replaceChildren();
      for (const [value, colour] of Object.entries(nodeColours[by])) {
        if (!counts.get(value)) continue;
        // CSSOM, not a style attribute: the CSP forbids inline styles.
        const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
        swatch.style.background = colour;
        const b = el("button", { type: "button", class: "legend-entry", "data-value": value, "aria-pressed": String(only === value) }, swatch, `${value} (${counts.get(value)})`);
        b.addEventListener("click", () => {
          only = only === value ? "" : value;
          // Update in place: the button keeps the keyboard focus.
          legend.querySelectorAll("button").forEach((x) => x.setAttribute("aria-pressed", String(x.dataset.value === only)));
          refreshAll();
        });
        legend.append(el("li", {}, b));
      }
      graph.forEachNode((node, a) => graph.setNodeAttribute(node, "color", nodeColours[by][a[by]] || "#888"));
    };
    colourBy.addEventListener("change", () => {
      only = "";
      fillLegend();
      refreshAll();
    });
    const visibleNode = (n: string) => {
      if (only && graph.getNodeAttribute(n, colourBy.value) !== only) return false;
      if ((core.get(n) || 0) < Number(minCore.value || 0)) return false;
      const center = ego.value.trim();
      if (center && graph.hasNode(center)) return n === center || graph.areNeighbors(n, center);
      return true;
    };
    // Keyboard focus in the graph: `focused` is the member shown with a
    // highlight and its label; `anchor` the member whose neighbours ↓ and ↑
    // step through (strongest link first).
    let focused: string | null = null;
    let anchor: string | null = null;
    let neighbours: [string, number, string[]][] = [];  // [node, summed weight, layers] by weight
    let neighbourAt = -1;
    const memberInfo = new Map<string, Json>(n.members.map((m: Json) => [m.account_id, m]));
    renderer.setSetting("nodeReducer", (node, attrs) => {
      if (!visibleNode(node)) return { ...attrs, hidden: true };
      if (node === focused) return { ...attrs, highlighted: true, forceLabel: true, size: attrs.size * 1.6 + 3, zIndex: 2 };
      if (node === anchor) return { ...attrs, forceLabel: true, zIndex: 1 };
      return attrs;
    });
    renderer.setSetting("edgeReducer", (e, attrs) => {
      if (!visibleEdge(e)) return { ...attrs, hidden: true };
      if (anchor && focused && anchor !== focused && graph.hasExtremity(e, anchor) && graph.hasExtremity(e, focused)) return { ...attrs, size: attrs.size * 2 + 2, zIndex: 1 };
      return attrs;
    });
    const visibleMembers = () => (n.members as Json[]).map((m) => m.account_id as string).filter((id) => graph.hasNode(id) && visibleNode(id));
    const neighboursOf = (node: string): [string, number, string[]][] => {
      const by = new Map<string, [number, Set<string>]>();
      graph.forEachEdge(node, (e, a, src, tgt) => {
        if (!visibleEdge(e)) return;
        const other = src === node ? tgt : src;
        const x = by.get(other) || [0, new Set<string>()];
        x[0] += a.weight;
        x[1].add(a.layer);
        by.set(other, x);
      });
      return Array.from(by, ([m, [w, layers]]) => [m, w, [...layers]] as [string, number, string[]]).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    };
    const describe = (node: string) => {
      const m = memberInfo.get(node) || {};
      const a = graph.getNodeAttributes(node);
      const parts = [`${a.label}${a.label !== node ? ` (${node})` : ""}`, `${a.role}, score ${Number(m.score ?? 0).toFixed(2)}`, `evidence: ${a.evidence}`];
      if (m.events !== undefined) parts.push(`${m.co_share_links} co_share links, ${m.infrastructure_links} infrastructure links, ${m.events} events`);
      if (m.removed) parts.push("removed as a false member");
      return parts.join("; ");
    };
    const focusNode = (node: string, prefix: string) => {
      focused = node;
      graphBox.dataset.focusedNode = node;
      graphFocus.textContent = `${prefix}${describe(node)}${ego.value.trim() === node ? "; ego view open" : ""}`;
      renderer!.refresh();
      // Bring the focused node into view if it is outside.
      const d = renderer!.getNodeDisplayData(node);
      if (d) {
        const p = renderer!.framedGraphToViewport(d);
        if (p.x < 0 || p.y < 0 || p.x > graphBox.clientWidth || p.y > graphBox.clientHeight) renderer!.getCamera().animate({ x: d.x, y: d.y }, { duration: 150 });
      }
    };
    const stepMember = (to: (i: number, count: number) => number) => {
      const list = visibleMembers();
      if (!list.length) {
        graphFocus.textContent = "No member is shown: loosen the filters.";
        return;
      }
      const at = focused ? list.indexOf(focused) : -1;
      const i = Math.max(0, Math.min(list.length - 1, at < 0 ? 0 : to(at, list.length)));
      anchor = null;
      neighbourAt = -1;
      focusNode(list[i], `member ${i + 1} of ${list.length}: `);
    };
    const stepNeighbour = (delta: number) => {
      if (!focused) return stepMember(() => 0);
      if (!anchor) {
        anchor = focused;
        neighbours = neighboursOf(anchor);
        neighbourAt = -1;
      }
      const anchorLabel = graph.getNodeAttribute(anchor, "label");
      if (!neighbours.length) {
        graphFocus.textContent = `${anchorLabel} has no neighbour shown.`;
        anchor = null;
        return;
      }
      neighbourAt += delta;
      if (neighbourAt < 0) {
        // Back up past the strongest neighbour: to the anchor itself.
        const back = anchor;
        anchor = null;
        neighbourAt = -1;
        return focusNode(back, "back to ");
      }
      neighbourAt = Math.min(neighbourAt, neighbours.length - 1);
      const [node, weight, layers] = neighbours[neighbourAt];
      focusNode(node, `neighbour ${neighbourAt + 1} of ${neighbours.length} of ${anchorLabel}, link weight ${weight} (${layers.join(" and ")}): `);
    };
    // Focus by keyboard starts at the first member; a click on the canvas
    // (which also focuses it) leaves the choice to the mouse.
    let byPointer = false;
    graphBox.addEventListener("pointerdown", () => (byPointer = true), true);
    graphBox.addEventListener("focus", () => {
      if (!focused && !byPointer) stepMember(() => 0);
      byPointer = false;
    });
    graphBox.addEventListener("keydown", (ev) => {
      const key = ev.key;
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
      if (key === "ArrowRight") stepMember((i, c) => (i + 1) % c);
      else if (key === "ArrowLeft") stepMember((i, c) => (i - 1 + c) % c);
      else if (key === "Home") stepMember(() => 0);
      else if (key === "End") stepMember((_, c) => c - 1);
      else if (key === "ArrowDown") stepNeighbour(1);
      else if (key === "ArrowUp") stepNeighbour(-1);
      else if (key === "Enter" && focused) {
        const node = focused;
        ego.value = ego.value.trim() === node ? "" : node;
        anchor = null;
        neighbourAt = -1;
        refreshAll();
        // The member's row in the table is marked too.
        document.querySelectorAll("#members tr.focused-member").forEach((r) => r.classList.remove("focused-member"));
        document.querySelectorAll<HTMLElement>("#members tbody tr").forEach((r) => {
          if (r.dataset.account === node) r.classList.add("focused-member");
        });
        focusNode(node, ego.value ? "ego view of " : "ego view closed; ");
      } else if ((key === "e" || key === "E") && anchor && focused && anchor !== focused) showEdge(anchor, focused);
      else if (key === "Escape" && ego.value) {
        ego.value = "";
        refreshAll();
        graphFocus.textContent = "ego view closed";
      } else return;
      ev.preventDefault();
    });
    const refreshAll = () => {
      renderer!.refresh();
      fillEdgeTable();
    };
    for (const input of [...layerBoxes, minWeight, minCore, ego]) input.addEventListener("input", refreshAll);
    renderer.on("clickEdge", ({ edge }) => {
      const [a, b] = graph.extremities(edge);
      showEdge(a, b);
    });
    renderer.on("clickNode", ({ node }) => {
      ego.value = ego.value === node ? "" : node;
      refreshAll();
    });
    function fillEdgeTable() {
      const rows = graph.edges().filter(visibleEdge).sort((x, y) => graph.getEdgeAttribute(y, "weight") - graph.getEdgeAttribute(x, "weight")).slice(0, 50);
      edgeTable.replaceChildren(el("thead", {}, el("tr", {}, ...["Account", "Account", "Layer", "Weight", ""].map((h) => el("th", { scope: "col" }, h)))));
      const tb = el("tbody");
      for (const e of rows) {
        const [a, b] = graph.extremities(e);
        const button = el("button", { type: "button", class: "show-edge" }, "Evidence");
        button.addEventListener("click", () => showEdge(a, b));
        tb.append(el("tr", {}, el("td", {}, graph.getNodeAttribute(a, "label")), el("td", {}, graph.getNodeAttribute(b, "label")), el("td", {}, graph.getEdgeAttribute(e, "layer")), el("td", {}, String(graph.getEdgeAttribute(e, "weight"))), el("td", {}, button)));
      }
      edgeTable.append(tb);
    }
    fillEdgeTable();
    fillLegend();
    document.getElementById("export-png")!.addEventListener("click", (ev) => {
      ev.preventDefault();
      // Sigma draws into several canvases: compose them on one.
      const canvases = graphBox.querySelectorAll("canvas");
      const out = document.createElement("canvas");
      out.width = graphBox.clientWidth;
      out.height = graphBox.clientHeight;
      const ctx = out.getContext("2d")!;
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, out.width, out.height);
      renderer!.refresh();
      canvases.forEach((c) => ctx.drawImage(c, 0, 0, out.width, out.height));
      const a = el("a", { href: out.toDataURL("image/png"), download: `${n.case_id}-graph.png` });
      a.click();
    });
  } catch (e) {
    showError(graphSection, e);
  }

  // Indicators and the report's charts.
  const ind = el("ul", { id: "indicators" });
  for (const i of n.indicators) {
    try {
      const o = JSON.parse(i.json);
      ind.append(el("li", {}, el("strong", {}, o.signal), ` strength ${Number(o.strength).toFixed(2)}${o.p_value !== undefined ? `, p = ${o.p_value}` : ""}: ${o.evidence}`));
    } catch {
      ind.append(el("li", {}, i.json));
    }
  }
  main.append(el("h2", {}, "Evidence"), ind);
  if (!n.data_error) {
    main.append(el("p", {}, `Time zone: ${n.time_zone}`));
    main.append(el("img", { class: "chart", src: `${base}/charts/timeline.svg`, alt: "Events by month (bar chart)" }));
    main.append(el("img", { class: "chart", src: `${base}/charts/hours.svg`, alt: "Events by weekday and local hour (heat map)" }));
    // The charts' numbers as tables: the heat map's shades need colour vision.
    if (n.weekday_hour) {
      const days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
      const t = el("table", { id: "hours-table", class: "numbers" });
      t.append(el("caption", {}, `Events by weekday and local hour (${n.time_zone})`));
      t.append(el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "day"), ...Array.from({ length: 24 }, (_, h) => el("th", { scope: "col" }, String(h))))));
      const tb = el("tbody");
      n.weekday_hour.forEach((row: number[], d: number) => tb.append(el("tr", {}, el("th", { scope: "row" }, days[d]), ...row.map((v) => el("td", {}, String(v))))));
      t.append(tb);
      const m = el("table", { id: "months-table", class: "numbers" });
      m.append(el("caption", {}, "Events by month"), el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "month"), el("th", { scope: "col" }, "events"))));
      const mb = el("tbody");
      for (const [month, count] of n.events_by_month) mb.append(el("tr", {}, el("th", { scope: "row" }, month), el("td", {}, String(count))));
      m.append(mb);
      main.append(el("details", {}, el("summary", {}, "The charts' numbers as tables"), t, m));
    }
    if (n.samples && n.samples.length) {
      const ul = el("ul", { id: "samples" });
      for (const p of n.samples) ul.append(el("li", { class: "post" }, `${time(p.time)} @${p.handle} (${p.copies} copies by ${p.accounts} accounts): ${p.text}`));
      main.append(el("h2", {}, "Sample content"), ul);
    }
  }

  // Member table, sortable; analysts may remove a false member.
  const canWrite = role === "analyst" || role === "admin";
  const members = el("table", { id: "members" });
  const cols: [string, string][] = [["account_id", "Account"], ["handle", "Handle"], ["platform", "Platform"], ["score", "Score"], ["events", "Events"], ["co_share_links", "Co-share links"], ["infrastructure_links", "Infrastructure links"], ["evidence", "Evidence"], ["attached", "Attached"]];
  let sortKey = "score";
  let sortDesc = true;
  const fillMembers = () => {
    const rows = [...n.members].sort((x: Json, y: Json) => {
      const a = x[sortKey] ?? "", b = y[sortKey] ?? "";
      const c = a < b ? -1 : a > b ? 1 : 0;
      return sortDesc ? -c : c;
    });
    const head = el("tr", {});
    for (const [key, label] of cols) {
      const b = el("button", { type: "button" }, label + (key === sortKey ? (sortDesc ? " ▼" : " ▲") : ""));
      b.addEventListener("click", () => {
        sortDesc = key === sortKey ? !sortDesc : true;
        sortKey = key;
        fillMembers();
      });
      head.append(el("th", { scope: "col", "aria-sort": key === sortKey ? (sortDesc ? "descending" : "ascending") : "none" }, b));
    }
    head.append(el("th", { scope: "col" }, "Removed"));
    const tb = el("tbody");
    for (const m of rows) {
      const tr = el("tr", { "data-account": m.account_id });
      for (const [key] of cols) tr.append(el("td", {}, key === "score" ? Number(m.score).toFixed(2) : String(m[key] ?? "")));
      const cell = el("td", {}, m.removed ? "removed as false member" : "");
      if (canWrite && !m.removed) {
        const b = el("button", { type: "button", class: "remove-member" }, "Remove");
        b.addEventListener("click", async () => {
          const reason = prompt(`Why is ${m.account_id} not part of this network?`);
          if (!reason) return;
          try {
            await api(`${base}/remove-member`, { account: m.account_id, reason });
            networkPage(id);
          } catch (e) {
            showError(cell, e);
          }
        });
        cell.append(b);
      }
      tr.append(cell);
      tb.append(tr);
    }
    members.replaceChildren(el("thead", {}, head), tb);
  };
  fillMembers();
  main.append(el("h2", {}, "Members"), members);

  // Verdict and notes.
  const decide = el("section", { class: "panel", id: "decide" }, el("h2", {}, "Verdict"));
  const history = el("ul", { id: "verdicts" });
  for (const v of n.verdicts) history.append(el("li", {}, `${time(v.at)} ${v.verdict} by ${v.analyst}: ${v.reason}`));
  decide.append(history);
  if (canWrite) {
    const sel = el("select", { id: "verdict", name: "verdict" });
    for (const v of ["confirmed", "dismissed", "needs_review", "removed"]) sel.append(el("option", { value: v }, v));
    const reason = el("textarea", { id: "reason", name: "reason", required: "" });
    const msg = el("div");
    const form = el("form", { class: "inline", id: "verdict-form" }, el("label", { for: "verdict" }, "Verdict"), sel, el("label", { for: "reason" }, "Reason (required)"), reason, el("button", { type: "submit" }, "Record verdict"), msg);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (!reason.value.trim()) return showError(msg, "a verdict needs a reason");
      try {
        await api(`${base}/verdict`, { verdict: sel.value, reason: reason.value });
        networkPage(id);
      } catch (e) {
        showError(msg, e);
      }
    });
    decide.append(form);
  } else {
    decide.append(el("p", { class: "muted" }, "Viewers read only; an analyst records verdicts."));
  }
  const notes = el("ul", { id: "notes" });
  for (const x of n.notes) notes.append(el("li", {}, `${time(x.at)} ${x.author}: ${x.text}`));
  decide.append(el("h3", {}, "Notes"), notes);
  if (canWrite) {
    const text = el("textarea", { id: "note", name: "text", required: "" });
    const form = el("form", { class: "inline" }, el("label", { for: "note" }, "Note"), text, el("button", { type: "submit" }, "Add note"));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      try {
        await api(`${base}/notes`, { text: text.value });
        networkPage(id);
      } catch (e) {
        showError(form, e);
      }
    });
    decide.append(form);
  }
  main.append(decide);

  const audit = el("table", { id: "audit" });
  audit.append(el("thead", {}, el("tr", {}, ...["When", "Who", "What", "Detail", "Why"].map((h) => el("th", { scope: "col" }, h)))));
  const ab = el("tbody");
  for (const a of n.audit) ab.append(el("tr", {}, el("td", {}, time(a.at)), el("td", {}, a.user), el("td", {}, a.action), el("td", {}, a.detail), el("td", {}, a.reason)));
  audit.append(ab);
  main.append(el("h2", {}, "Audit log"), audit);
}

// ---- audit log ----
// Every change, export and login, failed logins too (who tried, when, from
// which address; never the password), newest first.
async function auditPage(params: URLSearchParams) {
  setTitle("Audit log");
  const actions = ["", "login_failed", "login", "verdict", "note", "remove_member", "export", "add_user"];
  const sel = el("select", { id: "audit-action", name: "action" });
  for (const a of actions) {
    const o = el("option", { value: a }, a || "any");
    if ((params.get("action") || "") === a) o.selected = true;
    sel.append(o);
  }
  const form = el("form", { class: "filters", id: "audit-filters" }, el("label", { for: "audit-action" }, "action"), sel, el("button", { type: "submit" }, "Apply"));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    location.hash = sel.value ? `#/audit?action=${encodeURIComponent(sel.value)}` : "#/audit";
  });
  const out = el("div");
  main.replaceChildren(el("h1", {}, "Audit log"), form, out);
  try {
    const log: Json[] = await api("/api/audit");
    const action = params.get("action") || "";
    const rows = log.filter((a) => !action || a.action === action);
    const failed = log.filter((a) => a.action === "login_failed").length;
    out.append(el("p", { id: "audit-summary" }, `${log.length} entries, newest first; ${failed} failed login${failed === 1 ? "" : "s"}.`));
    const t = el("table", { id: "audit-all" });
    t.append(el("thead", {}, el("tr", {}, ...["When", "Who", "What", "Case", "Detail", "Why"].map((h) => el("th", { scope: "col" }, h)))));
    const tb = el("tbody");
    for (const a of rows)
      tb.append(el("tr", { class: `audit-${a.action}` }, el("td", {}, time(a.at)), el("td", {}, a.user), el("td", {}, a.action),
        el("td", {}, a.case_id ? el("a", { href: `#/network/${encodeURIComponent(a.case_id)}` }, a.case_id) : "-"),
        el("td", { class: "post" }, a.detail), el("td", { class: "post" }, a.reason)));
    t.append(tb);
    out.append(t);
  } catch (e) {
    showError(out, e);
  }
}

// ---- account search ----
async function searchPage(params: URLSearchParams) {
  setTitle("Account search");
  const q = el("input", { id: "q", name: "q", value: params.get("q") || "", placeholder: "account id or @handle" });
  const form = el("form", { class: "inline" }, el("label", { for: "q" }, "Account"), q, el("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    location.hash = `#/search?q=${encodeURIComponent(q.value)}`;
  });
  const out = el("div", { id: "results" });
  main.replaceChildren(el("h1", {}, "Account search"), form, out);
  if (!params.get("q")) return;
  try {
    const r = await api(`/api/search?q=${encodeURIComponent(params.get("q")!)}`);
    if (!r.results.length) out.append(el("p", {}, "In no network."));
    const ul = el("ul");
    for (const x of r.results) {
      const why = x.why.map((j: string) => {
        try {
          const o = JSON.parse(j);
          return `${o.signal}: ${o.evidence}`;
        } catch {
          return j;
        }
      });
      ul.append(el("li", {}, el("a", { href: `#/network/${encodeURIComponent(x.case_id)}` }, x.case_id), ` ${x.account_id}${x.handle ? ` (@${x.handle})` : ""}: score ${Number(x.score).toFixed(2)}${x.attached ? ", attached" : ""}, ${x.status}. Why: ${why.join("; ")}`));
    }
    out.append(ul);
  } catch (e) {
    showError(out, e);
  }
}

async function route() {
  if (renderer) {
    renderer.kill();
    renderer = null;
  }
  const hash = location.hash.slice(1) || "/queue";
  const [path, query] = hash.split("?");
  const params = new URLSearchParams(query || "");
  if (path === "/login") return loginPage();
  if (!csrf) {
    try {
      const me = await api("/api/me");
      csrf = me.csrf;
      role = me.role;
      showUser(me);
    } catch {
      return;
    }
  }
  if (path.startsWith("/network/")) return networkPage(decodeURIComponent(path.slice("/network/".length)));
  if (path === "/search") return searchPage(params);
  if (path === "/audit") return auditPage(params);
  return queuePage(params);
}

document.getElementById("logout")!.addEventListener("click", async () => {
  try {
    await api("/api/logout", {});
  } finally {
    csrf = "";
    location.hash = "#/login";
  }
});
window.addEventListener("hashchange", route);
route();
