// Method and tool names go into audit details only when they scan clean, every time the
// same name comes again too.
import { assertEquals } from "../assert.ts";
import { DEFAULT_CONFIG } from "../../src/config/defaults.ts";
import { createProtector } from "../../src/protect/mod.ts";
import { createMcpFilter, type McpDecision } from "../../src/mcp/mod.ts";

Deno.test("a tool name holding a secret is left out of the details on every call, a clean one kept", async () => {
  const decisions: McpDecision[] = [];
  const filter = createMcpFilter({
    protector: createProtector(DEFAULT_CONFIG),
    audit: { record: () => Promise.resolve() },
    mcp: DEFAULT_CONFIG.mcp,
    onDecision: (d) => decisions.push(d),
  });
  const call = (id: number, name: string) =>
    filter.inspectValue("client", {
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: { name, arguments: {} },
    });
  for (let i = 0; i < 3; i++) {
    await call(2 * i, "ghp_R7xQ2mK9vL4pT8wZ3nB6cF1dH5jS0aYeUi0W");
    await call(2 * i + 1, "search");
  }
  assertEquals(
    decisions.map((d) => d.details.tool ?? "-"),
    ["-", "search", "-", "search", "-", "search"],
  );
  assertEquals(decisions.map((d) => d.details.method), Array(6).fill("tools/call"));
});
