/**
 * Turn per-finding results into an {@linkcode AuditEvent}: findings are counted by type,
 * rule and action, and paths become keyed fingerprints. Only those four fields are read
 * from each finding, so a finding object that also carries the matched value (or offsets
 * into the payload) cannot leak it into the log.
 *
 * @module
 */
import {
  type AuditDetails,
  type AuditEvent,
  type AuditFinding,
  type AuditMode,
  compareCodeUnits,
} from "./record.ts";
import type { Outcome } from "./outcome.ts";

/** The part of a finding the audit log may see. Extra fields are ignored. */
export interface AuditFindingSource {
  /** Finding type, e.g. `email`. */
  readonly type: string;
  /** Rule that matched. */
  readonly ruleId: string;
  /** Action applied. */
  readonly action: string;
  /** JSON path of the field, e.g. `$.messages[0].content`; fingerprinted, never stored. */
  readonly path?: string;
}

/** Input to {@linkcode buildAuditEvent}. */
export interface BuildAuditEventInput {
  /** See `AuditEvent.kind`. */
  readonly kind: string;
  /** See `AuditEvent.mode`. */
  readonly mode: AuditMode;
  /** See `AuditEvent.correlationId`. */
  readonly correlationId: string;
  /** See `AuditEvent.source`. */
  readonly source: string;
  /** See `AuditEvent.outcome`. */
  readonly outcome: Outcome;
  /** Individual findings, in any order. */
  readonly findings?: Iterable<AuditFindingSource>;
  /** Safe facts; checked by the writer's guard. */
  readonly details?: AuditDetails;
}

/**
 * Build an event from individual findings.
 *
 * @param input Event fields plus raw findings.
 * @param fingerprint Path fingerprinter from `createPathFingerprinter`.
 * @returns An event with findings aggregated (sorted by type, rule, action) and distinct
 *   path fingerprints (sorted), ready for `AuditWriter.append`.
 *
 * @example
 * ```ts
 * import { buildAuditEvent } from "./build_event.ts";
 * import { createPathFingerprinter } from "./path_fingerprint.ts";
 * const fp = createPathFingerprinter(new Uint8Array(32).fill(1));
 * const event = await buildAuditEvent({
 *   kind: "protect", mode: "enforce", correlationId: "r1", source: "cli.protect",
 *   outcome: "redacted",
 *   findings: [
 *     { type: "email", ruleId: "email-address", action: "redact", path: "$.a" },
 *     { type: "email", ruleId: "email-address", action: "redact", path: "$.a" },
 *   ],
 * }, fp);
 * if (event.findings?.[0].count !== 2 || event.paths?.length !== 1) throw new Error("bad");
 * ```
 */
export async function buildAuditEvent(
  input: BuildAuditEventInput,
  fingerprint: (path: string) => Promise<string>,
): Promise<AuditEvent> {
  const { findings, rawPaths } = aggregate(input.findings);
  const paths = [...new Set(await Promise.all([...rawPaths].map(fingerprint)))].sort();
  return eventOf(input, findings, paths);
}

/**
 * {@linkcode buildAuditEvent} with a plain fingerprint function (`createPathFingerprinterSync`):
 * the same event, built without waiting.
 *
 * @param input Event fields plus raw findings.
 * @param fingerprint Path fingerprinter from `createPathFingerprinterSync`.
 * @returns The event.
 *
 * @example
 * ```ts
 * import { buildAuditEventSync } from "./build_event.ts";
 * import { createPathFingerprinterSync } from "./path_fingerprint.ts";
 * const fp = createPathFingerprinterSync(new Uint8Array(32).fill(1));
 * const event = buildAuditEventSync({
 *   kind: "protect", mode: "enforce", correlationId: "r1", source: "cli.protect",
 *   outcome: "redacted",
 *   findings: [{ type: "email", ruleId: "email-address", action: "redact", path: "$.a" }],
 * }, fp);
 * if (event.findings?.[0].count !== 1 || event.paths?.length !== 1) throw new Error("bad");
 * ```
 */
export function buildAuditEventSync(
  input: BuildAuditEventInput,
  fingerprint: (path: string) => string,
): AuditEvent {
  const { findings, rawPaths } = aggregate(input.findings);
  let paths: string[];
  if (rawPaths.size === 0) paths = [];
  else if (rawPaths.size === 1) paths = [fingerprint(rawPaths.values().next().value as string)];
  else {
    const prints = new Set<string>();
    for (const p of rawPaths) prints.add(fingerprint(p));
    paths = [...prints].sort();
  }
  return eventOf(input, findings, paths);
}

/** Findings counted by type, rule and action (sorted), and the distinct raw paths. */
function aggregate(
  list: Iterable<AuditFindingSource> | undefined,
): { findings: AuditFinding[]; rawPaths: Set<string> } {
  const counts = new Map<string, AuditFinding>();
  const rawPaths = new Set<string>();
  for (const f of list ?? []) {
    const key = JSON.stringify([f.type, f.ruleId, f.action]);
    const seen = counts.get(key);
    counts.set(key, {
      type: f.type,
      ruleId: f.ruleId,
      action: f.action,
      count: (seen?.count ?? 0) + 1,
    });
    if (f.path !== undefined) rawPaths.add(f.path);
  }
  const findings = [...counts.values()].sort((a, b) =>
    compareCodeUnits(a.type, b.type) || compareCodeUnits(a.ruleId, b.ruleId) ||
    compareCodeUnits(a.action, b.action)
  );
  return { findings, rawPaths };
}

function eventOf(
  input: BuildAuditEventInput,
  findings: AuditFinding[],
  paths: string[],
): AuditEvent {
  const event: AuditEvent = {
    kind: input.kind,
    mode: input.mode,
    correlationId: input.correlationId,
    source: input.source,
    outcome: input.outcome,
    findings,
    paths,
  };
  return input.details === undefined ? event : { ...event, details: { ...input.details } };
}
