/**
 * `haechi scan`: report findings without changing anything.
 *
 * @module
 */
import { HaechiError, toHaechiError } from "../errors.ts";
import { readLines, type TextSink } from "../runtime/mod.ts";
import { type AppliedFinding, createProtector, type Protector } from "../protect/mod.ts";
import { type CliIO, type Command, defineCommand } from "./command.ts";
import { CONFIG_FLAG, loadConfigFor, openInput, palette, readInputText } from "./_shared.ts";
import { createProgress, type Progress } from "./_progress.ts";
import { resolveFormat } from "./protect.ts";
import { EXIT } from "./exit_codes.ts";

/** A finding as `scan` reports it. */
export interface ScanReportEntry {
  /** Input line (jsonl only). */
  readonly line?: number;
  /** JSONPath-style location (`$` for text). */
  readonly path: string;
  /** Start offset in the string at `path`. */
  readonly start: number;
  /** End offset (exclusive). */
  readonly end: number;
  /** Finding type. */
  readonly type: string;
  /** Rule id. */
  readonly rule: string;
  /** Confidence 0..1. */
  readonly confidence: number;
  /** What protect would do. */
  readonly action: string;
  /** Encoding the value was hidden in, if any. */
  readonly encoding?: string;
}

/** The `scan` command. */
export const scanCommand: Command = defineCommand({
  name: "scan",
  summary: "Report findings (type, rule, offsets, confidence) without changing anything",
  usage: "haechi scan [FILE|-] [--format json|jsonl|text] [--config PATH] [--json]",
  description: `Report every finding (type, rule, location, confidence, and the action the policy
would take) without changing the input. Values are never printed.`,
  details: `Arguments:
  FILE                 Input file; "-" or nothing reads stdin.`,
  positionals: true,
  flags: {
    format: {
      type: "string",
      value: "FORMAT",
      help: "json (default; .jsonl files default to jsonl), jsonl, or text.",
    },
    quiet: {
      type: "boolean",
      short: "q",
      help: "No progress line (shown on stderr only when it is a terminal).",
    },
    config: CONFIG_FLAG,
    json: {
      type: "boolean",
      help: `Print findings as JSON. jsonl input streams: findings are written
        as each line is scanned, in constant memory (the first 1000 line
        errors are listed, more are counted in "errorsOmitted").`,
    },
  },
  footer: "Exit status: 0 ok (with or without findings), 1 bad input, 2 usage.",
  async run({ values, positionals }, io) {
    if (positionals.length > 1) {
      throw new HaechiError("usage.invalid", "scan takes at most one input file");
    }
    const source = positionals[0];
    const format = resolveFormat(values.format, source);
    const config = await loadConfigFor(values.config, io);
    const protector = createProtector(config);
    const progress = createProgress("scan", io, {
      quiet: values.quiet,
      streamsToStdout: format === "jsonl",
    });
    if (format === "jsonl") {
      try {
        return await scanJsonl(protector, source, io, {
          json: values.json === true,
          maxLineBytes: config.limits.maxBytes,
          progress,
        });
      } finally {
        await progress.finish();
      }
    }
    let text: string;
    try {
      text = await readInputText(source, io, config.limits.maxBytes, progress);
    } finally {
      await progress.finish();
    }
    const entries = scanOne(protector, text, format).map(toEntry);
    if (values.json) {
      await io.stdout.write(JSON.stringify({ findings: entries, errors: [] }, null, 2) + "\n");
    } else {
      const p = palette(io.color.stdout);
      await io.stdout.write(
        entries.map((e) => entryLine(e, p)).join("") + `${entries.length} finding(s)\n`,
      );
    }
    return EXIT.ok;
  },
});

/** Line errors kept for the `--json` report; later ones are only counted (`errorsOmitted`). */
export const MAX_REPORTED_LINE_ERRORS = 1000;

/**
 * Scan JSONL in constant memory: each line's findings are written as soon as the line is
 * scanned, so a file of any size (or an endless stdin) is reported as it goes. `--json`
 * keeps the `{ findings, errors }` document, written incrementally; only line errors are
 * held until the end, up to {@linkcode MAX_REPORTED_LINE_ERRORS}.
 */
async function scanJsonl(
  protector: Protector,
  source: string | undefined,
  io: CliIO,
  options: { json: boolean; maxLineBytes: number; progress: Progress },
): Promise<number> {
  const { json, maxLineBytes } = options;
  const p = palette(io.color.stdout);
  const stdout = new CoalescingSink(io.stdout);
  const errors: { line: number; error: string }[] = [];
  let omitted = 0;
  let count = 0;
  if (json) await stdout.write('{\n  "findings": [');
  const stream = await openInput(source, io, options.progress);
  for await (const line of readLines(stream, { maxLineBytes })) {
    let error: string | null = null;
    let out = "";
    if (line.kind !== "text") {
      error = line.kind === "too-long" ? "line too long" : "invalid UTF-8";
    } else if (line.text.trim() !== "") {
      try {
        for (const f of scanOne(protector, line.text, "json")) {
          const entry: ScanReportEntry = { line: line.number, ...toEntry(f) };
          out += json ? jsonItem(entry, count === 0) : entryLine(entry, p);
          count++;
        }
      } catch (e) {
        error = toHaechiError(e).message;
      }
    }
    if (error !== null) {
      if (!json) out += p.red(`line ${line.number}: ${error}`) + "\n";
      else if (errors.length < MAX_REPORTED_LINE_ERRORS) errors.push({ line: line.number, error });
      else omitted++;
    }
    if (out !== "") await stdout.write(out);
  }
  if (json) {
    const listed = errors.length === 0
      ? "[]"
      : `[${errors.map((e, i) => jsonItem(e, i === 0)).join("")}\n  ]`;
    await stdout.write(
      `${count === 0 ? "]" : "\n  ]"},\n  "errors": ${listed}` +
        (omitted > 0 ? `,\n  "errorsOmitted": ${omitted}` : "") + "\n}\n",
    );
  } else {
    await stdout.write(`${count} finding(s)\n`);
  }
  await stdout.flush();
  return EXIT.ok;
}

/** Text held back while a write is in flight before the writer waits for it. */
const COALESCE_LIMIT = 1 << 16;

/**
 * A sink that starts a write at once when none is in flight and otherwise gathers text for
 * the next one: output appears as soon as it exists, yet a fast input is written in large
 * pieces instead of one write per line. Holding at most about {@linkcode COALESCE_LIMIT}
 * characters keeps memory bounded when stdout is slower than the scan.
 */
class CoalescingSink {
  #sink: TextSink;
  #pending = "";
  #inFlight: Promise<void> | null = null;
  #failure: { error: unknown } | null = null;

  constructor(sink: TextSink) {
    this.#sink = sink;
  }

  async write(text: string): Promise<void> {
    if (this.#failure !== null) throw this.#failure.error;
    this.#pending += text;
    this.#inFlight ??= this.#drain();
    if (this.#pending.length > COALESCE_LIMIT) await this.#inFlight;
  }

  /** Wait until everything written so far has reached the sink. */
  async flush(): Promise<void> {
    while (this.#inFlight !== null) await this.#inFlight;
    if (this.#failure !== null) throw this.#failure.error;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending !== "") {
        const text = this.#pending;
        this.#pending = "";
        await this.#sink.write(text);
      }
    } catch (e) {
      this.#failure = { error: e };
    } finally {
      this.#inFlight = null;
    }
  }
}

/** One array element as `JSON.stringify(…, null, 2)` lays it out two levels deep. */
function jsonItem(value: unknown, first: boolean): string {
  return `${first ? "" : ","}\n    ${JSON.stringify(value, null, 2).replaceAll("\n", "\n    ")}`;
}

function scanOne(protector: Protector, text: string, format: "json" | "text"): AppliedFinding[] {
  if (format === "json") return protector.scanJsonText(text);
  return protector.scanner.scan(text).map((f) => ({
    type: f.type,
    ruleId: f.ruleId,
    category: f.category,
    action: protector.policy.actionFor(f.type),
    confidence: f.confidence,
    path: "$",
    start: f.start,
    end: f.end,
    ...(f.encoding ? { encoding: f.encoding } : {}),
  }));
}

function toEntry(f: AppliedFinding): ScanReportEntry {
  const e: ScanReportEntry = {
    path: f.path,
    start: f.start,
    end: f.end,
    type: f.type,
    rule: f.ruleId,
    confidence: f.confidence,
    action: f.action,
  };
  return f.encoding ? { ...e, encoding: f.encoding } : e;
}

function entryLine(e: ScanReportEntry, p: ReturnType<typeof palette>): string {
  const where = `${e.line !== undefined ? `line ${e.line} ` : ""}${e.path} ${e.start}-${e.end}`;
  const enc = e.encoding ? ` (in ${e.encoding})` : "";
  return `${where}  ${p.bold(e.type)}  ${e.rule}  ${
    e.confidence.toFixed(2)
  }  → ${e.action}${enc}\n`;
}
