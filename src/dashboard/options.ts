/**
 * Dashboard options and their fail-closed validation: an unknown key, a bad type or an
 * out-of-range number is a `usage.invalid` error, never a silent default.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";

/** Default listen address: loopback only. */
export const DASHBOARD_DEFAULT_HOST = "127.0.0.1";
/** Default listen port. */
export const DASHBOARD_DEFAULT_PORT = 1018;
/** Default tail window read for events and summaries (1 MiB). */
export const DASHBOARD_DEFAULT_WINDOW = 1024 * 1024;
/** Smallest tail window (4 KiB). */
export const DASHBOARD_MIN_WINDOW = 4096;
/** Largest tail window (64 MiB). */
export const DASHBOARD_MAX_WINDOW = 64 * 1024 * 1024;

/**
 * Decides whether a request may read audit data. Returning false answers 401; the page,
 * its assets and `/healthz` never ask.
 */
export interface SessionGuard {
  /** Whether `request` belongs to an authenticated session. */
  authenticate(request: Request): boolean | Promise<boolean>;
}

/** What the dashboard serves and how. */
export interface DashboardOptions {
  /** Audit JSONL log (required). */
  readonly auditPath: string;
  /** Anchor file checked with the chain, so a log cut short shows; null for none. */
  readonly anchorPath?: string | null;
  /** Listen address (default 127.0.0.1). */
  readonly host?: string;
  /** Listen port, 0 for any free one (default 1018). */
  readonly port?: number;
  /** Permit a non-loopback host; also needs `tls` and `sessionGuard`. */
  readonly allowRemoteBind?: boolean;
  /** Gate for `/api/*`; required off loopback. */
  readonly sessionGuard?: SessionGuard | null;
  /** Tail window in bytes for events and summaries (4 KiB to 64 MiB, default 1 MiB). */
  readonly window?: number;
  /** PEM certificate and key: the dashboard terminates TLS itself; required off loopback. */
  readonly tls?: { readonly cert: string; readonly key: string } | null;
  /** Extra `Host` header values to accept (e.g. a DNS name), as `name:port`. */
  readonly allowedHosts?: readonly string[];
  /** Requests per source per minute on `/api/*` (default 120). */
  readonly rateLimit?: number;
  /** How long `/api/chain` waits for a chain walk before answering "checking" (ms). */
  readonly chainWaitMs?: number;
}

/** Options after validation, every default filled in. */
export interface NormalizedDashboardOptions {
  /** See {@linkcode DashboardOptions.auditPath}. */
  readonly auditPath: string;
  /** See {@linkcode DashboardOptions.anchorPath}. */
  readonly anchorPath: string | null;
  /** See {@linkcode DashboardOptions.host}. */
  readonly host: string;
  /** See {@linkcode DashboardOptions.port}. */
  readonly port: number;
  /** See {@linkcode DashboardOptions.allowRemoteBind}. */
  readonly allowRemoteBind: boolean;
  /** See {@linkcode DashboardOptions.sessionGuard}. */
  readonly sessionGuard: SessionGuard | null;
  /** See {@linkcode DashboardOptions.window}. */
  readonly window: number;
  /** See {@linkcode DashboardOptions.tls}. */
  readonly tls: { readonly cert: string; readonly key: string } | null;
  /** See {@linkcode DashboardOptions.allowedHosts}. */
  readonly allowedHosts: readonly string[];
  /** See {@linkcode DashboardOptions.rateLimit}. */
  readonly rateLimit: number;
  /** See {@linkcode DashboardOptions.chainWaitMs}. */
  readonly chainWaitMs: number;
}

const KEYS = new Set([
  "auditPath",
  "anchorPath",
  "host",
  "port",
  "allowRemoteBind",
  "sessionGuard",
  "window",
  "tls",
  "allowedHosts",
  "rateLimit",
  "chainWaitMs",
]);

/**
 * Whether `host` is a loopback address or name.
 *
 * @example
 * ```ts
 * import { isLoopback } from "./options.ts";
 * if (!isLoopback("127.0.0.1") || !isLoopback("[::1]") || isLoopback("0.0.0.0")) throw new Error();
 * ```
 */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Validate `options` and fill in defaults.
 *
 * @throws {HaechiError} `usage.invalid` naming the first bad option, including a
 *   non-loopback host without `allowRemoteBind`, TLS material and a session guard.
 *
 * @example
 * ```ts
 * import { normalizeDashboardOptions } from "./options.ts";
 * const o = normalizeDashboardOptions({ auditPath: "audit.jsonl" });
 * if (o.host !== "127.0.0.1" || o.port !== 1018) throw new Error("defaults");
 * ```
 */
export function normalizeDashboardOptions(options: DashboardOptions): NormalizedDashboardOptions {
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key)) bad(`Unknown dashboard option "${key}"`);
  }
  const o = options as unknown as Record<string, unknown>;
  if (typeof o.auditPath !== "string" || o.auditPath === "") {
    bad("auditPath must be a non-empty path");
  }
  const anchorPath = o.anchorPath ?? null;
  if (anchorPath !== null && (typeof anchorPath !== "string" || anchorPath === "")) {
    bad("anchorPath must be a non-empty path or null");
  }
  const host = o.host ?? DASHBOARD_DEFAULT_HOST;
  if (typeof host !== "string" || host === "") bad("host must be a non-empty string");
  const port = o.port ?? DASHBOARD_DEFAULT_PORT;
  if (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535) {
    bad("port must be an integer from 0 to 65535");
  }
  const allowRemoteBind = o.allowRemoteBind ?? false;
  if (typeof allowRemoteBind !== "boolean") bad("allowRemoteBind must be a boolean");
  const guard = o.sessionGuard ?? null;
  if (
    guard !== null &&
    (typeof guard !== "object" || typeof (guard as SessionGuard).authenticate !== "function")
  ) bad("sessionGuard must be an object with an authenticate(request) function");
  const window = o.window ?? DASHBOARD_DEFAULT_WINDOW;
  if (
    !Number.isInteger(window) || (window as number) < DASHBOARD_MIN_WINDOW ||
    (window as number) > DASHBOARD_MAX_WINDOW
  ) bad(`window must be an integer from ${DASHBOARD_MIN_WINDOW} to ${DASHBOARD_MAX_WINDOW} bytes`);
  const tls = o.tls ?? null;
  if (tls !== null) {
    const t = tls as Record<string, unknown>;
    if (
      typeof tls !== "object" || typeof t.cert !== "string" || t.cert === "" ||
      typeof t.key !== "string" || t.key === ""
    ) bad("tls must hold a PEM cert and key");
  }
  const allowedHosts = o.allowedHosts ?? [];
  if (
    !Array.isArray(allowedHosts) ||
    allowedHosts.some((h) => typeof h !== "string" || h === "" || h.includes(","))
  ) bad("allowedHosts must be a list of host:port names");
  const rateLimit = o.rateLimit ?? 120;
  if (!Number.isInteger(rateLimit) || (rateLimit as number) < 1) {
    bad("rateLimit must be a positive integer");
  }
  const chainWaitMs = o.chainWaitMs ?? 1500;
  if (!Number.isInteger(chainWaitMs) || (chainWaitMs as number) < 0) {
    bad("chainWaitMs must be a non-negative integer");
  }
  if (!isLoopback(host as string)) {
    // Audit data in cleartext on a network, or readable by anyone who reaches the port, is
    // exactly what this gateway exists to prevent: all three conditions, or no start.
    const missing = [
      allowRemoteBind ? null : "--allow-remote-bind",
      tls !== null ? null : "TLS (--tls-cert and --tls-key)",
      guard !== null ? null : "a session guard (--token-file)",
    ].filter((m) => m !== null);
    if (missing.length > 0) {
      bad(
        `Refusing to serve the audit dashboard on non-loopback address ${host}: ` +
          `it needs ${missing.join(", ")}`,
      );
    }
  }
  return {
    auditPath: o.auditPath as string,
    anchorPath: anchorPath as string | null,
    host: host as string,
    port: port as number,
    allowRemoteBind: allowRemoteBind as boolean,
    sessionGuard: guard as SessionGuard | null,
    window: window as number,
    tls: tls as { cert: string; key: string } | null,
    allowedHosts: (allowedHosts as string[]).map((h) => h.toLowerCase()),
    rateLimit: rateLimit as number,
    chainWaitMs: chainWaitMs as number,
  };
}

function bad(message: string): never {
  throw new HaechiError("usage.invalid", message);
}
