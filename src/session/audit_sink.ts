/**
 * The audit sink commands write to: builds value-free events from findings and appends
 * them to the hash-chained log, or does nothing when `audit.enabled` is false.
 *
 * @module
 */
import type { HaechiConfig, Mode } from "../config/mod.ts";
import {
  type AuditInput,
  type AuditSink,
  buildAuditEvent,
  createPathFingerprinter,
  openAuditWriter,
} from "../audit/mod.ts";

/** The log-backed sink a command opens: the audit port plus the run's mode and closing. */
export interface AuditLogSink extends AuditSink {
  /** Effective mode stamped on every event. */
  readonly mode: Mode;
  /** Write the closing anchor and close the log. */
  close(): Promise<void>;
}

/**
 * Open the audit sink described by `config.audit`.
 *
 * @example
 * ```ts ignore
 * const sink = await openAuditSink(config, keys.hmacKey, "cli.protect");
 * await sink.record({ kind: "protect", correlationId: "c1", outcome: "clean" });
 * await sink.close();
 * ```
 */
export async function openAuditSink(
  config: HaechiConfig,
  hmacKey: Uint8Array,
  source: string,
): Promise<AuditLogSink> {
  const mode = config.mode;
  if (!config.audit.enabled) {
    return { mode, record: () => Promise.resolve(), close: () => Promise.resolve() };
  }
  const writer = await openAuditWriter({
    path: config.audit.path,
    anchorPath: config.audit.anchorPath === "" ? undefined : config.audit.anchorPath,
    anchorEvery: config.audit.anchorEvery,
  });
  const fingerprint = cachedFingerprints(createPathFingerprinter(hmacKey));
  // Records a caller did not await (a reply already sent) must still land before close.
  const pending = new Set<Promise<void>>();
  return {
    mode,
    record(input: AuditInput) {
      const done = withCallerHash(input, fingerprint)
        .then((event) => buildAuditEvent({ ...event, mode, source }, fingerprint))
        .then((event) => writer.append(event))
        .then(() => {});
      pending.add(done);
      const settled = () => pending.delete(done);
      done.then(settled, settled);
      return done;
    },
    async close() {
      await Promise.allSettled(pending);
      await writer.close();
    },
  };
}

// The same HMAC key as paths, over a prefix no JSON path starts with: a caller's
// fingerprint never equals a path's.
const CALLER_PREFIX = "caller\u0000";

async function withCallerHash(
  input: AuditInput,
  fingerprint: (path: string) => Promise<string>,
): Promise<Omit<AuditInput, "callerScope">> {
  const { callerScope, ...rest } = input;
  if (callerScope === undefined) return rest;
  const callerHash = await fingerprint(CALLER_PREFIX + callerScope);
  return { ...rest, details: { ...rest.details, callerHash } };
}

/** Most paths whose fingerprints are kept; a gateway sees the same few paths over and over. */
const FINGERPRINT_CACHE_SIZE = 512;
/** Longer paths are fingerprinted every time rather than kept. */
const FINGERPRINT_CACHE_MAX_PATH = 256;

/**
 * Remember recent fingerprints: a fingerprint is a pure function of key and path, and each
 * one is an HMAC (~7 µs) on every audited request otherwise. Paths stay in memory only,
 * bounded in count and length; the log still sees fingerprints alone.
 */
function cachedFingerprints(
  fingerprint: (path: string) => Promise<string>,
): (path: string) => Promise<string> {
  const cache = new Map<string, string>();
  return async (path) => {
    const hit = cache.get(path);
    if (hit !== undefined) return hit;
    const value = await fingerprint(path);
    if (path.length <= FINGERPRINT_CACHE_MAX_PATH) {
      if (cache.size >= FINGERPRINT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(path, value);
    }
    return value;
  };
}
