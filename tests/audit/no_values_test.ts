import {
  buildAuditEvent,
  createPathFingerprinter,
  openAuditWriter,
  toHex,
} from "../../src/audit/mod.ts";
import { assert, assertEquals } from "../assert.ts";
import { tempDir } from "./_helpers.ts";

const VALUE = "alice@example.com";

Deno.test("a detected value never reaches the log, hashed or not, nor do raw paths", async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = `${dir}/audit.jsonl`;
    const payload = JSON.stringify({
      messages: [{ role: "user", content: `please mail ${VALUE}` }],
      users: { [VALUE]: { vip: true } },
    });
    const start = payload.indexOf(VALUE);
    // Findings as a protect step would produce them: they carry the value and offsets.
    const findings = [
      {
        type: "email",
        ruleId: "email-address",
        action: "redact",
        path: "$.messages[0].content",
        value: VALUE,
        start,
        end: start + VALUE.length,
        confidence: 0.9,
      },
      {
        type: "email",
        ruleId: "email-address",
        action: "redact",
        path: `$.users["${VALUE}"]`,
        value: VALUE,
        start: 0,
        end: VALUE.length,
        confidence: 0.9,
      },
    ];
    const fingerprint = createPathFingerprinter(crypto.getRandomValues(new Uint8Array(32)));
    const writer = await openAuditWriter({ path, anchorPath: `${dir}/anchors.jsonl` });
    const event = await buildAuditEvent({
      kind: "protect",
      mode: "enforce",
      correlationId: "req-1",
      source: "cli.protect",
      outcome: "redacted",
      findings,
      details: { inputBytes: payload.length, findings: findings.length },
    }, fingerprint);
    const record = await writer.append(event);
    await writer.close();

    assertEquals(record.findings, [
      { type: "email", ruleId: "email-address", action: "redact", count: 2 },
    ]);
    assertEquals(record.paths.length, 2);

    const text = await Deno.readTextFile(path) + await Deno.readTextFile(`${dir}/anchors.jsonl`);
    const lower = text.toLowerCase();
    assert(!lower.includes("alice"), "the value's local part is absent");
    assert(!lower.includes("example.com"), "the value's domain is absent");
    assert(!text.includes("messages"), "raw paths are absent");
    const unkeyed = toHex(
      new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(VALUE))),
    );
    assert(!text.includes(unkeyed), "no unkeyed SHA-256 of the value");
    assert(!text.includes(unkeyed.slice(0, 32)), "not even a truncated one");
  } finally {
    await cleanup();
  }
});
