// auth.provider "external": an authenticator injected by the embedding program decides each
// caller; what it returns is checked and audited, and the two sides must agree.
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../assert.ts";
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";
import type { HaechiConfig } from "../../src/config/types.ts";
import type { ExternalAuthProvider } from "../../src/auth/mod.ts";
import { createMockUpstream } from "../../scripts/mock_upstream.ts";
import { openGateway } from "../../src/proxy/open.ts";
import { EMAIL, testConfig } from "./_setup.ts";
import { tempEnv } from "../cli/_env.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

const CHAT = JSON.stringify({ model: "m", messages: [{ role: "user", content: `mail ${EMAIL}` }] });

/** Says who the caller is from an `x-user` header, as an SSO sidecar might. */
const provider: ExternalAuthProvider = {
  authenticate(request) {
    const user = request.headers.get("x-user");
    if (user === "boom") return Promise.reject(new Error("directory down"));
    if (user === "labels") return Promise.resolve({ subject: "carol", labels: { shoe: "42" } });
    if (user === "ctrl") return Promise.resolve({ subject: "a\nb" });
    return Promise.resolve(user === null ? null : { subject: user, labels: { env: "prod" } });
  },
};

async function externalRig() {
  const { config: base, dir } = await testConfig();
  const config: HaechiConfig = { ...base, auth: { ...DEFAULT_CONFIG.auth, provider: "external" } };
  const up = createMockUpstream();
  const gw = await openGateway(config, { fetch: up.fetch, authProvider: provider });
  const call = (user?: string) =>
    gw.gateway.fetch(
      new Request("http://gw.test/v1/chat/completions", {
        method: "POST",
        headers: { "content-type": "application/json", ...(user ? { "x-user": user } : {}) },
        body: CHAT,
      }),
    );
  return {
    config,
    up,
    call,
    async close() {
      await gw.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("an injected external provider admits the callers it names and refuses the rest with 401", async () => {
  const r = await externalRig();
  try {
    const ok = await r.call("alice");
    assertEquals(ok.status, 200);
    // The caller is authenticated: its own email comes back restored.
    assertStringIncludes(await ok.text(), EMAIL);
    assertEquals(r.up.requests.length, 1);
    for (const who of [undefined, "boom", "labels", "ctrl"]) {
      const res = await r.call(who);
      assertEquals(res.status, 401, String(who));
      await res.body?.cancel();
    }
    assertEquals(r.up.requests.length, 1, "refused callers never reach the upstream");
    const audit = await Deno.readTextFile(r.config.audit.path);
    const reasons = audit.split("\n").filter((l) => l.includes('"auth"')).map((l) =>
      JSON.parse(l).details?.reason
    );
    for (
      const reason of [
        "allowed",
        "denied-by-provider",
        "provider-failed",
        "provider-bad-labels",
        "provider-bad-reply",
      ]
    ) assert(reasons.includes(reason), `${reason} in ${reasons.join()}`);
    assert(!audit.includes("alice") && !audit.includes("carol"), "subjects are never logged");
  } finally {
    await r.close();
  }
});

Deno.test("auth.provider external without an injected provider, or one injected under another provider, is refused", async () => {
  const { config: base, dir } = await testConfig();
  try {
    const external: HaechiConfig = {
      ...base,
      auth: { ...DEFAULT_CONFIG.auth, provider: "external" },
    };
    await assertRejects(() => openGateway(external), Error, "needs an authenticator injected");
    await assertRejects(
      () => openGateway(base, { authProvider: provider }),
      Error,
      'needs "auth.provider": "external"',
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("haechi proxy with auth.provider external exits 2, naming the missing injected provider", async () => {
  const env = await tempEnv({ auth: { provider: "external" } });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-config", MAIN, "proxy", "--config", env.config, "--port", "0"],
      cwd: env.dir,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
      env: { NO_COLOR: "1" },
      clearEnv: true,
    }).output();
    assertEquals(out.code, 2);
    assertStringIncludes(new TextDecoder().decode(out.stderr), "auth.provider");
  } finally {
    await env.cleanup();
  }
});
