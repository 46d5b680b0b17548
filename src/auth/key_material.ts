/**
 * `auth.plugin.keyMaterial`: a key document (a JWKS, say) that the host fetches for the
 * auth plugin, which has no network access and never names a URL.
 *
 * The operator declares the https URL; the host fetches it through an SSRF guard (only
 * public unicast addresses, checked after resolving and pinned for the connection), keeps
 * it for `ttlMs`, and hands the parsed document to every `authenticate` call as
 * `keyMaterial`. Failing closed: once the document's time is up it is not used again; if a
 * refresh fails, calls get `keyMaterial: null` (so a key-checking plugin denies) and no new
 * attempt is made for `cooldownMs`, so a dead key server is not hammered per request.
 *
 * @module
 */
import { octetsOfIpv4, parseIpv4, parseIpv6 } from "../detect/mod.ts";

/** The parsed `auth.plugin.keyMaterial` settings. */
export interface KeyMaterialConfig {
  /** https URL of the key document. */
  readonly url: string;
  /** How long a fetched document is used (ms). */
  readonly ttlMs: number;
  /** After a failed fetch, how long until the next attempt (ms). */
  readonly cooldownMs: number;
}

/** Facts about one fetch, for audit (never the document itself). */
export interface KeyMaterialEvent {
  /** `fetched` or `failed`. */
  readonly outcome: "fetched" | "failed";
  /** Body size in bytes (fetched). */
  readonly bytes?: number;
  /** SHA-256 of the body, hex (fetched). */
  readonly sha256?: string;
  /** Reason code (failed). */
  readonly reason?: string;
}

/** What the source needs from outside. */
export interface KeyMaterialDeps {
  /** Fetch the document's bytes; throws with `details.reason` on failure. */
  readonly fetchDocument: (url: URL) => Promise<{ status: number; body: Uint8Array }>;
  /** Clock (ms). */
  readonly now?: () => number;
  /** Told about each fetch. */
  readonly onEvent?: (event: KeyMaterialEvent) => void | Promise<void>;
}

/** The host's cache of the key document. */
export interface KeyMaterialSource {
  /** The current document, fetching it when due; `null` when none can be had. */
  get(): Promise<unknown>;
}

/**
 * Build the cache for `config`.
 *
 * @param config URL, TTL and cooldown.
 * @param deps Fetcher, clock and event sink.
 * @returns The source.
 *
 * @example
 * ```ts
 * import { createKeyMaterialSource } from "./key_material.ts";
 * const body = new TextEncoder().encode('{"keys":[]}');
 * const src = createKeyMaterialSource(
 *   { url: "https://keys.example/jwks.json", ttlMs: 60000, cooldownMs: 5000 },
 *   { fetchDocument: () => Promise.resolve({ status: 200, body }) },
 * );
 * const doc = await src.get() as { keys: unknown[] };
 * if (!Array.isArray(doc.keys)) throw new Error("parsed");
 * ```
 */
export function createKeyMaterialSource(
  config: KeyMaterialConfig,
  deps: KeyMaterialDeps,
): KeyMaterialSource {
  const now = deps.now ?? Date.now;
  const url = new URL(config.url);
  let doc: unknown = null;
  let expires = 0;
  let retryAt = 0;
  let inflight: Promise<unknown> | null = null;

  const refresh = async (): Promise<unknown> => {
    try {
      const reply = await deps.fetchDocument(url);
      if (reply.status !== 200) throw reasonError(`status-${reply.status}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(reply.body));
      } catch {
        throw reasonError("not-json");
      }
      if (parsed === null || typeof parsed !== "object") throw reasonError("not-json");
      doc = parsed;
      expires = now() + config.ttlMs;
      const digest = new Uint8Array(
        await crypto.subtle.digest("SHA-256", new Uint8Array(reply.body)),
      );
      await deps.onEvent?.({
        outcome: "fetched",
        bytes: reply.body.length,
        sha256: [...digest].map((b) => b.toString(16).padStart(2, "0")).join(""),
      });
      return doc;
    } catch (e) {
      doc = null;
      retryAt = now() + config.cooldownMs;
      await deps.onEvent?.({ outcome: "failed", reason: reasonOf(e) });
      return null;
    }
  };

  return {
    get() {
      const t = now();
      if (doc !== null && t < expires) return Promise.resolve(doc);
      // Past its time the document is not used, even while a refresh is pending or failing.
      if (t < retryAt) return Promise.resolve(null);
      inflight ??= refresh().finally(() => inflight = null);
      return inflight;
    },
  };
}

function reasonError(reason: string): Error {
  return Object.assign(new Error(reason), { details: { reason } });
}

function reasonOf(e: unknown): string {
  const r = (e as { details?: { reason?: unknown } })?.details?.reason;
  return typeof r === "string" && /^[a-z0-9-]{1,40}$/.test(r) ? r : "fetch-failed";
}

/**
 * Whether `ip` is a public unicast address, the only kind the key fetch may contact:
 * loopback, private, shared (CGNAT), link-local, unique-local, multicast, documentation,
 * benchmarking, reserved and unspecified ranges are refused, and so are IPv4 addresses
 * carried inside IPv6 (mapped, NAT64, 6to4) when the inner one is.
 *
 * @param ip An IPv4 or IPv6 address literal.
 * @returns True for a public address.
 *
 * @example
 * ```ts
 * import { isPublicAddress } from "./key_material.ts";
 * if (isPublicAddress("169.254.169.254") || isPublicAddress("::ffff:10.0.0.1")) throw new Error();
 * if (!isPublicAddress("93.184.216.34")) throw new Error("public");
 * ```
 */
export function isPublicAddress(ip: string): boolean {
  const v4 = parseV4(ip);
  if (v4 !== null) return publicV4(v4);
  const g = parseV6(ip);
  if (g === null) return false;
  const inner = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255];
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) {
    // ::ffff:a.b.c.d and the deprecated ::a.b.c.d (which also covers :: and ::1).
    return publicV4(inner(g[6], g[7]));
  }
  if (g[0] === 0x64 && g[1] === 0xff9b) return publicV4(inner(g[6], g[7])); // NAT64
  if (g[0] === 0x2002) return publicV4(inner(g[1], g[2])); // 6to4
  if (g[0] === 0x2001 && g[1] === 0) return false; // Teredo
  if (g[0] === 0x2001 && g[1] === 0x0db8) return false; // documentation
  if ((g[0] & 0xe000) !== 0x2000) return false; // only 2000::/3 is global unicast
  return true;
}

function publicV4(a: number[]): boolean {
  const [x, y, z] = a;
  if (x === 0 || x === 10 || x === 127 || x >= 224) return false;
  if (x === 100 && y >= 64 && y < 128) return false; // shared address space
  if (x === 169 && y === 254) return false;
  if (x === 172 && y >= 16 && y < 32) return false;
  if (x === 192 && y === 168) return false;
  if (x === 192 && y === 0 && (z === 0 || z === 2)) return false;
  if (x === 198 && (y === 18 || y === 19)) return false;
  if (x === 198 && y === 51 && z === 100) return false;
  if (x === 203 && y === 0 && z === 113) return false;
  return true;
}

function parseV4(ip: string): number[] | null {
  const n = parseIpv4(ip);
  return n === null ? null : octetsOfIpv4(n);
}

function parseV6(ip: string): number[] | null {
  const text = ip.replace(/^\[|\]$/g, "");
  if (text.includes("%")) return null; // a zone id: link-local by nature
  return parseIpv6(text);
}
