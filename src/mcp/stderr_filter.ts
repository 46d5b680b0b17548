/**
 * Scrub an MCP server's stderr line by line without missing a value split across lines.
 *
 * Lines wait in a bounded window before they are written. Each new line is scanned
 * together with the window twice: joined with newlines (multi-line values such as PEM
 * keys) and joined with nothing (a token wrapped at a column limit). Any part of a waiting
 * line that a finding covers is replaced by a redaction marker; lines already written stay
 * in the window as context, so the rest of a value that straddles them is still caught.
 * Memory is bounded by `windowLines` and `windowBytes`; a line longer than the window is
 * scanned on its own.
 *
 * Stderr is for operators, never the model, so every finding not allowed by the policy is
 * redacted (not tokenized). In dry-run nothing is changed, only audited.
 *
 * @module
 */
import type { Protector } from "../protect/mod.ts";
import { redactionMarker } from "../protect/mod.ts";
import type { TextSink } from "../runtime/mod.ts";
import type { McpAuditSink } from "./filter.ts";

/** Options for {@linkcode createStderrFilter}. */
export interface StderrFilterOptions {
  /** The protector (scanner and policy). */
  readonly protector: Protector;
  /** Where scrubbed lines go. */
  readonly sink: TextSink;
  /** Audit sink; one event per written line that had findings. */
  readonly audit: McpAuditSink;
  /** Correlation id for audit events. */
  readonly correlationId: string;
  /** Lines kept for context (default 8). */
  readonly windowLines?: number;
  /** Bytes (UTF-16 units) kept for context (default 8192). */
  readonly windowBytes?: number;
  /** Lines held back before writing (default 2). */
  readonly holdLines?: number;
  /** Write held lines after this many idle milliseconds (default 200; 0 disables). */
  readonly idleFlushMs?: number;
}

/** A running stderr filter. */
export interface StderrFilter {
  /** Add one line (without its newline). */
  push(line: string): Promise<void>;
  /** Write every held line; call at end of stream. */
  flush(): Promise<void>;
}

interface Held {
  text: string;
  written: boolean;
  ranges: { start: number; end: number; type: string; ruleId: string; action: string }[];
}

/**
 * Create a stderr filter.
 *
 * @example
 * ```ts ignore
 * const f = createStderrFilter({ protector, sink: stderrSink(), audit, correlationId });
 * for await (const line of lines) await f.push(line);
 * await f.flush();
 * ```
 */
export function createStderrFilter(options: StderrFilterOptions): StderrFilter {
  const { protector, sink, audit, correlationId } = options;
  const windowLines = options.windowLines ?? 8;
  const windowBytes = options.windowBytes ?? 8192;
  const holdLines = options.holdLines ?? 2;
  const idleMs = options.idleFlushMs ?? 200;
  const window: Held[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<void> = Promise.resolve();

  function scanWindow(): void {
    for (const sep of ["\n", ""]) {
      const starts: number[] = [];
      let pos = 0;
      for (const h of window) {
        starts.push(pos);
        pos += h.text.length + sep.length;
      }
      const joined = window.map((h) => h.text).join(sep);
      for (const f of protector.scanner.scan(joined)) {
        const action = protector.policy.actionFor(f.type);
        if (action === "allow") continue;
        for (let i = 0; i < window.length; i++) {
          const h = window[i];
          if (h.written) continue;
          const s = Math.max(f.start, starts[i]) - starts[i];
          const e = Math.min(f.end, starts[i] + h.text.length) - starts[i];
          if (e > s) h.ranges.push({ start: s, end: e, type: f.type, ruleId: f.ruleId, action });
        }
      }
    }
  }

  async function write(h: Held): Promise<void> {
    h.written = true;
    if (h.ranges.length === 0) {
      await sink.write(h.text + "\n");
      return;
    }
    const ranges = [...h.ranges].sort((a, b) => a.start - b.start || b.end - a.end);
    let out = "";
    let pos = 0;
    for (const r of ranges) {
      if (r.end <= pos) continue;
      out += h.text.slice(pos, Math.max(pos, r.start)) + redactionMarker(r.type);
      pos = r.end;
    }
    out += h.text.slice(pos);
    await sink.write((protector.policy.enforcing ? out : h.text) + "\n");
    await audit.record({
      kind: "mcp.stderr",
      correlationId,
      outcome: protector.policy.enforcing ? "redacted" : "dry-run",
      findings: dedupe(h.ranges),
    });
  }

  async function writeHeld(keep: number): Promise<void> {
    const waiting = window.filter((h) => !h.written);
    for (let i = 0; i < waiting.length - keep; i++) await write(waiting[i]);
  }

  function trim(): Promise<void> {
    let bytes = window.reduce((n, h) => n + h.text.length, 0);
    const evict: Held[] = [];
    while (window.length > 1 && (window.length > windowLines || bytes > windowBytes)) {
      const h = window.shift()!;
      bytes -= h.text.length;
      evict.push(h);
    }
    return evict.reduce(
      (p, h) => p.then(() => h.written ? undefined : write(h)),
      Promise.resolve(),
    );
  }

  const enqueue = (job: () => Promise<void>) => {
    chain = chain.then(job);
    return chain;
  };

  return {
    push(line: string): Promise<void> {
      return enqueue(async () => {
        if (timer !== undefined) clearTimeout(timer);
        window.push({ text: line, written: false, ranges: [] });
        scanWindow();
        await writeHeld(holdLines);
        await trim();
        if (idleMs > 0) {
          timer = setTimeout(() => {
            timer = undefined;
            enqueue(() => writeHeld(0)).catch(() => {});
          }, idleMs);
        }
      });
    },
    flush(): Promise<void> {
      return enqueue(async () => {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        await writeHeld(0);
      });
    },
  };
}

function dedupe(ranges: Held["ranges"]) {
  const seen = new Map<string, { type: string; ruleId: string; action: string }>();
  for (const r of ranges) seen.set(`${r.type} ${r.ruleId}`, r);
  return [...seen.values()];
}
