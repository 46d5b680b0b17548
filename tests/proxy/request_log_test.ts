// logging.format: one line per request with what happened and never what was said, and a
// caller's x-request-id carried to its reply, the log line and the audit record.
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { createMockUpstream } from "../../scripts/mock_upstream.ts";
import { openGateway } from "../../src/proxy/open.ts";
import { formatRequestLog, type RequestLogEntry } from "../../src/proxy/middleware/request_log.ts";
import { EMAIL, testConfig } from "./_setup.ts";

async function logRig(fetchImpl?: (r: Request) => Promise<Response>) {
  const { config, dir } = await testConfig();
  const up = createMockUpstream();
  const entries: RequestLogEntry[] = [];
  const gw = await openGateway(config, {
    fetch: fetchImpl ?? up.fetch,
    requestLog: (e) => entries.push(e),
  });
  const call = (headers: Record<string, string> = {}) =>
    gw.gateway.fetch(
      new Request("http://gw.test/v1/chat/completions", {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({
          model: "m",
          messages: [{ role: "user", content: `mail ${EMAIL}` }],
        }),
      }),
    );
  return {
    config,
    entries,
    call,
    async close() {
      await gw.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("a valid x-request-id comes back on the reply and names the log line and the audit records", async () => {
  const r = await logRig();
  try {
    const res = await r.call({ "x-request-id": "req-42.a", "x-secret-header": "hunter2" });
    assertEquals(res.status, 200);
    await res.json();
    assertEquals(res.headers.get("x-haechi-request-id"), "req-42.a");
    assertEquals(r.entries.length, 1);
    const e = r.entries[0];
    assertEquals(
      { id: e.correlationId, route: e.route, status: e.status, up: e.upstreamStatus },
      { id: "req-42.a", route: "chat.completions", status: 200, up: 200 },
    );
    assertEquals(e.findings, { email: 1 });
    for (const format of ["text", "json"] as const) {
      const line = formatRequestLog(e, format);
      assert(line.endsWith("\n") && line.indexOf("\n") === line.length - 1, "one line");
      assert(!line.includes(EMAIL) && !line.includes("hunter2"), `a value was logged: ${line}`);
    }
    assertMatch(formatRequestLog(e, "text"), /^POST chat\.completions 200 [\d.]+ms upstream=200 /);
    const records = (await Deno.readTextFile(r.config.audit.path)).trim().split("\n")
      .map((l) => JSON.parse(l)).filter((x) => x.kind.startsWith("proxy."));
    assertEquals(records.map((x) => x.correlationId), ["req-42.a", "req-42.a"]);
  } finally {
    await r.close();
  }
});

Deno.test("an x-request-id that is not a plain id is replaced, and refusals carry the id too", async () => {
  const r = await logRig();
  try {
    const res = await r.call({ "x-request-id": `id ${EMAIL}` });
    await res.body?.cancel();
    const id = res.headers.get("x-haechi-request-id") ?? "";
    assertMatch(id, /^[0-9a-f-]{36}$/);
    const log = await Deno.readTextFile(r.config.audit.path);
    assert(!log.includes(EMAIL));
    const bad = await r.call({ "content-type": "text/plain", "x-request-id": "r-7" });
    await bad.body?.cancel();
    assertEquals(bad.headers.get("x-haechi-request-id"), "r-7");
  } finally {
    await r.close();
  }
});

Deno.test("an upstream that refuses the connection is logged as refused with the caller's 502", async () => {
  const r = await logRig(() =>
    Promise.reject(new TypeError("error sending request: Connection refused (os error 111)"))
  );
  try {
    const res = await r.call();
    assertEquals(res.status, 502);
    await res.body?.cancel();
    const e = r.entries[0];
    assertEquals([e.upstreamStatus, e.upstreamFailure, e.decision], [
      null,
      "refused",
      "upstream_error",
    ]);
    assertMatch(formatRequestLog(e, "text"), / 502 .* upstream=refused decision=upstream_error /);
  } finally {
    await r.close();
  }
});
