/**
 * `haechi report`: summarize the audit log by finding type, action, outcome and UTC day.
 *
 * @module
 */
import { type AuditSummary, isIsoDay, summarizeAuditLog } from "../audit/mod.ts";
import { loadConfig, specTypeOf } from "../config/mod.ts";
import { HaechiError, toHaechiError } from "../errors.ts";
import { type Command, defineCommand } from "./command.ts";
import { EXIT } from "./exit_codes.ts";
import { parseFlagArgs } from "./_flags.ts";
import { CONFIG_FLAG } from "./_shared.ts";

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
  const { values } = parseFlagArgs(args, reportCommand.flags, {
    command: "report",
    positionals: false,
  });
  return checkReportArgs(values as unknown as ReportArgs);
}

function checkReportArgs(values: ReportArgs): ReportArgs {
  if (values.since !== undefined && !isIsoDay(values.since)) {
    throw new HaechiError("usage.invalid", `Invalid --since "${values.since}": use YYYY-MM-DD`);
  }
  return {
    audit: values.audit,
    config: values.config,
    since: values.since,
    json: values.json,
    help: values.help,
  };
}

/** The `report` command. */
export const reportCommand: Command = defineCommand({
  name: "report",
  summary: "Summarize the audit log by finding type, action, outcome and day",
  usage: "haechi report [--audit PATH] [--config PATH] [--json] [--since YYYY-MM-DD]",
  description:
    `Summarize the audit log: findings by type and by action, events by outcome and by day (UTC).
The report reads the log as it is; run "haechi audit-verify" to check it was not altered.`,
  flags: {
    audit: {
      type: "string",
      value: "PATH",
      help: "Log to read (default: audit.path from the config).",
    },
    config: CONFIG_FLAG,
    since: {
      type: "string",
      value: "YYYY-MM-DD",
      help: "Count only events on or after this UTC day.",
    },
    json: {
      type: "boolean",
      help: `Print the summary as JSON (bySpecType groups types under
        haechi 1.4's names: card, api_key, secret, ...).`,
    },
  },
  footer: "Exit status: 0 ok, 1 log missing or unreadable, 2 usage error.",
  async run({ values }, io) {
    const parsed = checkReportArgs(values);
    let path: string;
    let summary: AuditSummary;
    try {
      path = parsed.audit ??
        (await loadConfig({ path: parsed.config, env: io.env })).audit.path;
      summary = await summarizeAuditLog({ path, since: parsed.since });
    } catch (e) {
      // haechi 1.4's --json contract: a verdict object on stdout even when it fails.
      if (parsed.json) {
        const err = toHaechiError(e);
        await io.stdout.write(
          JSON.stringify({ ok: false, error: { code: err.code, message: err.message } }) + "\n",
        );
      }
      throw e;
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
});

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
