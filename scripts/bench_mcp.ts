/**
 * MCP wrapper benchmark: `tools/call` round trips and pipelined messages per second against
 * @modelcontextprotocol/server-everything, called directly and through `haechi mcp-wrap`
 * (audit on, default policy). Prints one table.
 *
 * ```sh
 * deno run -A scripts/bench_mcp.ts [--calls 300] [--burst 2000]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";

const EVERYTHING = "npm:@modelcontextprotocol/server-everything@2026.8.31";
const ENTRY = new URL("../tests/mcp/_entry.ts", import.meta.url).pathname;
const { values } = parseArgs({
  args: Deno.args,
  options: { calls: { type: "string" }, burst: { type: "string" } },
});
const CALLS = Number(values.calls ?? 300);
const BURST = Number(values.burst ?? 2000);
const enc = new TextEncoder();

interface Peer {
  send(m: unknown): Promise<void>;
  next(): Promise<{ id?: unknown }>;
  close(): Promise<void>;
}

function start(args: string[]): Peer {
  const child = new Deno.Command("deno", {
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

async function measure(name: string, args: string[]) {
  const p = start(args);
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
  const call = (id: number) => ({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "echo", arguments: { message: `hello ${id}, mail jane.doe@acme-corp.com` } },
  });
  // Warm up, then time sequential round trips.
  for (let i = 1; i <= 20; i++) {
    await p.send(call(i));
    await p.next();
  }
  const t0 = performance.now();
  for (let i = 100; i < 100 + CALLS; i++) {
    await p.send(call(i));
    while ((await p.next()).id !== i) { /* skip notifications */ }
  }
  const perCall = (performance.now() - t0) / CALLS;
  // Pipelined pings: messages through in both directions per second.
  const t1 = performance.now();
  const sending = (async () => {
    for (let i = 0; i < BURST; i++) {
      await p.send({ jsonrpc: "2.0", id: 10_000 + i, method: "ping" });
    }
  })();
  let got = 0;
  while (got < BURST) if (typeof (await p.next()).id === "number") got++;
  await sending;
  const perSecond = (2 * BURST) / ((performance.now() - t1) / 1000);
  await p.close();
  return { name, perCall, perSecond };
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
const server = ["run", "-A", "--quiet", EVERYTHING, "stdio"];
try {
  const direct = await measure("direct", server);
  const wrapped = await measure("mcp-wrap", [
    "run",
    "-A",
    "--quiet",
    ENTRY,
    "mcp-wrap",
    "--config",
    config,
    "--",
    "deno",
    ...server,
  ]);
  console.log(`MCP stdio benchmark (${CALLS} tools/call round trips, ${BURST} pipelined pings)`);
  console.log("path       ms/tools-call  messages/s");
  for (const r of [direct, wrapped]) {
    console.log(
      `${r.name.padEnd(10)} ${r.perCall.toFixed(3).padStart(13)}  ${
        r.perSecond.toFixed(0).padStart(10)
      }`,
    );
  }
  console.log(`added latency per tools/call: ${(wrapped.perCall - direct.perCall).toFixed(3)} ms`);
} finally {
  await Deno.remove(dir, { recursive: true });
}
