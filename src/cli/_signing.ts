/**
 * Helpers shared by the signing commands (plugin-* and policy-*): required flags and
 * positionals, private-key loading from a file only, and anchor loading.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { fileInfo, readTextFile } from "../runtime/mod.ts";
import {
  importPrivateKeyPem,
  keyIdFor,
  parseEd25519Spki,
  type TrustAnchor,
} from "../signing/mod.ts";

/** Parsed flags and positionals, as a command body receives them. */
export interface Parsed {
  readonly values: Readonly<Record<string, unknown>>;
  readonly positionals: readonly string[];
}

/**
 * Require exactly `count` positionals.
 *
 * @throws {HaechiError} `usage.invalid` naming what is expected.
 */
export function positionals(parsed: Parsed, count: number, what: string): string[] {
  if (parsed.positionals.length !== count) {
    throw new HaechiError("usage.invalid", `Expected ${what}`);
  }
  return [...parsed.positionals];
}

/**
 * A required string flag.
 *
 * @throws {HaechiError} `usage.invalid` when it is missing or empty.
 */
export function required(parsed: Parsed, flag: string): string {
  const v = parsed.values[flag];
  if (typeof v !== "string" || v === "") {
    throw new HaechiError("usage.invalid", `--${flag} is required`);
  }
  return v;
}

/**
 * An optional millisecond timestamp flag.
 *
 * @throws {HaechiError} `usage.invalid` when it is not a non-negative integer.
 */
export function optionalMs(parsed: Parsed, flag: string): number | undefined {
  const v = parsed.values[flag];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !/^\d{1,16}$/.test(v)) {
    throw new HaechiError("usage.invalid", `--${flag} must be milliseconds since the epoch`);
  }
  return Number(v);
}

/**
 * Load a private key from a file. Key material given where a path belongs is refused
 * without being echoed, since argv is visible to other users of the machine.
 *
 * @returns The key, and a warning when the file is readable by group or others.
 * @throws {HaechiError} `usage.invalid`, `keys.not_found` or `keys.invalid`.
 */
export async function loadPrivateKey(
  path: string,
): Promise<{ key: CryptoKey; warning?: string }> {
  if (path.includes("-----BEGIN") || path.length > 4096) {
    throw new HaechiError(
      "usage.invalid",
      "--key takes a file path; never pass key material on the command line",
    );
  }
  let text: string;
  try {
    text = await readTextFile(path);
  } catch {
    throw new HaechiError("keys.not_found", `Cannot read private key file ${JSON.stringify(path)}`);
  }
  const info = await fileInfo(path);
  const loose = info?.mode !== null && info?.mode !== undefined && (info.mode & 0o077) !== 0;
  const key = await importPrivateKeyPem(text);
  return loose
    ? { key, warning: `Private key file ${path} is readable by other users; chmod 600 it` }
    : { key };
}

/**
 * Read a public-key PEM file as a trust anchor; the key id defaults to the derived one.
 *
 * @throws {HaechiError} `keys.not_found` or `keys.invalid`.
 */
export async function loadAnchor(path: string, keyId?: string): Promise<TrustAnchor> {
  let text: string;
  try {
    text = await readTextFile(path);
  } catch {
    throw new HaechiError("keys.not_found", `Cannot read public key file ${JSON.stringify(path)}`);
  }
  const spki = parseEd25519Spki(text);
  if (spki === null) {
    throw new HaechiError("keys.invalid", `${path} is not an Ed25519 SPKI public key`);
  }
  return { keyId: keyId ?? await keyIdFor(spki), publicKey: text };
}
