import { DEFAULT_CONFIG } from "../../src/config/mod.ts";
import { verifyAuditLog } from "../../src/audit/mod.ts";
import { openAuditSink } from "../../src/session/audit_sink.ts";
import { assert, assertEquals, assertNotEquals, assertRejects } from "../assert.ts";

const KEY = new Uint8Array(32).fill(4);

async function withSink(
  fn: (sink: Awaited<ReturnType<typeof openAuditSink>>, path: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const config = { ...DEFAULT_CONFIG, audit: { ...DEFAULT_CONFIG.audit, path, anchorPath: "" } };
    await fn(await openAuditSink(config, KEY, "proxy"), path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("records not awaited are in the log once the sink is closed", async () => {
  await withSink(async (sink, path) => {
    const finding = { type: "email", ruleId: "email-address", action: "tokenize" };
    for (let i = 0; i < 5; i++) {
      sink.record({
        kind: "proxy.request",
        correlationId: `r${i}`,
        outcome: "redacted",
        findings: [{ ...finding, path: "$.messages[0].content" }, { ...finding, path: "$.x" }],
        details: { route: "chat" },
        callerScope: "alice",
      });
    }
    await sink.close();
    const lines = (await Deno.readTextFile(path)).trim().split("\n").map((l) => JSON.parse(l));
    assertEquals(lines.map((r) => r.correlationId), ["r0", "r1", "r2", "r3", "r4"]);
    assertEquals(lines[0].findings, [{ ...finding, count: 2 }]);
    assertEquals(lines[0].paths.length, 2);
    assertEquals(lines[0].details.route, "chat");
    // The caller is named by a keyed fingerprint only, and not as a path would be.
    assert(/^[0-9a-f]{32}$/.test(lines[0].details.callerHash));
    assert(!lines[0].paths.includes(lines[0].details.callerHash));
    assert(!JSON.stringify(lines).includes("alice"));
    assertEquals((await verifyAuditLog({ path })).ok, true);
  });
});

Deno.test("a record the writer refuses rejects, and the sink keeps working", async () => {
  await withSink(async (sink, path) => {
    await assertRejects(() =>
      sink.record({ kind: "bad kind!", correlationId: "r1", outcome: "clean" })
    );
    await sink.record({ kind: "proxy.request", correlationId: "r2", outcome: "clean" });
    await sink.close();
    const lines = (await Deno.readTextFile(path)).trim().split("\n");
    assertEquals(lines.length, 1);
    assertNotEquals(JSON.parse(lines[0]).hash, undefined);
  });
});
