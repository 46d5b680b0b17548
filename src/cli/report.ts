/**
 * `haechi report`: summarize the audit log by finding type, action, outcome and UTC day.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type AuditSummary, isIsoDay, summarizeAuditLog } from "../audit/mod.ts";
import { loadConfig } from "../config/mod.ts";
import { HaechiError, toHaechiError } from "../errors.ts";
import type { CliIO, Command } from "./command.ts";
import { EXIT, exitCodeFor } from "./exit_codes.ts";

/** Parsed `report` arguments. */
export interface ReportArgs {
  /** `--audit PATH`: log to summarize instead of the config's `audit.path`. */
  readonly audit?: string;
  /** `--config PATH`: config file to read the log path from. */
  readonly config?: string;
  /** `--since YYYY-MM-DD`: first UTC day to count. */
  readonly since?: string;
  /** `--json`: machine-readable output. */
  readonly json: boolean;
  /** `--help`. */
  readonly help: boolean;
}

import { specTypeOf } from "../config/type_aliases.ts";

const HELP = `Usage: haechi report [--audit PATH] [--config PATH] [--json] [--since YYYY-MM-DD]

Summarize the audit log: findings by type and by action, events by outcome and by day (UTC).
The report reads the log as it is; run "haechi audit-verify" to check it was not altered.

Options:
  --audit PATH         Log to read (default: audit.path from the config)
  --config PATH        Config file (default: $HAECHI_CONFIG, else the nearest haechi.config.json upwards)
  --since YYYY-MM-DD   Count only events on or after this UTC day
  --json               Print the summary as JSON (bySpecType groups types under
                       haechi 1.4's names: card, api_key, secret, ...)
  -h, --help           Show this help

Exit status: 0 ok, 1 log missing or unreadable, 2 usage error.
`;

/**
 * Parse `report` arguments.
 *
 * @param args Arguments after the command name.
 * @returns The parsed flags.
 * @throws {HaechiError} `usage.invalid` for an unknown flag, a positional or a bad `--since`.
 *
 * @example
 * ```ts
 * import { parseReportArgs } from "./report.ts";
 * const a = parseReportArgs(["--since", "2024-05-01"]);
 * if (a.since !== "2024-05-01" || a.json) throw new Error("unexpected");
 * ```
 */
export function parseReportArgs(args: string[]): ReportArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        audit: { type: "string" },
        config: { type: "string" },
        since: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (e) {
    throw new HaechiError("usage.invalid", e instanceof Error ? e.message : "Invalid arguments");
  }
  if (values.since !== undefined && !isIsoDay(values.since)) {
    throw new HaechiError("usage.invalid", `Invalid --since "${values.since}": use YYYY-MM-DD`);
  }
  return {
    audit: values.audit,
    config: values.config,
    since: values.since,
    json: values.json ?? false,
    help: values.help ?? false,
  };
}

/** The `report` command. */
export const reportCommand: Command = {
  name: "report",
  summary: "Summarize the audit log by finding type, action, outcome and day",
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    let parsed: ReportArgs;
    try {
      parsed = parseReportArgs(args);
    } catch (e) {
      const err = toHaechiError(e);
      await io.stderr.write(
        `haechi report: ${err.message}\nRun "haechi report --help" for usage.\n`,
      );
      return EXIT.usage;
    }
    if (parsed.help) {
      await io.stdout.write(HELP);
      return EXIT.ok;
    }
    let path: string;
    let summary: AuditSummary;
    try {
      path = parsed.audit ??
        (await loadConfig({ path: parsed.config, env: io.env })).audit.path;
      summary = await summarizeAuditLog({ path, since: parsed.since });
    } catch (e) {
      const err = toHaechiError(e);
      await io.stderr.write(`haechi report: ${err.message}\n`);
      if (parsed.json) {
        await io.stdout.write(
          JSON.stringify({ ok: false, error: { code: err.code, message: err.message } }) + "\n",
        );
      }
      return exitCodeFor(err.code);
    }
    if (parsed.json) {
      await io.stdout.write(
        JSON.stringify({
          ok: true,
          path,
          // haechi 1.4's report names the log auditPath.
          auditPath: path,
          since: parsed.since ?? null,
          ...summary,
          bySpecType: bySpecType(summary.byFindingType),
        }) + "\n",
      );
    } else {
      await io.stdout.write(formatSummary(path, parsed.since, summary));
    }
    return EXIT.ok;
  },
};

function formatSummary(path: string, since: string | undefined, s: AuditSummary): string {
  const lines = [
    `Audit report: ${path}${since === undefined ? "" : ` (since ${since})`}`,
    `  events:   ${s.events}`,
    `  findings: ${s.findings}`,
  ];
  const tables: [string, string, Readonly<Record<string, number>>][] = [
    ["By finding type", "type", s.byFindingType],
    ["By haechi 1.4 type", "type", bySpecType(s.byFindingType)],
    ["By action", "action", s.byAction],
    ["By outcome", "outcome", s.byOutcome],
    ["By day (UTC)", "day", s.byDay],
  ];
  for (const [title, column, counts] of tables) {
    lines.push("", title);
    const rows = Object.entries(counts);
    if (rows.length === 0) {
      lines.push("  (none)");
      continue;
    }
    const width = Math.max(column.length, ...rows.map(([k]) => printable(k).length));
    const countWidth = Math.max(5, ...rows.map(([, n]) => String(n).length));
    lines.push(`  ${column.padEnd(width)}  ${"count".padStart(countWidth)}`);
    for (const [name, n] of rows) {
      lines.push(`  ${printable(name).padEnd(width)}  ${String(n).padStart(countWidth)}`);
    }
  }
  return lines.join("\n") + "\n";
}

// Names come from the log file, which may have been edited: keep terminal control codes out.
function printable(name: string): string {
  // deno-lint-ignore no-control-regex
  return name.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}

/** Counts regrouped under haechi 1.4's type names (`payment_card` under `card`, ...). */
function bySpecType(byType: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [type, n] of Object.entries(byType)) {
    const name = specTypeOf(type);
    out[name] = (out[name] ?? 0) + n;
  }
  return out;
}
