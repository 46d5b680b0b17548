/**
 * The fail-closed guard every event passes before it is written.
 *
 * The log must never hold a detected value. Callers are trusted to build events from
 * aggregated findings, but a careless one could still pass payload text, so the writer
 * accepts only narrow shapes: short identifiers for names, hex fingerprints for paths, and
 * flat scalar `details` with short strings. Anything else is refused, and the error names
 * the field but never echoes its content.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import type { AuditEvent } from "./record.ts";

/** Longest string accepted as a `details` value. */
export const MAX_DETAIL_STRING_LENGTH = 200;
/** Most keys accepted in `details`. */
export const MAX_DETAIL_KEYS = 32;
/** Most entries accepted in `findings` or `paths`. */
export const MAX_EVENT_LIST_LENGTH = 1000;

// Names such as `token.reveal`, `cli.protect`, `dry-run`, `aws-access-key-id`, `email`.
const IDENT = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
// UUIDs, ULIDs and similar request ids.
const CORRELATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
// Output of createPathFingerprinter (32 hex) or a full HMAC-SHA256 (64 hex).
const FINGERPRINT = /^(?:[0-9a-f]{32}|[0-9a-f]{64})$/;

/**
 * Check that `event` is safe to write.
 *
 * @param event The event a caller wants logged.
 * @throws {HaechiError} `audit.unsafe_event` (a programming error in the caller), with
 *   `details.field` naming the offending field.
 *
 * @example
 * ```ts
 * import { assertSafeAuditEvent } from "./event_guard.ts";
 * let refused = false;
 * try {
 *   assertSafeAuditEvent({
 *     kind: "protect", mode: "enforce", correlationId: "r1", source: "proxy",
 *     outcome: "redacted", details: { body: "x".repeat(500) },
 *   });
 * } catch {
 *   refused = true;
 * }
 * if (!refused) throw new Error("long detail strings are refused");
 * ```
 */
export function assertSafeAuditEvent(event: AuditEvent): void {
  if (typeof event !== "object" || event === null) refuse("event", "is not an object");
  checkIdent(event.kind, "kind");
  if (event.mode !== "enforce" && event.mode !== "dry-run") {
    refuse("mode", 'must be "enforce" or "dry-run"');
  }
  if (typeof event.correlationId !== "string" || !CORRELATION_ID.test(event.correlationId)) {
    refuse("correlationId", "must be 1-128 characters of letters, digits and ._:-");
  }
  checkIdent(event.source, "source");
  checkIdent(event.outcome, "outcome");

  if (event.findings !== undefined) {
    checkList(event.findings, "findings");
    event.findings.forEach((f, i) => {
      const at = `findings[${i}]`;
      if (typeof f !== "object" || f === null) refuse(at, "is not an object");
      checkIdent(f.type, `${at}.type`);
      checkIdent(f.ruleId, `${at}.ruleId`);
      checkIdent(f.action, `${at}.action`);
      if (!Number.isSafeInteger(f.count) || f.count < 1) {
        refuse(`${at}.count`, "must be a positive integer");
      }
      checkOnlyKeys(f, ["type", "ruleId", "action", "count"], at);
    });
  }
  if (event.paths !== undefined) {
    checkList(event.paths, "paths");
    event.paths.forEach((p, i) => {
      if (typeof p !== "string" || !FINGERPRINT.test(p)) {
        refuse(`paths[${i}]`, "must be a fingerprint from createPathFingerprinter");
      }
    });
  }
  if (event.details !== undefined) checkDetails(event.details);
  checkOnlyKeys(
    event,
    ["kind", "mode", "correlationId", "source", "outcome", "findings", "paths", "details"],
    "event",
  );
}

function checkDetails(details: unknown): void {
  if (typeof details !== "object" || details === null || Array.isArray(details)) {
    refuse("details", "must be a flat object");
  }
  const proto = Object.getPrototypeOf(details);
  if (proto !== Object.prototype && proto !== null) refuse("details", "must be a plain object");
  const keys = Object.keys(details);
  if (keys.length > MAX_DETAIL_KEYS) refuse("details", `has more than ${MAX_DETAIL_KEYS} keys`);
  for (const key of keys) {
    // The key is checked before it is used in a message, so it is safe to name.
    if (!IDENT.test(key)) refuse("details", "has a key that is not a short identifier");
    const value = (details as Record<string, unknown>)[key];
    const at = `details.${key}`;
    if (typeof value === "string") {
      if (value.length > MAX_DETAIL_STRING_LENGTH) {
        refuse(at, `is longer than ${MAX_DETAIL_STRING_LENGTH} characters`);
      }
    } else if (typeof value === "number") {
      if (!Number.isFinite(value)) refuse(at, "must be a finite number");
    } else if (typeof value !== "boolean") {
      refuse(at, "must be a string, number or boolean");
    }
  }
}

function checkIdent(value: unknown, field: string): void {
  if (typeof value !== "string" || !IDENT.test(value)) {
    refuse(field, "must be 1-64 characters of letters, digits and ._:-");
  }
}

function checkList(value: unknown, field: string): void {
  if (!Array.isArray(value)) refuse(field, "must be an array");
  if (value.length > MAX_EVENT_LIST_LENGTH) {
    refuse(field, `has more than ${MAX_EVENT_LIST_LENGTH} entries`);
  }
}

// Extra fields would be written verbatim, so they are refused like any other unchecked text.
function checkOnlyKeys(value: object, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) refuse(where, "has a field the audit schema does not define");
  }
}

function refuse(field: string, problem: string): never {
  throw new HaechiError("audit.unsafe_event", `Audit event refused: ${field} ${problem}`, {
    field,
  });
}
