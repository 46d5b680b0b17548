/**
 * The local key file (`.haechi/keys.json`, mode 0600) written by `haechi init`.
 *
 * Shape (`keysVersion: 2`):
 *
 * ```json
 * { "keysVersion": 2, "createdAt": "…", "hmacKey": "<base64, 32 bytes>",
 *   "dataKeys": [{ "id": 1, "status": "active", "createdAt": "…", "key": "<base64, 32 bytes>" }] }
 * ```
 *
 * The HMAC key makes keyed fingerprints (audit paths, deterministic token lookup); the
 * data keys are AES-256-GCM keys. Exactly one data key is `active` (new encryptions);
 * `retired` keys only decrypt. Ids are small integers, 1 to 65535, so an envelope spends
 * two bytes on them.
 *
 * Decisions:
 * - A `keysVersion: 1` file (HMAC key only, from earlier releases) is read as having no
 *   data key. It is upgraded in place, keeping its HMAC key, the first time something
 *   needs to encrypt ({@linkcode ensureActiveDataKey}) or on `haechi keys rotate`; merely
 *   reading it never rewrites it.
 * - Every change is made under a lock file and written atomically (temporary file, fsync,
 *   rename), re-reading the file inside the lock so concurrent rotations cannot lose a key.
 * - A corrupt file fails closed: silently replacing a key would orphan every token issued
 *   under it.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { fileInfo, isNotFound, pathExists, readTextFile, writeFileAtomic } from "../runtime/mod.ts";
import { fromBase64, toBase64 } from "./_codec.ts";
import { withFileLock } from "./_lock.ts";

/** Whether a data key may encrypt (`active`) or only decrypt (`retired`). */
export type DataKeyStatus = "active" | "retired";

/** One AES-256-GCM data key. */
export interface DataKeyEntry {
  /** Small integer id, 1 to 65535, recorded with every ciphertext. */
  readonly id: number;
  /** `active` (exactly one) or `retired`. */
  readonly status: DataKeyStatus;
  /** ISO time of creation. */
  readonly createdAt: string;
  /** 32 raw key bytes. */
  readonly key: Uint8Array;
}

/** Parsed key material. */
export interface KeyMaterial {
  /** 32-byte HMAC key. */
  readonly hmacKey: Uint8Array;
  /** Data keys, oldest first; empty for a version 1 file. */
  readonly dataKeys: readonly DataKeyEntry[];
  /** Format version the file had when read. */
  readonly keysVersion: 1 | 2;
  /** ISO time the file was first created. */
  readonly createdAt: string;
}

/** Highest data key id an envelope can carry. */
export const MAX_DATA_KEY_ID = 0xffff;

interface KeyFileJson {
  keysVersion: 1 | 2;
  createdAt: string;
  hmacKey: string;
  dataKeys?: { id: number; status: DataKeyStatus; createdAt: string; key: string }[];
}

/**
 * Create a new key file at `path` (mode 0600) with an HMAC key and one active data key.
 *
 * @throws {HaechiError} `keys.invalid` when a file already exists there.
 *
 * @example
 * ```ts ignore
 * await createKeyFile(".haechi/keys.json");
 * ```
 */
export function createKeyFile(path: string): Promise<KeyMaterial> {
  return withFileLock(path, async () => {
    if (await pathExists(path)) {
      throw new HaechiError(
        "keys.invalid",
        `Key file ${path} already exists; refusing to replace it`,
        { path },
      );
    }
    return await writeNew(path);
  });
}

async function writeNew(path: string): Promise<KeyMaterial> {
  const now = new Date().toISOString();
  const material: KeyMaterial = {
    hmacKey: crypto.getRandomValues(new Uint8Array(32)),
    dataKeys: [newDataKey(1)],
    keysVersion: 2,
    createdAt: now,
  };
  await writeKeyFile(path, material);
  return material;
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
  const text = await readKeyText(path);
  if (text !== null) return await parseChecked(path, text);
  if (!options.createIfMissing) {
    throw new HaechiError("keys.not_found", `Key file not found: ${path}; run "haechi init"`, {
      path,
    });
  }
  return await withFileLock(path, async () => {
    // Another process may have created it while this one waited for the lock.
    const again = await readKeyText(path);
    return again !== null ? await parseChecked(path, again) : await writeNew(path);
  });
}

/**
 * Make sure the key file has an active data key, upgrading a version 1 file in place
 * (same HMAC key, new data key 1). Returns the material as now on disk.
 *
 * @throws {HaechiError} as {@linkcode loadKeyFile}, or `keys.locked`.
 *
 * @example
 * ```ts ignore
 * const keys = await ensureActiveDataKey(".haechi/keys.json");
 * ```
 */
export function ensureActiveDataKey(path: string): Promise<KeyMaterial> {
  return withFileLock(path, async () => {
    const current = await loadKeyFile(path);
    if (current.dataKeys.some((k) => k.status === "active")) return current;
    const next: KeyMaterial = { ...current, keysVersion: 2, dataKeys: [newDataKey(1)] };
    await writeKeyFile(path, next);
    return next;
  });
}

/** What a rotation changed. */
export interface RotationResult {
  /** Key id that was active before, or null for a file that had none. */
  readonly retired: number | null;
  /** The new active key id. */
  readonly active: number;
  /** Material as now on disk. */
  readonly material: KeyMaterial;
}

/**
 * Add a new active data key and retire the previous one, which keeps decrypting.
 *
 * @throws {HaechiError} as {@linkcode loadKeyFile}, `keys.locked`, or `keys.invalid` when
 *   every key id up to 65535 is used.
 *
 * @example
 * ```ts ignore
 * const { active } = await rotateKeyFile(".haechi/keys.json");
 * ```
 */
export function rotateKeyFile(path: string): Promise<RotationResult> {
  return withFileLock(path, async () => {
    const current = await loadKeyFile(path);
    const previous = current.dataKeys.find((k) => k.status === "active");
    const nextId = current.dataKeys.reduce((m, k) => Math.max(m, k.id), 0) + 1;
    if (nextId > MAX_DATA_KEY_ID) {
      throw new HaechiError("keys.invalid", `Key file ${path} has no free data key id left`, {
        path,
      });
    }
    const dataKeys = [
      ...current.dataKeys.map((k) =>
        k.status === "active" ? { ...k, status: "retired" as const } : k
      ),
      newDataKey(nextId),
    ];
    const material: KeyMaterial = { ...current, keysVersion: 2, dataKeys };
    await writeKeyFile(path, material);
    return { retired: previous?.id ?? null, active: nextId, material };
  });
}

function newDataKey(id: number): DataKeyEntry {
  return {
    id,
    status: "active",
    createdAt: new Date().toISOString(),
    key: crypto.getRandomValues(new Uint8Array(32)),
  };
}

async function writeKeyFile(path: string, m: KeyMaterial): Promise<void> {
  const json: KeyFileJson = {
    keysVersion: 2,
    createdAt: m.createdAt,
    hmacKey: toBase64(m.hmacKey),
    dataKeys: m.dataKeys.map((k) => ({
      id: k.id,
      status: k.status,
      createdAt: k.createdAt,
      key: toBase64(k.key),
    })),
  };
  await writeFileAtomic(path, JSON.stringify(json, null, 2) + "\n", { mode: 0o600 });
}

async function readKeyText(path: string): Promise<string | null> {
  try {
    return await readTextFile(path);
  } catch (e) {
    if (isNotFound(e)) return null;
    throw new HaechiError("keys.invalid", `Cannot read key file ${path}`, { path });
  }
}

async function parseChecked(path: string, text: string): Promise<KeyMaterial> {
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
  return parseKeyFile(path, text);
}

/**
 * Parse key file text. Exported for tests and tools that hold the text already.
 *
 * @throws {HaechiError} `keys.invalid`, naming the field but never echoing key bytes.
 *
 * @example
 * ```ts
 * import { parseKeyFile } from "./keyfile.ts";
 * const k = parseKeyFile("k.json", JSON.stringify({
 *   keysVersion: 1, createdAt: "2024-01-01T00:00:00Z", hmacKey: btoa("x".repeat(32)),
 * }));
 * if (k.dataKeys.length !== 0) throw new Error("a version 1 file has no data keys");
 * ```
 */
export function parseKeyFile(path: string, text: string): KeyMaterial {
  const bad = (what: string) =>
    new HaechiError("keys.invalid", `Key file ${path} ${what}`, { path });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw bad("is not valid JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw bad("must be a JSON object");
  }
  const j = json as Partial<KeyFileJson>;
  if (j.keysVersion !== 1 && j.keysVersion !== 2) throw bad('must have "keysVersion": 1 or 2');
  const hmacKey = typeof j.hmacKey === "string" ? fromBase64(j.hmacKey) : null;
  if (hmacKey === null || hmacKey.length !== 32) {
    throw bad('has no valid "hmacKey" (32 bytes, base64)');
  }
  const createdAt = typeof j.createdAt === "string" ? j.createdAt : "";
  if (j.keysVersion === 1) return { hmacKey, dataKeys: [], keysVersion: 1, createdAt };
  if (!Array.isArray(j.dataKeys)) throw bad('must have a "dataKeys" array');
  const seen = new Set<number>();
  const dataKeys: DataKeyEntry[] = j.dataKeys.map((raw, i) => {
    const at = `dataKeys[${i}]`;
    if (typeof raw !== "object" || raw === null) throw bad(`has a malformed ${at}`);
    const { id, status, key } = raw as Record<string, unknown>;
    if (!Number.isInteger(id) || (id as number) < 1 || (id as number) > MAX_DATA_KEY_ID) {
      throw bad(`has a bad ${at}.id (an integer from 1 to ${MAX_DATA_KEY_ID})`);
    }
    if (seen.has(id as number)) throw bad(`has data key id ${id} twice`);
    seen.add(id as number);
    if (status !== "active" && status !== "retired") {
      throw bad(`has a bad ${at}.status ("active" or "retired")`);
    }
    const bytes = typeof key === "string" ? fromBase64(key) : null;
    if (bytes === null || bytes.length !== 32) throw bad(`has a bad ${at}.key (32 bytes, base64)`);
    const created = (raw as Record<string, unknown>).createdAt;
    return {
      id: id as number,
      status,
      createdAt: typeof created === "string" ? created : "",
      key: bytes,
    };
  });
  const active = dataKeys.filter((k) => k.status === "active").length;
  if (dataKeys.length > 0 && active !== 1) {
    throw bad(`must have exactly one active data key, found ${active}`);
  }
  return { hmacKey, dataKeys, keysVersion: 2, createdAt };
}

/**
 * Where the nonce ledger for the key file at `keysPath` lives: beside it, named after
 * it (`keys.json` → `keys.nonces.db`). Nonce counts belong to keys, not to a vault, so
 * two vaults sharing one key file share one count.
 *
 * @example
 * ```ts
 * import { noncesPathFor } from "./keyfile.ts";
 * if (noncesPathFor(".haechi/keys.json") !== ".haechi/keys.nonces.db") throw new Error("path");
 * ```
 */
export function noncesPathFor(keysPath: string): string {
  const base = keysPath.endsWith(".json") ? keysPath.slice(0, -5) : keysPath;
  return `${base}.nonces.db`;
}
