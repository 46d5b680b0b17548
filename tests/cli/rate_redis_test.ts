// policy.rate.store "redis": three `haechi proxy` processes on one real redis-server (on a
// free loopback port) enforce one fleet-wide budget per identity, and fail closed without it.
import { assertEquals, assertStringIncludes } from "../assert.ts";
import { type TempEnv, tempEnv } from "./_env.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

function which(cmd: string): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "/usr/bin:/usr/sbin").split(":")) {
    try {
      const path = `${dir}/${cmd}`;
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // not in this folder
    }
  }
  return null;
}

const REDIS = which("redis-server");
if (REDIS === null) {
  console.warn(
    "rate_redis_test: skipped, redis-server is not installed (apt-get install redis-server)",
  );
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function startRedis(): Promise<{ port: number; stop(): Promise<void> }> {
  const port = freePort();
  const child = new Deno.Command(REDIS!, {
    args: ["--port", `${port}`, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    child.kill("SIGKILL");
    await child.status;
  };
  for (let i = 0; i < 100; i++) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      await conn.write(new TextEncoder().encode("PING\r\n"));
      const buf = new Uint8Array(16);
      const n = await conn.read(buf);
      conn.close();
      if (n !== null && new TextDecoder().decode(buf.subarray(0, n)).startsWith("+PONG")) {
        return { port, stop };
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error("redis-server did not start");
}

async function startProxy(env: TempEnv, upstream: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", MAIN, "proxy", "--config", env.config, "--port", "0"]
      .concat(["--upstream", upstream]),
    cwd: env.dir,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1", ...denoDirEnv() },
    clearEnv: true,
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/listening on (http:\/\/\S+):/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`proxy exited before listening: ${text}`);
    text += value;
  }
  const drained = (async () => {
    while (!(await reader.read()).done) { /* keep the pipe flowing */ }
  })();
  return {
    url: /listening on (http:\/\/\S+):/.exec(text)![1],
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await drained;
    },
  };
}

/** The npm client comes from the same cache as this test's own run. */
function denoDirEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ["DENO_DIR", "HOME", "XDG_CACHE_HOME"]) {
    const v = Deno.env.get(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Wait until at least `ms` remain in the current wall-clock minute (one rate window). */
async function roomInWindow(ms: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < ms) await new Promise((r) => setTimeout(r, left + 50));
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
    const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
      await req.body?.cancel();
      return Response.json({
        choices: [{ index: 0, message: { role: "assistant", content: "ok" } }],
      });
    });
    const up = `http://127.0.0.1:${upstream.addr.port}`;
    const proxies: Awaited<ReturnType<typeof startProxy>>[] = [];
    try {
      for (let i = 0; i < 3; i++) proxies.push(await startProxy(env, up));
      const chat = (url: string) =>
        fetch(`${url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
        });
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
