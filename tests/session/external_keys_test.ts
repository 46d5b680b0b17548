// keys.provider "external": keys come from a crypto provider the embedding program injects;
// without one (the command line) haechi refuses to start and never touches a key file.
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../assert.ts";
import { resolveConfig } from "../../src/config/mod.ts";
import { HaechiError } from "../../src/errors.ts";
import { openSession } from "../../src/session/mod.ts";
import { startGateway } from "../../src/proxy/open.ts";
import { serveHttp } from "../../src/runtime/serve.ts";
import { createMockUpstream } from "../../scripts/mock_upstream.ts";
import { createKeyFile, openLocalKeyProvider } from "../../src/vault/mod.ts";
import { runCli } from "../../src/cli/mod.ts";
import { createTestIO } from "../cli/_io.ts";

const EMAIL = "jane.roe@example.org";

function externalConfig(dir: string) {
  return resolveConfig({
    keys: { provider: "external", keyFile: `${dir}/never-written.json` },
    audit: { path: `${dir}/audit.jsonl`, anchorPath: `${dir}/anchors.jsonl` },
    tokenVault: { path: `${dir}/vault.db` },
    policy: { actions: { email: "tokenize" } },
  });
}

/** A stand-in for a KMS-backed provider: keys held somewhere haechi's config does not name. */
async function injectedProvider(dir: string) {
  const elsewhere = `${dir}/kms/keys.json`;
  await Deno.mkdir(`${dir}/kms`);
  const material = await createKeyFile(elsewhere);
  const keys = await openLocalKeyProvider({ path: elsewhere, nonceBudget: 2 ** 32, material });
  return { keys, auditHmacKey: material.hmacKey };
}

Deno.test("a gateway opened with an injected crypto provider tokenizes and restores over real sockets, and writes no key file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-ext-" });
  const up = createMockUpstream();
  const upServer = await serveHttp(up.fetch, { hostname: "127.0.0.1", port: 0 });
  const crypto = await injectedProvider(dir);
  const config = externalConfig(dir);
  const gw = await startGateway(config, {
    port: 0,
    upstream: `http://127.0.0.1:${upServer.port}`,
    crypto,
  });
  try {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: `mail ${EMAIL}` }] }),
    });
    assertEquals(res.status, 200);
    assertStringIncludes(await res.text(), EMAIL);
    assert(up.requests.length > 0 && up.requests.every((r) => !r.body.includes(EMAIL)));
    assert(up.requests.some((r) => r.body.includes("[TOKEN:email:")));
  } finally {
    await gw.close();
    await upServer.close();
  }
  // The vault left the injected keys open for their owner.
  assertEquals((await crypto.keys.status()).length > 0, true);
  await crypto.keys.close();
  await assertRejects(() => Deno.stat(`${dir}/never-written.json`), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("keys.provider external without an injected provider, or a provider with local keys, is refused naming the key", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-ext-" });
  try {
    const config = externalConfig(dir);
    const err = await assertRejects(() => openSession(config, "test"), HaechiError) as HaechiError;
    assertEquals(err.code, "config.invalid");
    assertStringIncludes(err.message, "keys.provider");
    const crypto = await injectedProvider(dir);
    const local = resolveConfig({ keys: { keyFile: `${dir}/k.json` } });
    const mismatch = await assertRejects(() => openSession(local, "test", { crypto }), HaechiError);
    assertStringIncludes(mismatch.message, "keys.provider");
    await crypto.keys.close();
    await assertRejects(() => Deno.stat(`${dir}/never-written.json`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the command line refuses keys.provider external at start-up with a message naming the key", async () => {
  const dir = await Deno.makeTempDir({ prefix: "haechi-ext-" });
  try {
    const path = `${dir}/haechi.config.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({ keys: { provider: "external", keyFile: `${dir}/never-written.json` } }),
    );
    const t = createTestIO({ stdin: JSON.stringify({ q: EMAIL }) });
    const code = await runCli(["protect", "--config", path], t.io);
    assert(code !== 0);
    assertStringIncludes(t.stderr(), '"keys.provider": "external"');
    await assertRejects(() => Deno.stat(`${dir}/never-written.json`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
