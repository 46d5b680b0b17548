/**
 * Canonical JSON: one byte-exact text per JSON value, so a hash or signature over it is
 * stable no matter how the value was built or re-parsed.
 *
 * The rules are those of RFC 8785 (JSON Canonicalization Scheme) for the values haechi
 * produces:
 *
 * - object keys sorted by UTF-16 code units (JavaScript's default string order);
 * - no whitespace anywhere;
 * - strings escaped as `JSON.stringify` does (which emits lone surrogates as `\uXXXX`);
 * - numbers in ECMAScript shortest round-trip form (`JSON.stringify`), `-0` as `0`;
 * - object properties whose value is `undefined` are omitted, as `JSON.stringify` omits
 *   them, so a value and its `JSON.parse(JSON.stringify(...))` round trip agree.
 *
 * Anything JSON cannot represent losslessly (non-finite numbers, `bigint`, functions,
 * symbols, `undefined` in arrays, class instances such as `Date`) is rejected instead of
 * being coerced, because a silent coercion would make two different values hash alike.
 *
 * @module
 */

import type { AuditRecord } from "./record.ts";

/** Deepest nesting accepted; deeper input (or a cycle) is rejected rather than overflowing. */
export const CANONICAL_JSON_MAX_DEPTH = 64;

/**
 * Serialize `value` as canonical JSON.
 *
 * @param value A JSON-compatible value: `null`, boolean, finite number, string, array or
 *   plain object.
 * @returns The canonical text.
 * @throws {TypeError} When `value` holds something JSON cannot represent losslessly.
 * @throws {RangeError} When nesting exceeds {@linkcode CANONICAL_JSON_MAX_DEPTH}.
 *
 * @example
 * ```ts
 * import { canonicalJson } from "./canonical_json.ts";
 * const text = canonicalJson({ b: [1, "x"], a: { d: true, c: null } });
 * if (text !== '{"a":{"c":null,"d":true},"b":[1,"x"]}') throw new Error(text);
 * ```
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, 0, "$");
  return parts.join("");
}

function write(value: unknown, out: string[], depth: number, where: string): void {
  if (depth > CANONICAL_JSON_MAX_DEPTH) {
    throw new RangeError(
      `Cannot canonicalize: nesting exceeds ${CANONICAL_JSON_MAX_DEPTH} at ${where}`,
    );
  }
  if (value === null) {
    out.push("null");
    return;
  }
  switch (typeof value) {
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "number":
      if (!Number.isFinite(value)) {
        throw new TypeError(`Cannot canonicalize: non-finite number at ${where}`);
      }
      // JSON.stringify already yields the ECMAScript shortest form and turns -0 into "0".
      out.push(JSON.stringify(value));
      return;
    case "string":
      out.push(JSON.stringify(value));
      return;
    case "object":
      break;
    default:
      throw new TypeError(`Cannot canonicalize: unsupported ${typeof value} at ${where}`);
  }
  if (Array.isArray(value)) {
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",");
      const item = value[i];
      if (item === undefined) {
        throw new TypeError(`Cannot canonicalize: undefined array item at ${where}[${i}]`);
      }
      write(item, out, depth + 1, `${where}[${i}]`);
    }
    out.push("]");
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`Cannot canonicalize: non-plain object at ${where}`);
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
  out.push("{");
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out.push(",");
    const key = keys[i];
    out.push(JSON.stringify(key), ":");
    write(record[key], out, depth + 1, `${where}.${key}`);
  }
  out.push("}");
}

/**
 * `canonicalJson` of an unsigned record, written out for its one fixed shape: about a
 * quarter of the generic walk's cost, and each record is hashed on a proxied request's
 * path. It relies on what the event guard and `snapshot` have already ensured (known
 * fields only, scalar `details`, plain objects), and falls back to the generic walk for
 * anything else. Keys appear in UTF-16 order, as canonical JSON sorts them; a test checks
 * the two agree byte for byte.
 *
 * @param record An unsigned record (every field but `hash`), as the writer builds it.
 * @returns The same text as `canonicalJson(record)`.
 *
 * @example
 * ```ts
 * import { canonicalJson, canonicalRecordJson } from "./canonical_json.ts";
 * const r = { schemaVersion: 1, seq: 1, ts: "2024-05-01T00:00:00.000Z", prevHash: "0".repeat(64),
 *   kind: "scan", mode: "dry-run", correlationId: "r1", source: "cli", outcome: "clean",
 *   findings: [], paths: [], details: { z: 1, a: "x" } };
 * if (canonicalRecordJson(r) !== canonicalJson(r)) throw new Error("mismatch");
 * ```
 */
export function canonicalRecordJson(record: Readonly<Record<string, unknown>>): string {
  const r = record as Omit<AuditRecord, "hash">;
  const keys = Object.keys(record);
  if (keys.length !== (r.details === undefined ? 11 : 12)) return canonicalJson(record);
  const q = JSON.stringify;
  let out = `{"correlationId":${q(r.correlationId)}`;
  if (r.details !== undefined) {
    const names = Object.keys(r.details).sort();
    out += ',"details":{';
    for (let i = 0; i < names.length; i++) {
      const value = r.details[names[i]];
      // -0 is "0" in both; anything but a finite scalar takes the generic (refusing) path.
      if (typeof value === "number" ? !Number.isFinite(value) : typeof value === "object") {
        return canonicalJson(record);
      }
      out += `${i > 0 ? "," : ""}${q(names[i])}:${q(value)}`;
    }
    out += "}";
  }
  out += ',"findings":[';
  for (let i = 0; i < r.findings.length; i++) {
    const f = r.findings[i];
    out += `${i > 0 ? "," : ""}{"action":${q(f.action)},"count":${q(f.count)},` +
      `"ruleId":${q(f.ruleId)},"type":${q(f.type)}}`;
  }
  out += `],"kind":${q(r.kind)},"mode":${q(r.mode)},"outcome":${q(r.outcome)},"paths":[`;
  for (let i = 0; i < r.paths.length; i++) out += `${i > 0 ? "," : ""}${q(r.paths[i])}`;
  return out + `],"prevHash":${q(r.prevHash)},"schemaVersion":${q(r.schemaVersion)},` +
    `"seq":${q(r.seq)},"source":${q(r.source)},"ts":${q(r.ts)}}`;
}
