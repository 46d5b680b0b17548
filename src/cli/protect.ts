/**
 * `haechi protect`: protect a JSON document, a JSONL stream or plain text.
 *
 * @module
 */
import { HaechiError, toHaechiError } from "../errors.ts";
import { readLines } from "../runtime/mod.ts";
import type { AppliedFinding, ProtectOutcome } from "../protect/mod.ts";
import { type Outcome, protectionOutcome } from "../audit/mod.ts";
import { type CliIO, type Command, defineCommand } from "./command.ts";
import { CONFIG_FLAG, loadConfigFor, openInput, readInputText } from "./_shared.ts";
import { createProgress, type Progress } from "./_progress.ts";
import { openSession, type Session } from "../session/mod.ts";
import { type FindingTally, summarizeTally, tallyFindings } from "./_summary.ts";
import { EXIT } from "./exit_codes.ts";
import { batchedWriter } from "./_protect_output.ts";

/** Input formats. */
export type ProtectFormat = "json" | "jsonl" | "text";

/** The `protect` command. */
export const protectCommand: Command = defineCommand({
  name: "protect",
  summary: "Protect a JSON, JSONL or text payload and print the result",
  usage: "haechi protect [FILE|-] [--format json|jsonl|text] [--config PATH] [--json]",
  description: `Protect a payload according to the policy and write the result to stdout.
A one-line summary goes to stderr; nothing on either stream holds a detected value.`,
  details: `Arguments:
  FILE                 Input file; "-" or nothing reads stdin.`,
  positionals: true,
  flags: {
    format: {
      type: "string",
      value: "FORMAT",
      help: `json (default; .jsonl files default to jsonl), jsonl, or text.
        jsonl streams: one output line per input line, same order,
        constant memory. A blocked line becomes
        {"haechi":{"blocked":true,"types":[...]}}; a malformed line becomes
        {"haechi":{"error":"..."}}.`,
    },
    scope: {
      type: "string",
      value: "SCOPE",
      help: `Token scope (tenant, caller or session); default "default".
        "haechi restore --scope SCOPE" puts the values back later.`,
    },
    "show-tokens": {
      type: "boolean",
      help: `Also print the tokens and envelopes issued by this run, with
        their values, as one JSON object on stderr (for the caller only;
        never written to the audit log).`,
    },
    quiet: {
      type: "boolean",
      short: "q",
      help: "No progress line (shown on stderr only when it is a terminal).",
    },
    config: CONFIG_FLAG,
    json: {
      type: "boolean",
      help: `For json and text input: print haechi 1.4's result object on
        stdout, {ok, mode, enforced, blocked, auditId, summary, payload,
        warnings}, instead of the bare protected payload (auditId is the
        audit correlation id; payload is null when blocked). For jsonl:
        print the summary on stderr as JSON.`,
    },
  },
  footer: "Exit status: 0 ok, 1 bad input, 2 usage, 3 blocked.",
  async run({ values, positionals }, io) {
    if (positionals.length > 1) {
      throw new HaechiError("usage.invalid", "protect takes at most one input file");
    }
    const source = positionals[0];
    const format = resolveFormat(values.format, source);
    const config = await loadConfigFor(values.config, io);
    const showTokens = values["show-tokens"] === true;
    const session = await openSession(config, "cli.protect", { recordIssued: showTokens });
    const scope = values.scope ?? "default";
    const json = values.json === true;
    const progress = createProgress("protect", io, {
      quiet: values.quiet,
      streamsToStdout: format === "jsonl",
    });
    try {
      const code = format === "jsonl"
        ? await protectJsonl(session, source, io, { scope, json, progress })
        : await protectWhole(session, source, format, io, { scope, json, progress });
      if (showTokens) {
        await io.stderr.write(
          `haechi: tokens ${JSON.stringify(Object.fromEntries(session.issued))}\n`,
        );
      }
      return code;
    } finally {
      await progress.finish();
      await session.close();
    }
  },
});

/**
 * Pick the input format from `--format` or the file name.
 *
 * @example
 * ```ts
 * import { resolveFormat } from "./protect.ts";
 * if (resolveFormat(undefined, "logs.jsonl") !== "jsonl") throw new Error("jsonl by extension");
 * ```
 */
export function resolveFormat(flag: string | undefined, source: string | undefined): ProtectFormat {
  if (flag === undefined) {
    if (source?.endsWith(".jsonl") || source?.endsWith(".ndjson")) return "jsonl";
    if (source?.endsWith(".txt") || source?.endsWith(".log")) return "text";
    return "json";
  }
  if (flag === "json" || flag === "jsonl" || flag === "text") return flag;
  throw new HaechiError(
    "usage.invalid",
    `--format must be one of "json", "jsonl", "text", got "${flag}"`,
  );
}

interface WholeOptions {
  readonly scope: string;
  readonly json: boolean;
  readonly progress: Progress;
}

async function protectWhole(
  session: Session,
  source: string | undefined,
  format: "json" | "text",
  io: CliIO,
  options: WholeOptions,
): Promise<number> {
  const { protector, config } = session;
  const correlationId = crypto.randomUUID();
  let outcome: ProtectOutcome<string>;
  try {
    const text = await readInputText(source, io, config.limits.maxBytes, options.progress);
    await options.progress.finish();
    outcome = format === "json"
      ? await protector.protectJsonText(text, { scope: options.scope })
      : await protector.protectText(text, { scope: options.scope });
  } catch (e) {
    const err = toHaechiError(e);
    await session.audit.record({
      kind: "protect",
      correlationId,
      outcome: "error",
      details: { errorCode: err.code, format },
    });
    throw err;
  }
  const result = outcomeName(outcome);
  await session.audit.record({
    kind: "protect",
    correlationId,
    outcome: result,
    findings: outcome.findings,
    details: { format },
  });
  if (options.json) {
    await io.stdout.write(JSON.stringify(specResult(outcome, format, correlationId)) + "\n");
  } else if (outcome.blocked) {
    if (format === "json") await io.stdout.write(blockedLine(outcome.findings) + "\n");
  } else {
    const out = outcome.output ?? "";
    await io.stdout.write(format === "json" || !out.endsWith("\n") ? out + "\n" : out);
  }
  await writeSummary(io, options.json, {
    mode: outcome.mode,
    outcome: result,
    tally: tallyFindings(outcome.findings),
    correlationId,
  });
  return outcome.blocked ? EXIT.blocked : EXIT.ok;
}

/** Lines per aggregated audit event when scrubbing JSONL; blocked lines get their own event. */
const JSONL_AUDIT_BATCH = 1000;

async function protectJsonl(
  session: Session,
  source: string | undefined,
  io: CliIO,
  options: WholeOptions,
): Promise<number> {
  const { protector, config } = session;
  const stream = await openInput(source, io, options.progress);
  const totals = { lines: 0, changed: 0, blocked: 0, errors: 0 };
  const tally: FindingTally = new Map();
  let found = 0;
  const correlationId = crypto.randomUUID();
  let batch: AppliedFinding[] = [];
  let batchStart = 1;
  const flushBatch = async (lastLine: number) => {
    if (batch.length > 0) {
      await session.audit.record({
        kind: "protect",
        correlationId,
        outcome: protector.policy.enforcing ? "redacted" : "dry-run",
        findings: batch,
        details: { format: "jsonl", fromLine: batchStart, toLine: lastLine },
      });
    }
    batch = [];
    batchStart = lastLine + 1;
  };
  session.vault.deferCommits();
  const out = batchedWriter(io, () => session.vault.commit());
  let lineNo = 0;
  try {
    for await (const line of readLines(stream, { maxLineBytes: config.limits.maxBytes })) {
      lineNo++;
      totals.lines++;
      let text: string;
      if (line.kind === "too-long") {
        totals.errors++;
        text = errorLine(`line ${lineNo} exceeds the limit of ${config.limits.maxBytes} bytes`);
      } else if (line.kind === "invalid-utf8") {
        totals.errors++;
        text = errorLine(`line ${lineNo} is not valid UTF-8`);
      } else if (line.text.trim() === "") {
        text = line.text;
      } else {
        try {
          const r = await protector.protectJsonText(line.text, { scope: options.scope });
          tallyFindings(r.findings, tally);
          found += r.findings.length;
          if (r.blocked) {
            totals.blocked++;
            text = blockedLine(r.findings);
            await session.audit.record({
              kind: "protect",
              correlationId,
              outcome: "blocked",
              findings: r.findings,
              details: { format: "jsonl", line: lineNo },
            });
          } else {
            if (r.findings.length > 0 && r.mode === "enforce") totals.changed++;
            for (const f of r.findings) batch.push(f);
            text = r.output ?? "";
          }
        } catch (e) {
          const err = toHaechiError(e);
          if (err.code === "internal" || err.code === "action.unavailable") throw err;
          totals.errors++;
          text = errorLine(`line ${lineNo}: ${err.message}`);
        }
      }
      await out.line(text);
      if (lineNo - batchStart + 1 >= JSONL_AUDIT_BATCH) await flushBatch(lineNo);
    }
  } finally {
    // Lines already protected go out even when a later one fails the run.
    await out.flush();
  }
  await options.progress.finish();
  await flushBatch(lineNo);
  const outcome = protectionOutcome({
    blocked: totals.blocked > 0,
    enforcing: protector.policy.enforcing,
    found,
  });
  await session.audit.record({
    kind: "protect.batch",
    correlationId,
    outcome,
    details: { format: "jsonl", ...totals },
  });
  await writeSummary(io, options.json, {
    mode: protector.policy.mode,
    outcome,
    tally,
    correlationId,
    ...totals,
  });
  return totals.blocked > 0 ? EXIT.blocked : EXIT.ok;
}

function outcomeName(r: ProtectOutcome<unknown>): Outcome {
  return protectionOutcome({
    blocked: r.blocked,
    enforcing: r.mode !== "dry-run",
    found: r.findings.length,
  });
}

function blockedLine(findings: readonly AppliedFinding[]): string {
  const types = [...new Set(findings.filter((f) => f.action === "block").map((f) => f.type))];
  return JSON.stringify({ haechi: { blocked: true, types } });
}

function errorLine(message: string): string {
  return JSON.stringify({ haechi: { error: message } });
}

async function writeSummary(
  io: CliIO,
  json: boolean,
  s:
    & { mode: string; outcome: string; tally: FindingTally; correlationId: string }
    & Record<
      string,
      unknown
    >,
): Promise<void> {
  const { tally, ...rest } = s;
  const entries = [...tally.values()];
  const total = entries.reduce((n, e) => n + e.count, 0);
  if (json) {
    const byType: Record<string, number> = {};
    for (const e of entries) byType[e.type] = (byType[e.type] ?? 0) + e.count;
    await io.stderr.write(JSON.stringify({ ...rest, findings: total, byType }) + "\n");
    return;
  }
  const detail = total > 0 ? ` (${summarizeTally(tally)})` : "";
  const lines = typeof s.lines === "number" ? `, ${s.lines} line(s)` : "";
  await io.stderr.write(`haechi: ${s.outcome} [${s.mode}] ${total} finding(s)${detail}${lines}\n`);
}

/** haechi 1.4's `protect` result object; values appear only in the protected payload. */
function specResult(outcome: ProtectOutcome<string>, format: "json" | "text", auditId: string) {
  const byType: Record<string, number> = {};
  const byAction: Record<string, number> = {};
  for (const f of outcome.findings) {
    byType[f.type] = (byType[f.type] ?? 0) + 1;
    byAction[f.action] = (byAction[f.action] ?? 0) + 1;
  }
  const enforced = outcome.mode === "enforce";
  const output = outcome.blocked ? null : outcome.output ?? null;
  return {
    ok: !outcome.blocked,
    mode: outcome.mode,
    enforced,
    blocked: outcome.blocked,
    auditId,
    summary: { detectionCount: outcome.findings.length, byType, byAction },
    payload: output === null ? null : format === "json" ? JSON.parse(output) : output,
    warnings: enforced ? [] : [
      `mode is ${outcome.mode}: findings were audited but the payload was not changed`,
    ],
  };
}
