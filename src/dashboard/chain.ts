/**
 * Chain status for the dashboard: `verifyAuditLog`, run in a worker off the serving
 * thread, at most once per state of the log and anchor file (size and modification time),
 * never twice at once, and resting twice its duration before the next. A walk never holds a
 * request that has a verdict to give: the last known one comes back at once, marked as
 * checking, and the page asks again. Only the request that starts the first walk waits
 * (up to its limit), so a small log answers with its verdict straight away.
 *
 * @module
 */
import { verifyAuditLog, type VerifyAuditResult } from "../audit/mod.ts";
import { fileStamp } from "../runtime/mod.ts";

/** What `/api/chain` reports. The verifier's reason text is never passed on. */
export interface ChainStatus {
  /** True intact, false broken, null not known (still checking, or unreadable). */
  readonly valid: boolean | null;
  /** A walk is running for the current state of the log. */
  readonly checking: boolean;
  /** This verdict is for an earlier state of the log (re-checked shortly, or now). */
  readonly stale: boolean;
  /** Records verified. */
  readonly records: number;
  /** While checking: records the running walk has verified so far. */
  readonly progress: number;
  /** Seq of the last verified record. */
  readonly headSeq: number;
  /** Hash of the last verified record. */
  readonly headHash: string;
  /** First record the chain fails to vouch for, when broken. */
  readonly firstBadSeq: number | null;
  /** Records were cut off the end (an anchor points past the log). */
  readonly truncationDetected: boolean;
  /** Whether an anchor file is checked. */
  readonly anchored: boolean;
  /** Anchors matched. */
  readonly anchorsChecked: number;
  /** Log size the verdict is for. */
  readonly size: number;
  /** True when the log or anchor file could not be read. */
  readonly unreadable: boolean;
}

/** Cached chain verification for one log. */
export interface ChainChecker {
  /** Current status; waits at most `waitMs` for a walk, and only when nothing is known yet. */
  status(waitMs: number): Promise<ChainStatus>;
  /** Whether a verdict for the log as it is now is cached (no walk needed). */
  fresh(): Promise<boolean>;
}

interface Cached {
  readonly key: string;
  readonly status: ChainStatus;
}

/**
 * A checker for `path` (and `anchorPath`, when given).
 *
 * @example
 * ```ts
 * import { openAuditWriter } from "../audit/mod.ts";
 * import { createChainChecker } from "./chain.ts";
 * const dir = await Deno.makeTempDir();
 * const w = await openAuditWriter({ path: `${dir}/a.jsonl` });
 * await w.append({ kind: "scan", mode: "enforce", correlationId: "c", source: "cli", outcome: "clean" });
 * await w.close();
 * const s = await createChainChecker(`${dir}/a.jsonl`, null).status(10_000);
 * if (s.valid !== true || s.headSeq !== 1) throw new Error("valid");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function createChainChecker(path: string, anchorPath: string | null): ChainChecker {
  let cached: Cached | null = null;
  let running: { key: string; done: Promise<void> } | null = null;
  let progress = 0;
  // A log that keeps growing would otherwise be re-walked back to back; after a walk of
  // D ms the next starts no sooner than 2·D ms after it ended, so checking takes at most
  // a third of a core however busy the gateway is.
  let restAfter = 0;

  const stampKey = async (): Promise<{ key: string; size: number }> => {
    const [log, anchor] = await Promise.all([
      fileStamp(path).catch(() => null),
      anchorPath === null ? null : fileStamp(anchorPath).catch(() => null),
    ]);
    const part = (s: { size: number; mtimeMs: number } | null) =>
      s === null ? "-" : `${s.size}:${s.mtimeMs}`;
    return { key: `${part(log)}|${part(anchor)}`, size: log?.size ?? 0 };
  };

  const walk = async (key: string, size: number): Promise<void> => {
    const started = Date.now();
    let status: ChainStatus;
    try {
      const r = await verify(path, anchorPath, (n) => progress = n);
      status = {
        valid: r.ok,
        checking: false,
        stale: false,
        records: r.records,
        progress: 0,
        headSeq: r.headSeq,
        headHash: r.headHash,
        firstBadSeq: r.broken?.seq ?? null,
        truncationDetected: r.broken?.reason === "truncated",
        anchored: anchorPath !== null,
        anchorsChecked: r.anchorsChecked,
        size,
        unreadable: false,
      };
    } catch {
      status = { ...UNKNOWN, anchored: anchorPath !== null, unreadable: true, size };
    }
    cached = { key, status };
    const ended = Date.now();
    restAfter = ended + 2 * (ended - started);
  };

  const startWalk = (key: string, size: number): Promise<void> => {
    progress = 0;
    const done = walk(key, size).finally(() => running = null);
    running = { key, done };
    return done;
  };

  return {
    async fresh() {
      return cached !== null && cached.key === (await stampKey()).key;
    },
    async status(waitMs) {
      const { key, size } = await stampKey();
      if (cached?.key === key) return cached.status;
      if (running === null && cached !== null && Date.now() < restAfter) {
        return { ...cached.status, stale: true, checking: false };
      }
      // A live log changes all the time; with a verdict in hand, answer with it at once
      // (marked as re-checking) instead of holding the request for a walk. Only the request
      // that starts the first walk waits, so a small log answers with its verdict.
      const known: Cached | null = cached;
      if (running !== null || known !== null) {
        if (running === null) startWalk(key, size);
        return known !== null
          ? { ...known.status, checking: true, stale: true, progress }
          : { ...UNKNOWN, anchored: anchorPath !== null, checking: true, size, progress };
      }
      const walking = startWalk(key, size);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        walking,
        new Promise<void>((resolve) => timer = setTimeout(resolve, waitMs)),
      ]);
      clearTimeout(timer);
      const now: Cached | null = cached;
      if (now !== null && now.key === key) return now.status;
      if (now !== null) return { ...now.status, checking: true, stale: true, progress };
      return { ...UNKNOWN, anchored: anchorPath !== null, checking: true, size, progress };
    },
  };
}

class WorkerUnavailable extends Error {}

/**
 * Verify in a worker so the walk never competes with requests on the serving thread. Where
 * no worker can start (a runtime or build without module workers), verify here instead,
 * pausing for a timer turn every few hundred records so requests still get through.
 */
async function verify(
  path: string,
  anchorPath: string | null,
  onProgress: (records: number) => void,
): Promise<VerifyAuditResult> {
  try {
    return await verifyInWorker(path, anchorPath, onProgress);
  } catch (e) {
    if (!(e instanceof WorkerUnavailable)) throw e;
  }
  return await verifyAuditLog({
    path,
    anchorPath: anchorPath ?? undefined,
    onProgress: (n) => {
      onProgress(n);
      return new Promise((resolve) => setTimeout(resolve, 0));
    },
  });
}

function verifyInWorker(
  path: string,
  anchorPath: string | null,
  onProgress: (records: number) => void,
): Promise<VerifyAuditResult> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL("./chain_worker.ts", import.meta.url).href, { type: "module" });
    } catch {
      reject(new WorkerUnavailable());
      return;
    }
    worker.onmessage = (e: MessageEvent) => {
      const m = e.data as { type: string; records?: number; result?: VerifyAuditResult };
      if (m.type === "progress") {
        onProgress(m.records ?? 0);
        return;
      }
      worker.terminate();
      if (m.type === "done" && m.result !== undefined) resolve(m.result);
      else reject(new Error("Audit log is not readable"));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      reject(new WorkerUnavailable());
    };
    worker.postMessage({ path, anchorPath });
  });
}

const UNKNOWN: ChainStatus = {
  valid: null,
  checking: false,
  stale: false,
  records: 0,
  progress: 0,
  headSeq: 0,
  headHash: "0".repeat(64),
  firstBadSeq: null,
  truncationDetected: false,
  anchored: false,
  anchorsChecked: 0,
  size: 0,
  unreadable: false,
};
