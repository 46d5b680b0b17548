// policy.rate on the MCP endpoint and the in-process limiter's own rules.
import { assert, assertEquals } from "../assert.ts";
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";
import type { HaechiConfig } from "../../src/config/types.ts";
import { createProtector } from "../../src/protect/mod.ts";
import { createGateway } from "../../src/proxy/gateway.ts";
import {
  createMemoryRateLimiter,
  retryAfterSeconds,
} from "../../src/proxy/middleware/rate_limit.ts";

Deno.test("the in-process limiter counts per key per wall-clock minute", () => {
  let t = 59_000;
  const l = createMemoryRateLimiter(() => t);
  assertEquals([l.allow("a", 2), l.allow("a", 2), l.allow("a", 2)], [true, true, false]);
  assertEquals(l.allow("b", 2), true);
  assertEquals(retryAfterSeconds(t), 1);
  t = 60_000;
  assertEquals(l.allow("a", 2), true, "a new minute is a new window");
});

Deno.test("the MCP endpoint counts against the same per-identity budget, with Retry-After", async () => {
  const config: HaechiConfig = {
    ...DEFAULT_CONFIG,
    audit: { ...DEFAULT_CONFIG.audit, enabled: false },
    policy: {
      ...DEFAULT_CONFIG.policy,
      rate: { ...DEFAULT_CONFIG.policy.rate, requestsPerMinute: 1 },
    },
  };
  let served = 0;
  const gw = createGateway({
    config,
    protector: createProtector(config),
    upstream: "",
    rateLimiter: createMemoryRateLimiter(() => 0),
    authenticate: (req) =>
      Promise.resolve({
        subject: "s",
        identity: req.headers.get("x-who") === "a" ? "a".repeat(32) : "b".repeat(32),
      }),
    mcp: {
      path: "/mcp",
      handler: () => {
        served++;
        return Promise.resolve(Response.json({ jsonrpc: "2.0", id: 1, result: {} }));
      },
    },
  });
  const post = (who: string) =>
    gw.fetch(
      new Request("http://gw.test/mcp", {
        method: "POST",
        headers: { "content-type": "application/json", "x-who": who },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      }),
    );
  try {
    assertEquals((await post("a")).status, 200);
    const limited = await post("a");
    assertEquals(limited.status, 429);
    assert(Number(limited.headers.get("retry-after")) >= 1);
    assertEquals((await limited.json()).error.code, -32000);
    assertEquals((await post("b")).status, 200, "another identity has its own budget");
    assertEquals(served, 2);
  } finally {
    await gw.close();
  }
});
