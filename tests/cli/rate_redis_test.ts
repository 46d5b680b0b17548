// policy.rate.store "redis": three `haechi proxy` processes on one real redis-server (on a
// free loopback port) enforce one fleet-wide budget per identity, and fail closed without it.
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { tempEnv } from "./_env.ts";
import { REDIS, startProxy, startRedis } from "./_fleet.ts";

/** Wait until at least `ms` remain in the current wall-clock minute (one rate window). */
async function roomInWindow(ms: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < ms) await new Promise((r) => setTimeout(r, left + 50));
}

/** An upstream that answers every chat request "ok". */
function okUpstream() {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    await req.body?.cancel();
    return Response.json({
      choices: [{ index: 0, message: { role: "assistant", content: "ok" } }],
    });
  });
}

/** One small chat request to the proxy at `url`. */
function chat(url: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
  });
}

Deno.test({
  name: "three gateway processes sharing one redis-server enforce one per-minute budget",
  ignore: REDIS === null,
  async fn() {
    const redis = await startRedis();
    const env = await tempEnv({
      policy: {
        rate: {
          requestsPerMinute: 5,
          store: "redis",
          redisUrl: `redis://127.0.0.1:${redis.port}`,
        },
      },
    });
    const upstream = okUpstream();
    const up = `http://127.0.0.1:${upstream.addr.port}`;
    const proxies: Awaited<ReturnType<typeof startProxy>>[] = [];
    try {
      for (let i = 0; i < 3; i++) proxies.push(await startProxy(env, up));
      await roomInWindow(20_000);
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await chat(proxies[i % 3].url);
        statuses.push(res.status);
        if (res.status === 429) {
          const after = Number(res.headers.get("retry-after"));
          if (!(after >= 1 && after <= 60)) throw new Error(`Retry-After ${after}`);
        }
        await res.body?.cancel();
      }
      assertEquals(statuses.filter((s) => s === 200).length, 5, statuses.join(","));
      assertEquals(statuses.filter((s) => s === 429).length, 7, statuses.join(","));
      // Each replica alone would have let 4 of its 4 through: the budget is the fleet's.
      // With the store gone a replica refuses (503) rather than counting nothing.
      await redis.stop();
      const down = await chat(proxies[0].url);
      assertEquals(down.status, 503);
      assertStringIncludes((await down.json()).error.message, "rate limit store");
    } finally {
      for (const p of proxies) await p.stop();
      await upstream.shutdown();
      await redis.stop();
      await env.cleanup();
    }
  },
});

Deno.test({
  name: "a profile's own rate is one fleet-wide budget on redis too, with no policy.rate set",
  ignore: REDIS === null,
  async fn() {
    const redis = await startRedis();
    const env = await tempEnv({
      policy: {
        rate: { store: "redis", redisUrl: `redis://127.0.0.1:${redis.port}` },
        profiles: { strict: { rate: { requestsPerMinute: 3 } } },
        profileBinding: { default: "strict" },
      },
    });
    const upstream = okUpstream();
    const up = `http://127.0.0.1:${upstream.addr.port}`;
    const proxies: Awaited<ReturnType<typeof startProxy>>[] = [];
    try {
      for (let i = 0; i < 2; i++) proxies.push(await startProxy(env, up));
      await roomInWindow(20_000);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await chat(proxies[i % 2].url);
        statuses.push(res.status);
        await res.body?.cancel();
      }
      // Anonymous callers get the default profile; its 3 per minute hold across both replicas.
      assertEquals(statuses, [200, 200, 200, 429, 429, 429]);
    } finally {
      for (const p of proxies) await p.stop();
      await upstream.shutdown();
      await redis.stop();
      await env.cleanup();
    }
  },
});
