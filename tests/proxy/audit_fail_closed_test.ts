// Fail closed on audit: a request whose record the log cannot take is never forwarded.
import { assert, assertEquals } from "../assert.ts";
import { EMAIL, rig } from "./_setup.ts";

Deno.test({
  name: "a request whose audit record cannot be written is refused and never reaches upstream",
  ignore: Deno.build.os !== "linux",
  async fn() {
    // /dev/full opens fine and fails every write, like a full disk.
    const r = await rig({ audit: { path: "/dev/full", anchorPath: "" } });
    try {
      const res = await r.call("/v1/chat/completions", {
        model: "m",
        messages: [{ role: "user", content: `mail ${EMAIL}` }],
      });
      const text = await res.text();
      assert(res.status >= 500, `status ${res.status}`);
      assert(!text.includes(EMAIL));
      assertEquals(r.up.requests.length, 0);
      const ready = await r.gw.gateway.fetch(new Request("http://gw.test/__haechi/ready"));
      assertEquals(ready.status, 503);
    } finally {
      await r.close();
    }
  },
});
