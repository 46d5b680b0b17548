// Per-caller counts in the audit log (what the dashboard's callers table reads): each
// request record carries a keyed fingerprint of the caller's scope, never the scope.
import { createTailReader, summarizeWindow } from "../../src/dashboard/mod.ts";
import { assert, assertEquals, assertNotEquals } from "../assert.ts";
import { EMAIL, rig } from "./_setup.ts";

Deno.test("request records carry a keyed caller fingerprint, never the caller's scope", async () => {
  const r = await rig({ proxy: { scopeHeader: "x-haechi-scope" } });
  try {
    const ask = (scope: string) =>
      r.call("/v1/chat/completions", {
        model: "m",
        messages: [{ role: "user", content: `mail ${EMAIL}` }],
      }, {
        headers: { "content-type": "application/json", "x-haechi-scope": scope },
      });
    for (const scope of ["alice-team", "alice-team", "bob-team"]) {
      const res = await ask(scope);
      assertEquals(res.status, 200);
      await res.body?.cancel();
    }
    await r.gw.close();
    const text = await Deno.readTextFile(r.config.audit.path);
    assert(!text.includes("alice-team") && !text.includes("bob-team"), "no scope in the log");
    const requests = text.trim().split("\n").map((l) => JSON.parse(l))
      .filter((e) => e.kind === "proxy.request");
    const hashes = requests.map((e) => e.details.callerHash as string);
    assertEquals(hashes.length, 3);
    assert(hashes.every((h) => /^[0-9a-f]{32}$/.test(h)), hashes.join());
    assertEquals(hashes[0], hashes[1]);
    assertNotEquals(hashes[0], hashes[2]);
    const window = await createTailReader(r.config.audit.path, 1 << 20).read();
    const summary = summarizeWindow(window, { from: null, to: null, type: null });
    assertEquals(summary.callers.map((c) => c.events), [2, 1]);
  } finally {
    await Deno.remove(r.dir, { recursive: true });
  }
});
