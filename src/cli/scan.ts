/**
 * `haechi scan`: report findings without changing anything.
 *
 * @module
 */
import { HaechiError, toHaechiError } from "../errors.ts";
import { readLines } from "../stream/lines.ts";
import { type AppliedFinding, createProtector, type Protector } from "../protect/mod.ts";
import type { CliIO, Command } from "./command.ts";
import { loadConfigFor, openInput, palette, parseFlags, readInputText } from "./_shared.ts";
import { resolveFormat } from "./protect.ts";
import { EXIT } from "./exit_codes.ts";

const HELP = `Usage: haechi scan [FILE|-] [--format json|jsonl|text] [--config PATH] [--json]

Report every finding (type, rule, location, confidence, and the action the policy
would take) without changing the input. Values are never printed.

Options:
  --format FORMAT      json (default; .jsonl files default to jsonl), jsonl, or text.
  --config PATH        Config file (default: haechi.config.json when present).
  --json               Print findings as JSON.
  -h, --help           Show this help.

Exit status: 0 ok (with or without findings), 1 bad input, 2 usage.
`;

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
export const scanCommand: Command = {
  name: "scan",
  summary: "Report findings (type, rule, offsets, confidence) without changing anything",
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseFlags(args, {
      format: { type: "string" },
      config: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    }, true);
    if (values.help) {
      await io.stdout.write(HELP);
      return EXIT.ok;
    }
    if (positionals.length > 1) {
      throw new HaechiError("usage.invalid", "scan takes at most one input file");
    }
    const source = positionals[0];
    const format = resolveFormat(values.format, source);
    const config = await loadConfigFor(values.config, io);
    const protector = createProtector(config);
    const entries: ScanReportEntry[] = [];
    const errors: { line: number; error: string }[] = [];
    if (format === "jsonl") {
      let lineNo = 0;
      const stream = await openInput(source, io);
      for await (const line of readLines(stream, { maxLineBytes: config.limits.maxBytes })) {
        lineNo++;
        if (line.kind !== "text") {
          errors.push({
            line: lineNo,
            error: line.kind === "too-long" ? "line too long" : "invalid UTF-8",
          });
          continue;
        }
        if (line.text.trim() === "") continue;
        try {
          for (const f of scanOne(protector, line.text, "json")) {
            entries.push({ line: lineNo, ...toEntry(f) });
          }
        } catch (e) {
          errors.push({ line: lineNo, error: toHaechiError(e).message });
        }
      }
    } else {
      const text = await readInputText(source, io, config.limits.maxBytes);
      for (const f of scanOne(protector, text, format)) entries.push(toEntry(f));
    }
    if (values.json) {
      await io.stdout.write(JSON.stringify({ findings: entries, errors }, null, 2) + "\n");
    } else {
      await io.stdout.write(renderTable(entries, errors, palette(io.color.stdout)));
    }
    return errors.length > 0 && entries.length === 0 && format !== "jsonl"
      ? EXIT.badInput
      : EXIT.ok;
  },
};

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

function renderTable(
  entries: readonly ScanReportEntry[],
  errors: readonly { line: number; error: string }[],
  p: ReturnType<typeof palette>,
): string {
  let out = "";
  for (const e of entries) {
    const where = `${e.line !== undefined ? `line ${e.line} ` : ""}${e.path} ${e.start}-${e.end}`;
    const enc = e.encoding ? ` (in ${e.encoding})` : "";
    out += `${where}  ${p.bold(e.type)}  ${e.rule}  ${
      e.confidence.toFixed(2)
    }  → ${e.action}${enc}\n`;
  }
  for (const e of errors) out += p.red(`line ${e.line}: ${e.error}`) + "\n";
  out += `${entries.length} finding(s)\n`;
  return out;
}
