// auth.plugin.keyMaterial: the host fetches an operator-declared key document over HTTPS
// (SSRF-guarded, TTL and cooldown) and hands it to a custom-credential plugin that has no
// network access. A real HTTPS server on 127.0.0.1 serves the document; the test lets the
// guard reach loopback through the gate's test-only seam.
import { assert, assertEquals, assertRejects } from "../assert.ts";
import { resolveConfig } from "../../src/config/mod.ts";
import type { AuditInput } from "../../src/audit/mod.ts";
import { createAuthGate } from "../../src/auth/auth_gate.ts";
import { createKeyMaterialSource, isPublicAddress } from "../../src/auth/key_material.ts";
import { assertSafeAuditEvent } from "../../src/audit/event_guard.ts";
import { testSigner } from "../plugin/_signing.ts";

const TLS = new URL("../fixtures/tls/", import.meta.url).pathname;
const PLUGIN = new URL("../fixtures/plugins/key_auth.ts", import.meta.url);
const signer = await testSigner("team-a");

async function token(keyId: string, keyHex: string, subject: string): Promise<string> {
  const raw = new Uint8Array((keyHex.match(/../g) ?? []).map((h) => parseInt(h, 16)));
  const key = await crypto.subtle.importKey(
    "raw",
    raw,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(subject)),
  );
  return `Bearer ${keyId}.${subject}.${
    [...mac].map((b) => b.toString(16).padStart(2, "0")).join("")
  }`;
}

/** An HTTPS key server on 127.0.0.1 whose document and status the test changes. */
function keyServer() {
  const state = { doc: { keys: { k1: "11".repeat(32) } } as unknown, status: 200, hits: 0 };
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: Deno.readTextFileSync(`${TLS}cert.pem`),
    key: Deno.readTextFileSync(`${TLS}key.pem`),
    onListen() {},
  }, () => {
    state.hits++;
    return state.status === 200
      ? Response.json(state.doc)
      : new Response("down", { status: state.status });
  });
  return { state, url: `https://127.0.0.1:${server.addr.port}/jwks.json`, server };
}

async function gateFor(url: string, seam: boolean, clock: { t: number }, events: AuditInput[]) {
  const dir = await Deno.makeTempDir({ prefix: "haechi-keymat-" });
  const entry = await Deno.readFile(PLUGIN);
  await Deno.writeFile(`${dir}/key_auth.ts`, entry);
  await Deno.writeTextFile(
    `${dir}/key_auth.sig.json`,
    await signer.sign(entry, { id: "key-auth" }),
  );
  const config = resolveConfig({
    auth: {
      provider: "plugin",
      plugin: {
        manifestPath: `${dir}/key_auth.sig.json`,
        entryPath: `${dir}/key_auth.ts`,
        trustAnchors: { "team-a": signer.anchor.publicKey },
        allowCapabilities: ["readsCredentials"],
        isolation: "process",
        keyMaterial: { url, ttlMs: 60_000, cooldownMs: 10_000 },
      },
    },
    plugins: { timeoutMs: 5000 },
  }, { knownTypes: [] });
  const gate = await createAuthGate(config, {
    audit: {
      record(input) {
        assertSafeAuditEvent({ ...input, mode: "enforce", source: "proxy" } as never);
        events.push(input);
        return Promise.resolve();
      },
    },
    now: () => clock.t,
    ...(seam
      ? {
        keyMaterialFetch: {
          allowAddress: (ip: string) => ip === "127.0.0.1",
          caCerts: [Deno.readTextFileSync(`${TLS}cert.pem`)],
        },
      }
      : {}),
  });
  return {
    gate,
    async close() {
      await gate.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const ask = (authorization: string) => new Headers({ authorization });

Deno.test("a custom-credential plugin checks callers against the host-fetched key document, refreshed after its TTL", async () => {
  const ks = keyServer();
  const clock = { t: Date.now() };
  const events: AuditInput[] = [];
  const g = await gateFor(ks.url, true, clock, events);
  try {
    const alice = await token("k1", "11".repeat(32), "alice");
    for (let i = 0; i < 3; i++) {
      const d = await g.gate.authenticate(ask(alice));
      assertEquals([d.allowed, d.subject], [true, "alice"]);
    }
    assertEquals(ks.state.hits, 1, "the document is fetched once per TTL, not per call");
    assertEquals(
      (await g.gate.authenticate(ask(await token("k1", "22".repeat(32), "eve")))).allowed,
      false,
    );

    // The key rotates at the server; after the TTL the host fetches the new document.
    ks.state.doc = { keys: { k2: "33".repeat(32) } };
    assertEquals((await g.gate.authenticate(ask(alice))).allowed, true, "still within the TTL");
    clock.t += 60_001;
    assertEquals((await g.gate.authenticate(ask(alice))).allowed, false, "k1 was rotated out");
    const bob = await token("k2", "33".repeat(32), "bob");
    assertEquals((await g.gate.authenticate(ask(bob))).subject, "bob");
    assertEquals(ks.state.hits, 2);

    // The key server fails: past the TTL the stale document is not used (fail closed), and
    // no new attempt is made until the cooldown has passed.
    ks.state.status = 503;
    clock.t += 60_001;
    assertEquals((await g.gate.authenticate(ask(bob))).reason, "no-key-material");
    assertEquals((await g.gate.authenticate(ask(bob))).allowed, false);
    assertEquals(ks.state.hits, 3, "one attempt, then the cooldown");
    ks.state.status = 200;
    clock.t += 10_001;
    assertEquals(
      (await g.gate.authenticate(ask(bob))).allowed,
      true,
      "recovered after the cooldown",
    );
    assertEquals(ks.state.hits, 4);

    const fetches = events.filter((e) => e.kind === "plugin.key_material");
    assertEquals(fetches.map((e) => e.outcome), ["fetched", "fetched", "failed", "fetched"]);
    assertEquals(fetches[2].details?.reason, "status-503");
    const logged = JSON.stringify(events);
    assert(
      !logged.includes("33".repeat(32)) && !logged.includes("alice"),
      "no key or subject logged",
    );
  } finally {
    await g.close();
    await ks.server.shutdown();
  }
});

Deno.test("without the test seam the SSRF guard refuses a loopback key URL and the plugin denies", async () => {
  const ks = keyServer();
  const events: AuditInput[] = [];
  const g = await gateFor(ks.url, false, { t: Date.now() }, events);
  try {
    const alice = await token("k1", "11".repeat(32), "alice");
    const d = await g.gate.authenticate(ask(alice));
    assertEquals([d.allowed, d.reason], [false, "no-key-material"]);
    assertEquals(ks.state.hits, 0, "the loopback server was never contacted");
    const failed = events.find((e) => e.kind === "plugin.key_material");
    assertEquals(failed?.details?.reason, "address-refused");
  } finally {
    await g.close();
    await ks.server.shutdown();
  }
});

Deno.test("the key document cache follows TTL and cooldown on an injected clock", async () => {
  let t = 0;
  let hits = 0;
  let up = true;
  const src = createKeyMaterialSource(
    { url: "https://keys.example/j", ttlMs: 100, cooldownMs: 50 },
    {
      now: () => t,
      fetchDocument: () => {
        hits++;
        return up
          ? Promise.resolve({ status: 200, body: new TextEncoder().encode(`{"n":${hits}}`) })
          : Promise.reject(Object.assign(new Error("x"), { details: { reason: "timeout" } }));
      },
    },
  );
  const [a, b] = await Promise.all([src.get(), src.get()]);
  assertEquals([a, b, hits], [{ n: 1 }, { n: 1 }, 1], "concurrent calls share one fetch");
  t = 101;
  up = false;
  assertEquals(await src.get(), null);
  t = 120;
  assertEquals([await src.get(), hits], [null, 2], "within the cooldown");
  t = 152;
  up = true;
  assertEquals([await src.get(), hits], [{ n: 3 }, 3]);
});

Deno.test("only public unicast addresses pass the key fetch guard", () => {
  for (
    const ip of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::1",
      "::",
      "fe80::1",
      "fd00:ec2::254",
      "::ffff:127.0.0.1",
      "::ffff:a9fe:a9fe",
      "64:ff9b::a9fe:a9fe",
      "2002:7f00:1::",
      "2001:db8::1",
      "ff02::1",
      "fe80::1%eth0",
      "not-an-ip",
    ]
  ) assert(!isPublicAddress(ip), ip);
  for (const ip of ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"]) {
    assert(isPublicAddress(ip), ip);
  }
});

Deno.test("auth.plugin.keyMaterial.url must be https without credentials", async () => {
  for (const url of ["http://keys.example/j", "https://u:p@keys.example/j", "nope"]) {
    await assertRejects(
      () =>
        Promise.resolve().then(() => resolveConfig({ auth: { plugin: { keyMaterial: { url } } } })),
      Error,
      "auth.plugin.keyMaterial.url",
    );
  }
  const ok = resolveConfig({
    auth: { plugin: { keyMaterial: { url: "https://keys.example/j" } } },
  });
  assertEquals(ok.auth.plugin.keyMaterial, {
    url: "https://keys.example/j",
    ttlMs: 300_000,
    cooldownMs: 30_000,
  });
});
