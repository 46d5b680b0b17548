/**
 * The bounded tail window: the last `window` bytes of the log, read once per change of
 * size or modification time and kept projected in memory. Events and summaries are
 * answered from it, so a 1 GB log costs the same as a 1 MB one.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { fileStamp, readFileRange } from "../runtime/mod.ts";
import { type DashboardEvent, projectRecord } from "./project.ts";

/** The records in the tail window, oldest first. */
export interface TailWindow {
  /** Projected events, oldest first. */
  readonly events: readonly DashboardEvent[];
  /** Log size when read. */
  readonly size: number;
  /** Log modification time when read. */
  readonly mtimeMs: number;
  /** True when the window starts at the beginning of the log (nothing older exists). */
  readonly complete: boolean;
  /** Lines in the window that were not readable records (skipped). */
  readonly unreadable: number;
}

/** Reads and caches the tail window of one log. */
export interface TailReader {
  /** The current window, re-read only when the log changed. */
  read(): Promise<TailWindow>;
}

const LF = 0x0a;

/**
 * A reader for the last `window` bytes of `path`.
 *
 * @example
 * ```ts
 * import { createTailReader } from "./tail.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.jsonl`, '{"seq":1,"ts":"2024-05-01T00:00:00Z"}\n');
 * const w = await createTailReader(`${dir}/a.jsonl`, 4096).read();
 * if (w.events.length !== 1 || !w.complete) throw new Error("one event");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function createTailReader(path: string, window: number): TailReader {
  let cached: TailWindow | null = null;
  let pending: Promise<TailWindow> | null = null;
  const load = async (): Promise<TailWindow> => {
    const stamp = await statOrFail(path);
    if (cached !== null && cached.size === stamp.size && cached.mtimeMs === stamp.mtimeMs) {
      return cached;
    }
    const start = Math.max(0, stamp.size - window);
    const bytes = await readFileRange(path, start, stamp.size - start);
    cached = { ...parseWindow(bytes, start === 0), size: stamp.size, mtimeMs: stamp.mtimeMs };
    return cached;
  };
  return {
    read() {
      // Concurrent requests share one read.
      pending ??= load().finally(() => pending = null);
      return pending;
    },
  };
}

function parseWindow(
  bytes: Uint8Array,
  fromStart: boolean,
): { events: DashboardEvent[]; complete: boolean; unreadable: number } {
  let begin = 0;
  if (!fromStart) {
    // The window most likely starts mid-line; that fragment is not a record.
    const lf = bytes.indexOf(LF);
    begin = lf === -1 ? bytes.length : lf + 1;
  }
  // A last line without its newline is a write in progress (or a cut-off one): skip it.
  const end = bytes.lastIndexOf(LF) + 1;
  const text = new TextDecoder().decode(bytes.subarray(begin, Math.max(begin, end)));
  const events: DashboardEvent[] = [];
  let unreadable = 0;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      unreadable++;
      continue;
    }
    const event = projectRecord(value);
    if (event === null) unreadable++;
    else events.push(event);
  }
  return { events, complete: fromStart, unreadable };
}

async function statOrFail(path: string): Promise<{ size: number; mtimeMs: number }> {
  let stamp;
  try {
    stamp = await fileStamp(path);
  } catch {
    stamp = null;
  }
  if (stamp === null) throw new HaechiError("audit.io", "Audit log is not readable", { path });
  return stamp;
}
