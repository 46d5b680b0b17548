// A caller's profile governs its whole exchange: its own rate (policy.profiles.<name>.rate),
// the protection of its reply, and its MCP traffic; mcp-wrap/mcp-stdio get the default profile.
import { assert, assertEquals, assertThrows } from "../assert.ts";
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";
import type { HaechiConfig } from "../../src/config/types.ts";
import { createProtector } from "../../src/protect/mod.ts";
import { createGateway } from "../../src/proxy/gateway.ts";
import { createProfileRouter, type RequestProfile } from "../../src/proxy/profiles.ts";
import { createMemoryRateLimiter } from "../../src/proxy/middleware/rate_limit.ts";
import { defaultProfileConfig } from "../../src/policy/mod.ts";

function configWith(policy: Partial<HaechiConfig["policy"]>): HaechiConfig {
  return {
    ...DEFAULT_CONFIG,
    mode: "enforce",
    audit: { ...DEFAULT_CONFIG.audit, enabled: false },
    policy: { ...DEFAULT_CONFIG.policy, ...policy },
  };
}

const PROFILED = configWith({
  rate: { ...DEFAULT_CONFIG.policy.rate, requestsPerMinute: 3 },
  profiles: {
    eng: { rate: { requestsPerMinute: 1 } },
    support: { actions: { email: "redact" } },
  },
  profileBinding: {
    byScope: { "team:eng": "eng", "team:support": "support" },
    byLabel: {},
    default: "eng",
  },
});

function gateway(config: HaechiConfig, reply: string, seen: RequestProfile[] = []) {
  const protector = createProtector(config);
  return createGateway({
    config,
    protector,
    upstream: "http://upstream.test",
    fetch: async (req) => {
      await req.body?.cancel();
      return Response.json({
        choices: [{ index: 0, message: { role: "assistant", content: reply } }],
      });
    },
    rateLimiter: createMemoryRateLimiter(() => 0),
    profiles: createProfileRouter(config, protector, (c) => createProtector(c)),
    authenticate: (req) => {
      const scope = req.headers.get("x-scope");
      return Promise.resolve(
        scope === null
          ? null
          : { subject: scope, identity: scope === "team:eng" ? "e".repeat(32) : "s".repeat(32) },
      );
    },
    mcp: {
      path: "/mcp",
      handler: (_req, profile) => {
        seen.push(profile);
        return Promise.resolve(Response.json({ jsonrpc: "2.0", id: 1, result: {} }));
      },
    },
  });
}

const chat = (scope: string) =>
  new Request("http://gw.test/v1/chat/completions", {
    method: "POST",
    headers: { "content-type": "application/json", "x-scope": scope },
    body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
  });

Deno.test("a profile's own rate replaces policy.rate for its callers; other callers keep the base budget", async () => {
  const gw = gateway(PROFILED, "ok");
  try {
    const eng = [];
    const support = [];
    for (let i = 0; i < 4; i++) {
      const a = await gw.fetch(chat("team:eng"));
      await a.body?.cancel();
      eng.push(a.status);
      const b = await gw.fetch(chat("team:support"));
      await b.body?.cancel();
      support.push(b.status);
    }
    assertEquals(eng, [200, 429, 429, 429], "eng's profile allows 1 per minute");
    assertEquals(support, [200, 200, 200, 429], "support has no rate: policy.rate's 3 apply");
  } finally {
    await gw.close();
  }
});

Deno.test("the MCP endpoint applies the caller's profile: its rate, and its policy in the handler", async () => {
  const seen: RequestProfile[] = [];
  const gw = gateway(PROFILED, "ok", seen);
  const mcp = (scope: string) =>
    gw.fetch(
      new Request("http://gw.test/mcp", {
        method: "POST",
        headers: { "content-type": "application/json", "x-scope": scope },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      }),
    );
  try {
    assertEquals((await mcp("team:eng")).status, 200);
    const limited = await mcp("team:eng");
    assertEquals(limited.status, 429);
    assert(limited.headers.get("retry-after") !== null);
    assertEquals((await mcp("team:support")).status, 200);
    assertEquals(seen.map((p) => p.name), ["eng", "support"]);
    assertEquals(seen[1].protector.policy.actionFor("email"), "redact");
  } finally {
    await gw.close();
  }
});

Deno.test("a reply is protected under the caller's profile, not the base policy", async () => {
  const gw = gateway(PROFILED, "write to carol@acme-corp.com");
  try {
    const support = await (await gw.fetch(chat("team:support"))).json();
    assertEquals(support.choices[0].message.content, "write to [REDACTED:email]");
    const eng = await (await gw.fetch(chat("team:eng"))).json();
    const text: string = eng.choices[0].message.content;
    assert(!text.includes("[REDACTED:email]"), `eng has the base action for email: ${text}`);
  } finally {
    await gw.close();
  }
});

Deno.test("traffic without a caller (mcp-wrap, mcp-stdio) gets the default profile's actions", () => {
  const strict = configWith({
    profiles: { strict: { actions: { email: "block" } }, loose: {} },
    profileBinding: { byScope: { x: "loose" }, byLabel: {}, default: "strict" },
  });
  assertEquals(defaultProfileConfig(strict).policy.actions.email, "block");
  const plain = configWith({});
  assertEquals(defaultProfileConfig(plain), plain, "without profiles the config is unchanged");
  const weakening = configWith({
    profiles: { weak: { actions: { email: "allow" } } },
    profileBinding: { byScope: {}, byLabel: {}, default: "weak" },
  });
  assertThrows(() => defaultProfileConfig(weakening));
});
