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
  buildAuditEventSync,
  createPathFingerprinterSync,
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
  const fingerprint = cachedFingerprints(createPathFingerprinterSync(hmacKey));
  const ignore = () => {};
  return {
    mode,
    // Built and handed to the writer in this call: the writer then holds the append, and its
    // `close` writes every append it holds, so no record outlives the sink unwritten.
    record(input: AuditInput) {
      let appended;
      try {
        const details = input.callerScope === undefined ? input.details : {
          ...input.details,
          callerHash: fingerprint(CALLER_PREFIX + input.callerScope),
        };
        appended = writer.append(buildAuditEventSync({
          kind: input.kind,
          mode,
          correlationId: input.correlationId,
          source,
          outcome: input.outcome,
          findings: input.findings,
          details,
        }, fingerprint));
      } catch (e) {
        return Promise.reject(e);
      }
      return appended.then(ignore);
    },
    close: () => writer.close(),
  };
}

// The same HMAC key as paths, over a prefix no JSON path starts with: a caller's
// fingerprint never equals a path's.
const CALLER_PREFIX = "caller\u0000";

/** Most paths whose fingerprints are kept; a gateway sees the same few paths over and over. */
const FINGERPRINT_CACHE_SIZE = 512;
/** Longer paths are fingerprinted every time rather than kept. */
const FINGERPRINT_CACHE_MAX_PATH = 256;

/**
 * Remember recent fingerprints: a fingerprint is a pure function of key and path, and each
 * one is an HMAC (~7 µs) on every audited request otherwise. Paths stay in memory only,
 * bounded in count and length; the log still sees fingerprints alone.
 */
function cachedFingerprints(fingerprint: (path: string) => string): (path: string) => string {
  const cache = new Map<string, string>();
  return (path) => {
    const hit = cache.get(path);
    if (hit !== undefined) return hit;
    const value = fingerprint(path);
    if (path.length <= FINGERPRINT_CACHE_MAX_PATH) {
      if (cache.size >= FINGERPRINT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(path, value);
    }
    return value;
  };
}
