/**
 * The canonical JSON of an audit record, written out for its one fixed shape.
 *
 * @module
 */
import { canonicalJson } from "../signing/mod.ts";
import type { AuditRecord } from "./record.ts";

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
 * import { canonicalJson } from "../signing/canonical_json.ts";
 * import { canonicalRecordJson } from "./record_json.ts";
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
