import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { EMAIL, rig } from "../proxy/_setup.ts";

const get = (r: Awaited<ReturnType<typeof rig>>, path: string) =>
  r.gw.gateway.fetch(new Request(`http://gw.test${path}`));

Deno.test("live, ready and health answer with haechi 1.4's bodies", async () => {
  const r = await rig();
  try {
    const live = await (await get(r, "/__haechi/live")).json();
    assertEquals([live.ok, live.version], [true, "1.4.0"]);
    const ready = await get(r, "/__haechi/ready");
    assertEquals(ready.status, 200);
    const body = await ready.json();
    assertEquals([body.ready, body.version, body.checks.auditWritable], [true, "1.4.0", true]);
    const health = await (await get(r, "/__haechi/health")).json();
    assertEquals(health, { ok: true, mode: "enforce", version: "1.4.0", status: "live" });
  } finally {
    await r.close();
  }
});

Deno.test("metrics use haechi 1.4's names with bounded labels, and never a value", async () => {
  const r = await rig({ policy: { actions: { email: "block" } } });
  try {
    await r.call("/v1/chat/completions", {
      model: "m",
      messages: [{ role: "user", content: "hi" }],
    });
    const blocked = await r.call("/v1/chat/completions", {
      model: "m",
      messages: [{ role: "user", content: `mail ${EMAIL}` }],
    });
    assertEquals(blocked.status, 403);
    await blocked.body?.cancel();
    const text = await (await get(r, "/__haechi/metrics")).text();
    assertStringIncludes(
      text,
      'haechi_requests_total{route="chat.completions",mode="enforce",decision="forwarded"} 1',
    );
    assertStringIncludes(
      text,
      'haechi_requests_total{route="chat.completions",mode="enforce",decision="blocked"} 1',
    );
    assertStringIncludes(text, "haechi_blocks_total 1");
    for (
      const name of [
        "haechi_auth_denied_total",
        "haechi_overloaded_total",
        "haechi_upstream_timeout_total",
        "haechi_upstream_error_total",
        "haechi_internal_error_total",
        "haechi_request_duration_seconds_bucket",
      ]
    ) assertStringIncludes(text, name);
    assert(!text.includes(EMAIL));
  } finally {
    await r.close();
  }
});

Deno.test("metrics.enabled false answers 404 on /__haechi/metrics and leaves the rest", async () => {
  const r = await rig({ metrics: { enabled: false } });
  try {
    const m = await get(r, "/__haechi/metrics");
    assertEquals(m.status, 404);
    await m.body?.cancel();
    assertEquals((await get(r, "/__haechi/live")).status, 200);
  } finally {
    await r.close();
  }
});

Deno.test("an explicit 1.4 streaming.requestMode block refuses streaming requests with 501", async () => {
  const { resolveConfig } = await import("../../src/config/mod.ts");
  const spec = resolveConfig({ streaming: { requestMode: "block" } });
  const r = await rig({ proxy: { stream: spec.proxy.stream } });
  try {
    const res = await r.call("/v1/chat/completions", {
      model: "m",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    assertEquals(res.status, 501);
    await res.body?.cancel();
    assertEquals(r.up.requests.length, 0, "nothing reached the upstream");
    const plain = await r.call("/v1/chat/completions", {
      model: "m",
      messages: [{ role: "user", content: "hi" }],
    });
    assertEquals(plain.status, 200);
    await plain.body?.cancel();
  } finally {
    await r.close();
  }
});

Deno.test("an explicit 1.4 detokenizeResponses false leaves tokens in replies", async () => {
  const keep = await rig({ proxy: { restoreTokens: false } });
  const restore = await rig();
  try {
    const body = { model: "m", messages: [{ role: "user", content: `mail ${EMAIL}` }] };
    const kept = await (await keep.call("/v1/chat/completions", body)).text();
    assert(!kept.includes(EMAIL) && kept.includes("[TOKEN:email:"), kept);
    const back = await (await restore.call("/v1/chat/completions", body)).text();
    assertStringIncludes(back, EMAIL);
  } finally {
    await keep.close();
    await restore.close();
  }
});

Deno.test("proxy.trustForwardedProto refuses plain-HTTP requests but keeps /__haechi/* open", async () => {
  const r = await rig({ proxy: { trustForwardedProto: true } });
  try {
    const body = { model: "m", messages: [{ role: "user", content: "hi" }] };
    const plain = await r.call("/v1/chat/completions", body);
    assertEquals(plain.status, 403);
    await plain.body?.cancel();
    const spoofed = await r.call("/v1/chat/completions", body, {
      headers: { "content-type": "application/json", "x-forwarded-proto": "http, https" },
    });
    assertEquals(spoofed.status, 403);
    await spoofed.body?.cancel();
    const tls = await r.call("/v1/chat/completions", body, {
      headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
    });
    assertEquals(tls.status, 200);
    await tls.body?.cancel();
    assertEquals(r.up.requests.length, 1, "only the HTTPS request reached the upstream");
    assertEquals((await get(r, "/__haechi/live")).status, 200);
  } finally {
    await r.close();
  }
});
