// auth.provider "bearer" and policy.rate inside one gateway (injected upstream, no socket):
// who gets in, what is read before refusing, what the audit log says, and who is counted.
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";
import type { HaechiConfig } from "../../src/config/types.ts";
import { addToken, createAuthHasher, revokeToken } from "../../src/auth/mod.ts";
import { loadKeyFile } from "../../src/vault/keyfile.ts";
import { createMockUpstream } from "../../scripts/mock_upstream.ts";
import { openGateway } from "../../src/proxy/open.ts";
import { createMemoryRateLimiter } from "../../src/proxy/middleware/rate_limit.ts";
import { EMAIL, testConfig } from "./_setup.ts";

const CHAT = JSON.stringify({ model: "m", messages: [{ role: "user", content: `mail ${EMAIL}` }] });

async function bearerRig(rate = 0) {
  const { config: base, dir } = await testConfig();
  const store = `${dir}/auth.json`;
  const config: HaechiConfig = {
    ...base,
    auth: { ...DEFAULT_CONFIG.auth, provider: "bearer", store },
    policy: { ...base.policy, rate: { ...base.policy.rate, requestsPerMinute: rate } },
  };
  const up = createMockUpstream();
  // A fixed clock: the test's requests all fall in one rate window.
  const gw = await openGateway(config, {
    fetch: up.fetch,
    rateLimiter: createMemoryRateLimiter(() => 0),
  });
  const hasher = createAuthHasher((await loadKeyFile(config.keys.path)).hmacKey);
  const mint = (scope: string) =>
    addToken(store, hasher, { type: "service", scope, labels: { env: "prod" } });
  const call = (token?: string, body: BodyInit = CHAT) =>
    gw.gateway.fetch(
      new Request("http://gw.test/v1/chat/completions", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body,
      }),
    );
  return {
    config,
    dir,
    up,
    store,
    hasher,
    mint,
    call,
    async close() {
      await gw.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("a bearer request without a valid token is refused 401 before its body is read", async () => {
  const r = await bearerRig();
  try {
    await r.mint("team:eng");
    for (const token of [undefined, "hch_" + "x".repeat(43), "not-a-token"]) {
      let pulled = false;
      const body = new ReadableStream<Uint8Array>({
        pull() {
          pulled = true;
          return new Promise(() => {}); // never delivers: reading it would hang the test
        },
      }, { highWaterMark: 0 });
      const res = await r.call(token, body);
      assertEquals(res.status, 401);
      await res.body?.cancel();
      assert(!pulled, "the body of an unauthenticated request was read");
    }
    assertEquals(r.up.requests.length, 0, "nothing reached the upstream");
  } finally {
    await r.close();
  }
});

Deno.test("a valid bearer token gets in, its scope restores its tokens, and audit names it by fingerprint only", async () => {
  const r = await bearerRig();
  try {
    const eng = await r.mint("team:eng");
    const ops = await r.mint("team:ops");
    const res = await r.call(eng.token);
    assertEquals(res.status, 200);
    assertEquals((await res.json()).choices[0].message.content, `Echo: mail ${EMAIL}`);
    const token = /\[TOKEN:email:[a-z2-7]{20}\]/.exec(r.up.requests[0].body)![0];
    const quote = JSON.stringify({ model: "m", messages: [{ role: "user", content: token }] });
    // The same authenticated identity gets its scope's earlier token back; another does not.
    const again = await (await r.call(eng.token, quote)).json();
    assertEquals(again.choices[0].message.content, `Echo: ${EMAIL}`);
    const other = await (await r.call(ops.token, quote)).json();
    assertEquals(other.choices[0].message.content, `Echo: ${token}`);
    // The gateway credential is never forwarded upstream.
    assert(r.up.requests.every((q) => !JSON.stringify(q.headers).includes(eng.token)));
    const log = await Deno.readTextFile(r.config.audit.path);
    assert(!log.includes(eng.token) && !log.includes(eng.entry.hash), "credential in audit");
    assert(!log.includes("team:eng"), "the raw scope is not an audit identity");
    const records = log.trim().split("\n").map((l) => JSON.parse(l));
    const ids = records.filter((e) => e.kind === "proxy.request").map((e) => e.details.identity);
    assertEquals(ids, [
      r.hasher.identity(eng.entry.id),
      r.hasher.identity(eng.entry.id),
      r.hasher.identity(ops.entry.id),
    ]);
  } finally {
    await r.close();
  }
});

Deno.test("a token revoked in the store is refused by the running gateway at its next request", async () => {
  const r = await bearerRig();
  try {
    const { entry, token } = await r.mint("team:eng");
    assertEquals((await r.call(token)).status, 200);
    await revokeToken(r.store, entry.id);
    const res = await r.call(token);
    assertEquals(res.status, 401);
    assertStringIncludes((await res.json()).error.message, "credentials");
  } finally {
    await r.close();
  }
});

Deno.test("policy.rate counts each identity separately and answers 429 with Retry-After past it", async () => {
  const r = await bearerRig(2);
  try {
    const a = await r.mint("team:a");
    const b = await r.mint("team:b");
    assertEquals((await r.call(a.token)).status, 200);
    assertEquals((await r.call(a.token)).status, 200);
    const limited = await r.call(a.token);
    assertEquals(limited.status, 429);
    const after = Number(limited.headers.get("retry-after"));
    assert(after >= 1 && after <= 60, `Retry-After ${after}`);
    assertStringIncludes((await limited.json()).error.message, "requestsPerMinute");
    assertEquals((await r.call(b.token)).status, 200, "another identity has its own budget");
    assertEquals(r.up.requests.length, 3, "the refused request never reached the upstream");
    const log = await Deno.readTextFile(r.config.audit.path);
    assertStringIncludes(log, '"code":"proxy.rate_limited"');
  } finally {
    await r.close();
  }
});
