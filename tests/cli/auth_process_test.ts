// `haechi auth` and `haechi proxy` as real child processes on 127.0.0.1: a token minted
// from the CLI gets a caller through the gateway, and a revocation stops it.
import { assert, assertEquals, assertStringIncludes } from "../assert.ts";
import { tempEnv } from "./_env.ts";
import { haechiCli as haechi, startProxy } from "./_fleet.ts";

Deno.test("a token from `haechi auth add` lets a caller through a `haechi proxy` process until `auth revoke`", async () => {
  const env = await tempEnv({
    auth: { provider: "bearer", store: "tokens/auth.json" },
    logging: { format: "text" },
  });
  let hits = 0;
  const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    hits++;
    const body = await req.json();
    return Response.json({
      choices: [{ index: 0, message: { role: "assistant", content: body.messages[0].content } }],
    });
  });
  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
  try {
    const added = await haechi(env, [
      "auth",
      "add",
      "--type",
      "service",
      "--scope",
      "team:eng",
      "--label",
      "env=prod",
    ]);
    assertEquals(added.code, 0, added.stderr);
    const token = /^hch_[A-Za-z0-9_-]{43}$/m.exec(added.stdout)?.[0];
    assert(token !== undefined, added.stdout);
    const storePath = `${env.dir}/tokens/auth.json`;
    assertEquals((await Deno.stat(storePath)).mode! & 0o777, 0o600);
    assert(!(await Deno.readTextFile(storePath)).includes(token), "the store holds the token");

    const listed = await haechi(env, ["auth", "list"]);
    assertEquals(listed.code, 0, listed.stderr);
    assertStringIncludes(listed.stdout, "team:eng");
    assertStringIncludes(listed.stdout, "env=prod");
    assert(!listed.stdout.includes(token), "auth list shows a token");
    const id = (JSON.parse((await haechi(env, ["auth", "list", "--json"])).stdout)).tokens[0].id;

    const refused = await haechi(
      env,
      ["auth", "add", "--type", "service", "--scope", "x"]
        .concat(["--label", "owner=alice"]),
    );
    assertEquals(refused.code, 2, "a label key outside auth.allowedLabelKeys is a usage error");
    assertStringIncludes(refused.stderr, "allowedLabelKeys");

    proxy = await startProxy(env, `http://127.0.0.1:${upstream.addr.port}`);
    const chat = (auth?: string) =>
      fetch(`${proxy!.url}/v1/chat/completions`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(auth === undefined ? {} : { authorization: auth }),
        },
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
      });
    const none = await chat();
    assertEquals(none.status, 401);
    await none.body?.cancel();
    const wrong = await chat(`Bearer ${token.slice(0, -2)}xx`);
    assertEquals(wrong.status, 401);
    await wrong.body?.cancel();
    assertEquals(hits, 0, "a refused request reached the upstream");
    const ok = await chat(`Bearer ${token}`);
    assertEquals(ok.status, 200);
    assertEquals((await ok.json()).choices[0].message.content, "hi");
    assertEquals(hits, 1);

    const revoked = await haechi(env, ["auth", "revoke", id]);
    assertEquals(revoked.code, 0, revoked.stderr);
    const after = await chat(`Bearer ${token}`);
    assertEquals(after.status, 401, "the running proxy still accepts a revoked token");
    await after.body?.cancel();
    assertEquals(hits, 1);
    assertEquals((await haechi(env, ["auth", "revoke", "0000000000000000"])).code, 2);

    const stderr = await proxy.stop();
    proxy = undefined;
    // One log line per request: three refusals and one success, never the credential.
    const lines = stderr.split("\n").filter((l) => l.startsWith("POST chat.completions"));
    assertEquals(lines.map((l) => l.split(" ")[2]), ["401", "401", "200", "401"], stderr);
    assertStringIncludes(lines[2], "upstream=200");
    assertStringIncludes(lines[0], "decision=auth_denied");
    assert(!stderr.includes(token), "the proxy log holds the token");
    const log = await Deno.readTextFile(env.auditPath);
    assert(!log.includes(token), "the audit log holds the token");
    assertStringIncludes(log, '"kind":"auth.add"');
    assertStringIncludes(log, '"kind":"auth.revoke"');
    const verify = await haechi(env, ["audit-verify"]);
    assertEquals(verify.code, 0, verify.stdout + verify.stderr);
  } finally {
    await proxy?.stop();
    await upstream.shutdown();
    await env.cleanup();
  }
});
