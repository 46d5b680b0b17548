/**
 * Build and sign a plugin manifest for an entry file.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { sha256Hex, signEnvelope } from "../signing/mod.ts";
import { checkManifest, PLUGIN_PURPOSE, type PluginKind, type PluginManifest } from "./manifest.ts";

/** What the signer states about a plugin. */
export interface PluginSignOptions {
  readonly id: string;
  readonly kind: PluginKind | string;
  readonly version: string;
  readonly coreRange: string;
  readonly capabilities: readonly string[];
  readonly signerKeyId: string;
  readonly notBefore?: number;
  readonly notAfter?: number;
  /** Signing time; `Date.now()` by default. */
  readonly issuedAt?: number;
}

/**
 * Sign a plugin: hash the exact entry bytes, check the manifest, sign its canonical JSON.
 *
 * @param entry The entry file's bytes, exactly as they will be loaded.
 * @param options Manifest fields.
 * @param key Ed25519 private key.
 * @returns The manifest and the envelope text to write.
 * @throws {HaechiError} `usage.invalid` when the manifest would be invalid (the message
 *   names the field, e.g. a missing `readsCredentials`).
 *
 * @example
 * ```ts ignore
 * const { text } = await signPlugin(entryBytes, { id: "bearer-auth", ... }, key);
 * ```
 */
export async function signPlugin(
  entry: Uint8Array,
  options: PluginSignOptions,
  key: CryptoKey,
): Promise<{ manifest: PluginManifest; text: string }> {
  const payload: Record<string, unknown> = {
    purpose: PLUGIN_PURPOSE,
    id: options.id,
    kind: options.kind,
    version: options.version,
    coreRange: options.coreRange,
    capabilities: [...new Set(options.capabilities)].sort(),
    entrySha256: await sha256Hex(entry),
    signerKeyId: options.signerKeyId,
    issuedAt: options.issuedAt ?? Date.now(),
    notBefore: options.notBefore,
    notAfter: options.notAfter,
  };
  for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
  const checked = checkManifest(payload);
  if (!checked.ok) throw new HaechiError("usage.invalid", checked.message);
  return { manifest: checked.manifest, text: await signEnvelope(payload, key) };
}
