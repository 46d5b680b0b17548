import { assert, assertEquals } from "../assert.ts";
import { PluginSandbox, sandboxArgs, type SandboxOptions } from "../../src/plugin/sandbox.ts";
import { CircuitBreaker } from "../../src/plugin/breaker.ts";

const RUNNER = new URL("../../src/plugin/_runner.ts", import.meta.url).pathname;
const PROBE = await Deno.readTextFile(
  new URL("../fixtures/plugins/escape_probe.ts", import.meta.url),
);

function box(source: string, patch: Partial<SandboxOptions> = {}): PluginSandbox {
  return new PluginSandbox({
    denoPath: Deno.execPath(),
    runnerPath: RUNNER,
    source,
    timeoutMs: 1500,
    startTimeoutMs: 10_000,
    maxHeapMb: 32,
    maxReplyBytes: 4096,
    ...patch,
  });
}

Deno.test("the child is started with no permission flags and a heap cap", () => {
  const args = sandboxArgs("/r.ts", 48);
  assert(!args.some((a) => a.startsWith("--allow") || a === "-A"), args.join(" "));
  for (const flag of ["--no-prompt", "--no-remote", "--no-npm", "--no-config"]) {
    assert(args.includes(flag), flag);
  }
  assert(args.includes("--v8-flags=--max-old-space-size=48"));
});

Deno.test("escape attempts from a plugin are each denied and the host is unharmed", async () => {
  const sandbox = box(PROBE);
  const denied: Record<string, string> = {};
  try {
    for (
      const probe of [
        "readFile",
        "writeFile",
        "dynamicFileImport",
        "remoteImport",
        "fetch",
        "dns",
        "env",
        "subprocess",
        "ffi",
        "killParent",
        "cacheStorage",
        "localStorage",
        "workerCacheStorage",
      ]
    ) {
      const r = await sandbox.call("authenticate", { probe });
      assert(r.ok, `${probe}: ${JSON.stringify(r)}`);
      const value = r.value as { allowed: boolean; reason: string };
      assertEquals(value.allowed, false, `${probe} escaped`);
      denied[probe] = value.reason;
    }
    // Without --unstable-worker-options asking for Worker permissions ends the child; with
    // it the request is refused. Either way nothing is read and the call fails.
    const worker = await sandbox.call("authenticate", { probe: "workerWithPermissions" });
    assert(!worker.ok || (worker.value as { allowed: boolean }).allowed === false);
  } finally {
    await sandbox.close();
  }
  assertEquals(denied.readFile, "NotCapable");
  assertEquals(denied.killParent, "NotCapable");
  assert(!await exists("/tmp/haechi-sandbox-escape"), "no file was written");
  // Still alive and able to read its own files.
  assert((await Deno.readTextFile(RUNNER)).length > 0);
});

Deno.test("a plugin that statically imports a local file or a remote URL fails to load", async () => {
  for (
    const source of [
      'import text from "file:///etc/hostname" with { type: "text" };\nexport const authenticate = () => ({ allowed: true, reason: text });',
      'import * as m from "https://deno.land/std/version.ts";\nexport const authenticate = () => ({ allowed: true, reason: String(m) });',
    ]
  ) {
    const sandbox = box(source);
    const r = await sandbox.call("authenticate", {});
    await sandbox.close();
    assertEquals(r, { ok: false, failure: "load-failed" });
  }
});

Deno.test("an infinite loop and a memory bomb are killed, and the plugin recovers", async () => {
  const sandbox = box(
    `export function authenticate(a) {
      if (a.mode === "loop") for (;;) {}
      if (a.mode === "bomb") { const keep = []; for (;;) keep.push(new Array(1e6).fill(a)); }
      return { allowed: true };
    }`,
    { timeoutMs: 400, breaker: new CircuitBreaker({ maxFailures: 3 }) },
  );
  try {
    const started = performance.now();
    assertEquals(await sandbox.call("authenticate", { mode: "loop" }), {
      ok: false,
      failure: "timeout",
    });
    assert(performance.now() - started < 3000);
    const bomb = await sandbox.call("authenticate", { mode: "bomb" });
    assert(!bomb.ok && (bomb.failure === "crashed" || bomb.failure === "timeout"), String(bomb));
    assertEquals(await sandbox.call("authenticate", { mode: "ok" }), {
      ok: true,
      value: { allowed: true },
    });
    assertEquals(sandbox.breaker.state, "closed");
  } finally {
    await sandbox.close();
  }
});

Deno.test("a plugin failing every call trips the breaker instead of respawning", async () => {
  let t = 0;
  const sandbox = box("export function authenticate() { Deno.exit(1); }", {
    breaker: new CircuitBreaker({ maxFailures: 2, cooldownMs: 1000, now: () => t }),
  });
  try {
    assertEquals((await sandbox.call("authenticate", {})).ok, false);
    assertEquals((await sandbox.call("authenticate", {})).ok, false);
    assertEquals(await sandbox.call("authenticate", {}), { ok: false, failure: "breaker-open" });
    assertEquals(sandbox.pid, null);
    t = 1001;
    assertEquals(sandbox.breaker.state, "half-open");
  } finally {
    await sandbox.close();
  }
});

Deno.test("a reply larger than the cap kills the child", async () => {
  const sandbox = box(
    'export const authenticate = () => ({ allowed: true, reason: "x".repeat(10000) });',
  );
  const r = await sandbox.call("authenticate", {});
  await sandbox.close();
  assertEquals(r, { ok: false, failure: "reply-too-large" });
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
