// Real processes for fleet tests: a redis-server on a free loopback port, `haechi proxy`
// replicas and one-shot `haechi` commands, all in one temp folder.
import type { TempEnv } from "./_env.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

function which(cmd: string): string | null {
  for (const dir of (Deno.env.get("PATH") ?? "/usr/bin:/usr/sbin").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${cmd}`).isFile) return `${dir}/${cmd}`;
    } catch {
      // not in this folder
    }
  }
  return null;
}

/** The redis-server binary, or null (fleet tests then skip, saying why). */
export const REDIS: string | null = which("redis-server");
if (REDIS === null) {
  console.warn("fleet tests skipped: redis-server is not installed (apt-get install redis-server)");
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** One RESP command over a fresh connection; the raw reply text. */
async function resp(port: number, args: string[]): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const enc = new TextEncoder();
    const req = `*${args.length}\r\n` +
      args.map((a) => `$${enc.encode(a).length}\r\n${a}\r\n`).join("");
    await conn.write(enc.encode(req));
    const buf = new Uint8Array(1 << 20);
    let text = "";
    // Replies here are small; a short quiet read ends them.
    for (;;) {
      const n = await Promise.race([
        conn.read(buf),
        new Promise<null>((r) => setTimeout(() => r(null), text === "" ? 2000 : 100)),
      ]);
      if (n === null) break;
      text += new TextDecoder().decode(buf.subarray(0, n));
    }
    return text;
  } finally {
    conn.close();
  }
}

/** A redis-server on a free loopback port, with no persistence. */
export async function startRedis(): Promise<{
  port: number;
  /** Every key with its hash fields or string value, as raw replies. */
  dump(): Promise<string>;
  stop(): Promise<void>;
}> {
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
  const dump = async () => {
    const keys = (await resp(port, ["KEYS", "*"])).split("\r\n").filter((l) =>
      l !== "" && !/^[*$]/.test(l)
    );
    let out = keys.join("\n");
    for (const k of keys) {
      const type = await resp(port, ["TYPE", k]);
      out += "\n" + await resp(port, type.includes("hash") ? ["HGETALL", k] : ["DUMP", k]);
    }
    return out;
  };
  for (let i = 0; i < 100; i++) {
    try {
      if ((await resp(port, ["PING"])).startsWith("+PONG")) return { port, dump, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error("redis-server did not start");
}

/** The npm client comes from the same cache as this test's own run. */
function denoEnv(): Record<string, string> {
  const out: Record<string, string> = { NO_COLOR: "1" };
  for (const k of ["DENO_DIR", "HOME", "XDG_CACHE_HOME"]) {
    const v = Deno.env.get(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Run one `haechi` command in `env`. */
export async function haechiCli(env: TempEnv, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", MAIN, ...args, "--config", env.config],
    cwd: env.dir,
    stdin: "null",
    env: denoEnv(),
    clearEnv: true,
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A `haechi proxy` child that has printed its listening line. */
export interface ProxyChild {
  readonly child: Deno.ChildProcess;
  readonly url: string;
  /** Everything the child wrote to stderr so far, and the rest once it exits. */
  stderr(): Promise<string>;
}

/** Start `haechi proxy` with `args` and wait for its listening line. */
export async function spawnProxy(env: TempEnv, args: string[]): Promise<ProxyChild> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", MAIN, "proxy", "--config", env.config, ...args],
    cwd: env.dir,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: denoEnv(),
    clearEnv: true,
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/listening on (http:\/\/\S+):/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`proxy exited before listening: ${text}`);
    text += value;
  }
  const url = /listening on (http:\/\/\S+):/.exec(text)![1];
  const rest = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return text;
      text += value;
    }
  })();
  return { child, url, stderr: () => rest };
}

/** Start a `haechi proxy` replica on a free port and wait until it listens. */
export async function startProxy(env: TempEnv, upstream: string) {
  const { child, url, stderr } = await spawnProxy(env, ["--port", "0", "--upstream", upstream]);
  return {
    url,
    /** Stop the replica; resolves to everything it wrote to stderr. */
    async stop(): Promise<string> {
      child.kill("SIGTERM");
      await child.status;
      return await stderr();
    },
  };
}
