/**
 * A fixture audit log written by the real audit writer: gateway requests and responses,
 * MCP tool traffic, blocks and errors from two callers over a few hours, with anchors.
 * `FIXTURE_COUNTS` states what any correct summary of it must say.
 *
 * @module
 */
import { type AuditEvent, openAuditWriter } from "../../src/audit/mod.ts";

/** Two keyed caller fingerprints (what an authenticated gateway would record). */
export const CALLERS = ["a1".repeat(32), "b2".repeat(32)] as const;

/** The totals the fixture was built to have. */
export const FIXTURE_COUNTS = {
  events: 12,
  detections: 9,
  blocked: 2,
  errors: 2,
  byType: { email: 4, "aws-access-key-id": 2, phone: 2, "credit-card": 1 },
  byAction: { tokenize: 6, block: 2, mask: 1 },
  callers: 2,
} as const;

const f = (type: string, action: string, count: number, ruleId = type) => ({
  type,
  ruleId,
  action,
  count,
});

function events(): AuditEvent[] {
  const req = (
    n: number,
    outcome: AuditEvent["outcome"],
    findings: AuditEvent["findings"],
    route: string,
    caller: string,
  ): AuditEvent => ({
    kind: "proxy.request",
    mode: "enforce",
    correlationId: `req-${n}`,
    source: "proxy",
    outcome,
    findings,
    details: { protocol: "openai", route, stream: false, subjectHash: caller },
  });
  const [a, b] = CALLERS;
  return [
    req(1, "redacted", [f("email", "tokenize", 2)], "chat.completions", a),
    req(2, "clean", [], "chat.completions", a),
    req(3, "blocked", [f("aws-access-key-id", "block", 2)], "chat.completions", b),
    {
      kind: "proxy.response",
      mode: "enforce",
      correlationId: "req-1",
      source: "proxy",
      outcome: "error",
      details: {
        protocol: "openai",
        route: "chat.completions",
        status: 502,
        code: "proxy.upstream",
      },
    },
    req(4, "redacted", [f("phone", "tokenize", 2)], "embeddings", b),
    req(5, "refused", [], "unknown", b),
    {
      kind: "mcp.message",
      mode: "enforce",
      correlationId: "mcp-1",
      source: "mcp.stdio",
      outcome: "redacted",
      findings: [f("email", "tokenize", 1)],
      details: { from: "client", method: "tools/call", tool: "send_mail", part: "params" },
    },
    {
      kind: "mcp.message",
      mode: "enforce",
      correlationId: "mcp-1",
      source: "mcp.stdio",
      outcome: "clean",
      details: { from: "server", method: "tools/call", part: "result" },
    },
    {
      kind: "mcp.message",
      mode: "enforce",
      correlationId: "mcp-1",
      source: "mcp.stdio",
      outcome: "clean",
      details: { from: "client", method: "tools/list", part: "params" },
    },
    req(
      6,
      "redacted",
      [f("credit-card", "mask", 1), f("email", "tokenize", 1)],
      "chat.completions",
      a,
    ),
    {
      kind: "token.reveal",
      mode: "enforce",
      correlationId: "cli-1",
      source: "cli.token-reveal",
      outcome: "denied",
      // A token reference is not shown by the dashboard, whatever it looks like.
      details: { token: "[TOKEN:EMAIL:abcdef0123456789]", type: "email" },
    },
    req(7, "blocked", [], "chat.completions", a),
  ];
}

/**
 * Write the fixture to `path` (and anchors to `anchorPath`), one event every 17 minutes
 * from 2026-11-30 09:00 UTC.
 */
export async function writeFixtureLog(path: string, anchorPath?: string): Promise<void> {
  let t = Date.parse("2026-11-30T09:00:00.000Z");
  const writer = await openAuditWriter({
    path,
    anchorPath,
    anchorEvery: 4,
    now: () => {
      const d = new Date(t);
      t += 17 * 60_000;
      return d;
    },
  });
  for (const e of events()) await writer.append(e);
  await writer.close();
}

/** Change one field of record `seq` in place, leaving its hash: a tampered log. */
export async function tamperRecord(path: string, seq: number): Promise<void> {
  const lines = (await Deno.readTextFile(path)).split("\n");
  const i = seq - 1;
  const r = JSON.parse(lines[i]);
  r.outcome = "clean";
  lines[i] = JSON.stringify(r);
  await Deno.writeTextFile(path, lines.join("\n"));
}
