/**
 * The tamper-evident audit log.
 *
 * Events go to an append-only JSON Lines file through one {@linkcode AuditWriter} per log;
 * each record holds the SHA-256 of the previous one, and an optional anchor file keeps
 * copies of the chain head so a cut-off tail shows up. {@linkcode verifyAuditLog} checks a
 * log end to end in constant memory and {@linkcode summarizeAuditLog} counts its contents.
 *
 * Records hold only aggregated, safe facts: finding types, rule ids, actions and counts,
 * keyed path fingerprints ({@linkcode createPathFingerprinter}) and short scalar details.
 * The writer refuses anything else ({@linkcode assertSafeAuditEvent}).
 *
 * @example
 * ```ts
 * import { buildAuditEvent, createPathFingerprinter, openAuditWriter, verifyAuditLog } from
 *   "./mod.ts";
 * const dir = await Deno.makeTempDir();
 * const writer = await openAuditWriter({ path: `${dir}/audit.jsonl` });
 * const fingerprint = createPathFingerprinter(crypto.getRandomValues(new Uint8Array(32)));
 * await writer.append(await buildAuditEvent({
 *   kind: "protect", mode: "enforce", correlationId: "req-1", source: "proxy",
 *   outcome: "redacted",
 *   findings: [{ type: "email", ruleId: "email-address", action: "redact", path: "$.q" }],
 * }, fingerprint));
 * await writer.close();
 * const result = await verifyAuditLog({ path: `${dir}/audit.jsonl` });
 * if (!result.ok) throw new Error("a fresh log verifies");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
export {
  AUDIT_SCHEMA_VERSION,
  type AuditAnchor,
  type AuditDetails,
  type AuditEvent,
  type AuditFinding,
  type AuditMode,
  type AuditRecord,
  GENESIS_HASH,
  hashRecord,
  isHex64,
  toHex,
} from "./record.ts";
export {
  assertSafeAuditEvent,
  MAX_DETAIL_KEYS,
  MAX_DETAIL_STRING_LENGTH,
  MAX_EVENT_LIST_LENGTH,
} from "./event_guard.ts";
export {
  createPathFingerprinter,
  createPathFingerprinterSync,
  PATH_FINGERPRINT_HEX_LENGTH,
  PATH_FINGERPRINT_MIN_KEY_BYTES,
} from "./path_fingerprint.ts";
export {
  type AuditFindingSource,
  buildAuditEvent,
  type BuildAuditEventInput,
  buildAuditEventSync,
} from "./build_event.ts";
export {
  type AuditHead,
  type AuditWriter,
  type AuditWriterOptions,
  openAuditWriter,
} from "./writer.ts";
export {
  type AuditBreak,
  type AuditBreakReason,
  VERIFY_PROGRESS_EVERY,
  verifyAuditLog,
  type VerifyAuditOptions,
  type VerifyAuditResult,
} from "./verify.ts";
export {
  type Outcome,
  type ProtectionOutcome,
  protectionOutcome,
  type ProtectionResult,
  replyOutcome,
} from "./outcome.ts";
export type { AuditInput, AuditSink } from "./sink.ts";
export {
  type AuditSummary,
  type AuditTally,
  createAuditTally,
  isIsoDay,
  summarizeAuditLog,
  type SummarizeAuditOptions,
  type SummaryRecord,
} from "./summarize.ts";
