/**
 * MCP wrapper benchmark: `tools/call` round trips and pipelined messages per second against
 * @modelcontextprotocol/server-everything, in three setups run side by side:
 *
 * - `direct`: the server itself on the benchmark's pipes;
 * - `bare relay`: the same server behind a dozen lines of Deno that pipe stdin to the child
 *   and the child's stdout back, nothing else: the floor any Deno stdio relay pays for the
 *   two extra pipe hops;
 * - `mcp-wrap`: the same server behind `haechi mcp-wrap` (audit on, default policy, request
 *   log and stderr filter on).
 *
 * Round trips are serial (one call in flight), and each round sends one call to every setup
 * in a rotating order, so a noisy moment on a shared machine lands on all of them. Every
 * setup is warmed up first (JIT, vault and audit files open). The figure is the median of
 * each setup's round trips; "added" is mcp-wrap's median minus direct's.
 *
 * ```sh
 * deno run -A scripts/bench_mcp.ts [--calls 2000] [--burst 2000] [--warmup 300]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";

const EVERYTHING = "npm:@modelcontextprotocol/server-everything@2026.8.31";
const ENTRY = new URL("../tests/mcp/_entry.ts", import.meta.url).pathname;
const { values } = parseArgs({
  args: Deno.args,
  options: {
    calls: { type: "string" },
    burst: { type: "string" },
    warmup: { type: "string" },
  },
});
const CALLS = Number(values.calls ?? 2000);
const BURST = Number(values.burst ?? 2000);
const WARMUP = Number(values.warmup ?? 300);
const enc = new TextEncoder();

// The bare relay: bytes through, no line splitting, no checks.
const BARE_RELAY = `const [cmd, ...args] = Deno.args;
const child = new Deno.Command(cmd, { args, stdin: "piped", stdout: "piped", stderr: "null" })
  .spawn();
Deno.stdin.readable.pipeTo(child.stdin).catch(() => {});
const out = child.stdout.pipeTo(Deno.stdout.writable, { preventClose: true }).catch(() => {});
const status = await child.status;
await out;
Deno.exit(status.code);
`;

interface Peer {
  send(m: unknown): Promise<void>;
  next(): Promise<{ id?: unknown }>;
  close(): Promise<void>;
}

function start(args: string[]): Peer {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const w = child.stdin.getWriter();
  const r = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  return {
    send: (m) => w.write(enc.encode(JSON.stringify(m) + "\n")),
    async next() {
      while (true) {
        const nl = buf.indexOf("\n");
        if (nl >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          return JSON.parse(line);
        }
        const { value, done } = await r.read();
        if (done) throw new Error("peer closed");
        buf += value;
      }
    },
    async close() {
      await w.close();
      await child.status;
      await r.cancel().catch(() => {});
    },
  };
}

interface Setup {
  readonly name: string;
  readonly peer: Peer;
  readonly times: number[];
}

const call = (id: number) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name: "echo", arguments: { message: `hello ${id}, mail jane.doe@acme-corp.com` } },
});

async function initialize(p: Peer): Promise<void> {
  await p.send({
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "b", version: "1" },
    },
  });
  await p.next();
  await p.send({ jsonrpc: "2.0", method: "notifications/initialized" });
}

async function roundTrip(p: Peer, id: number): Promise<number> {
  const t0 = performance.now();
  await p.send(call(id));
  while ((await p.next()).id !== id) { /* skip notifications */ }
  return performance.now() - t0;
}

// Pipelined pings: messages through in both directions per second.
async function burst(p: Peer): Promise<number> {
  const t1 = performance.now();
  const sending = (async () => {
    for (let i = 0; i < BURST; i++) {
      await p.send({ jsonrpc: "2.0", id: 1_000_000 + i, method: "ping" });
    }
  })();
  let got = 0;
  while (got < BURST) if (typeof (await p.next()).id === "number") got++;
  await sending;
  return (2 * BURST) / ((performance.now() - t1) / 1000);
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const dir = await Deno.makeTempDir({ prefix: "haechi-bench-mcp-" });
const config = `${dir}/haechi.config.json`;
await Deno.writeTextFile(
  config,
  JSON.stringify({
    configVersion: 1,
    audit: { path: `${dir}/audit.jsonl`, anchorPath: `${dir}/anchors.jsonl` },
    keys: { path: `${dir}/keys.json` },
    tokenVault: { path: `${dir}/vault.db` },
  }),
);
await Deno.writeTextFile(`${dir}/bare_relay.ts`, BARE_RELAY);
const server = ["run", "-A", "--quiet", EVERYTHING, "stdio"];
const deno = Deno.execPath();
const setups: Setup[] = [
  { name: "direct", args: server },
  { name: "bare relay", args: ["run", "-A", "--quiet", `${dir}/bare_relay.ts`, deno, ...server] },
  {
    name: "mcp-wrap",
    args: ["run", "-A", "--quiet", ENTRY, "mcp-wrap", "--config", config, "--", deno, ...server],
  },
].map(({ name, args }) => ({ name, peer: start(args), times: [] }));
try {
  for (const s of setups) await initialize(s.peer);
  let id = 1;
  for (let i = 0; i < WARMUP; i++, id++) {
    for (const s of setups) await roundTrip(s.peer, id);
  }
  for (let round = 0; round < CALLS; round++, id++) {
    for (let k = 0; k < setups.length; k++) {
      const s = setups[(round + k) % setups.length];
      s.times.push(await roundTrip(s.peer, id));
    }
  }
  const perSecond = new Map<string, number>();
  for (const s of setups) perSecond.set(s.name, await burst(s.peer));
  for (const s of setups) await s.peer.close();

  const median = new Map<string, number>();
  console.log(
    `MCP stdio benchmark (${CALLS} serial tools/call round trips per setup, interleaved, ` +
      `after ${WARMUP} warm-up; ${BURST} pipelined pings)`,
  );
  console.log("path        p50 ms/call  p99 ms/call  mean ms/call  messages/s");
  for (const s of setups) {
    const sorted = [...s.times].sort((a, b) => a - b);
    const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    median.set(s.name, quantile(sorted, 0.5));
    console.log(
      `${s.name.padEnd(11)} ${quantile(sorted, 0.5).toFixed(3).padStart(11)}  ${
        quantile(sorted, 0.99).toFixed(3).padStart(11)
      }  ${mean.toFixed(3).padStart(12)}  ${perSecond.get(s.name)!.toFixed(0).padStart(10)}`,
    );
  }
  const direct = median.get("direct")!;
  console.log(
    `bare relay floor (two extra pipe hops, nothing else): ${
      (median.get("bare relay")! - direct).toFixed(3)
    } ms`,
  );
  console.log(
    `added latency per tools/call: ${(median.get("mcp-wrap")! - direct).toFixed(3)} ms`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}
