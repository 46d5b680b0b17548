import { assert, assertEquals, assertRejects } from "../assert.ts";
import { resolveConfig } from "../../src/config/mod.ts";
import type { AuditInput } from "../../src/audit/mod.ts";
import { HaechiError } from "../../src/errors.ts";
import { createAuthGate } from "../../src/auth/auth_gate.ts";
import { assertSafeAuditEvent } from "../../src/audit/event_guard.ts";
import { testSigner } from "../plugin/_signing.ts";

const EXAMPLE = new URL("../../examples/plugins/bearer_auth.ts", import.meta.url);
const DEMO_TOKEN = "demo-token-please-rotate";
const signer = await testSigner("team-a");

interface Setup {
  readonly dir: string;
  readonly raw: Record<string, unknown>;
  readonly events: AuditInput[];
  readonly audit: { record(input: AuditInput): Promise<void> };
}

async function setup(entryPatch?: (bytes: Uint8Array) => Uint8Array): Promise<Setup> {
  const dir = await Deno.makeTempDir({ prefix: "haechi-gate-" });
  const entry = await Deno.readFile(EXAMPLE);
  await Deno.writeFile(`${dir}/bearer_auth.ts`, entryPatch ? entryPatch(entry) : entry);
  await Deno.writeTextFile(`${dir}/bearer_auth.sig.json`, await signer.sign(entry));
  const events: AuditInput[] = [];
  const raw = {
    configVersion: 1,
    auth: {
      provider: "plugin",
      plugin: {
        manifestPath: `${dir}/bearer_auth.sig.json`,
        entryPath: `${dir}/bearer_auth.ts`,
        trustAnchors: { "team-a": signer.anchor.publicKey },
        allowCapabilities: ["readsCredentials"],
      },
    },
    plugins: { timeoutMs: 3000 },
  };
  return {
    dir,
    raw,
    events,
    audit: {
      record(input) {
        events.push(input);
        return Promise.resolve();
      },
    },
  };
}

function request(authorization?: string): Request {
  const headers = new Headers({ "user-agent": "test" });
  if (authorization !== undefined) headers.set("authorization", authorization);
  return new Request("http://127.0.0.1/v1/chat?key=abc", { headers });
}

Deno.test("a signed sample auth plugin accepts a valid bearer token and denies others", async () => {
  const s = await setup();
  const gate = await createAuthGate(resolveConfig(s.raw, { knownTypes: [] }), { audit: s.audit });
  try {
    assertEquals(await gate.authenticate(request(`Bearer ${DEMO_TOKEN}`)), {
      allowed: true,
      subject: "demo-client",
    });
    assertEquals(await gate.authenticate(request("Bearer wrong-token-123")), {
      allowed: false,
      reason: "invalid-token",
    });
    assertEquals(await gate.authenticate(request()), { allowed: false, reason: "missing-bearer" });
    const headersOnly = new Headers({ authorization: `Bearer ${DEMO_TOKEN}` });
    assertEquals((await gate.authenticate(headersOnly, { correlationId: "req-1" })).allowed, true);
  } finally {
    await gate.close();
    await Deno.remove(s.dir, { recursive: true });
  }
  const kinds = s.events.map((e) => `${e.kind}:${e.outcome}`);
  assert(kinds.includes("plugin.load:loaded"), kinds.join());
  assertEquals(kinds.filter((k) => k === "auth:allowed").length, 2);
  assertEquals(kinds.filter((k) => k === "auth:denied").length, 2);
  assert(s.events.some((e) => e.correlationId === "req-1"));
  const logged = JSON.stringify(s.events);
  assert(!logged.includes(DEMO_TOKEN) && !logged.includes("wrong-token"), "no token audited");
  assert(!logged.includes("demo-client"), "subject is not audited");
  for (const e of s.events) {
    assertSafeAuditEvent({ ...e, findings: undefined, mode: "enforce", source: "proxy" });
  }
});

Deno.test("a tampered plugin entry stops start-up with tampered-entry and is audited", async () => {
  const s = await setup((b) => {
    const c = b.slice();
    c[c.length - 2] ^= 1;
    return c;
  });
  const config = resolveConfig(s.raw, { knownTypes: [] });
  const err = await assertRejects(() => createAuthGate(config, { audit: s.audit }), HaechiError);
  await Deno.remove(s.dir, { recursive: true });
  assertEquals((err as HaechiError).code, "plugin.refused");
  assertEquals((err as HaechiError).details.reason, "tampered-entry");
  assertEquals(s.events[0].outcome, "refused");
  assertEquals(s.events[0].details?.reason, "tampered-entry");
});

Deno.test("plugins.enabled false denies every request without starting the plugin", async () => {
  const s = await setup();
  const config = resolveConfig({ ...s.raw, plugins: { enabled: false } }, { knownTypes: [] });
  const gate = await createAuthGate(config, { audit: s.audit });
  assertEquals(await gate.authenticate(request(`Bearer ${DEMO_TOKEN}`)), {
    allowed: false,
    reason: "plugins-disabled",
  });
  await gate.close();
  await Deno.remove(s.dir, { recursive: true });
  assertEquals(s.events[0].details?.reason, "plugins-disabled");
});

Deno.test("without a deno executable the gate fails closed and names plugins.denoPath", async () => {
  const s = await setup();
  const config = resolveConfig(s.raw, { knownTypes: [] });
  const err = await assertRejects(
    () => createAuthGate(config, { audit: s.audit, execPath: () => "/opt/haechi/haechi" }),
    HaechiError,
  );
  await Deno.remove(s.dir, { recursive: true });
  assertEquals((err as HaechiError).code, "plugin.unavailable");
  assert(err.message.includes("plugins.denoPath"), err.message);
});

Deno.test("a build with no runner file on disk runs the plugin from the embedded runner, written to a private temp file", async () => {
  const s = await setup();
  const raw = { ...s.raw, plugins: { timeoutMs: 3000, denoPath: Deno.execPath() } };
  // A compiled binary: the running executable is not deno, so the runner beside the
  // sources is not used even though its file: URL looks usable.
  // A temp folder of its own (not TMPDIR: the environment is shared with parallel tests).
  const tmp = await Deno.makeTempDir({ prefix: "haechi-gate-tmp-" });
  const gate = await createAuthGate(resolveConfig(raw, { knownTypes: [] }), {
    audit: s.audit,
    execPath: () => "/opt/haechi/haechi",
    runnerTempDir: tmp,
  });
  try {
    assertEquals((await gate.authenticate(request(`Bearer ${DEMO_TOKEN}`))).allowed, true);
    assertEquals(await gate.authenticate(request("Bearer wrong-token-123")), {
      allowed: false,
      reason: "invalid-token",
    });
    const dirs = await Array.fromAsync(Deno.readDir(tmp));
    assertEquals(dirs.length, 1, "one private runner folder");
    assert(dirs[0].name.startsWith("haechi-runner-"), dirs[0].name);
    await gate.close();
    assertEquals(await Array.fromAsync(Deno.readDir(tmp)), [], "close removes it");
  } finally {
    await gate.close();
    await Deno.remove(s.dir, { recursive: true });
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("a plugins.denoPath that does not exist stops start-up with plugin.unavailable", async () => {
  const s = await setup();
  const raw = { ...s.raw, plugins: { denoPath: `${s.dir}/no-such-deno` } };
  const err = await assertRejects(
    () => createAuthGate(resolveConfig(raw, { knownTypes: [] }), { audit: s.audit }),
    HaechiError,
  );
  await Deno.remove(s.dir, { recursive: true });
  assertEquals((err as HaechiError).code, "plugin.unavailable");
  assert(err.message.includes("plugins.denoPath"), err.message);
  assertEquals(s.events.at(-1)?.details?.reason, "no-deno");
});

Deno.test("auth.provider none lets every request through without a plugin", async () => {
  const gate = await createAuthGate(resolveConfig({ configVersion: 1 }, { knownTypes: [] }));
  assertEquals(gate.kind, "none");
  assertEquals((await gate.authenticate(request())).allowed, true);
  await gate.close();
});
