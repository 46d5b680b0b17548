// Drive `haechi mcp-wrap` with raw lines, for hostile-input tests the SDK would refuse
// to send.
import { ENTRY } from "./_servers.ts";

export const ROGUE = new URL("../fixtures/mcp/rogue_server.ts", import.meta.url).pathname;

export interface RawWrap {
  /** Write raw text (add the newline yourself). */
  write(text: string | Uint8Array): Promise<void>;
  /** Send one message as a line. */
  send(message: unknown): Promise<void>;
  /** The next parsed line from stdout, or null at end of stream. */
  next(): Promise<Record<string, unknown> | null>;
  /** Close stdin and wait for the exit status. */
  close(): Promise<Deno.CommandStatus>;
  /** Exit status once the wrapper ends. */
  readonly status: Promise<Deno.CommandStatus>;
  /** Everything on stderr (after exit). */
  stderr(): Promise<string>;
}

export function startRawWrap(
  config: string,
  server: string[],
  options: { flags?: string[]; env?: Record<string, string> } = {},
): RawWrap {
  const child = new Deno.Command("deno", {
    args: [
      "run",
      "-A",
      "--quiet",
      ENTRY,
      "mcp-wrap",
      "--config",
      config,
      ...(options.flags ?? []),
      "--",
      ...server,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: options.env,
  }).spawn();
  const writer = child.stdin.getWriter();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const errText = new Response(child.stderr).text();
  let buf = "";
  let closed = false;
  const enc = new TextEncoder();
  return {
    status: child.status,
    async write(text) {
      await writer.write(typeof text === "string" ? enc.encode(text) : text);
    },
    async send(message) {
      await writer.write(enc.encode(JSON.stringify(message) + "\n"));
    },
    async next() {
      while (true) {
        const nl = buf.indexOf("\n");
        if (nl >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          return JSON.parse(line);
        }
        const { value, done } = await lines.read();
        if (done) return null;
        buf += value;
      }
    },
    async close() {
      if (!closed) {
        closed = true;
        await writer.close().catch(() => {});
      }
      const status = await child.status;
      await lines.cancel().catch(() => {});
      return status;
    },
    stderr: () => errText,
  };
}

export const INIT = {
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "raw", version: "1" },
  },
};

export function call(id: number, name: string, args: unknown = {}) {
  return { jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } };
}
