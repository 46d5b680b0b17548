/**
 * `haechi mcp-wrap`: run an MCP server as a child and protect its stdio traffic both ways.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import type { McpStderrMode } from "../config/mod.ts";
import {
  createMcpFilter,
  createMcpRequestLog,
  createStderrFilter,
  type McpDecision,
  runStdioRelay,
} from "../mcp/mod.ts";
import {
  type ChildProcess,
  isNotFound,
  onSignals,
  spawnChild,
  type TextSink,
} from "../runtime/mod.ts";
import { type Command, defineCommand } from "./command.ts";
import { CONFIG_FLAG, loadConfigFor } from "./_shared.ts";
import { defaultProfileConfig } from "../policy/mod.ts";
import { openSession } from "../session/mod.ts";

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
export const mcpWrapCommand: Command = defineCommand({
  name: "mcp-wrap",
  summary: "Run an MCP server and protect its stdio traffic both ways",
  usage: "haechi mcp-wrap [options] -- COMMAND [ARGS...]",
  description: `Start the MCP server COMMAND as a child and relay newline-delimited JSON-RPC between
this process's stdin/stdout (the MCP client) and the child, protecting both directions:
tool arguments, resource URIs and prompt arguments on the way in; results, errors,
logging and progress on the way out. Every message is audited without its content.`,
  passThrough: true,
  flags: {
    stderr: {
      type: "string",
      value: "MODE",
      help: "filter (default; scrubbed line by line), drop, or inherit.",
    },
    server: {
      type: "string",
      value: "NAME",
      help: `Server name for mcp.detokenizeArguments patterns
        (default: the command's file name).`,
    },
    scope: { type: "string", value: "SCOPE", help: "Token scope (default: mcp.scope)." },
    config: CONFIG_FLAG,
  },
  footer: `The method policy (mcp.methods.allow / mcp.methods.deny) can narrow what passes: a denied
request gets a JSON-RPC error, a denied notification is dropped. Closing stdin closes the
child's stdin; a child that does not exit gets SIGTERM, then SIGKILL.

Exit status: the child's (128 + signal number when a signal ended it); 2 usage.`,
  async run({ values, rest }, io) {
    const split = { command: rest ?? [] };
    if (split.command.length === 0) {
      throw new HaechiError("usage.invalid", "mcp-wrap needs a server command after --");
    }
    const config = await loadConfigFor(values.config, io);
    const mode = parseStderrMode(values.stderr, config.mcp.stderr);
    const mcp = values.scope === undefined ? config.mcp : { ...config.mcp, scope: values.scope };
    const [command, ...commandArgs] = split.command;
    const serverName = values.server ?? command.slice(command.lastIndexOf("/") + 1);
    // No caller to resolve here: the profile anonymous gateway callers get applies.
    const session = await openSession(defaultProfileConfig(config), "cli.mcp-wrap");
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
      const log = deferredRequestLog(io.stderr, config.logging.format, correlationId);
      const filter = createMcpFilter({
        protector: session.protector,
        audit: session.audit,
        mcp,
        restorer: session.vault,
        serverName,
        correlationId,
        trackRequests: true,
        onDecision: log.onDecision,
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
          afterMessage: log.flush,
        });
        return status.code;
      } finally {
        await log.close();
        stopForwarding();
      }
    } finally {
      await session.close();
    }
  },
});

/**
 * The request log of one wrapped connection. Decisions wait until the relay has handed
 * their message on (`flush`), so logging never delays a message; each keeps the time it
 * was made, so durations read as if logged at once. Lines go out on one promise chain.
 */
function deferredRequestLog(sink: TextSink, format: "text" | "json", correlationId: string) {
  const decisions: { decision: McpDecision; at: number }[] = [];
  let decidedAt = 0;
  let unlogged = "";
  let logged = Promise.resolve();
  const log = createMcpRequestLog({
    write: (l) => {
      unlogged += l;
    },
    format,
    correlationId,
    pair: true,
    now: () => decidedAt,
  });
  const flush = () => {
    for (const { decision, at } of decisions.splice(0)) {
      decidedAt = at;
      log.onDecision(decision);
    }
    if (unlogged === "") return;
    const text = unlogged;
    unlogged = "";
    logged = logged.then(() => sink.write(text)).catch(() => {});
  };
  return {
    onDecision: (decision: McpDecision) => void decisions.push({ decision, at: performance.now() }),
    flush,
    /** Log what is queued, then the requests never answered, and wait for the writes. */
    close(): Promise<void> {
      flush();
      decidedAt = performance.now();
      log.close();
      flush();
      return logged;
    },
  };
}
