// Per-caller policy profiles through a real `haechi proxy` process on 127.0.0.1: two bearer
// callers minted by `haechi auth add` get different actions for the same email, and a model
// outside a profile's allowlist is refused before anything reaches the upstream.
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { type TempEnv, tempEnv } from "./_env.ts";
import { haechiCli as haechi, startProxy } from "./_fleet.ts";

async function mint(env: TempEnv, extra: string[]): Promise<string> {
  const added = await haechi(env, ["auth", "add", "--type", "service", ...extra]);
  assertEquals(added.code, 0, added.stderr);
  const token = /^hch_[A-Za-z0-9_-]{43}$/m.exec(added.stdout)?.[0];
  assert(token !== undefined, added.stdout);
  return token;
}

Deno.test("two bearer callers get their own profile's action for the same email, and a model outside the allowlist is refused before the upstream", async () => {
  const env = await tempEnv({
    mode: "enforce",
    auth: { provider: "bearer", store: "tokens/auth.json" },
    logging: { format: "text" },
    policy: {
      profiles: {
        support: { actions: { email: "redact" }, modelAllowlist: ["small"] },
        strict: { actions: { email: "block" } },
      },
      profileBinding: { byScope: { "team:support": "support" }, default: "strict" },
    },
  });
  const seen: string[] = [];
  const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.json();
    seen.push(body.messages[0].content);
    return Response.json({
      choices: [{ index: 0, message: { role: "assistant", content: "ok" } }],
    });
  });
  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
  try {
    const support = await mint(env, ["--scope", "team:support"]);
    const other = await mint(env, ["--scope", "team:eng", "--label", "team=eng"]);
    proxy = await startProxy(env, `http://127.0.0.1:${upstream.addr.port}`);
    const chat = (token: string, model: string) =>
      fetch(`${proxy!.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({
          model,
          messages: [{ role: "user", content: "mail bob@acme-corp.com now" }],
        }),
      });

    const redacted = await chat(support, "small");
    assertEquals(redacted.status, 200);
    await redacted.body?.cancel();
    assertEquals(seen, ["mail [REDACTED:email] now"]);

    const blocked = await chat(other, "small");
    assertEquals(blocked.status, 403, "the default (strict) profile blocks email");
    await blocked.body?.cancel();
    assertEquals(seen.length, 1, "a blocked request reached the upstream");

    const wrongModel = await chat(support, "big");
    assertEquals(wrongModel.status, 403);
    const err = await wrongModel.json();
    assertEquals(typeof err.error?.message, "string", "OpenAI's error shape");
    assertStringIncludes(err.error.message, "big");
    assertEquals(seen.length, 1, "a disallowed model reached the upstream");

    await proxy.stop();
    proxy = undefined;
    const audit = await Deno.readTextFile(env.auditPath);
    assertStringIncludes(audit, '"profile":"support"');
    assertStringIncludes(audit, '"profile":"strict"');
    assert(!audit.includes("bob@acme-corp.com"), "the audit log holds plaintext");
  } finally {
    await proxy?.stop();
    await upstream.shutdown();
    await env.cleanup();
  }
});
