/**
 * The audit log as a file the writer opens: opening and locking it with failures mapped to
 * `audit.*` errors, and recovering the chain's head from its last line.
 *
 * Only the last record is checked (shape and self-hash), and with an anchor file, that the
 * log does not end before the last anchor; the full chain is `verifyAuditLog`'s job.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import type { SharedAppendFile } from "../runtime/mod.ts";
import { checkRecordLineSync } from "./_check_record.ts";
import { readLastLine } from "./_last_line.ts";
import { type AuditAnchor, GENESIS_HASH, MAX_RECORD_LINE_BYTES } from "./record.ts";
import type { AuditHead } from "./writer.ts";

/**
 * The head at the end of `log`, with the size it was read at; with `anchors`, also check
 * that the log does not end before the last anchor.
 */
export function recoverHead(
  log: SharedAppendFile,
  anchors: SharedAppendFile | null,
): { head: AuditHead; size: number } {
  const path = log.path;
  let last;
  try {
    last = readLastLine(log, MAX_RECORD_LINE_BYTES);
  } catch (e) {
    if (e instanceof TypeError) throw brokenTail(path, "its last line is not valid UTF-8");
    throw new HaechiError("audit.io", `Cannot read audit log ${path}`, {
      path,
      kind: e instanceof Error ? e.name : typeof e,
    });
  }
  let start: { head: AuditHead; size: number };
  switch (last.kind) {
    case "empty":
      start = { head: { seq: 0, hash: GENESIS_HASH }, size: 0 };
      break;
    case "partial":
      throw brokenTail(path, "it ends with an incomplete record (an earlier write was cut off)");
    case "too-long":
      throw brokenTail(path, "its last line is longer than any record");
    case "line": {
      const check = checkRecordLineSync(last.text);
      if (!check.ok) throw brokenTail(path, `its last record is invalid (${check.reason})`);
      start = { head: { seq: check.record.seq, hash: check.record.hash }, size: last.size };
    }
  }
  if (anchors !== null) checkAnchorsAgainst(anchors, path, start.head);
  return start;
}

// The last anchor must not be ahead of the log: extending a log whose tail was cut off
// would hide the cut behind fresh records. Anchors only vouch for the past, so an anchor
// behind the head is normal (the last run may have stopped before anchoring).
function checkAnchorsAgainst(anchors: SharedAppendFile, path: string, head: AuditHead) {
  const anchorPath = anchors.path;
  let last;
  try {
    last = readLastLine(anchors, MAX_RECORD_LINE_BYTES);
  } catch {
    throw brokenTail(path, `its anchor file ${anchorPath} cannot be read`);
  }
  if (last.kind === "empty") return;
  if (last.kind !== "line") {
    throw brokenTail(path, `its anchor file ${anchorPath} ends with an incomplete anchor`);
  }
  let anchor: Partial<AuditAnchor> | null = null;
  try {
    anchor = JSON.parse(last.text);
  } catch {
    // handled below
  }
  if (typeof anchor?.seq !== "number" || typeof anchor.hash !== "string") {
    throw brokenTail(path, `the last line of its anchor file ${anchorPath} is not an anchor`);
  }
  if (anchor.seq > head.seq || (anchor.seq === head.seq && anchor.hash !== head.hash)) {
    throw brokenTail(
      path,
      `its anchor file ${anchorPath} vouches for seq ${anchor.seq} but the log ends at seq ` +
        `${head.seq} with a different history (records were removed)`,
    );
  }
}

export function brokenTail(path: string, why: string): HaechiError {
  return new HaechiError(
    "audit.chain_broken",
    `Audit log ${path} cannot be extended: ${why}. Run "haechi audit-verify --audit ${path}" ` +
      "to inspect it, keep the file as evidence and start a new log.",
    { path },
  );
}

/** Open a log or anchor file, mapping failures to `audit.io`. */
export function openOrFail<T extends SharedAppendFile | Promise<SharedAppendFile>>(
  path: string,
  open: (path: string, mode: number) => T,
): T {
  const fail = (e: unknown) =>
    new HaechiError("audit.io", `Cannot open audit file ${path} for appending`, {
      path,
      kind: e instanceof Error ? e.name : typeof e,
    });
  let opened: T;
  try {
    opened = open(path, 0o600);
  } catch (e) {
    throw fail(e);
  }
  if (opened instanceof Promise) {
    return opened.catch((e) => {
      throw fail(e);
    }) as T;
  }
  return opened;
}

/** Take the log's lock, mapping failures to `audit.io` (or to `onError`'s error). */
export function lockOrFail<T extends void | Promise<void>>(
  log: SharedAppendFile,
  lock: () => T,
  onError?: (e: unknown) => HaechiError,
): T {
  const fail = (e: unknown) =>
    onError?.(e) ??
      new HaechiError("audit.io", `Cannot lock audit log ${log.path}`, {
        path: log.path,
        kind: e instanceof Error ? e.name : typeof e,
      });
  let result: T;
  try {
    result = lock();
  } catch (e) {
    throw fail(e);
  }
  if (result instanceof Promise) {
    return result.catch((e) => {
      throw fail(e);
    }) as T;
  }
  return result;
}
