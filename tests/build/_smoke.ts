// The end-to-end smoke test every shipped build of haechi must pass, run against real
// processes on 127.0.0.1: init, protect, scan, proxy with the OpenAI SDK against a mock
// upstream, mcp-wrap around a stdio MCP server, audit-verify, and plugin keygen/sign/verify.
// `haechi` is whatever command line starts the build under test (node + bin, or a binary).
// deno-lint-ignore no-import-prefix
import OpenAI from "npm:openai@7.59.0";
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { createMockUpstream } from "../../scripts/mock_upstream.ts";
import { serveHttp } from "../../src/runtime/serve.ts";
import { assertRestored, assertUpstreamClean, PROMPT } from "../proxy/_sdk.ts";
import { bearerSignArgs } from "../fixtures/plugins/bearer_sign_args.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const ECHO_SERVER = `${ROOT}tests/fixtures/mcp/echo_server.mjs`;
const PLUGIN = `${ROOT}examples/plugins/bearer_auth.ts`;
const EMAIL = "jane.roe@example.org";

/** How to start the build under test. */
export interface SmokeTarget {
  /** Command line before haechi's own arguments, e.g. `[node, ".../bin/haechi.js"]`. */
  readonly haechi: readonly string[];
  /** A `node` binary for the MCP echo server. */
  readonly node: string;
  /** Extra environment (PATH and the like). */
  readonly env?: Record<string, string>;
  /**
   * A deno executable for `plugins.denoPath`: the build then loads a signed authProvider
   * plugin and must let a request with the right token through and deny the others.
   */
  readonly deno?: string;
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function baseEnv(target: SmokeTarget): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: Deno.env.get("HOME") ?? "/tmp",
    NO_COLOR: "1",
    ...target.env,
  };
}

async function run(target: SmokeTarget, cwd: string, args: string[]): Promise<Ran> {
  const [cmd, ...pre] = target.haechi;
  const out = await new Deno.Command(cmd, {
    args: [...pre, ...args],
    cwd,
    stdin: "null",
    env: baseEnv(target),
    clearEnv: true,
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

function ok(r: Ran, what: string): Ran {
  assertEquals(r.code, 0, `${what} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r;
}

/** Start `haechi proxy` in `dir` in front of a loopback upstream; resolves once it listens. */
async function startProxy(
  target: SmokeTarget,
  dir: string,
  upstreamPort: number,
  env: Record<string, string> = {},
) {
  const [cmd, ...pre] = target.haechi;
  const child = new Deno.Command(cmd, {
    args: [...pre, "proxy", "--port", "0", "--upstream", `http://127.0.0.1:${upstreamPort}`],
    cwd: dir,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: { ...baseEnv(target), ...env },
    clearEnv: true,
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let m: RegExpMatchArray | null = null;
  while ((m = text.match(/listening on (http:\/\/\S+):/)) === null) {
    const { value, done } = await reader.read();
    if (done) {
      await child.status;
      throw new Error(`proxy exited before listening: ${text}`);
    }
    text += value;
  }
  /** Ends the proxy however the test left it: stderr dropped, killed if still running. */
  const stop = async () => {
    await reader.cancel().catch(() => {});
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.status;
  };
  return { child, url: m[1], stop };
}

/** Run the whole smoke test as steps of `t`, in a fresh temp folder. */
export async function smokeTest(t: Deno.TestContext, target: SmokeTarget): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "haechi-smoke-" });
  try {
    await t.step("--version and init", async () => {
      assertStringIncludes(
        ok(await run(target, dir, ["--version"]), "--version").stdout,
        "haechi ",
      );
      ok(await run(target, dir, ["init"]), "init");
      const mode = (await Deno.stat(`${dir}/.haechi/keys.json`)).mode! & 0o777;
      assertEquals(mode, 0o600);
    });

    await t.step("protect and scan", async () => {
      await Deno.writeTextFile(
        `${dir}/request.json`,
        JSON.stringify({ messages: [{ role: "user", content: `Mail ${EMAIL} please` }] }),
      );
      const p = ok(await run(target, dir, ["protect", "request.json"]), "protect");
      assert(!p.stdout.includes(EMAIL), "protect left the email in");
      assertStringIncludes(p.stdout, "[TOKEN:email:");
      const s = ok(await run(target, dir, ["scan", "request.json", "--json"]), "scan");
      const found = JSON.parse(s.stdout).findings as { type: string }[];
      assert(found.some((f) => f.type === "email"), s.stdout);
    });

    await t.step("proxy: the OpenAI SDK through the gateway to a mock upstream", async () => {
      const up = createMockUpstream();
      const upstream = await serveHttp(up.fetch, { hostname: "127.0.0.1", port: 0 });
      const { child, url, stop } = await startProxy(target, dir, upstream.port);
      try {
        const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "sk-test", maxRetries: 0 });
        const res = await client.chat.completions.create({
          model: "mock-model",
          messages: [{ role: "user", content: PROMPT }],
        });
        assertUpstreamClean(up);
        assertRestored(res.choices[0].message.content ?? "");
        const stream = await client.chat.completions.create({
          model: "mock-model",
          stream: true,
          messages: [{ role: "user", content: PROMPT }],
        });
        let streamed = "";
        for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? "";
        assertUpstreamClean(up);
        assertRestored(streamed);
        child.kill("SIGTERM");
        assertEquals((await child.status).code, 0, "the proxy stops cleanly on SIGTERM");
      } finally {
        await stop();
        await upstream.close();
      }
    });

    await t.step("mcp-wrap: the server never sees the email", async () => {
      const log = `${dir}/mcp-seen.jsonl`;
      const [cmd, ...pre] = target.haechi;
      const child = new Deno.Command(cmd, {
        args: [...pre, "mcp-wrap", "--", target.node, ECHO_SERVER, log],
        cwd: dir,
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
        env: baseEnv(target),
        clearEnv: true,
      }).spawn();
      const writer = child.stdin.getWriter();
      const send = (m: unknown) => writer.write(new TextEncoder().encode(JSON.stringify(m) + "\n"));
      await send({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "smoke", version: "1" },
        },
      });
      await send({ jsonrpc: "2.0", method: "notifications/initialized" });
      await send({
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "echo", arguments: { text: `write to ${EMAIL}` } },
      });
      const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let out = "";
      while (!out.includes('"id":2')) {
        const { value, done } = await lines.read();
        if (done) break;
        out += value;
      }
      await writer.close();
      await lines.cancel().catch(() => {});
      const status = await child.status;
      const stderr = await new Response(child.stderr).text();
      assertStringIncludes(out, '"id":2', `no reply to tools/call: ${stderr}`);
      const seen = await Deno.readTextFile(log);
      assertStringIncludes(seen, "tools/call");
      assert(!seen.includes(EMAIL), "the MCP server saw the email");
      assertEquals(status.code, 0, stderr);
    });

    await t.step("audit-verify: the chain written by the steps above is intact", async () => {
      const r = ok(await run(target, dir, ["audit-verify"]), "audit-verify");
      assertStringIncludes(r.stdout, "intact");
    });

    await t.step("plugin keygen, sign and verify", async () => {
      await Deno.copyFile(PLUGIN, `${dir}/bearer_auth.ts`);
      ok(
        await run(target, dir, ["plugin-keygen", "--key-id", "team-a", "--out-dir", "."]),
        "keygen",
      );
      await signSamplePlugin(target, dir);
      const verify = (anchor: string) =>
        run(target, dir, [
          "plugin-verify",
          "bearer-auth.signed.json",
          "--entry",
          "bearer_auth.ts",
          "--anchor",
          anchor,
          "--anchor-key-id",
          "team-a",
          "--allow-capability",
          "readsCredentials",
        ]);
      ok(await verify("team-a.pub"), "plugin-verify");
      await Deno.writeTextFile(`${dir}/bearer_auth.ts`, "\n// changed", { append: true });
      assert((await verify("team-a.pub")).code !== 0, "a changed plugin still verified");
    });

    await t.step({
      name: "proxy with the signed authProvider plugin: the right token passes, others get 401",
      ignore: target.deno === undefined,
      fn: () => pluginProxyStep(target, dir),
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const DEMO_TOKEN = "demo-token-please-rotate";

/** Sign `bearer_auth.ts` in `dir` with the `team-a` key into `bearer-auth.signed.json`. */
async function signSamplePlugin(target: SmokeTarget, dir: string): Promise<void> {
  ok(
    await run(target, dir, ["plugin-sign", ...bearerSignArgs((file) => file)]),
    "plugin-sign",
  );
}

/**
 * The sample bearer plugin, signed with the key from the step before, loaded by the proxy
 * with `plugins.denoPath` set: the build has to start the runner it carries.
 */
async function pluginProxyStep(target: SmokeTarget, dir: string): Promise<void> {
  await Deno.copyFile(PLUGIN, `${dir}/bearer_auth.ts`);
  await signSamplePlugin(target, dir);
  const configPath = `${dir}/haechi.config.json`;
  const config = JSON.parse(await Deno.readTextFile(configPath));
  config.auth = {
    ...config.auth,
    provider: "plugin",
    plugin: {
      ...config.auth?.plugin,
      manifestPath: `${dir}/bearer-auth.signed.json`,
      entryPath: `${dir}/bearer_auth.ts`,
      trustAnchors: { "team-a": await Deno.readTextFile(`${dir}/team-a.pub`) },
      allowCapabilities: ["readsCredentials"],
    },
  };
  config.plugins = { ...config.plugins, enabled: true, denoPath: target.deno };
  await Deno.writeTextFile(configPath, JSON.stringify(config, null, 2));
  const up = createMockUpstream();
  const upstream = await serveHttp(up.fetch, { hostname: "127.0.0.1", port: 0 });
  // A temp folder of its own, to see the runner the build writes and that it is removed.
  const tmp = `${dir}/tmp`;
  await Deno.mkdir(tmp);
  const { child, url, stop } = await startProxy(target, dir, upstream.port, { TMPDIR: tmp });
  try {
    const ask = (token?: string) =>
      fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify({
          model: "mock-model",
          messages: [{ role: "user", content: PROMPT }],
        }),
      });
    const allowed = await ask(DEMO_TOKEN);
    const body = await allowed.text();
    assertEquals(allowed.status, 200, body);
    assertUpstreamClean(up);
    const wrong = await ask("wrong-token-123");
    await wrong.body?.cancel();
    assertEquals(wrong.status, 401);
    const none = await ask();
    await none.body?.cancel();
    assertEquals(none.status, 401);
    const [runnerDir] = await Array.fromAsync(Deno.readDir(tmp));
    assert(runnerDir?.name.startsWith("haechi-runner-"), "the runner was written to a temp file");
    assertEquals((await Deno.stat(`${tmp}/${runnerDir.name}`)).mode! & 0o777, 0o700);
    const [file] = await Array.fromAsync(Deno.readDir(`${tmp}/${runnerDir.name}`));
    assert(/^runner-[0-9a-f]{64}\.ts$/.test(file.name), file.name);
    assertEquals((await Deno.stat(`${tmp}/${runnerDir.name}/${file.name}`)).mode! & 0o777, 0o600);
    child.kill("SIGTERM");
    assertEquals((await child.status).code, 0, "the proxy stops cleanly on SIGTERM");
    assertEquals(await Array.fromAsync(Deno.readDir(tmp)), [], "the runner folder is removed");
  } finally {
    await stop();
    await upstream.close();
  }
  const audit = ok(await run(target, dir, ["audit-verify"]), "audit-verify after plugin use");
  assertStringIncludes(audit.stdout, "intact");
}
