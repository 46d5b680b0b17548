// The writer encodes each event's values once and assembles both texts from them; the
// result must be exactly what the generic encoders give, or old logs and the verifier
// would disagree with new records.
import { type AuditEvent, GENESIS_HASH } from "../../src/audit/mod.ts";
import { hashRecordSync } from "../../src/audit/record.ts";
import { encodeEvent, sealEvent } from "../../src/audit/record_text.ts";
import { canonicalJson } from "../../src/signing/canonical_json.ts";
import { assertEquals } from "../assert.ts";

const base: AuditEvent = {
  kind: "proxy.request",
  mode: "enforce",
  correlationId: "0f8a-uuid",
  source: "proxy",
  outcome: "redacted",
  findings: [
    { type: "email", ruleId: "email-address", action: "tokenize", count: 2 },
    { type: "phone", ruleId: "phone-e164", action: "mask", count: 1 },
  ],
  paths: ["0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"],
};

const cases: AuditEvent[] = [
  base,
  { ...base, findings: [], paths: [] },
  { kind: "scan", mode: "dry-run", correlationId: "r1", source: "cli", outcome: "clean" },
  { ...base, details: {} },
  {
    ...base,
    details: { status: 200, stream: false, route: "chat.completions", Zed: -0, a: 1.5e-7 },
  },
  // Array-index keys come first in JSON.stringify's order and sort as strings in canonical.
  { ...base, details: { b: 1, "10": "ten", a: true, "2": "two", "01": "zero-one" } },
  { ...base, details: { note: 'quote " back\\slash \u2028 \ud800 é \u0001', "B-key": 3 } },
];

Deno.test("a sealed record's line is JSON.stringify of the record, its hash the generic one", () => {
  for (const event of cases) {
    for (const prev of [{ seq: 0, hash: GENESIS_HASH }, { seq: 41, hash: "ab".repeat(32) }]) {
      const ts = "2024-05-01T12:00:00.000Z";
      const { record, line } = sealEvent(encodeEvent(event), prev, ts);
      assertEquals(line, JSON.stringify(record));
      assertEquals(record.hash, hashRecordSync({ ...record }));
      const { hash: _hash, ...unsigned } = record;
      assertEquals(JSON.parse(line), { ...JSON.parse(canonicalJson(unsigned)), hash: record.hash });
      assertEquals(record.seq, prev.seq + 1);
      assertEquals(record.prevHash, prev.hash);
      assertEquals(record.ts, ts);
    }
  }
});

Deno.test("a sealed record holds the event's fields in the record's own key order", () => {
  const { record } = sealEvent(encodeEvent(cases[4]), { seq: 0, hash: GENESIS_HASH }, "x");
  assertEquals(Object.keys(record), [
    "schemaVersion",
    "seq",
    "ts",
    "prevHash",
    "kind",
    "mode",
    "correlationId",
    "source",
    "outcome",
    "findings",
    "paths",
    "details",
    "hash",
  ]);
});
