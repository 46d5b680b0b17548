// tokenVault.redisUrl: two `haechi proxy` processes on one real redis-server share the token
// vault, so a token minted on replica A restores on replica B, and Redis holds no plaintext.
import { assert, assertEquals } from "../assert.ts";
import { tempEnv } from "./_env.ts";
import { haechiCli, REDIS, startProxy, startRedis } from "./_fleet.ts";

const EMAIL = "jane.roe@example.org";

Deno.test({
  name: "a token minted on one replica restores on another through a shared Redis vault",
  ignore: REDIS === null,
  async fn() {
    const redis = await startRedis();
    const env = await tempEnv({
      auth: { provider: "bearer", store: "auth.json" },
      tokenVault: { redisUrl: `redis://127.0.0.1:${redis.port}` },
    });
    const seen: string[] = [];
    const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
      const body = await req.json();
      const text = body.messages[0].content;
      seen.push(text);
      return Response.json({
        choices: [{ index: 0, message: { role: "assistant", content: text } }],
      });
    });
    const up = `http://127.0.0.1:${upstream.addr.port}`;
    const proxies: Awaited<ReturnType<typeof startProxy>>[] = [];
    try {
      const added = await haechiCli(env, [
        "auth",
        "add",
        "--type",
        "service",
        "--scope",
        "team:eng",
      ]);
      assertEquals(added.code, 0, added.stderr);
      const token = /^hch_\S+$/m.exec(added.stdout)![0];
      proxies.push(await startProxy(env, up), await startProxy(env, up));
      const chat = async (url: string, content: string) => {
        const res = await fetch(`${url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ model: "m", messages: [{ role: "user", content }] }),
        });
        assertEquals(res.status, 200);
        return (await res.json()).choices[0].message.content as string;
      };
      assertEquals(await chat(proxies[0].url, `mail ${EMAIL}`), `mail ${EMAIL}`);
      const minted = /\[TOKEN:email:[a-z2-7]{20}\]/.exec(seen[0])?.[0];
      assert(minted !== undefined, `the upstream saw ${seen[0]}`);
      assertEquals(await chat(proxies[1].url, `who is ${minted}?`), `who is ${EMAIL}?`);
      // Deterministic tokens agree across replicas too: the same value, the same token.
      await chat(proxies[1].url, `again ${EMAIL}`);
      assertEquals(/\[TOKEN:email:[a-z2-7]{20}\]/.exec(seen[2])?.[0], minted);
      const dump = await redis.dump();
      assert(dump.includes("haechi:vault:rec:"), dump.slice(0, 200));
      assert(!dump.includes(EMAIL) && !dump.includes("jane.roe"), "Redis holds the plaintext");
    } finally {
      for (const p of proxies) await p.stop();
      await upstream.shutdown();
      await redis.stop();
      await env.cleanup();
    }
  },
});
