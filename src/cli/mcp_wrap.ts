/**
 * `haechi mcp-wrap`: run an MCP server as a child and protect its stdio traffic both ways.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import type { McpStderrMode } from "../config/types.ts";
import { createMcpFilter, createStderrFilter, runStdioRelay } from "../mcp/mod.ts";
import { type ChildProcess, isNotFound, onSignals, spawnChild } from "../runtime/mod.ts";
import type { CliIO, Command } from "./command.ts";
import { loadConfigFor, parseFlags } from "./_shared.ts";
import { openSession } from "../session/mod.ts";
import { EXIT } from "./exit_codes.ts";

const HELP = `Usage: haechi mcp-wrap [options] -- COMMAND [ARGS...]

Start the MCP server COMMAND as a child and relay newline-delimited JSON-RPC between
this process's stdin/stdout (the MCP client) and the child, protecting both directions:
tool arguments, resource URIs and prompt arguments on the way in; results, errors,
logging and progress on the way out. Every message is audited without its content.

Options:
  --stderr MODE        filter (default; scrubbed line by line), drop, or inherit.
  --server NAME        Server name for mcp.detokenizeArguments patterns
                       (default: the command's file name).
  --scope SCOPE        Token scope (default: mcp.scope).
  --config PATH        Config file (default: $HAECHI_CONFIG, else the nearest haechi.config.json upwards).
  -h, --help           Show this help.

The method policy (mcp.methods.allow / mcp.methods.deny) can narrow what passes: a denied
request gets a JSON-RPC error, a denied notification is dropped. Closing stdin closes the
child's stdin; a child that does not exit gets SIGTERM, then SIGKILL.

Exit status: the child's (128 + signal number when a signal ended it); 2 usage.
`;

/**
 * Split `args` at the first `--` into wrapper flags and the child command line.
 *
 * @example
 * ```ts
 * import { splitCommandLine } from "./mcp_wrap.ts";
 * const { flags, command } = splitCommandLine(["--stderr", "drop", "--", "node", "s.js"]);
 * if (flags.length !== 2 || command.join(" ") !== "node s.js") throw new Error("split");
 * ```
 */
export function splitCommandLine(args: readonly string[]): { flags: string[]; command: string[] } {
  const at = args.indexOf("--");
  if (at === -1) return { flags: [...args], command: [] };
  return { flags: args.slice(0, at), command: args.slice(at + 1) };
}

/**
 * Check a `--stderr` value.
 *
 * @example
 * ```ts
 * import { parseStderrMode } from "./mcp_wrap.ts";
 * if (parseStderrMode("drop", "filter") !== "drop") throw new Error("mode");
 * ```
 */
export function parseStderrMode(flag: string | undefined, fallback: McpStderrMode): McpStderrMode {
  if (flag === undefined) return fallback;
  if (flag === "filter" || flag === "drop" || flag === "inherit") return flag;
  throw new HaechiError(
    "usage.invalid",
    `--stderr must be one of "filter", "drop", "inherit", got "${flag}"`,
  );
}

/** The `mcp-wrap` command. */
export const mcpWrapCommand: Command = {
  name: "mcp-wrap",
  summary: "Run an MCP server and protect its stdio traffic both ways",
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    const split = splitCommandLine(args);
    const { values } = parseFlags(split.flags, {
      stderr: { type: "string" },
      server: { type: "string" },
      scope: { type: "string" },
      config: { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      await io.stdout.write(HELP);
      return EXIT.ok;
    }
    if (split.command.length === 0) {
      throw new HaechiError("usage.invalid", "mcp-wrap needs a server command after --");
    }
    const config = await loadConfigFor(values.config, io);
    const mode = parseStderrMode(values.stderr, config.mcp.stderr);
    const mcp = values.scope === undefined ? config.mcp : { ...config.mcp, scope: values.scope };
    const [command, ...commandArgs] = split.command;
    const serverName = values.server ?? command.slice(command.lastIndexOf("/") + 1);
    const session = await openSession(config, "cli.mcp-wrap");
    try {
      let child: ChildProcess;
      try {
        child = spawnChild(command, commandArgs, {
          stderr: mode === "filter" ? "piped" : mode === "drop" ? "null" : "inherit",
        });
      } catch (e) {
        throw new HaechiError(
          "usage.invalid",
          isNotFound(e)
            ? `Cannot start the MCP server: command "${command}" was not found`
            : `Cannot start the MCP server command "${command}"`,
        );
      }
      const correlationId = crypto.randomUUID();
      const filter = createMcpFilter({
        protector: session.protector,
        audit: session.audit,
        mcp,
        restorer: session.vault,
        serverName,
        correlationId,
        trackRequests: true,
      });
      const stderrFilter = mode === "filter"
        ? createStderrFilter({
          protector: session.protector,
          sink: io.stderr,
          audit: session.audit,
          correlationId,
        })
        : undefined;
      const stopForwarding = onSignals(["SIGINT", "SIGTERM", "SIGHUP"], (s) => child.kill(s));
      try {
        const status = await runStdioRelay({
          filter,
          clientIn: io.stdin(),
          clientOut: io.stdout,
          child,
          maxLineBytes: mcp.maxLineBytes,
          stderrFilter,
          diagnostics: io.stderr,
          audit: session.audit,
          correlationId,
        });
        return status.code;
      } finally {
        stopForwarding();
      }
    } finally {
      await session.close();
    }
  },
};
