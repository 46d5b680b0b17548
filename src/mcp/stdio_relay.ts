/**
 * Relay newline-delimited JSON-RPC between an MCP client (our stdin/stdout) and a child
 * MCP server (its stdin/stdout), every line through an {@linkcode McpFilter}.
 *
 * Each direction is handled in order, one line at a time, so messages never overtake each
 * other. Writes to one side are queued so lines from both pumps never interleave. When the
 * client closes its input, the child's stdin is closed and the child gets `shutdownGraceMs`
 * to exit, then SIGTERM, then SIGKILL (the shutdown order the MCP stdio transport
 * describes). When the child exits, the relay finishes what it already read and returns
 * the child's status.
 *
 * @module
 */
import {
  type ChildProcess,
  type ChildStatus,
  type LineItem,
  readLines,
  type TextSink,
} from "../runtime/mod.ts";
import type { AuditSink } from "../audit/mod.ts";
import type { McpFilter, McpSender, RawMessage } from "./filter.ts";
import type { StderrFilter } from "./stderr_filter.ts";

/** Options for {@linkcode runStdioRelay}. */
export interface StdioRelayOptions {
  /** The message filter. */
  readonly filter: McpFilter;
  /** Bytes from the MCP client. */
  readonly clientIn: ReadableStream<Uint8Array>;
  /** Lines to the MCP client. */
  readonly clientOut: TextSink;
  /** The MCP server, started with piped stdin and stdout. */
  readonly child: ChildProcess;
  /** Longest line accepted in either direction. */
  readonly maxLineBytes: number;
  /** When the child's stderr is piped: filter it (with a filter) or drop it (without). */
  readonly stderrFilter?: StderrFilter;
  /** Notes about relay trouble (never message content); default: nowhere. */
  readonly diagnostics?: TextSink;
  /** Audit sink for relay events (child exit). */
  readonly audit?: AuditSink;
  /** Correlation id for relay audit events. */
  readonly correlationId?: string;
  /** Milliseconds the child gets to exit after its stdin closes (default 2000). */
  readonly shutdownGraceMs?: number;
  /**
   * Called once a message's verdict has been handed to the writers (or the message was
   * dropped): the moment to write anything the decision produced (a request log line)
   * without putting it ahead of the message itself.
   */
  readonly afterMessage?: () => void;
}

const encoder = new TextEncoder();

/** Longest stderr line kept whole; longer ones are replaced by a note. */
const STDERR_MAX_LINE = 64 * 1024;

/**
 * Run the relay until the child exits.
 *
 * @param options Filter, streams and child.
 * @returns The child's exit status.
 *
 * @example
 * ```ts ignore
 * const child = spawnChild("node", ["server.js"]);
 * const status = await runStdioRelay({ filter, clientIn: stdinStream(), clientOut: stdoutSink(),
 *   child, maxLineBytes: config.mcp.maxLineBytes });
 * ```
 */
export async function runStdioRelay(options: StdioRelayOptions): Promise<ChildStatus> {
  const { filter, child, maxLineBytes } = options;
  if (child.stdin === null || child.stdout === null) {
    throw new TypeError("Cannot relay: the child needs piped stdin and stdout");
  }
  const grace = options.shutdownGraceMs ?? 2000;
  const note = (text: string) => options.diagnostics?.write(`haechi: ${text}\n`).catch(() => {});
  const childWriter = child.stdin.getWriter();
  let childInOpen = true;
  let toChild: Promise<void> = Promise.resolve();
  let toClient: Promise<void> = Promise.resolve();
  const sendChild = (line: string) => {
    toChild = toChild.then(async () => {
      if (!childInOpen) return;
      try {
        await childWriter.write(encoder.encode(line + "\n"));
      } catch {
        childInOpen = false;
      }
    });
    return toChild;
  };
  let clientOutOpen = true;
  const clientOutSync = options.clientOut.writeSync?.bind(options.clientOut);
  const sendClient = (line: string) => {
    if (clientOutSync !== undefined) {
      // Every line to the client goes this way, so order is that of the calls.
      if (!clientOutOpen) return toClient;
      try {
        clientOutSync(line + "\n");
      } catch {
        clientOutOpen = false;
      }
      return toClient;
    }
    toClient = toClient.then(async () => {
      if (!clientOutOpen) return;
      try {
        await options.clientOut.write(line + "\n");
      } catch {
        clientOutOpen = false;
      }
    });
    return toClient;
  };
  const send = { client: sendClient, server: sendChild };

  async function pump(
    from: McpSender,
    stream: ReadableStream<Uint8Array>,
  ): Promise<void> {
    const to: McpSender = from === "client" ? "server" : "client";
    for await (const line of readLines(stream, { maxLineBytes })) {
      let verdict;
      try {
        verdict = await filter.inspect(from, toRaw(line));
      } catch {
        options.afterMessage?.();
        // The filter fails closed on content; reaching here means the audit log or the
        // vault failed. Nothing unchecked goes on: the line is dropped and noted.
        await note(`a message from the ${from} was dropped: it could not be checked`);
        continue;
      }
      const forwarded = verdict.forward === undefined ? undefined : send[to](verdict.forward);
      const replied = verdict.reply === undefined ? undefined : send[from](verdict.reply);
      options.afterMessage?.();
      await forwarded;
      await replied;
    }
  }

  const stopClient = new AbortController();
  const clientLines = new TransformStream<Uint8Array, Uint8Array>();
  options.clientIn.pipeTo(clientLines.writable, { signal: stopClient.signal }).catch(() => {});

  let shutdownTimer: ReturnType<typeof setTimeout> | undefined;
  const clientDone = pump("client", clientLines.readable).catch(() => {}).then(async () => {
    if (stopClient.signal.aborted) return;
    // The client hung up: close the child's input and give it time to exit.
    await toChild;
    childInOpen = false;
    await childWriter.close().catch(() => {});
    shutdownTimer = setTimeout(() => {
      child.kill("SIGTERM");
      shutdownTimer = setTimeout(() => child.kill("SIGKILL"), grace);
    }, grace);
  });
  const serverDone = pump("server", child.stdout).catch(() => {
    void note("reading the server's output failed");
  });
  const stderrDone = child.stderr === null ? Promise.resolve() : pumpStderr(
    child.stderr,
    options.stderrFilter,
  ).catch(() => {});

  const status = await child.status;
  if (shutdownTimer !== undefined) clearTimeout(shutdownTimer);
  // Whatever the child wrote before exiting is still delivered, but a grandchild holding
  // the pipes open must not keep the wrapper alive.
  await within(Promise.all([serverDone, stderrDone]), grace);
  stopClient.abort();
  await within(clientDone, 100);
  await toClient;
  childInOpen = false;
  await childWriter.close().catch(() => {});
  await options.audit?.record({
    kind: "mcp.exit",
    correlationId: options.correlationId ?? crypto.randomUUID(),
    outcome: status.code === 0 ? "ok" : "failed",
    details: status.signal === null
      ? { code: status.code }
      : { code: status.code, signal: status.signal },
  });
  return status;
}

async function pumpStderr(
  stream: ReadableStream<Uint8Array>,
  filter: StderrFilter | undefined,
): Promise<void> {
  for await (const line of readLines(stream, { maxLineBytes: STDERR_MAX_LINE })) {
    if (filter === undefined) continue;
    if (line.kind === "text") await filter.push(line.text);
    else if (line.kind === "too-long") {
      await filter.push(`[haechi: a stderr line of ${line.bytes} bytes was dropped]`);
    } else await filter.push("[haechi: a stderr line that was not UTF-8 was dropped]");
  }
  await filter?.flush();
}

function toRaw(line: LineItem): RawMessage {
  if (line.kind === "text") return { kind: "text", text: line.text };
  if (line.kind === "too-long") return { kind: "too-long", bytes: line.bytes };
  return { kind: "invalid-utf8" };
}

// Wait for `p`, but no longer than `ms`; the timer never outlives the wait.
async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => timer = setTimeout(resolve, ms));
  try {
    await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
