// An in-memory stand-in for an MCP server process: the relay writes lines to its stdin and
// reads whatever `onLine` sends back on its stdout.
import type { ChildProcess, ChildStatus } from "../../src/runtime/mod.ts";

/**
 * A child that calls `onLine` for each line written to its stdin; `send` puts one line on
 * its stdout (dropped once the child has ended). Closing or aborting stdin, or `kill`, ends
 * it with code 0.
 */
export function lineChild(
  onLine: (line: string, send: (text: string) => void) => void,
): ChildProcess {
  const enc = new TextEncoder();
  let out!: ReadableStreamDefaultController<Uint8Array>;
  let resolve!: (s: ChildStatus) => void;
  const status = new Promise<ChildStatus>((r) => resolve = r);
  let open = true;
  const end = () => {
    if (!open) return;
    open = false;
    out.close();
    resolve({ code: 0, signal: null });
  };
  const send = (text: string) => {
    if (open) out.enqueue(enc.encode(text + "\n"));
  };
  const stdout = new ReadableStream<Uint8Array>({ start: (c) => void (out = c) });
  let buffer = "";
  const dec = new TextDecoder();
  const stdin = new WritableStream<Uint8Array>({
    write(chunk) {
      buffer += dec.decode(chunk, { stream: true });
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        onLine(line, send);
      }
    },
    close: end,
    abort: end,
  });
  return { pid: 0, stdin, stdout, stderr: null, status, kill: end };
}
