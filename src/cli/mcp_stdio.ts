/**
 * `haechi mcp-stdio`: filter one direction of newline-delimited MCP JSON-RPC, for
 * pipelines where haechi cannot start the server itself.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { createMcpFilter, createMcpRequestLog, type McpSender } from "../mcp/mod.ts";
import { readLines } from "../runtime/mod.ts";
import { type Command, defineCommand } from "./command.ts";
import { CONFIG_FLAG, loadConfigFor } from "./_shared.ts";
import { defaultProfileConfig } from "../policy/mod.ts";
import { openSession } from "../session/mod.ts";
import { EXIT } from "./exit_codes.ts";

/**
 * Map `--direction` to the sender whose messages are read.
 *
 * @example
 * ```ts
 * import { parseDirection } from "./mcp_stdio.ts";
 * if (parseDirection("response") !== "server") throw new Error("responses come from servers");
 * ```
 */
export function parseDirection(flag: string | undefined): McpSender {
  // haechi 1.4's `mcp-stdio [--config]` filtered what an MCP client sends.
  if (flag === "request" || flag === undefined) return "client";
  if (flag === "response") return "server";
  throw new HaechiError(
    "usage.invalid",
    `--direction must be "request" or "response", got "${flag}"`,
  );
}

/** The `mcp-stdio` command. */
export const mcpStdioCommand: Command = defineCommand({
  name: "mcp-stdio",
  summary: "Protect one direction of MCP JSON-RPC lines (for pipelines)",
  usage: "haechi mcp-stdio [--direction request|response] [options]",
  description:
    `Read newline-delimited JSON-RPC on stdin, protect each message and write it to stdout.

  request    messages from an MCP client to a server: params are protected.
  response   messages from an MCP server to a client: results, errors and
             notifications are protected.

A message that must not pass (malformed, oversized, denied by mcp.methods, blocked) is
not written to stdout; the JSON-RPC error meant for its sender goes to stderr, one line
each. Every message is audited without its content.`,
  flags: {
    direction: {
      type: "string",
      value: "DIR",
      help: "request (default, as in haechi 1.4) or response.",
    },
    server: {
      type: "string",
      value: "NAME",
      help: "Server name for mcp.detokenizeArguments patterns (request only).",
    },
    scope: { type: "string", value: "SCOPE", help: "Token scope (default: mcp.scope)." },
    config: CONFIG_FLAG,
  },
  footer: "Exit status: 0 ok, 2 usage.",
  async run({ values }, io) {
    const from = parseDirection(values.direction);
    const config = await loadConfigFor(values.config, io);
    const mcp = values.scope === undefined ? config.mcp : { ...config.mcp, scope: values.scope };
    // No caller to resolve here: the profile anonymous gateway callers get applies.
    const session = await openSession(defaultProfileConfig(config), "cli.mcp-stdio");
    // One log line per message on stderr, after any reply line it caused (one direction
    // only, so nothing to pair).
    const lines: string[] = [];
    const correlationId = crypto.randomUUID();
    const log = createMcpRequestLog({
      write: (l) => void lines.push(l),
      format: config.logging.format,
      correlationId,
      pair: false,
    });
    try {
      const filter = createMcpFilter({
        protector: session.protector,
        audit: session.audit,
        mcp,
        restorer: session.vault,
        serverName: values.server ?? "server",
        correlationId,
        onDecision: log.onDecision,
      });
      for await (const line of readLines(io.stdin(), { maxLineBytes: mcp.maxLineBytes })) {
        const verdict = await filter.inspect(
          from,
          line.kind === "text"
            ? { kind: "text", text: line.text }
            : line.kind === "too-long"
            ? { kind: "too-long", bytes: line.bytes }
            : { kind: "invalid-utf8" },
        );
        if (verdict.forward !== undefined) await io.stdout.write(verdict.forward + "\n");
        if (verdict.reply !== undefined) await io.stderr.write(verdict.reply + "\n");
        if (lines.length > 0) await io.stderr.write(lines.splice(0).join(""));
      }
      return EXIT.ok;
    } finally {
      await session.close();
    }
  },
});
