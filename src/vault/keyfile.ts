/**
 * The local key file (`.haechi/keys.json`, mode 0600) written by `haechi init`.
 *
 * It holds the HMAC key used for keyed fingerprints (audit path fingerprints,
 * deterministic token ids). A missing file is created on first use; a corrupt one fails
 * closed, because silently replacing a key would orphan every token issued under it.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { fileInfo, isNotFound, readTextFile, writeTextFile } from "../runtime/mod.ts";

/** Parsed key material. */
export interface KeyMaterial {
  /** 32-byte HMAC key. */
  readonly hmacKey: Uint8Array;
}

interface KeyFileJson {
  keysVersion: 1;
  createdAt: string;
  hmacKey: string;
}

/**
 * Create a new key file at `path` with mode 0600. Fails if one already exists.
 *
 * @example
 * ```ts ignore
 * await createKeyFile(".haechi/keys.json");
 * ```
 */
export async function createKeyFile(path: string): Promise<KeyMaterial> {
  const hmacKey = crypto.getRandomValues(new Uint8Array(32));
  const json: KeyFileJson = {
    keysVersion: 1,
    createdAt: new Date().toISOString(),
    hmacKey: toBase64(hmacKey),
  };
  await writeTextFile(path, JSON.stringify(json, null, 2) + "\n", { mode: 0o600, createNew: true });
  return { hmacKey };
}

/**
 * Read the key file at `path`, creating it when missing and `createIfMissing` is set.
 *
 * @throws {HaechiError} `keys.not_found` when missing (and not created), `keys.invalid` when
 *   unreadable, not JSON, of the wrong shape, or readable by group or others.
 *
 * @example
 * ```ts ignore
 * const keys = await loadKeyFile(".haechi/keys.json", { createIfMissing: true });
 * ```
 */
export async function loadKeyFile(
  path: string,
  options: { createIfMissing?: boolean } = {},
): Promise<KeyMaterial> {
  let text: string;
  try {
    text = await readTextFile(path);
  } catch (e) {
    if (isNotFound(e)) {
      if (options.createIfMissing) return await createKeyFile(path);
      throw new HaechiError("keys.not_found", `Key file not found: ${path}; run "haechi init"`, {
        path,
      });
    }
    throw new HaechiError("keys.invalid", `Cannot read key file ${path}`, { path });
  }
  const info = await fileInfo(path);
  if (info?.mode != null && (info.mode & 0o077) !== 0) {
    throw new HaechiError(
      "keys.invalid",
      `Key file ${path} is readable by other users (mode ${
        (info.mode & 0o777).toString(8)
      }); run "chmod 600 ${path}"`,
      { path },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HaechiError("keys.invalid", `Key file ${path} is not valid JSON`, { path });
  }
  const j = json as Partial<KeyFileJson>;
  if (typeof json !== "object" || json === null || j.keysVersion !== 1) {
    throw new HaechiError("keys.invalid", `Key file ${path} must have "keysVersion": 1`, { path });
  }
  const hmacKey = typeof j.hmacKey === "string" ? fromBase64(j.hmacKey) : null;
  if (hmacKey === null || hmacKey.length !== 32) {
    throw new HaechiError(
      "keys.invalid",
      `Key file ${path} has no valid "hmacKey" (32 bytes, base64)`,
      { path },
    );
  }
  return { hmacKey };
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array | null {
  try {
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}
