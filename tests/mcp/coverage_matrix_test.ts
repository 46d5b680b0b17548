// Position coverage for MCP, over both transports: a value planted in every string, key and
// number of a client message (params) must not reach the server whole, and one planted in
// every string and key of a server message (results, errors, notifications, server
// requests), or split across sibling content parts, must not reach the client whole. Over
// Streamable HTTP the headers (Mcp-Session-Id both ways), the query and the SSE event name
// and id are positions too. The stdio relay runs in-process with a stand-in server process;
// HTTP goes through the gateway's MCP mount with a stand-in upstream.
import { assertEquals } from "../assert.ts";
import { openGateway } from "../../src/proxy/open.ts";
import { openSession } from "../../src/session/mod.ts";
import { createMcpFilter } from "../../src/mcp/mod.ts";
import type { HaechiConfig } from "../../src/config/types.ts";
import { testConfig } from "../proxy/_setup.ts";
import {
  MCP_EXCHANGES,
  mcpBodyCells,
  type McpCell,
  mcpHttpCells,
  mcpUpstream,
  runHttpCell,
  runStdioCell,
} from "../proxy/_coverage/mcp_cells.ts";
import { type KnownGap, leakingCells, partition, report } from "../proxy/_coverage/matrix.ts";

/** Positions not yet protected; their cells run in an ignored test named after the gap. */
const STDIO_GAPS: readonly KnownGap[] = [];
const HTTP_GAPS: readonly KnownGap[] = [];

type Runner = (cell: McpCell) => Promise<string[]>;

async function withStdio<T>(mode: HaechiConfig["mode"], f: (run: Runner) => Promise<T>) {
  const { config, dir } = await testConfig({ mode });
  const session = await openSession(config, "mcp");
  try {
    return await f((cell) =>
      runStdioCell(
        createMcpFilter({
          protector: session.protector,
          audit: session.audit,
          mcp: config.mcp,
          restorer: session.vault,
          trackRequests: true,
        }),
        cell,
      )
    );
  } finally {
    await session.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function withHttp<T>(
  mode: HaechiConfig["mode"],
  framing: "json" | "sse",
  f: (run: Runner) => Promise<T>,
) {
  const { config, dir } = await testConfig({
    mode,
    proxy: { upstream: "", mcpUpstream: "http://mcp.test/mcp" },
  });
  const upstream = mcpUpstream();
  const gw = await openGateway(config, { fetch: upstream.fetch });
  try {
    return await f((cell) => runHttpCell(gw.gateway.fetch, upstream, cell, framing));
  } finally {
    await gw.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const stdioCells = MCP_EXCHANGES.flatMap(mcpBodyCells);
const httpCells = MCP_EXCHANGES.flatMap((ex) => [...mcpBodyCells(ex), ...mcpHttpCells(ex)]);

const transports = [
  { name: "stdio", cells: stdioCells, gaps: STDIO_GAPS, open: withStdio },
  {
    name: "HTTP (JSON replies)",
    cells: httpCells,
    gaps: HTTP_GAPS,
    open: (m: HaechiConfig["mode"], f: (run: Runner) => Promise<string[]>) =>
      withHttp(m, "json", f),
  },
  {
    name: "HTTP (SSE replies)",
    cells: httpCells,
    gaps: HTTP_GAPS,
    open: (m: HaechiConfig["mode"], f: (run: Runner) => Promise<string[]>) => withHttp(m, "sse", f),
  },
];

for (const t of transports) {
  for (const direction of ["request", "reply"] as const) {
    const cells = t.cells.filter((c) => c.direction === direction);
    const { checked, byGap } = partition(cells, t.gaps);
    const what = direction === "request"
      ? "a value planted in any position of a client message never reaches the server whole"
      : "a value planted in any position of a server message never reaches the client whole";
    Deno.test(`MCP ${t.name}: ${what}`, async () => {
      const leaks = await t.open("enforce", (run) => leakingCells(checked, run));
      assertEquals(leaks.length, 0, report(leaks, checked.length));
    });
    for (const [gap, gapCells] of byGap) {
      Deno.test({
        name: `MCP ${t.name} known gap (${gapCells.length} cells): ${gap.reason}`,
        ignore: true,
        async fn() {
          const leaks = await t.open("enforce", (run) => leakingCells(gapCells, run));
          assertEquals(leaks.length, 0, report(leaks, gapCells.length));
        },
      });
    }
  }
}

// The matrix must be able to fail: with nothing changed (dry-run), every value planted in a
// message's params, result or error arrives whole over each transport. (Positions in the
// JSON-RPC envelope make the message invalid, and an invalid message is refused even then.)
for (const t of transports) {
  Deno.test(`MCP ${t.name}: with nothing protected (dry-run) every planted body value is seen arriving`, async () => {
    const body = t.cells.filter((c) =>
      c.http === undefined &&
      / (string|key|number|number-member|split-parts) \$\.(params|result|error\.)/.test(c.id)
    );
    const missed = await t.open("dry-run", async (run) => {
      const out: string[] = [];
      for (const cell of body) if ((await run(cell)).length === 0) out.push(cell.id);
      return out;
    });
    assertEquals(missed, [], "cells whose value the harness did not see arrive");
  });
}
