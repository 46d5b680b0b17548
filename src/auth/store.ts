/**
 * The bearer token store (`auth.store`, mode 0600): who may call the gateway.
 *
 * A token is shown once, by `haechi auth add`, and the file keeps only its keyed HMAC under
 * the key file's HMAC key, so a leaked store names no usable credential and cannot be
 * brute-forced without the key file. Entries are never deleted: a revoked entry keeps its
 * id so `auth list` can say when it was revoked.
 *
 * Shape (`authVersion: 1`):
 *
 * ```json
 * { "authVersion": 1, "tokens": [{ "id": "3f9c…", "type": "service", "scope": "team:eng",
 *   "labels": { "env": "prod" }, "hash": "<64 hex>", "createdAt": "…", "revokedAt": null }] }
 * ```
 *
 * @module
 */
import { createHmacSha256, toHex } from "../crypto/mod.ts";
import { HaechiError } from "../errors.ts";
import { isNotFound, readTextFile, writeFileAtomic } from "../runtime/mod.ts";
import { withFileLock } from "../vault/mod.ts";

/** Kinds of caller a token may stand for. */
export const TOKEN_TYPES = ["service", "user"] as const;

/** One kind of caller. */
export type TokenType = typeof TOKEN_TYPES[number];

/** One stored token: everything but the token itself. */
export interface StoredToken {
  /** Public id (16 hex), what `auth list` shows and `auth revoke` takes. */
  readonly id: string;
  /** `service` or `user`. */
  readonly type: TokenType;
  /** The caller's token scope: tokens it mints restore only for it. */
  readonly scope: string;
  /** Labels such as `env=prod`, keys limited to `auth.allowedLabelKeys`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Keyed HMAC of the token (64 hex). */
  readonly hash: string;
  /** ISO time of creation. */
  readonly createdAt: string;
  /** ISO time of revocation, or null while valid. */
  readonly revokedAt: string | null;
}

/** What the store holds. */
export interface TokenStoreFile {
  /** Format version. */
  readonly authVersion: 1;
  /** Every token ever added, oldest first. */
  readonly tokens: readonly StoredToken[];
}

const SCOPE_RE = /^[A-Za-z0-9][A-Za-z0-9:._/-]{0,127}$/;
/** A label key: short, lowercase, identifier-like. */
export const LABEL_KEY_RE: RegExp = /^[a-z][a-z0-9_-]{0,31}$/;
/**
 * A label value: short and identifier-like with a letter in it; room for `prod` or
 * `tier-2`, none for an email address, a phone number or an id number.
 */
export const LABEL_VALUE_RE: RegExp = /^(?=.*[A-Za-z])[A-Za-z0-9._-]{1,32}$/;
const HASH_RE = /^[0-9a-f]{64}$/;
const ID_RE = /^[0-9a-f]{16}$/;
const TOKEN_RE = /^hch_[A-Za-z0-9_-]{43}$/;

/**
 * Keyed hashes for the bearer store, under the key file's HMAC key. Each use has its own
 * domain prefix, so a token hash never equals an identity fingerprint.
 */
export interface AuthHasher {
  /** Keyed HMAC (64 hex) stored for `token`. */
  tokenHash(token: string): string;
  /** Keyed fingerprint (32 hex) of a token id, as audit records carry it. */
  identity(id: string): string;
}

/**
 * Build the hasher for an HMAC key.
 *
 * @example
 * ```ts
 * import { createAuthHasher } from "./store.ts";
 * const h = createAuthHasher(new Uint8Array(32));
 * if (h.tokenHash("a").length !== 64 || h.identity("a").length !== 32) throw new Error();
 * ```
 */
export function createAuthHasher(hmacKey: Uint8Array): AuthHasher {
  const mac = createHmacSha256(hmacKey);
  return {
    tokenHash: (token) => toHex(mac(`haechi.auth.token.v1\0${token}`)),
    identity: (id) => toHex(mac(`haechi.auth.identity.v1\0${id}`)).slice(0, 32),
  };
}

/**
 * Whether `text` has the shape of a token `haechi auth add` prints.
 *
 * @example
 * ```ts
 * import { isTokenShaped } from "./store.ts";
 * if (isTokenShaped("hch_x")) throw new Error("too short");
 * ```
 */
export function isTokenShaped(text: string): boolean {
  return TOKEN_RE.test(text);
}

/**
 * Read the store; a missing file is an empty store.
 *
 * @throws {HaechiError} `config.invalid` when the file is not a valid store.
 */
export async function readTokenStore(path: string): Promise<TokenStoreFile> {
  let text: string;
  try {
    text = await readTextFile(path);
  } catch (e) {
    if (isNotFound(e)) return { authVersion: 1, tokens: [] };
    throw new HaechiError("config.invalid", `Cannot read the auth store ${path}`);
  }
  return parseTokenStore(text, path);
}

/**
 * Parse and check store text.
 *
 * @throws {HaechiError} `config.invalid` for anything but a valid store.
 *
 * @example
 * ```ts
 * import { parseTokenStore } from "./store.ts";
 * if (parseTokenStore('{"authVersion":1,"tokens":[]}', "x").tokens.length !== 0) throw new Error();
 * ```
 */
export function parseTokenStore(text: string, path: string): TokenStoreFile {
  const bad = (why: string) =>
    new HaechiError("config.invalid", `The auth store ${path} is invalid: ${why}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw bad("not JSON");
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw bad("not an object");
  const o = raw as Record<string, unknown>;
  if (o.authVersion !== 1) throw bad("authVersion must be 1");
  if (!Array.isArray(o.tokens)) throw bad("tokens must be an array");
  const tokens = o.tokens.map((t, i): StoredToken => {
    if (t === null || typeof t !== "object") throw bad(`tokens[${i}] is not an object`);
    const e = t as Record<string, unknown>;
    if (typeof e.id !== "string" || !ID_RE.test(e.id)) throw bad(`tokens[${i}].id`);
    if (!TOKEN_TYPES.includes(e.type as TokenType)) throw bad(`tokens[${i}].type`);
    if (typeof e.scope !== "string" || !SCOPE_RE.test(e.scope)) throw bad(`tokens[${i}].scope`);
    if (typeof e.hash !== "string" || !HASH_RE.test(e.hash)) throw bad(`tokens[${i}].hash`);
    if (typeof e.createdAt !== "string") throw bad(`tokens[${i}].createdAt`);
    if (e.revokedAt !== null && typeof e.revokedAt !== "string") {
      throw bad(`tokens[${i}].revokedAt`);
    }
    const labels: Record<string, string> = {};
    if (e.labels !== undefined) {
      if (e.labels === null || typeof e.labels !== "object" || Array.isArray(e.labels)) {
        throw bad(`tokens[${i}].labels`);
      }
      for (const [k, v] of Object.entries(e.labels)) {
        if (!LABEL_KEY_RE.test(k) || typeof v !== "string" || !LABEL_VALUE_RE.test(v)) {
          throw bad(`tokens[${i}].labels`);
        }
        labels[k] = v;
      }
    }
    return {
      id: e.id,
      type: e.type as TokenType,
      scope: e.scope,
      labels,
      hash: e.hash,
      createdAt: e.createdAt,
      revokedAt: e.revokedAt as string | null,
    };
  });
  return { authVersion: 1, tokens };
}

/** What `haechi auth add` asks for. */
export interface NewToken {
  /** `service` or `user`. */
  readonly type: string;
  /** Token scope. */
  readonly scope: string;
  /** `key=value` labels. */
  readonly labels: readonly string[];
}

/**
 * Check a new token's fields against the store's rules.
 *
 * @param input Type, scope and `key=value` labels as typed.
 * @param allowedLabelKeys `auth.allowedLabelKeys`.
 * @returns The parsed labels.
 * @throws {HaechiError} `usage.invalid` naming the field at fault.
 *
 * @example
 * ```ts
 * import { checkNewToken } from "./store.ts";
 * const labels = checkNewToken({ type: "service", scope: "team:eng", labels: ["env=prod"] }, ["env"]);
 * if (labels.env !== "prod") throw new Error();
 * ```
 */
export function checkNewToken(
  input: NewToken,
  allowedLabelKeys: readonly string[],
): Record<string, string> {
  if (!TOKEN_TYPES.includes(input.type as TokenType)) {
    throw new HaechiError("usage.invalid", `--type must be one of: ${TOKEN_TYPES.join(", ")}`);
  }
  if (!SCOPE_RE.test(input.scope)) {
    throw new HaechiError(
      "usage.invalid",
      "--scope must be 1-128 characters of letters, digits and :._/- starting with a letter or digit",
    );
  }
  const labels: Record<string, string> = {};
  for (const pair of input.labels) {
    const eq = pair.indexOf("=");
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? "" : pair.slice(eq + 1);
    if (eq < 0 || !LABEL_KEY_RE.test(key)) {
      throw new HaechiError("usage.invalid", "--label takes key=value, e.g. --label env=prod");
    }
    if (!allowedLabelKeys.includes(key)) {
      throw new HaechiError(
        "usage.invalid",
        `Label key "${key}" is not in auth.allowedLabelKeys (${allowedLabelKeys.join(", ")})`,
      );
    }
    if (!LABEL_VALUE_RE.test(value)) {
      // The value is not echoed: a refused value may be exactly the personal data labels forbid.
      throw new HaechiError(
        "usage.invalid",
        `Label "${key}" needs a short value (1-32 of letters, digits and ._-, with a letter)`,
      );
    }
    if (Object.hasOwn(labels, key)) {
      throw new HaechiError("usage.invalid", `Label "${key}" is given twice`);
    }
    labels[key] = value;
  }
  return labels;
}

/**
 * Add a token: mint it, store its keyed hash (under the store's lock) and return it once.
 *
 * @returns The new entry and the token, which is nowhere else.
 */
export async function addToken(
  path: string,
  hasher: AuthHasher,
  entry: { type: TokenType; scope: string; labels: Record<string, string> },
  now: Date = new Date(),
): Promise<{ entry: StoredToken; token: string }> {
  const token = `hch_${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
  const id = toHex(crypto.getRandomValues(new Uint8Array(8)));
  const stored: StoredToken = {
    id,
    ...entry,
    hash: hasher.tokenHash(token),
    createdAt: now.toISOString(),
    revokedAt: null,
  };
  await withFileLock(path, async () => {
    const current = await readTokenStore(path);
    await writeStore(path, { authVersion: 1, tokens: [...current.tokens, stored] });
  });
  return { entry: stored, token };
}

/**
 * Revoke the token with `id`.
 *
 * @returns The entry as now stored, or null when no token has that id. Revoking twice
 *   keeps the first revocation time.
 */
export async function revokeToken(
  path: string,
  id: string,
  now: Date = new Date(),
): Promise<StoredToken | null> {
  return await withFileLock(path, async () => {
    const current = await readTokenStore(path);
    const found = current.tokens.find((t) => t.id === id);
    if (found === undefined) return null;
    if (found.revokedAt !== null) return found;
    const revoked = { ...found, revokedAt: now.toISOString() };
    await writeStore(path, {
      authVersion: 1,
      tokens: current.tokens.map((t) => t.id === id ? revoked : t),
    });
    return revoked;
  });
}

async function writeStore(path: string, file: TokenStoreFile): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(file, null, 2) + "\n", { mode: 0o600 });
}

function base64url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
