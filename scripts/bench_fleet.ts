/**
 * Fleet benchmark (`deno task bench:fleet`): nginx in front of `haechi proxy` replicas that
 * share one redis-server, everything on 127.0.0.1, on a 1 KB chat body.
 *
 * Four setups run side by side, each behind its own nginx port, so they see the same
 * machine load:
 * - `1 replica` and `3 replicas`, each with bearer auth and a Redis rate limit high enough
 *   never to trigger (`+auth+rate`), and each without either (`plain`).
 *
 * Every replica uses the Redis token vault, so a token minted on one restores on another,
 * and its own audit log. The difference between `plain` and `+auth+rate` with the same
 * replica count is what bearer auth plus a Redis rate check cost per request. Rounds visit
 * the setups in rotating order and pool, as in `bench_proxy.ts`, so background drift does
 * not land on one setup.
 *
 * nginx comes from apt: when it is missing and this runs as root, `apt-get install nginx-light`
 * is tried once; otherwise, and without redis-server, the bench prints why it skips and exits 0.
 *
 * ```sh
 * deno run -A scripts/bench_fleet.ts [--quick]
 * ```
 *
 * @module
 */

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const MOCK = new URL("./bench_proxy.ts", import.meta.url).pathname;

/** One measured setup. */
export interface FleetBenchRow {
  /** Setup name, e.g. `3 replicas +auth+rate`. */
  readonly setup: string;
  /** Replicas behind nginx. */
  readonly replicas: number;
  /** Bearer auth and a Redis rate limit on. */
  readonly guarded: boolean;
  /** Requests completed. */
  readonly requests: number;
  /** Requests per second at the bench's concurrency. */
  readonly rps: number;
  /** Median latency under load, ms. */
  readonly p50: number;
  /** 99th percentile latency under load, ms. */
  readonly p99: number;
}

/** Where a binary is on PATH (or the usual sbin folders), or null. */
function which(name: string): string | null {
  const dirs = (Deno.env.get("PATH") ?? "").split(":").concat(["/usr/sbin", "/sbin"]);
  for (const d of dirs) {
    try {
      if (Deno.statSync(`${d}/${name}`).isFile) return `${d}/${name}`;
    } catch { /* not here */ }
  }
  return null;
}

/** Find nginx, installing it with apt once when running as root; a reason string if not. */
async function findNginx(): Promise<string | { skip: string }> {
  const found = which("nginx");
  if (found !== null) return found;
  if (Deno.uid?.() !== 0 || which("apt-get") === null) {
    return { skip: "nginx is not installed (apt-get install nginx-light, as root)" };
  }
  console.error("bench:fleet: nginx missing; trying apt-get install -y nginx-light ...");
  const out = await new Deno.Command("apt-get", {
    args: ["install", "-y", "--no-install-recommends", "nginx-light"],
    env: { DEBIAN_FRONTEND: "noninteractive" },
    stdout: "null",
    stderr: "piped",
  }).output();
  const after = which("nginx");
  if (after !== null) return after;
  const why = new TextDecoder().decode(out.stderr).trim().split("\n").pop() ?? "";
  return { skip: `nginx could not be installed with apt-get (${why.slice(0, 200)})` };
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function waitForPort(port: number, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${what} did not listen on 127.0.0.1:${port}`);
}

/** A child process with its stderr drained (the tail kept for errors). */
interface Proc {
  readonly child: Deno.ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

function spawn(cmd: string, args: string[], options: { cwd?: string } = {}): Proc {
  const child = new Deno.Command(cmd, {
    args,
    cwd: options.cwd,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let tail = "";
  const keep = (s: string) => void (tail = (tail + s).slice(-8000));
  const drains = [child.stdout, child.stderr].map((s) =>
    s.pipeThrough(new TextDecoderStream()).pipeTo(new WritableStream({ write: keep }))
      .catch(() => {})
  );
  return {
    child,
    stderr: () => tail,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.status;
      await Promise.all(drains);
    },
  };
}

async function until(proc: Proc, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  for (let i = 0; i < 600; i++) {
    const m = pattern.exec(proc.stderr());
    if (m !== null) return m;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not start: ${proc.stderr().slice(-2000)}`);
}

async function haechi(dir: string, config: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-config", MAIN, ...args, "--config", config],
    cwd: dir,
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (out.code !== 0) {
    throw new Error(`haechi ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return text;
}

// Synthetic values only: an email and a phone are tokenized and restored, a key redacted.
function chatBody(bytes: number): string {
  let text = "Contact jane.roe@example.org or +1 415 555 0134; key sk-proj-" +
    "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6l. ";
  const prose = "Please summarise the quarterly report and list two risks for planning. ";
  const make = (t: string) =>
    JSON.stringify({ model: "bench-model", messages: [{ role: "user", content: t }] });
  while (make(text).length < bytes) text += prose;
  return make(text.slice(0, text.length - (make(text).length - bytes)));
}

async function drive(
  url: string,
  body: string,
  token: string | null,
  o: { concurrency: number; budgetMs: number },
): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  const deadline = performance.now() + o.budgetMs;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const res = await fetch(url, { method: "POST", headers, body });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`Bench request to ${url} failed with status ${res.status}`);
      latencies.push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  return { latencies, seconds: (performance.now() - t0) / 1000 };
}

const pct = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/**
 * Run the fleet bench.
 *
 * @param options `quick` for short passes; `concurrency` clients (default 16).
 * @returns The rows, or a reason the bench skipped.
 */
export async function runFleetBench(
  options: { quick?: boolean; concurrency?: number } = {},
): Promise<FleetBenchRow[] | { skip: string }> {
  const redisBin = which("redis-server");
  if (redisBin === null) {
    return { skip: "redis-server is not installed (apt-get install redis-server)" };
  }
  const nginx = await findNginx();
  if (typeof nginx !== "string") return nginx;
  const quick = options.quick === true;
  const concurrency = options.concurrency ?? 16;
  const rounds = quick ? 2 : 4;
  const budgetMs = quick ? 1500 : 5000;
  const dir = await Deno.makeTempDir({ prefix: "haechi-bench-fleet-" });
  const procs: Proc[] = [];
  const mockChild = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MOCK, "--child=upstream"],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = mockChild.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let first = "";
    while (!first.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the mock upstream exited before listening");
      first += value;
    }
    reader.releaseLock();
    const upstream = `http://127.0.0.1:${JSON.parse(first.trim()).port}`;

    const redisPort = freePort();
    procs.push(spawn(redisBin, [
      ...["--port", `${redisPort}`, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    ]));
    await waitForPort(redisPort, "redis-server");
    const redisUrl = `redis://127.0.0.1:${redisPort}`;

    // One config per replica: all share the key file, bearer store and Redis; each has its
    // own audit log and (unused with Redis) vault file, as replicas on separate hosts would.
    const write = async (name: string, guarded: boolean) => {
      const path = `${dir}/${name}.json`;
      await Deno.mkdir(`${dir}/${name}`, { recursive: true });
      await Deno.writeTextFile(
        path,
        JSON.stringify({
          configVersion: 1,
          keys: { path: `${dir}/keys.json` },
          tokenVault: { redisUrl, path: `${dir}/${name}/vault.db` },
          audit: { path: `${dir}/${name}/audit.jsonl` },
          proxy: { maxInFlight: 4096 },
          logging: { format: "json" },
          ...(guarded
            ? {
              auth: { provider: "bearer", store: `${dir}/auth.json` },
              policy: {
                rate: { requestsPerMinute: 10_000_000, store: "redis", redisUrl },
              },
            }
            : {}),
        }),
      );
      return path;
    };
    const minted = await haechi(dir, await write("admin", true), [
      ...["auth", "add", "--type", "service", "--scope", "team:bench"],
    ]);
    const token = /hch_[A-Za-z0-9_-]{43}/.exec(minted)?.[0];
    if (token === undefined) throw new Error(`auth add printed no token: ${minted}`);

    const replica = async (guarded: boolean, n: number) => {
      const config = await write(`replica-${n}`, guarded);
      const p = spawn(Deno.execPath(), [
        ...["run", "-A", "--no-config", MAIN, "proxy", "--config", config, "--port", "0"],
        ...["--upstream", upstream],
      ], { cwd: dir });
      procs.push(p);
      const m = await until(
        p,
        /(?:listening on |"url":")http:\/\/127\.0\.0\.1:(\d+)/,
        "haechi proxy",
      );
      return Number(m[1]);
    };
    const setups: { setup: string; replicas: number; guarded: boolean; port: number }[] = [];
    const blocks: string[] = [];
    let n = 0;
    for (const guarded of [false, true]) {
      for (const replicas of [1, 3]) {
        const ports: number[] = [];
        for (let i = 0; i < replicas; i++) {
          ports.push(await replica(guarded, n++));
        }
        const port = freePort();
        const name = `${replicas} replica${replicas > 1 ? "s" : ""} ${
          guarded ? "+auth+rate" : "plain"
        }`;
        setups.push({ setup: name, replicas, guarded, port });
        blocks.push(
          `upstream g${port} {\n${
            ports.map((p) => `    server 127.0.0.1:${p};\n`).join("")
          }    keepalive 64;\n}\n` +
            `server {\n    listen 127.0.0.1:${port};\n    access_log off;\n` +
            `    client_max_body_size 10m;\n    location / {\n` +
            `        proxy_pass http://g${port};\n        proxy_http_version 1.1;\n` +
            `        proxy_set_header Connection "";\n        proxy_set_header X-Request-Id $request_id;\n` +
            `        proxy_buffering off;\n        proxy_request_buffering off;\n    }\n}\n`,
        );
      }
    }
    await Deno.writeTextFile(
      `${dir}/nginx.conf`,
      `daemon off;\nmaster_process on;\nworker_processes 1;\npid ${dir}/nginx.pid;\n` +
        `error_log ${dir}/nginx.err warn;\nevents { worker_connections 1024; }\n` +
        `http {\n    client_body_temp_path ${dir}/nginx-body;\n` +
        `    proxy_temp_path ${dir}/nginx-proxy;\n${blocks.join("")}}\n`,
    );
    procs.push(spawn(nginx, ["-c", `${dir}/nginx.conf`, "-p", dir, "-e", `${dir}/nginx.err`]));
    for (const s of setups) await waitForPort(s.port, "nginx");

    const body = chatBody(1024);
    const url = (port: number) => `http://127.0.0.1:${port}/v1/chat/completions`;
    const pooled = setups.map(() => ({ latencies: [] as number[], seconds: 0 }));
    // Warm-up: JIT, connection pools, Redis connections.
    for (const s of setups) {
      await drive(url(s.port), body, s.guarded ? token : null, { concurrency, budgetMs: 800 });
    }
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < setups.length; i++) {
        const k = (i + round) % setups.length;
        const s = setups[k];
        const pass = await drive(url(s.port), body, s.guarded ? token : null, {
          concurrency,
          budgetMs: budgetMs / rounds,
        });
        pooled[k].latencies.push(...pass.latencies);
        pooled[k].seconds += pass.seconds;
      }
    }
    return setups.map((s, k) => {
      const sorted = [...pooled[k].latencies].sort((a, b) => a - b);
      return {
        setup: s.setup,
        replicas: s.replicas,
        guarded: s.guarded,
        requests: sorted.length,
        rps: sorted.length / pooled[k].seconds,
        p50: pct(sorted, 0.5),
        p99: pct(sorted, 0.99),
      };
    });
  } finally {
    for (const p of procs.reverse()) await p.stop();
    await mockChild.stdin.close().catch(() => {});
    await mockChild.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * Format the rows, with the cost of auth + rate limiting at each replica count.
 *
 * @example
 * ```ts
 * import { formatFleetBench } from "./bench_fleet.ts";
 * const r = { requests: 10, p99: 4 };
 * const t = formatFleetBench([
 *   { ...r, setup: "1 replica plain", replicas: 1, guarded: false, rps: 1000, p50: 2 },
 *   { ...r, setup: "1 replica +auth+rate", replicas: 1, guarded: true, rps: 900, p50: 2.5 },
 * ], 16);
 * if (!t.includes("90%") || !t.includes("+0.50 ms")) throw new Error(t);
 * ```
 */
export function formatFleetBench(rows: readonly FleetBenchRow[], concurrency: number): string {
  const f = (v: number, d = 2) => Number.isFinite(v) ? v.toFixed(d) : "-";
  const lines = [
    "Fleet on 127.0.0.1: nginx -> haechi proxy replicas, one redis-server (vault, rate), 1 KB chat",
    `(${concurrency} concurrent keep-alive clients; latency in ms)`,
    `${"setup".padEnd(24)}${"requests".padStart(10)}${"req/s".padStart(9)}${"p50".padStart(9)}${
      "p99".padStart(9)
    }`,
  ];
  for (const r of rows) {
    lines.push(
      `${r.setup.padEnd(24)}${String(r.requests).padStart(10)}${f(r.rps, 0).padStart(9)}` +
        `${f(r.p50).padStart(9)}${f(r.p99).padStart(9)}`,
    );
  }
  lines.push("Cost of bearer auth + Redis rate limit (same replica count, same run):");
  for (const replicas of [1, 3]) {
    const plain = rows.find((r) => r.replicas === replicas && !r.guarded);
    const guarded = rows.find((r) => r.replicas === replicas && r.guarded);
    if (plain === undefined || guarded === undefined) continue;
    const dp = guarded.p50 - plain.p50;
    lines.push(
      `  ${replicas} replica${replicas > 1 ? "s" : ""}: keeps ${
        Math.round(guarded.rps / plain.rps * 100)
      }% of req/s, ${dp >= 0 ? "+" : ""}${f(dp)} ms p50`,
    );
  }
  const one = rows.find((r) => r.replicas === 1 && r.guarded);
  const three = rows.find((r) => r.replicas === 3 && r.guarded);
  if (one !== undefined && three !== undefined) {
    lines.push(
      `3 replicas vs 1 (+auth+rate): ${f(three.rps / one.rps)}x req/s ` +
        `(bounded by the cores this machine has: ${navigator.hardwareConcurrency})`,
    );
  }
  return lines.join("\n") + "\n";
}

if (import.meta.main) {
  const concurrency = 16;
  const result = await runFleetBench({ quick: Deno.args.includes("--quick"), concurrency });
  if (!Array.isArray(result)) {
    console.log(`bench:fleet skipped: ${result.skip}`);
  } else console.log(formatFleetBench(result, concurrency));
}
