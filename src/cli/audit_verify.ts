/**
 * `haechi audit-verify`: check an audit log's hash chain (and anchors) and print the head.
 *
 * @module
 */
import { verifyAuditLog, type VerifyAuditResult } from "../audit/mod.ts";
import { loadConfig } from "../config/mod.ts";
import { toHaechiError } from "../errors.ts";
import { pathExists } from "../runtime/mod.ts";
import { type CliIO, type Command, defineCommand } from "./command.ts";
import { EXIT } from "./exit_codes.ts";
import { parseFlagArgs } from "./_flags.ts";
import { CONFIG_FLAG } from "./_shared.ts";

/** Parsed `audit-verify` arguments. */
export interface AuditVerifyArgs {
  /** `--audit PATH`: log to verify instead of the config's `audit.path`. */
  readonly audit?: string;
  /** `--anchor PATH`: anchor file to check against. */
  readonly anchor?: string;
  /** `--config PATH`: config file to read paths from. */
  readonly config?: string;
  /** `--json`: machine-readable output. */
  readonly json: boolean;
  /** `--help`. */
  readonly help: boolean;
}

/**
 * Parse `audit-verify` arguments.
 *
 * @param args Arguments after the command name.
 * @returns The parsed flags.
 * @throws {HaechiError} `usage.invalid` for an unknown flag, a missing value or a positional.
 *
 * @example
 * ```ts
 * import { parseAuditVerifyArgs } from "./audit_verify.ts";
 * const a = parseAuditVerifyArgs(["--audit", "log.jsonl", "--json"]);
 * if (a.audit !== "log.jsonl" || !a.json) throw new Error("unexpected");
 * ```
 */
export function parseAuditVerifyArgs(args: string[]): AuditVerifyArgs {
  const { values } = parseFlagArgs(args, auditVerifyCommand.flags, {
    command: "audit-verify",
    positionals: false,
  });
  return values as unknown as AuditVerifyArgs;
}

/** Paths to verify after flags and config are combined. */
interface Target {
  readonly path: string;
  readonly anchorPath?: string;
  readonly notes: string[];
}

async function resolveTarget(args: AuditVerifyArgs, io: CliIO): Promise<Target> {
  if (args.audit !== undefined) return { path: args.audit, anchorPath: args.anchor, notes: [] };
  const config = await loadConfig({ path: args.config, env: io.env });
  const notes: string[] = [];
  let anchorPath = args.anchor;
  if (anchorPath === undefined && config.audit.anchorPath !== "") {
    if (await pathExists(config.audit.anchorPath)) {
      anchorPath = config.audit.anchorPath;
    } else {
      notes.push(
        `No anchor file at ${config.audit.anchorPath}: records removed from the end of the log ` +
          "cannot be detected",
      );
    }
  }
  return { path: config.audit.path, anchorPath, notes };
}

/** The `audit-verify` command. */
export const auditVerifyCommand: Command = defineCommand({
  name: "audit-verify",
  summary: "Verify the audit log's hash chain and anchors",
  usage: "haechi audit-verify [--audit PATH] [--anchor PATH] [--config PATH] [--json]",
  description:
    `Verify the audit log's hash chain: every record's hash, the link to the previous record,
consecutive seq numbers and, with an anchor file, that no records were cut off the end.`,
  flags: {
    audit: {
      type: "string",
      value: "PATH",
      help: "Log to verify (default: audit.path from the config).",
    },
    anchor: {
      type: "string",
      value: "PATH",
      help: `Anchor file to check (default: audit.anchorPath from the config, when the
        log also comes from the config and the anchor file exists).`,
    },
    config: CONFIG_FLAG,
    json: { type: "boolean", help: "Print the result as JSON." },
  },
  footer:
    "Exit status: 0 chain intact, 4 chain broken, 1 file missing or unreadable, 2 usage error.",
  async run({ values: parsed }, io) {
    let target: Target;
    let result: VerifyAuditResult;
    try {
      target = await resolveTarget(parsed, io);
      result = await verifyAuditLog({ path: target.path, anchorPath: target.anchorPath });
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
          ok: result.ok,
          path: target.path,
          anchorPath: target.anchorPath ?? null,
          records: result.records,
          headSeq: result.headSeq,
          headHash: result.headHash,
          anchorsChecked: result.anchorsChecked,
          ...(result.broken ? { broken: result.broken } : {}),
          notes: target.notes,
        }) + "\n",
      );
    } else {
      await io.stdout.write(formatResult(target, result));
      for (const note of target.notes) await io.stderr.write(`note: ${note}\n`);
    }
    return result.ok ? EXIT.ok : EXIT.chainBroken;
  },
});

function formatResult(target: Target, r: VerifyAuditResult): string {
  const anchors = target.anchorPath === undefined
    ? "none"
    : `${r.anchorsChecked} checked (${target.anchorPath})`;
  if (r.ok) {
    return [
      `Audit chain intact: ${target.path}`,
      `  records:    ${r.records}`,
      `  head seq:   ${r.headSeq}`,
      `  head hash:  ${r.headHash}`,
      `  anchors:    ${anchors}`,
      "",
    ].join("\n");
  }
  const b = r.broken!;
  const where = [
    b.line === undefined ? null : `log line ${b.line}`,
    b.anchorLine === undefined ? null : `anchor line ${b.anchorLine}`,
  ].filter((x) => x !== null).join(", ");
  return [
    `Audit chain BROKEN: ${target.path}`,
    `  first broken seq:  ${b.seq}${where ? ` (${where})` : ""}`,
    `  reason:            ${b.reason}`,
    `  detail:            ${b.message}`,
    `  verified before:   ${r.records} records, up to seq ${r.headSeq} (hash ${r.headHash})`,
    `  anchors:           ${anchors}`,
    "",
  ].join("\n");
}
