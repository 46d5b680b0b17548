// Path, query and headers: each is on a forward list (and its value scanned) or dropped.
import { assert, assertEquals, assertRejects } from "../assert.ts";
import { HaechiError } from "../../src/errors.ts";
import { EMAIL, GITHUB, rig, testConfig } from "./_setup.ts";
import { openGateway } from "../../src/proxy/open.ts";
import { createMockUpstream } from "../../scripts/mock_upstream.ts";

const chat = (content: string) => ({ model: "m", messages: [{ role: "user", content }] });
const GEMINI_BODY = { contents: [{ role: "user", parts: [{ text: "hi" }] }] };

function sent(r: { up: { requests: { path: string; search: string; headers: object }[] } }) {
  const q = r.up.requests[0];
  return decodeURIComponent(q.path + q.search) + JSON.stringify(q.headers);
}

Deno.test("query parameters off the forward list are dropped and forwarded ones are scanned", async () => {
  const r = await rig();
  try {
    const res = await r.call(
      `/v1/chat/completions?user=${EMAIL}&token=${GITHUB}&api-version=${GITHUB}&key=k`,
      chat("hi"),
    );
    assertEquals(res.status, 200);
    await res.body?.cancel();
    const { search } = r.up.requests[0];
    const q = new URLSearchParams(search);
    assertEquals([...q.keys()], ["api-version"]);
    assertEquals(q.get("api-version"), "[REDACTED:github_token]");
    assert(!sent(r).includes(EMAIL) && !sent(r).includes(GITHUB));
  } finally {
    await r.close();
  }
});

Deno.test("a value in a path segment is replaced before the upstream sees it, percent-encoded or not", async () => {
  const encoded = "%67" + GITHUB.slice(1);
  for (const model of [GITHUB, encoded]) {
    const r = await rig();
    try {
      const res = await r.call(`/v1beta/models/${model}:generateContent`, GEMINI_BODY);
      await res.body?.cancel();
      const path = decodeURIComponent(r.up.requests[0].path);
      assertEquals(path, "/v1beta/models/[REDACTED:github_token]:generateContent");
    } finally {
      await r.close();
    }
  }
  // An address right before `:method` is still an address in a path segment.
  const e = await rig();
  try {
    const res = await e.call(`/v1beta/models/${EMAIL}:generateContent`, GEMINI_BODY);
    await res.body?.cancel();
    const path = decodeURIComponent(e.up.requests[0].path);
    assert(/^\/v1beta\/models\/\[TOKEN:email:\w+\]:generateContent$/.test(path), path);
  } finally {
    await e.close();
  }
  const r = await rig();
  try {
    const res = await r.call("/v1beta/models/%E0%A4%A:generateContent", GEMINI_BODY);
    assertEquals(res.status, 400);
    assertEquals(r.up.requests.length, 0);
  } finally {
    await r.close();
  }
});

Deno.test("headers off the forward list are dropped and forwarded header values are scanned", async () => {
  const r = await rig();
  try {
    const res = await r.call("/v1/chat/completions", chat("hi"), {
      headers: {
        "content-type": "application/json",
        "x-user-email": EMAIL,
        "x-debug": GITHUB,
        "openai-organization": GITHUB,
        "user-agent": `agent ${EMAIL}`,
      },
    });
    assertEquals(res.status, 200);
    await res.body?.cancel();
    const h = r.up.requests[0].headers as Record<string, string>;
    assertEquals(h["x-user-email"], undefined);
    assertEquals(h["x-debug"], undefined);
    assertEquals(h["openai-organization"], "[REDACTED:github_token]");
    assert(h["user-agent"].startsWith("agent [TOKEN:email:"), h["user-agent"]);
    assert(!sent(r).includes(EMAIL) && !sent(r).includes(GITHUB));
    await r.gw.close();
    const request = (await Deno.readTextFile(`${r.dir}/audit.jsonl`)).split("\n")
      .filter((l) => l.includes('"proxy.request"')).map((l) => JSON.parse(l));
    assertEquals(request.length, 1);
    assertEquals(request[0].outcome, "redacted");
  } finally {
    await Deno.remove(r.dir, { recursive: true });
  }
});

Deno.test("a browser user-agent reaches the upstream unchanged: its version numbers are not addresses", async () => {
  const ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) " +
    "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0";
  const r = await rig();
  try {
    const res = await r.call("/v1/chat/completions", chat("hi"), {
      headers: { "content-type": "application/json", "user-agent": ua },
    });
    assertEquals(res.status, 200);
    await res.body?.cancel();
    assertEquals((r.up.requests[0].headers as Record<string, string>)["user-agent"], ua);
  } finally {
    await r.close();
  }
});

Deno.test("client-address headers are never forwarded and cannot be listed in proxy.forwardHeaders", async () => {
  const addresses = {
    "true-client-ip": "203.0.113.9",
    "cf-connecting-ip": "203.0.113.9",
    "x-client-ip": "203.0.113.9",
    "x-real-ip": "203.0.113.9",
    via: "1.1 edge",
    forwarded: "for=203.0.113.9",
    "x-forwarded-for": "203.0.113.9",
  };
  const r = await rig({ proxy: { forwardHeaders: ["x-tenant-id"] } });
  try {
    const res = await r.call("/v1/chat/completions", chat("hi"), {
      headers: { "content-type": "application/json", "x-tenant-id": EMAIL, ...addresses },
    });
    await res.body?.cancel();
    const h = r.up.requests[0].headers as Record<string, string>;
    for (const name of Object.keys(addresses)) assertEquals(h[name], undefined, name);
    assert(h["x-tenant-id"].startsWith("[TOKEN:email:"), h["x-tenant-id"]);
  } finally {
    await r.close();
  }
  for (const name of ["true-client-ip", "via", "x-forwarded-host", "cookie", "authorization"]) {
    const { config, dir } = await testConfig({ proxy: { forwardHeaders: [name] } });
    try {
      const err = await assertRejects(
        () => openGateway(config, { fetch: createMockUpstream().fetch }),
        HaechiError,
      );
      assertEquals((err as HaechiError).code, "config.invalid", name);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("a blocked type in a header or the query refuses the request and nothing is forwarded", async () => {
  const r = await rig({ policy: { actions: { email: "block" } } });
  try {
    const a = await r.call("/v1/chat/completions", chat("hi"), {
      headers: { "content-type": "application/json", "openai-project": EMAIL },
    });
    assertEquals(a.status, 403);
    await a.body?.cancel();
    const b = await r.call(`/v1/chat/completions?api-version=${EMAIL}`, chat("hi"));
    assertEquals(b.status, 403);
    await b.body?.cancel();
    assertEquals(r.up.requests.length, 0);
  } finally {
    await r.close();
  }
});

Deno.test("the caller's key parameter is forwarded unscanned only with proxy.forwardCallerCredentials", async () => {
  for (const forwardCallerCredentials of [false, true]) {
    const r = await rig({ proxy: { forwardCallerCredentials } });
    try {
      const res = await r.call(
        "/v1beta/models/gemini-pro:streamGenerateContent?alt=sse&key=AIza-caller-key",
        GEMINI_BODY,
      );
      await res.body?.cancel();
      const q = new URLSearchParams(r.up.requests[0].search);
      assertEquals(q.get("alt"), "sse");
      assertEquals(q.get("key"), forwardCallerCredentials ? "AIza-caller-key" : null);
    } finally {
      await r.close();
    }
  }
});

Deno.test("a caller path sent again reaches the same upstream URL, and its rewritten or queried variants their own", async () => {
  const r = await rig();
  try {
    const calls = [
      ["/v1/chat/completions", chat("hi")],
      ["/v1/chat/completions", chat("hi")],
      ["/v1/chat/completions?api-version=2024", chat("hi")],
      ["/v1/chat/completions", chat("hi")],
      [`/v1beta/models/${GITHUB}:generateContent`, GEMINI_BODY],
      [`/v1beta/models/${GITHUB}:generateContent`, GEMINI_BODY],
      ["/v1beta/models/g%65mini:generateContent", GEMINI_BODY],
      ["/v1beta/models/g%65mini:generateContent", GEMINI_BODY],
    ] as const;
    for (const [path, body] of calls) {
      const res = await r.call(path, body);
      assertEquals(res.status, 200);
      await res.body?.cancel();
    }
    assertEquals(r.up.requests.map((q) => q.path + q.search), [
      "/v1/chat/completions",
      "/v1/chat/completions",
      "/v1/chat/completions?api-version=2024",
      "/v1/chat/completions",
      "/v1beta/models/%5BREDACTED:github_token%5D:generateContent",
      "/v1beta/models/%5BREDACTED:github_token%5D:generateContent",
      "/v1beta/models/g%65mini:generateContent",
      "/v1beta/models/g%65mini:generateContent",
    ]);
  } finally {
    await r.close();
  }
});
