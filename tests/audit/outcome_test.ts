import { assertEquals } from "../assert.ts";
import { protectionOutcome, replyOutcome } from "../../src/audit/mod.ts";

Deno.test("a protected payload's outcome: blocked wins, then clean, then the mode decides", () => {
  assertEquals(protectionOutcome({ blocked: true, enforcing: true, found: 1 }), "blocked");
  assertEquals(protectionOutcome({ blocked: true, enforcing: false, found: 1 }), "blocked");
  assertEquals(protectionOutcome({ blocked: false, enforcing: true, found: 0 }), "clean");
  assertEquals(protectionOutcome({ blocked: false, enforcing: true, found: 3 }), "redacted");
  assertEquals(protectionOutcome({ blocked: false, enforcing: false, found: 3 }), "dry-run");
});

Deno.test("a reply whose findings were all allowed for the caller reads as allowed, not redacted", () => {
  assertEquals(replyOutcome(true, []), "clean");
  assertEquals(replyOutcome(false, [{ action: "redact" }]), "dry-run");
  assertEquals(replyOutcome(true, [{ action: "allow" }, { action: "allow" }]), "allowed");
  assertEquals(replyOutcome(true, [{ action: "allow" }, { action: "mask" }]), "redacted");
});
