import {
  buildAuditEvent,
  buildAuditEventSync,
  createPathFingerprinter,
  createPathFingerprinterSync,
} from "../../src/audit/mod.ts";
import { assertEquals } from "../assert.ts";

const KEY = new Uint8Array(32).fill(5);
const email = { type: "email", ruleId: "email-address", action: "tokenize" };
const phone = { type: "phone", ruleId: "phone-e164", action: "mask" };

Deno.test("the plain event builder counts, fingerprints and sorts as the promised one does", async () => {
  const inputs = [
    [],
    [{ ...email, path: "$.a" }],
    [{ ...phone, path: "$.b" }, { ...email, path: "$.a" }, { ...email, path: "$.a" }],
    [{ ...email, path: "$.z" }, { ...email }, { ...phone, path: "$.a" }, { ...phone, path: "$.m" }],
  ];
  for (const findings of inputs) {
    const input = {
      kind: "proxy.request",
      mode: "enforce",
      correlationId: "r1",
      source: "proxy",
      outcome: "redacted",
      findings,
      details: { route: "chat" },
    } as const;
    assertEquals(
      buildAuditEventSync(input, createPathFingerprinterSync(KEY)),
      await buildAuditEvent(input, createPathFingerprinter(KEY)),
    );
  }
});
