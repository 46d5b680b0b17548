// End to end: the gateway with auth.provider "plugin" runs the signed sample bearer-auth
// plugin in its sandbox; a valid bearer token gets through (and becomes the token scope),
// anything else is refused before the upstream is contacted.
import { assert, assertEquals } from "../assert.ts";
import { resolveConfig } from "../../src/config/mod.ts";
import { createMockUpstream } from "../../scripts/mock_upstream.ts";
import { openGateway } from "../../src/proxy/open.ts";
import { testSigner } from "../plugin/_signing.ts";

const EXAMPLE = new URL("../../examples/plugins/bearer_auth.ts", import.meta.url);
const DEMO_TOKEN = "demo-token-please-rotate";

Deno.test("the proxy admits a valid bearer token through the signed auth plugin and refuses others", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-proxy-auth-" });
  const signer = await testSigner("team-a");
  const entry = await Deno.readFile(EXAMPLE);
  await Deno.writeFile(`${dir}/bearer_auth.ts`, entry);
  await Deno.writeTextFile(`${dir}/bearer_auth.sig.json`, await signer.sign(entry));
  const config = resolveConfig({
    configVersion: 1,
    audit: { path: `${dir}/audit.jsonl`, anchorPath: "" },
    keys: { path: `${dir}/keys.json` },
    tokenVault: { path: `${dir}/vault.db` },
    auth: {
      provider: "plugin",
      plugin: {
        manifestPath: `${dir}/bearer_auth.sig.json`,
        entryPath: `${dir}/bearer_auth.ts`,
        trustAnchors: { "team-a": signer.anchor.publicKey },
        allowCapabilities: ["readsCredentials"],
      },
    },
    plugins: { timeoutMs: 5000 },
  }, { knownTypes: [] });
  const up = createMockUpstream();
  const gw = await openGateway(config, { fetch: up.fetch, upstream: "http://127.0.0.1:9" });
  const chat = (authorization?: string) =>
    gw.gateway.fetch(
      new Request("http://gw/v1/chat/completions", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hello" }] }),
      }),
    );
  try {
    const ok = await chat(`Bearer ${DEMO_TOKEN}`);
    assertEquals(ok.status, 200);
    await ok.body?.cancel();
    const seen = up.requests.length;
    assertEquals(seen, 1);
    assert(
      !JSON.stringify(up.requests[0]).includes(DEMO_TOKEN),
      "the gateway credential never reaches the upstream",
    );
    for (const bad of ["Bearer wrong-token-123", undefined]) {
      const res = await chat(bad);
      assertEquals(res.status, 401);
      await res.body?.cancel();
    }
    assertEquals(up.requests.length, seen, "refused requests never reach the upstream");
  } finally {
    await gw.close();
    await Deno.remove(dir, { recursive: true });
  }
});
