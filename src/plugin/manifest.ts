/**
 * The plugin manifest payload: what a signature binds about a plugin.
 *
 * ```json
 * {
 *   "purpose": "haechi.plugin/v1",
 *   "id": "bearer-auth", "kind": "authProvider", "version": "1.0.0",
 *   "coreRange": ">=1.0.0 <2.0.0", "capabilities": ["readsCredentials"],
 *   "entrySha256": "<64 hex of the exact entry file bytes>",
 *   "signerKeyId": "team-a", "issuedAt": 1700000000000,
 *   "notBefore": 1700000000000, "notAfter": 1800000000000
 * }
 * ```
 *
 * Capabilities are a closed vocabulary that decides what the gate hands the plugin:
 * `readsCredentials` (the `authorization`, `proxy-authorization`, `cookie` and `x-api-key`
 * headers), `readsHeaders` (every other header) and `readsPath` (method and path). An
 * `authProvider` must declare `readsCredentials`, so an operator allowlisting it sees that
 * the plugin is handed credentials.
 *
 * @module
 */
import { KEY_ID_RE, parseRange, parseVersion } from "../signing/mod.ts";

/** Payload purpose tag for plugin manifests. */
export const PLUGIN_PURPOSE = "haechi.plugin/v1";
/** Plugin kinds this release can run. */
export const PLUGIN_KINDS = ["authProvider"] as const;
/** A plugin kind. */
export type PluginKind = typeof PLUGIN_KINDS[number];
/** Every capability a plugin may declare. */
export const CAPABILITIES = ["readsCredentials", "readsHeaders", "readsPath"] as const;
/** A capability name. */
export type Capability = typeof CAPABILITIES[number];
/** Capabilities each kind must declare. */
export const REQUIRED_CAPABILITIES: Readonly<Record<PluginKind, readonly Capability[]>> = {
  authProvider: ["readsCredentials"],
};

/** A checked manifest payload. */
export interface PluginManifest {
  readonly purpose: typeof PLUGIN_PURPOSE;
  readonly id: string;
  readonly kind: PluginKind;
  readonly version: string;
  readonly coreRange: string;
  /** Sorted, unique. */
  readonly capabilities: readonly Capability[];
  /** Lowercase hex SHA-256 of the entry file's exact bytes. */
  readonly entrySha256: string;
  readonly signerKeyId: string;
  /** Milliseconds since the epoch. */
  readonly issuedAt: number;
  readonly notBefore?: number;
  readonly notAfter?: number;
}

const PLUGIN_ID_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const HEX64_RE = /^[0-9a-f]{64}$/;
const KEYS = [
  "purpose",
  "id",
  "kind",
  "version",
  "coreRange",
  "capabilities",
  "entrySha256",
  "signerKeyId",
  "issuedAt",
  "notBefore",
  "notAfter",
];

function isTime(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/**
 * Check a payload's shape and return it typed, or the first problem in words.
 *
 * @param payload The envelope's payload.
 * @returns The manifest, or a message naming the field.
 *
 * @example
 * ```ts
 * import { checkManifest } from "./manifest.ts";
 * const r = checkManifest({ purpose: "haechi.plugin/v1", id: "x" });
 * if (r.ok) throw new Error("incomplete manifests are refused");
 * ```
 */
export function checkManifest(
  payload: Record<string, unknown>,
): { ok: true; manifest: PluginManifest } | { ok: false; message: string } {
  const bad = (message: string) => ({ ok: false as const, message });
  const extra = Object.keys(payload).find((k) => !KEYS.includes(k));
  if (extra !== undefined) return bad(`Manifest has unknown key ${JSON.stringify(extra)}`);
  const p = payload;
  if (p.purpose !== PLUGIN_PURPOSE) {
    return bad(`Manifest "purpose" must be ${JSON.stringify(PLUGIN_PURPOSE)}`);
  }
  if (typeof p.id !== "string" || !PLUGIN_ID_RE.test(p.id)) {
    return bad('Manifest "id" must be 1-64 lowercase letters, digits or ._-');
  }
  if (typeof p.kind !== "string" || !(PLUGIN_KINDS as readonly string[]).includes(p.kind)) {
    return bad(`Manifest "kind" must be one of ${PLUGIN_KINDS.map((k) => `"${k}"`).join(", ")}`);
  }
  if (typeof p.version !== "string" || parseVersion(p.version) === null) {
    return bad('Manifest "version" must be a semantic version such as "1.0.0"');
  }
  if (typeof p.coreRange !== "string" || p.coreRange.trim() === "" || !parseRange(p.coreRange)) {
    return bad('Manifest "coreRange" must be a supported version range such as ">=1.0.0 <2.0.0"');
  }
  if (!Array.isArray(p.capabilities)) return bad('Manifest "capabilities" must be an array');
  for (const c of p.capabilities) {
    if (typeof c !== "string" || !(CAPABILITIES as readonly string[]).includes(c)) {
      return bad(
        `Manifest "capabilities" may only hold ${CAPABILITIES.map((k) => `"${k}"`).join(", ")}`,
      );
    }
  }
  const caps = p.capabilities as Capability[];
  const sorted = [...new Set(caps)].sort();
  if (sorted.length !== caps.length || sorted.some((c, i) => c !== caps[i])) {
    return bad('Manifest "capabilities" must be sorted and unique');
  }
  const kind = p.kind as PluginKind;
  const missing = REQUIRED_CAPABILITIES[kind].find((c) => !caps.includes(c));
  if (missing !== undefined) {
    return bad(`An ${kind} plugin must declare the "${missing}" capability`);
  }
  if (typeof p.entrySha256 !== "string" || !HEX64_RE.test(p.entrySha256)) {
    return bad('Manifest "entrySha256" must be 64 lowercase hex digits');
  }
  if (typeof p.signerKeyId !== "string" || !KEY_ID_RE.test(p.signerKeyId)) {
    return bad('Manifest "signerKeyId" must be 1-64 letters, digits or ._:-');
  }
  if (!isTime(p.issuedAt)) return bad('Manifest "issuedAt" must be milliseconds since the epoch');
  if (p.notBefore !== undefined && !isTime(p.notBefore)) {
    return bad('Manifest "notBefore" must be milliseconds since the epoch');
  }
  if (p.notAfter !== undefined && !isTime(p.notAfter)) {
    return bad('Manifest "notAfter" must be milliseconds since the epoch');
  }
  if (isTime(p.notBefore) && isTime(p.notAfter) && p.notAfter <= p.notBefore) {
    return bad('Manifest "notAfter" must be later than "notBefore"');
  }
  return { ok: true, manifest: p as unknown as PluginManifest };
}

/**
 * Normalise a capabilities value given on the command line: a JSON array of names, or an
 * object whose true-valued keys are the names. Returns sorted unique names, or null.
 *
 * @example
 * ```ts
 * import { normalizeCapabilities } from "./manifest.ts";
 * const caps = normalizeCapabilities({ readsPath: true, readsCredentials: true });
 * if (caps?.join() !== "readsCredentials,readsPath") throw new Error(String(caps));
 * ```
 */
export function normalizeCapabilities(value: unknown): string[] | null {
  let names: unknown[];
  if (Array.isArray(value)) names = value;
  else if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.some(([, v]) => typeof v !== "boolean")) return null;
    names = entries.filter(([, v]) => v === true).map(([k]) => k);
  } else return null;
  if (names.some((n) => typeof n !== "string")) return null;
  return [...new Set(names as string[])].sort();
}
