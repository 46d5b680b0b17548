/**
 * Scrub an MCP server's stderr without missing a value the server spreads over several
 * writes: wrapped onto short lines, written a few hundred milliseconds apart, or broken by
 * a carriage return.
 *
 * Input arrives as lines; each `\r` inside a line starts a new piece too (a progress
 * display, or a value broken on purpose), and the piece keeps its own line ending on the way
 * out. Pieces wait in a held area, and every new piece is scanned together with the held
 * ones and a little already-written context, twice: joined with newlines (multi-line
 * values such as PEM keys; a name on one line, its value on the next) and joined with
 * nothing (a token wrapped at a column limit). Any part of a waiting piece that a finding
 * covers is replaced by a redaction marker. A value whose head was already written still
 * has its tail replaced.
 *
 * A piece is written only when it can no longer change:
 *
 * - at least `holdChars` characters of later text have arrived, and it is not part of the
 *   whitespace-free run that ends the held text (a token or base64 line wrapped over many
 *   short lines is one such run);
 * - or the stream went idle for `idleFlushMs` and the held text does not end in something
 *   that may be the head of a value (eight or more token characters in a row); such a tail
 *   waits for more text or the end of the stream;
 * - or the end of the stream, or a bound (`windowLines`, `windowBytes`) forces it out.
 *
 * Inside a `-----BEGIN … PRIVATE KEY-----` block every piece is replaced until the END line,
 * however long the block and however slowly it arrives.
 *
 * A value found by joining pieces with nothing is applied to the later pieces only when the
 * first piece alone did not already hold an equally strong value at the same place:
 * otherwise `jane@example.com` at a line end would swallow the next line's first word.
 *
 * Stderr is for operators, never the model, so every finding not allowed by the policy is
 * redacted (not tokenized). In dry-run nothing is changed, only audited. Memory is bounded
 * by `windowLines` and `windowBytes`; each step scans only the held pieces plus at most
 * `contextChars` of written ones, so cost stays linear in the stream.
 *
 * @module
 */
import { type Protector, redactionMarker } from "../protect/mod.ts";
import type { TextSink } from "../runtime/mod.ts";
import type { AuditSink } from "../audit/mod.ts";

/** Options for {@linkcode createStderrFilter}. */
export interface StderrFilterOptions {
  /** The protector (scanner and policy). */
  readonly protector: Protector;
  /** Where scrubbed lines go. */
  readonly sink: TextSink;
  /** Audit sink; one event per written piece that had findings. */
  readonly audit: AuditSink;
  /** Correlation id for audit events. */
  readonly correlationId: string;
  /** Most pieces held before the oldest is forced out (default 64). */
  readonly windowLines?: number;
  /** Most characters held before the oldest piece is forced out (default 16384). */
  readonly windowBytes?: number;
  /** Characters of later text a piece waits for before it is written (default 128). */
  readonly holdChars?: number;
  /** Characters of written text kept as context for the next scan (default 256). */
  readonly contextChars?: number;
  /** Write held pieces after this many idle milliseconds (default 200; 0 disables). */
  readonly idleFlushMs?: number;
}

/** A running stderr filter. */
export interface StderrFilter {
  /** Add one line (without its newline). */
  push(line: string): Promise<void>;
  /** Write every held line; call at end of stream. */
  flush(): Promise<void>;
}

interface Range {
  start: number;
  end: number;
  type: string;
  ruleId: string;
  action: string;
}

interface Piece {
  readonly text: string;
  /** What ended it in the input: `\n`, or `\r` for a piece cut at a carriage return. */
  readonly eol: string;
  written: boolean;
  ranges: Range[];
}

const BEGIN_KEY = /-----BEGIN (?:[A-Z0-9]{1,12} ){0,2}PRIVATE KEY(?: BLOCK)?-----/g;
const END_KEY = /-----END [A-Z0-9 ]{1,40}-----/;
// A line of a key block's body (base64, or blank), and an armor header ("Proc-Type: 4,…").
const KEY_LINE = /^[A-Za-z0-9+/=]{0,128}$/;
const KEY_HEADER = /^[A-Za-z][A-Za-z-]{0,19}: ?\S{1,100}$/;
// Eight or more characters of the alphabets tokens and keys are written in, at the very end
// of the held text: possibly the head of a value whose rest is still to come.
const VALUE_HEAD = /[A-Za-z0-9+/=_-]{8}$/;
const SPACE = /\s/;

/**
 * Create a stderr filter.
 *
 * @param options Protector, sink, audit and bounds.
 * @returns The filter; call `flush` at the end of the stream.
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
  const windowLines = Math.max(2, options.windowLines ?? 64);
  const windowBytes = Math.max(1, options.windowBytes ?? 16384);
  const holdChars = Math.max(0, options.holdChars ?? 128);
  const contextChars = Math.max(0, options.contextChars ?? 256);
  const idleMs = options.idleFlushMs ?? 200;
  const keyAction = protector.policy.actionFor("private_key");
  // Written pieces kept as context, then the held ones, oldest first.
  const window: Piece[] = [];
  let keyOpen = false;
  // Base64 lines seen in the open block; armor headers may only come before the first.
  let keyLines = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<void> = Promise.resolve();

  function scanWindow(): void {
    const texts = window.map((p) => p.text);
    const byLine = locate(texts, "\n");
    const joined = locate(texts, "");
    const lineFindings = protector.scanner.scan(byLine.text)
      .filter((f) => protector.policy.actionFor(f.type) !== "allow");
    for (const f of lineFindings) apply(byLine.starts, f.start, f.end, f, window.length);
    // Where the by-line view already found a value, keyed by piece and offset: its confidence.
    const seen = new Map<string, number>();
    for (const f of lineFindings) {
      const key = pieceAt(byLine.starts, f.start).join(":");
      seen.set(key, Math.max(seen.get(key) ?? 0, f.confidence));
    }
    for (const f of protector.scanner.scan(joined.text)) {
      if (protector.policy.actionFor(f.type) === "allow") continue;
      const [first, offset] = pieceAt(joined.starts, f.start);
      // The first piece alone already held a value as strong, starting at the same place:
      // joining only ran it on into the next line's text (`jane@example.com` + `hello`).
      // A stronger finding across the join is a wrapped value (a generic secret by line, a
      // GitHub token once joined) and covers every piece it reaches.
      const alone = seen.get(`${first}:${offset}`) ?? -1;
      const last = alone >= f.confidence ? first + 1 : window.length;
      apply(joined.starts, f.start, f.end, f, last);
    }
  }

  /** Add `[start, end)` of a joined text to every held piece it covers, below piece `last`. */
  function apply(
    starts: readonly number[],
    start: number,
    end: number,
    f: { type: string; ruleId: string },
    last: number,
  ): void {
    const action = protector.policy.actionFor(f.type);
    for (let i = 0; i < last; i++) {
      const p = window[i];
      if (p.written) continue;
      const s = Math.max(start, starts[i]) - starts[i];
      const e = Math.min(end, starts[i] + p.text.length) - starts[i];
      if (e > s) p.ranges.push({ start: s, end: e, type: f.type, ruleId: f.ruleId, action });
    }
  }

  /**
   * Inside a private-key block every piece is covered until the END line, or until a piece
   * that cannot belong to a key (a log line with spaces), so a stray BEGIN line does not
   * hide the rest of the server's stderr.
   */
  function coverKeyBlock(p: Piece): void {
    if (keyAction === "allow") return;
    if (keyOpen && !END_KEY.test(p.text) && !KEY_LINE.test(p.text.trim())) {
      const header = keyLines === 0 && KEY_HEADER.test(p.text.trim());
      if (!header) keyOpen = false;
    }
    const mark = (start: number, end: number) => {
      if (end > start) {
        p.ranges.push({
          start,
          end,
          type: "private_key",
          ruleId: "pem-private-key",
          action: keyAction,
        });
      }
    };
    let from = 0;
    if (keyOpen) {
      const m = END_KEY.exec(p.text);
      if (m === null) {
        if (KEY_LINE.test(p.text.trim())) keyLines++;
        return mark(0, p.text.length);
      }
      from = m.index + m[0].length;
      mark(0, from);
      keyOpen = false;
    }
    let begin = -1;
    BEGIN_KEY.lastIndex = from;
    for (let m = BEGIN_KEY.exec(p.text); m !== null; m = BEGIN_KEY.exec(p.text)) begin = m.index;
    if (begin >= 0 && !END_KEY.test(p.text.slice(begin))) {
      keyOpen = true;
      keyLines = 0;
      mark(begin, p.text.length);
    }
  }

  async function write(p: Piece): Promise<void> {
    p.written = true;
    if (p.ranges.length === 0) {
      await sink.write(p.text + p.eol);
      return;
    }
    const ranges = [...p.ranges].sort((a, b) => a.start - b.start || b.end - a.end);
    let out = "";
    let pos = 0;
    for (const r of ranges) {
      if (r.end <= pos) continue;
      out += p.text.slice(pos, Math.max(pos, r.start)) + redactionMarker(r.type);
      pos = r.end;
    }
    out += p.text.slice(pos);
    await sink.write((protector.policy.enforcing ? out : p.text) + p.eol);
    await audit.record({
      kind: "mcp.stderr",
      correlationId,
      outcome: protector.policy.enforcing ? "redacted" : "dry-run",
      findings: dedupe(p.ranges),
    });
  }

  /** Index of the first held piece of the whitespace-free run that ends the held text. */
  function trailingRunStart(held: readonly Piece[]): number {
    for (let i = held.length - 1; i >= 0; i--) {
      const t = held[i].text;
      if (t === "" || SPACE.test(t[t.length - 1])) return i + 1;
      if (SPACE.test(t)) return i;
    }
    return 0;
  }

  /** Write the held pieces that can no longer change; `idle` after a quiet spell. */
  async function release(idle: boolean): Promise<void> {
    const held = window.filter((p) => !p.written);
    const run = trailingRunStart(held);
    let after = held.reduce((n, p) => n + p.text.length + 1, 0);
    let forcedPieces = held.length - windowLines;
    let heldChars = after;
    let risky = false;
    if (idle) {
      const tail = held.slice(-3).map((p) => p.text).join("");
      risky = VALUE_HEAD.test(tail);
    }
    for (let i = 0; i < held.length; i++) {
      const p = held[i];
      after -= p.text.length + 1;
      const forced = forcedPieces > 0 || heldChars > windowBytes;
      const settled = i < run && after >= holdChars;
      const quiet = idle && (!risky || i < run);
      if (!forced && !settled && !quiet) break;
      await write(p);
      forcedPieces--;
      heldChars -= p.text.length + 1;
    }
    trimContext();
  }

  /** Drop written pieces from the front, keeping at most `contextChars` of them. */
  function trimContext(): void {
    let kept = 0;
    let firstKept = window.length;
    for (let i = window.length - 1; i >= 0; i--) {
      if (!window[i].written) {
        firstKept = i;
        continue;
      }
      kept += window[i].text.length + 1;
      if (kept > contextChars) break;
      firstKept = i;
    }
    let drop = 0;
    while (drop < firstKept && window[drop].written) drop++;
    window.splice(0, drop);
  }

  const enqueue = (job: () => Promise<void>) => {
    chain = chain.then(job);
    return chain;
  };

  return {
    push(line: string): Promise<void> {
      return enqueue(async () => {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        const parts = line.split("\r");
        for (let i = 0; i < parts.length; i++) {
          const p: Piece = {
            text: parts[i],
            eol: i === parts.length - 1 ? "\n" : "\r",
            written: false,
            ranges: [],
          };
          coverKeyBlock(p);
          window.push(p);
        }
        scanWindow();
        await release(false);
        if (idleMs > 0 && window.some((p) => !p.written)) {
          timer = setTimeout(() => {
            timer = undefined;
            enqueue(() => release(true)).catch(() => {});
          }, idleMs);
        }
      });
    },
    flush(): Promise<void> {
      return enqueue(async () => {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        for (const p of window) if (!p.written) await write(p);
        window.length = 0;
      });
    },
  };
}

/** Join `texts` with `sep`, recording where each one starts. */
function locate(texts: readonly string[], sep: string): { text: string; starts: number[] } {
  const starts: number[] = [];
  let pos = 0;
  for (const t of texts) {
    starts.push(pos);
    pos += t.length + sep.length;
  }
  return { text: texts.join(sep), starts };
}

/** `[piece index, offset in it]` of a joined-text offset. */
function pieceAt(starts: readonly number[], at: number): [number, number] {
  let i = starts.length - 1;
  while (i > 0 && starts[i] > at) i--;
  return [i, at - starts[i]];
}

function dedupe(ranges: readonly Range[]) {
  const seen = new Map<string, { type: string; ruleId: string; action: string }>();
  for (const r of ranges) seen.set(`${r.type} ${r.ruleId}`, r);
  return [...seen.values()];
}
