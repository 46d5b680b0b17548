// /__haechi/ready tells an operator something true: audit, vault and upstream, in `checks`.
import { assertEquals } from "../assert.ts";
import { openGateway } from "../../src/proxy/open.ts";
import { createUpstreamProbe } from "../../src/proxy/middleware/readiness.ts";
import { testConfig } from "./_setup.ts";

Deno.test("readiness reports audit, vault and a reachable upstream, and 503 names an unreachable one", async () => {
  const { config, dir } = await testConfig();
  const up = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("no such page", { status: 404 }),
  );
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const deadPort = (closed.addr as Deno.NetAddr).port;
  closed.close();
  const live = await openGateway(config, { upstream: `http://127.0.0.1:${up.addr.port}/v1` });
  const dead = await openGateway(config, { upstream: `http://127.0.0.1:${deadPort}/v1` });
  try {
    const ok = await live.gateway.fetch(new Request("http://gw.test/__haechi/ready"));
    assertEquals(ok.status, 200);
    assertEquals((await ok.json()).checks, {
      auditWritable: true,
      vaultUsable: true,
      upstreamReachable: true,
    });
    const bad = await dead.gateway.fetch(new Request("http://gw.test/__haechi/ready"));
    assertEquals(bad.status, 503);
    const body = await bad.json();
    assertEquals([body.ready, body.checks.upstreamReachable, body.checks.vaultUsable], [
      false,
      false,
      true,
    ]);
    assertEquals(body.reason, "failed: upstreamReachable");
  } finally {
    await live.close();
    await dead.close();
    await up.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the upstream probe is cached and shared, and sends no body or caller header", async () => {
  let t = 0;
  const seen: Request[] = [];
  let answer = true;
  const probe = createUpstreamProbe(new URL("http://up.test/v1"), (r) => {
    seen.push(r);
    return answer
      ? Promise.resolve(new Response(null, { status: 401 }))
      : Promise.reject(new TypeError("refused"));
  }, { ttlMs: 1000, now: () => t });
  assertEquals(await Promise.all([probe(), probe(), probe()]), [true, true, true]);
  assertEquals(seen.length, 1);
  assertEquals([seen[0].method, seen[0].url, [...seen[0].headers].length], [
    "HEAD",
    "http://up.test/v1",
    0,
  ]);
  answer = false;
  assertEquals(await probe(), true, "within the interval the cached answer stands");
  t = 1000;
  assertEquals(await probe(), false);
  assertEquals(seen.length, 2);
});
