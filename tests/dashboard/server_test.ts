import { openAuditWriter, verifyAuditLog } from "../../src/audit/mod.ts";
import {
  createChainChecker,
  createDashboardHandler,
  createTokenGuard,
  type DashboardOptions,
  normalizeDashboardOptions,
} from "../../src/dashboard/mod.ts";
import { HaechiError } from "../../src/errors.ts";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../assert.ts";
import { CALLERS, FIXTURE_COUNTS, tamperRecord, writeFixtureLog } from "./_fixture.ts";

const PORT = 1018;
const ORIGIN = `http://127.0.0.1:${PORT}`;

async function fixture(): Promise<{ dir: string; log: string; anchors: string }> {
  const dir = await Deno.makeTempDir({ prefix: "haechi-dash-" });
  const log = `${dir}/audit.jsonl`;
  const anchors = `${dir}/audit.anchors`;
  await writeFixtureLog(log, anchors);
  return { dir, log, anchors };
}

/** A request as a browser on the dashboard's own origin sends it (with its Host header). */
function request(path: string, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  if (!headers.has("host")) headers.set("host", `127.0.0.1:${PORT}`);
  return new Request(ORIGIN + path, { ...init, headers });
}

function dashboard(options: DashboardOptions) {
  const d = createDashboardHandler(normalizeDashboardOptions({ chainWaitMs: 30_000, ...options }));
  d.listeningOn("127.0.0.1", PORT);
  return {
    get: (path: string, init: RequestInit = {}) => d.handle(request(path, init)),
    json: async (path: string) => {
      const r = await d.handle(request(path));
      assertEquals(r.status, 200, `GET ${path}`);
      return await r.json();
    },
    /** The chain verdict once the walk for the log as it is now has finished. */
    settledChain: async () => {
      for (let i = 0; i < 200; i++) {
        const c = await (await d.handle(request("/api/chain"))).json();
        if (!c.checking && !c.stale) return c;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error("the chain walk did not finish");
    },
  };
}

Deno.test("a foreign or duplicated Host (or HTTP/2 authority) gets 403 before anything else", async () => {
  const { dir, log } = await fixture();
  const d = dashboard({ auditPath: log });
  const raw = createDashboardHandler(normalizeDashboardOptions({ auditPath: log }));
  raw.listeningOn("127.0.0.1", PORT);
  // Without a Host header (HTTP/2) the request's authority is what is checked.
  assertEquals((await raw.handle(new Request("http://evil.example/healthz"))).status, 403);
  assertEquals((await raw.handle(new Request(`${ORIGIN}/healthz`))).status, 200);
  for (const host of ["evil.example", "evil.example:1018", "127.0.0.1:1019", "127.0.0.1:1018, x"]) {
    for (const method of ["GET", "POST", "DELETE"]) {
      const r = await d.get("/api/events", { method, headers: { host } });
      assertEquals(r.status, 403, `${method} with Host ${host}`);
      assertEquals(await r.json(), { error: "forbidden" });
    }
  }
  assertEquals((await d.get("/healthz", { headers: { host: "localhost:1018" } })).status, 200);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("only GET and HEAD are served; other methods get 405", async () => {
  const { dir, log } = await fixture();
  const d = dashboard({ auditPath: log });
  for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
    const r = await d.get("/api/summary", { method });
    assertEquals(r.status, 405, method);
    assertEquals(r.headers.get("allow"), "GET, HEAD");
    await r.body?.cancel();
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("every answer carries the strict CSP, no-store and no CORS headers", async () => {
  const { dir, log } = await fixture();
  const d = dashboard({ auditPath: log });
  for (const path of ["/", "/app.js", "/app.css", "/api/summary", "/api/chain", "/nope"]) {
    const r = await d.get(path, { headers: { origin: "https://evil.example" } });
    const csp = r.headers.get("content-security-policy") ?? "";
    assertStringIncludes(csp, "require-trusted-types-for 'script'");
    assertStringIncludes(csp, "default-src 'none'");
    assertStringIncludes(csp, "script-src 'self'");
    assertEquals(r.headers.get("cache-control"), "no-store");
    assertEquals(r.headers.get("x-frame-options"), "DENY");
    assertEquals(r.headers.get("x-content-type-options"), "nosniff");
    assertEquals(r.headers.get("cross-origin-resource-policy"), "same-origin");
    assertEquals(r.headers.get("strict-transport-security"), null, "no HSTS over plain HTTP");
    for (const [name] of r.headers) assert(!name.startsWith("access-control-"), name);
    await r.body?.cancel();
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the page's assets are embedded and reference only their own origin", async () => {
  const { dir, log } = await fixture();
  const d = dashboard({ auditPath: log });
  const page = await (await d.get("/")).text();
  const js = await (await d.get("/app.js")).text();
  const css = await (await d.get("/app.css")).text();
  for (const text of [page, js, css]) {
    assert(!/https?:\/\/(?!www\.w3\.org\/2000\/svg)/.test(text), "no absolute URL but the SVG ns");
  }
  assert(!/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/.test(js));
  new Function(js); // parses
  assert(!/<script>|style=/.test(page), "no inline script or style");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("events come newest first and page by seq cursor to the start of the log", async () => {
  const { dir, log } = await fixture();
  const d = dashboard({ auditPath: log });
  const seqs: number[] = [];
  let cursor: number | null = null;
  for (let i = 0; i < 10; i++) {
    const page = await d.json(`/api/events?limit=5${cursor === null ? "" : `&cursor=${cursor}`}`);
    seqs.push(...page.events.map((e: { seq: number }) => e.seq));
    assertEquals(page.windowExceeded, false);
    cursor = page.nextCursor;
    if (cursor === null) break;
  }
  assertEquals(seqs, [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the event projection never shows a token, value, scope or raw subject", async () => {
  const { dir, log } = await fixture();
  // A hand-written record with fields the projection must not pass on.
  await Deno.writeTextFile(
    log,
    JSON.stringify({
      schemaVersion: 1,
      seq: 13,
      ts: "2026-11-30T13:00:00.000Z",
      kind: "proxy.request",
      mode: "enforce",
      source: "proxy",
      outcome: "redacted",
      findings: [{ type: "email", ruleId: "email", action: "redact", count: 1, value: "a@b.c" }],
      identity: {
        subjectHash: "c3".repeat(32),
        subject: "alice@example.com",
        scopes: ["admin"],
        labels: { team: "x" },
      },
      details: { route: "chat", note: "alice@example.com", token: "[TOKEN:EMAIL:0011]" },
      value: "alice@example.com",
    }) + "\n",
    { append: true },
  );
  const d = dashboard({ auditPath: log });
  const body = await (await d.get("/api/events?limit=200")).text();
  for (const leak of ["alice", "a@b.c", "TOKEN", "admin", "team", "scopes", 'subject"']) {
    assert(!body.includes(leak), `"${leak}" must not appear`);
  }
  const newest = JSON.parse(body).events[0];
  assertEquals(newest.seq, 13);
  assertEquals(newest.caller, "c3".repeat(32));
  assertEquals(newest.details, { route: "chat" });
  assertEquals(Object.keys(newest.findings[0]).sort(), ["action", "count", "ruleId", "type"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("bad query parameters get a generic 400", async () => {
  const { dir, log } = await fixture();
  const d = dashboard({ auditPath: log });
  for (
    const q of ["limit=0", "limit=201", "limit=x", "cursor=-1", "from=yesterday", "type=a%20b"]
  ) {
    const r = await d.get(`/api/events?${q}`);
    assertEquals(r.status, 400, q);
    assertEquals(await r.json(), { error: "bad_request" });
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a window smaller than the log says when older pages lie beyond it", async () => {
  const { dir, log } = await fixture();
  const d = dashboard({ auditPath: log, window: 4096 });
  const page = await d.json("/api/events?limit=200");
  assert(page.events.length > 0 && page.events.length < FIXTURE_COUNTS.events);
  assertEquals(page.window.complete, false);
  assertEquals(page.windowExceeded, true);
  const summary = await d.json("/api/summary");
  assertEquals(summary.window.complete, false);
  assertEquals(summary.totals.events, page.events.length);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the summary has the fixture's counts, and filters by type and time", async () => {
  const { dir, log } = await fixture();
  const d = dashboard({ auditPath: log });
  const s = await d.json("/api/summary");
  assertEquals(s.totals.events, FIXTURE_COUNTS.events);
  assertEquals(s.detectionCount, FIXTURE_COUNTS.detections);
  assertEquals(s.byType, FIXTURE_COUNTS.byType);
  assertEquals(s.byAction, FIXTURE_COUNTS.byAction);
  assertEquals(s.blocked, FIXTURE_COUNTS.blocked);
  assertEquals(s.errors, FIXTURE_COUNTS.errors);
  assertEquals(s.topRoutes[0], { name: "openai chat.completions", count: 5 });
  assertEquals(s.topMethods, [{ name: "tools/call", count: 1 }, { name: "tools/list", count: 1 }]);
  assertEquals(s.topTools, [{ name: "send_mail", count: 1 }]);
  assertEquals(s.callers.map((c: { caller: string }) => c.caller).sort(), [...CALLERS].sort());
  const byBucket = s.timeline.buckets.reduce(
    (n: number, b: { byType: Record<string, number> }) => n + (b.byType.email ?? 0),
    0,
  );
  assertEquals(byBucket, FIXTURE_COUNTS.byType.email);

  const email = await d.json("/api/summary?type=email");
  assertEquals(email.byType, { email: FIXTURE_COUNTS.byType.email });
  assertEquals(email.totals.events, 3);
  // The fixture writes one event every 17 minutes from 09:00; 09:00-09:34 holds three.
  const early = await d.json(
    "/api/summary?from=2026-11-30T09:00:00Z&to=2026-11-30T09:34:00Z",
  );
  assertEquals(early.totals.events, 3);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the chain status names the first bad record and is cached by mtime and size", async () => {
  const { dir, log, anchors } = await fixture();
  const d = dashboard({ auditPath: log, anchorPath: anchors });
  const head = await verifyAuditLog({ path: log, anchorPath: anchors });
  const ok = await d.json("/api/chain");
  assertEquals(ok.valid, true);
  assertEquals(ok.headHash, head.headHash);
  assertEquals(ok.records, FIXTURE_COUNTS.events);
  assertEquals(ok.anchorsChecked, head.anchorsChecked);

  // Same size, same mtime: the cached verdict stands (no re-walk).
  const before = await Deno.stat(log);
  const text = await Deno.readTextFile(log);
  await Deno.writeTextFile(log, text.replace('"outcome":"blocked"', '"outcome":"xlocked"'));
  await Deno.utime(log, before.atime!, before.mtime!);
  assertEquals((await d.json("/api/chain")).valid, true);

  // A new mtime: walked again, and the edit is found.
  await Deno.utime(log, new Date(), new Date(before.mtime!.getTime() + 5000));
  const first = await d.json("/api/chain");
  assertEquals(
    [first.valid, first.stale],
    [true, true],
    "the last verdict, at once",
  );
  const broken = await d.settledChain();
  assertEquals(broken.valid, false);
  assertEquals(broken.firstBadSeq, 3);
  assertEquals(broken.truncationDetected, false);
  assert(!("reason" in broken) && !("message" in broken), "the raw reason is not returned");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a tampered record and a cut-off tail are reported", async () => {
  const { dir, log, anchors } = await fixture();
  await tamperRecord(log, 5);
  const tampered = await dashboard({ auditPath: log }).json("/api/chain");
  assertEquals([tampered.valid, tampered.firstBadSeq], [false, 5]);

  await writeFixtureLog(`${dir}/cut.jsonl`, `${dir}/cut.anchors`);
  const lines = (await Deno.readTextFile(`${dir}/cut.jsonl`)).split("\n");
  await Deno.writeTextFile(`${dir}/cut.jsonl`, lines.slice(0, 10).join("\n") + "\n");
  const cut = await dashboard({ auditPath: `${dir}/cut.jsonl`, anchorPath: `${dir}/cut.anchors` })
    .json("/api/chain");
  assertEquals([cut.valid, cut.truncationDetected, cut.firstBadSeq], [false, true, 11]);
  assertEquals(anchors.endsWith(".anchors"), true);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("HEAD on the API answers headers only, without a chain walk", async () => {
  const { dir, log } = await fixture();
  const d = createDashboardHandler(normalizeDashboardOptions({ auditPath: log }));
  d.listeningOn("127.0.0.1", PORT);
  const r = await d.handle(request("/api/chain", { method: "HEAD" }));
  assertEquals(r.status, 200);
  assertEquals(r.body, null);
  assertEquals(r.headers.get("content-type"), "application/json; charset=utf-8");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("errors are generic: a missing log never names its path", async () => {
  const d = dashboard({ auditPath: "/nonexistent/secret-dir/audit.jsonl" });
  for (const path of ["/api/events", "/api/summary"]) {
    const r = await d.get(path);
    assertEquals(r.status, 503);
    const body = await r.text();
    assertEquals(JSON.parse(body), { error: "internal" });
  }
  const chain = await d.json("/api/chain");
  assertEquals([chain.valid, chain.unreadable], [null, true]);
  assert(!JSON.stringify(chain).includes("secret-dir"));
  assertEquals((await d.get("/etc/passwd")).status, 404);
  assertEquals((await d.get("/healthz")).status, 200);
});

Deno.test("the API is rate limited per source; the page and health check are not", async () => {
  const { dir, log } = await fixture();
  const d = createDashboardHandler(normalizeDashboardOptions({ auditPath: log, rateLimit: 3 }));
  d.listeningOn("127.0.0.1", PORT);
  const get = (path: string, remoteAddr: string) => d.handle(request(path), { remoteAddr });
  const statuses = [];
  for (let i = 0; i < 5; i++) {
    const r = await get("/api/summary", "10.0.0.1");
    statuses.push(r.status);
    await r.body?.cancel();
  }
  assertEquals(statuses, [200, 200, 200, 429, 429]);
  assertEquals((await get("/api/summary", "10.0.0.2")).status, 200);
  assertEquals((await get("/", "10.0.0.1")).status, 200);
  assertEquals((await get("/healthz", "10.0.0.1")).status, 200);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("with a token guard the API needs the bearer token; the page does not", async () => {
  const { dir, log } = await fixture();
  const token = "t".repeat(40);
  const d = dashboard({ auditPath: log, sessionGuard: createTokenGuard(token) });
  assertEquals((await d.get("/api/summary")).status, 401);
  const wrong = await d.get("/api/summary", {
    headers: { authorization: `Bearer ${"u".repeat(40)}` },
  });
  assertEquals(wrong.status, 401);
  const right = await d.get("/api/summary", { headers: { authorization: `Bearer ${token}` } });
  assertEquals(right.status, 200);
  await right.body?.cancel();
  assertEquals((await d.get("/")).status, 200);
  assertEquals((await d.get("/healthz")).status, 200);
  assertThrows(() => createTokenGuard("short"), HaechiError);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("options fail closed: remote bind needs the flag, TLS and a guard", () => {
  const guard = createTokenGuard("k".repeat(32));
  const tls = { cert: "CERT", key: "KEY" };
  const bad: DashboardOptions[] = [
    { auditPath: "" },
    { auditPath: "a", port: 70000 },
    { auditPath: "a", window: 100 },
    { auditPath: "a", host: "0.0.0.0" },
    { auditPath: "a", host: "0.0.0.0", allowRemoteBind: true, tls },
    { auditPath: "a", host: "0.0.0.0", allowRemoteBind: true, sessionGuard: guard },
    { auditPath: "a", host: "0.0.0.0", tls, sessionGuard: guard },
    { auditPath: "a", unknown: 1 } as unknown as DashboardOptions,
  ];
  for (const o of bad) {
    const e = assertThrows(() => normalizeDashboardOptions(o), HaechiError);
    assertEquals((e as HaechiError).code, "usage.invalid");
  }
  const remote = normalizeDashboardOptions({
    auditPath: "a",
    host: "0.0.0.0",
    allowRemoteBind: true,
    tls,
    sessionGuard: guard,
  });
  assertEquals(remote.host, "0.0.0.0");
});

Deno.test("a chain walk lets other requests through while it runs, with its progress", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-dash-" });
  const path = `${dir}/audit.jsonl`;
  const writer = await openAuditWriter({ path });
  for (let i = 0; i < 3000; i++) {
    await writer.append({
      kind: "scan",
      mode: "enforce",
      correlationId: `c${i}`,
      source: "cli.scan",
      outcome: "clean",
    });
  }
  await writer.close();
  const checker = createChainChecker(path, null);
  const progress: number[] = [];
  let s = await checker.status(0);
  while (s.checking) {
    progress.push(s.progress);
    s = await checker.status(0);
  }
  assertEquals([s.valid, s.records], [true, 3000]);
  assert(progress.some((p) => p >= 256), `answers came during the walk: ${progress}`);
  await Deno.remove(dir, { recursive: true });
});
