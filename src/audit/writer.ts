/**
 * The append-only audit writer: one per log per process.
 *
 * The writer keeps the chain head (seq and hash) in memory, so an append is one hash and
 * one `write` call, with no lock file and no re-read. Concurrent `append` calls get
 * consecutive seqs in call order.
 *
 * **What "written" means.** An append resolves once the record's `write(2)` has returned:
 * the bytes are in the operating system, not necessarily on disk (`sync: true` adds an
 * fsync per record). A caller that awaits an append and refuses its request when the append
 * fails (the gateway does) therefore never forwards a request whose record the OS has not
 * accepted. Without `sync`, that write is a blocking call made inside `append` itself:
 * a page-cache write of a record costs a microsecond or two, where an async write op
 * costs a thread-pool round trip of about 100 µs, and with two records per proxied request
 * that round trip was most of the gateway's own latency and capped its throughput (the
 * chain is serial). Doing the whole append synchronously also keeps the order trivially:
 * nothing can interleave between reading the head and moving it. The price is that a
 * stalled disk stalls the event loop rather than only the requests waiting on the chain;
 * both stop the gateway from forwarding, since each request waits for its record.
 * Records are not coalesced into shared writes: a write per record is already cheap, and
 * joining them would mean either delaying a request until a batch flushes or answering
 * before its record is written. With `sync: true` appends stay asynchronous (an fsync
 * takes milliseconds and must not block the loop) and are queued on a promise chain.
 *
 * Reopening a log recovers the head from its last line, read backwards from the end of the
 * file. Only that record is checked (shape and self-hash); the full chain is the job of
 * `verifyAuditLog`, which is linear in the log's size.
 *
 * **Interrupted writes fail closed.** If the log does not end in `\n`, a write was cut off
 * (a crash or a full disk). The writer then refuses to open with `audit.chain_broken`
 * rather than guess: truncating the tail could hide a record that was removed on purpose,
 * and appending after it would bury an unparsable line mid-chain. The operator runs
 * `haechi audit-verify`, keeps the broken file as evidence and starts a new log.
 *
 * With an anchor file, opening also refuses a log that ends before the last anchor (records
 * were cut off the end), so new records cannot paper over the cut.
 *
 * Two processes must not write the same log at once: each would extend its own idea of
 * the head and the chain would fork (which `audit-verify` then reports).
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { type AppendHandle, openAppend } from "../runtime/mod.ts";
import { checkRecordLine } from "./_check_record.ts";
import { readLastLine } from "./_last_line.ts";
import { assertSafeAuditEvent } from "./event_guard.ts";
import {
  AUDIT_SCHEMA_VERSION,
  type AuditAnchor,
  type AuditEvent,
  type AuditRecord,
  GENESIS_HASH,
  MAX_RECORD_LINE_BYTES,
  toHex,
} from "./record.ts";
import { canonicalJson } from "./canonical_json.ts";
import { sha256 } from "../crypto/hmac_sha256.ts";

/** Where and how to write. The shape matches `HaechiConfig.audit`, which can be passed as is. */
export interface AuditWriterOptions {
  /** JSONL log path; created (mode 0600) when missing. */
  readonly path: string;
  /** Anchor file path; empty or absent for none. */
  readonly anchorPath?: string;
  /** Anchor every this many records; 0 (default) anchors only on close. */
  readonly anchorEvery?: number;
  /** fsync after every record (slower; survives power loss). Default false. */
  readonly sync?: boolean;
  /** Clock, for tests. */
  readonly now?: () => Date;
}

/** The last record of the chain. */
export interface AuditHead {
  /** Its seq; 0 for an empty log. */
  readonly seq: number;
  /** Its hash; `GENESIS_HASH` for an empty log. */
  readonly hash: string;
}

/** An open audit log. */
export interface AuditWriter {
  /** Head after the last completed append. */
  readonly head: AuditHead;
  /**
   * Append one event.
   *
   * @returns The record as written.
   * @throws {HaechiError} `internal` for an unsafe event (nothing is written), `audit.io`
   *   when the write fails or the writer is closed. After a failed write every later append
   *   fails too: the file may hold a partial line.
   */
  append(event: AuditEvent): Promise<AuditRecord>;
  /** Wait for queued appends, write a final anchor if the head moved, close the files. */
  close(): Promise<void>;
}

const encoder = new TextEncoder();

/**
 * Open (or create) an audit log for appending.
 *
 * @param options Paths, anchoring and clock.
 * @returns A writer positioned at the recovered head.
 * @throws {HaechiError} `audit.chain_broken` when the log ends with an incomplete or invalid
 *   record, or is shorter than its last anchor; `audit.io` when a file cannot be opened.
 *
 * @example
 * ```ts
 * import { openAuditWriter } from "./writer.ts";
 * const dir = await Deno.makeTempDir();
 * const writer = await openAuditWriter({ path: `${dir}/audit.jsonl` });
 * const record = await writer.append({
 *   kind: "scan", mode: "dry-run", correlationId: "run-1", source: "cli.scan",
 *   outcome: "clean",
 * });
 * await writer.close();
 * if (record.seq !== 1) throw new Error("first record has seq 1");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openAuditWriter(options: AuditWriterOptions): Promise<AuditWriter> {
  const anchorEvery = options.anchorEvery ?? 0;
  if (!Number.isSafeInteger(anchorEvery) || anchorEvery < 0) {
    throw new RangeError(`anchorEvery must be a non-negative integer, got ${anchorEvery}`);
  }
  const head = await recoverHead(options.path);
  if (options.anchorPath) await checkAnchorsAgainst(options.anchorPath, options.path, head);
  const log = await openOrFail(options.path);
  let anchors: AppendHandle | null = null;
  if (options.anchorPath) {
    try {
      anchors = await openOrFail(options.anchorPath);
    } catch (e) {
      log.close();
      throw e;
    }
  }
  return new Writer(log, anchors, head, {
    anchorEvery,
    sync: options.sync ?? false,
    now: options.now ?? (() => new Date()),
    path: options.path,
  });
}

class Writer implements AuditWriter {
  #log: AppendHandle;
  #anchors: AppendHandle | null;
  #head: AuditHead;
  #lastAnchoredSeq: number;
  #queue: Promise<unknown> = Promise.resolve();
  #failure: HaechiError | null = null;
  #closing: Promise<void> | null = null;
  #anchorEvery: number;
  #sync: boolean;
  #now: () => Date;
  #path: string;

  constructor(
    log: AppendHandle,
    anchors: AppendHandle | null,
    head: AuditHead,
    opts: { anchorEvery: number; sync: boolean; now: () => Date; path: string },
  ) {
    this.#log = log;
    this.#anchors = anchors;
    this.#head = head;
    // A head recovered on open may or may not have been anchored by the last run; it is
    // covered by the next anchor this run writes, since anchoring seq n vouches for 1..n.
    this.#lastAnchoredSeq = head.seq;
    this.#anchorEvery = opts.anchorEvery;
    this.#sync = opts.sync;
    this.#now = opts.now;
    this.#path = opts.path;
  }

  get head(): AuditHead {
    return this.#head;
  }

  append(event: AuditEvent): Promise<AuditRecord> {
    if (this.#closing !== null) {
      return Promise.reject(new HaechiError("audit.io", "Audit writer is closed"));
    }
    try {
      assertSafeAuditEvent(event);
    } catch (e) {
      return Promise.reject(e);
    }
    // Copy only the checked fields now, so a caller mutating its object later (or an
    // extra field) cannot change what gets written.
    const copy = snapshot(event);
    if (!this.#sync) {
      try {
        return Promise.resolve(this.#writeNow(copy));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    const result = this.#queue.then(() => this.#write(copy));
    this.#queue = result.catch(() => {});
    return result;
  }

  close(): Promise<void> {
    this.#closing ??= this.#queue.then(async () => {
      try {
        if (this.#failure === null && this.#head.seq > this.#lastAnchoredSeq) {
          if (this.#sync) await this.#writeAnchor();
          else this.#writeAnchorNow();
        }
      } finally {
        this.#log.close();
        this.#anchors?.close();
      }
    });
    return this.#closing;
  }

  /** The next record for `event`, chained to the current head. */
  #seal(event: AuditEvent): AuditRecord {
    const unsigned = {
      schemaVersion: AUDIT_SCHEMA_VERSION,
      seq: this.#head.seq + 1,
      ts: this.#now().toISOString(),
      prevHash: this.#head.hash,
      kind: event.kind,
      mode: event.mode,
      correlationId: event.correlationId,
      source: event.source,
      outcome: event.outcome,
      findings: event.findings ?? [],
      paths: event.paths ?? [],
      ...(event.details === undefined ? {} : { details: event.details }),
    };
    // `hashRecord` without its promise: same bytes (canonical JSON of every field but
    // `hash`), hashed in process. The chain tests verify these records with `hashRecord`.
    return { ...unsigned, hash: toHex(sha256(encoder.encode(canonicalRecordJson(unsigned)))) };
  }

  /** Append `event` with blocking writes (the default, `sync: false`). */
  #writeNow(event: AuditEvent): AuditRecord {
    if (this.#failure !== null) throw this.#failure;
    const record = this.#seal(event);
    this.#appendNow(this.#log, record);
    this.#head = { seq: record.seq, hash: record.hash };
    if (this.#anchorEvery > 0 && record.seq % this.#anchorEvery === 0) this.#writeAnchorNow();
    return record;
  }

  /** Append `event` and fsync, on the promise chain (`sync: true`). */
  async #write(event: AuditEvent): Promise<AuditRecord> {
    if (this.#failure !== null) throw this.#failure;
    const record = this.#seal(event);
    await this.#appendTo(this.#log, record);
    this.#head = { seq: record.seq, hash: record.hash };
    if (this.#anchorEvery > 0 && record.seq % this.#anchorEvery === 0) await this.#writeAnchor();
    return record;
  }

  #anchor(): AuditAnchor {
    return {
      schemaVersion: AUDIT_SCHEMA_VERSION,
      seq: this.#head.seq,
      hash: this.#head.hash,
      ts: this.#now().toISOString(),
    };
  }

  async #writeAnchor(): Promise<void> {
    if (this.#anchors === null) return;
    const anchor = this.#anchor();
    await this.#appendTo(this.#anchors, anchor);
    this.#lastAnchoredSeq = anchor.seq;
  }

  #writeAnchorNow(): void {
    if (this.#anchors === null) return;
    const anchor = this.#anchor();
    this.#appendNow(this.#anchors, anchor);
    this.#lastAnchoredSeq = anchor.seq;
  }

  async #appendTo(handle: AppendHandle, value: AuditRecord | AuditAnchor): Promise<void> {
    try {
      await handle.append(encoder.encode(JSON.stringify(value) + "\n"));
      await handle.sync();
    } catch (e) {
      throw this.#stop(e);
    }
  }

  #appendNow(handle: AppendHandle, value: AuditRecord | AuditAnchor): void {
    try {
      handle.appendSync(encoder.encode(JSON.stringify(value) + "\n"));
    } catch (e) {
      throw this.#stop(e);
    }
  }

  /** Stop the writer after a failed write: the file may now end in a partial line. */
  #stop(e: unknown): HaechiError {
    this.#failure = new HaechiError(
      "audit.io",
      `Cannot write audit log ${this.#path}; the writer has stopped`,
      { path: this.#path, kind: e instanceof Error ? e.name : typeof e },
    );
    return this.#failure;
  }
}

/**
 * `canonicalJson` of an unsigned record, written out for its one fixed shape: about a
 * quarter of the generic walk's cost, and each record is hashed on a proxied request's
 * path. It relies on what the event guard and `snapshot` have already ensured (known
 * fields only, scalar `details`, plain objects), and falls back to the generic walk for
 * anything else. Keys appear in UTF-16 order, as canonical JSON sorts them; a test checks
 * the two agree byte for byte.
 *
 * @param record An unsigned record (every field but `hash`), as the writer builds it.
 * @returns The same text as `canonicalJson(record)`.
 *
 * @example
 * ```ts
 * import { canonicalRecordJson } from "./writer.ts";
 * import { canonicalJson } from "./canonical_json.ts";
 * const r = { schemaVersion: 1, seq: 1, ts: "2024-05-01T00:00:00.000Z", prevHash: "0".repeat(64),
 *   kind: "scan", mode: "dry-run", correlationId: "r1", source: "cli", outcome: "clean",
 *   findings: [], paths: [], details: { z: 1, a: "x" } };
 * if (canonicalRecordJson(r) !== canonicalJson(r)) throw new Error("mismatch");
 * ```
 */
export function canonicalRecordJson(record: Readonly<Record<string, unknown>>): string {
  const r = record as Omit<AuditRecord, "hash">;
  const keys = Object.keys(record);
  if (keys.length !== (r.details === undefined ? 11 : 12)) return canonicalJson(record);
  const q = JSON.stringify;
  let out = `{"correlationId":${q(r.correlationId)}`;
  if (r.details !== undefined) {
    const names = Object.keys(r.details).sort();
    out += ',"details":{';
    for (let i = 0; i < names.length; i++) {
      const value = r.details[names[i]];
      // -0 is "0" in both; anything but a finite scalar takes the generic (refusing) path.
      if (typeof value === "number" ? !Number.isFinite(value) : typeof value === "object") {
        return canonicalJson(record);
      }
      out += `${i > 0 ? "," : ""}${q(names[i])}:${q(value)}`;
    }
    out += "}";
  }
  out += ',"findings":[';
  for (let i = 0; i < r.findings.length; i++) {
    const f = r.findings[i];
    out += `${i > 0 ? "," : ""}{"action":${q(f.action)},"count":${q(f.count)},` +
      `"ruleId":${q(f.ruleId)},"type":${q(f.type)}}`;
  }
  out += `],"kind":${q(r.kind)},"mode":${q(r.mode)},"outcome":${q(r.outcome)},"paths":[`;
  for (let i = 0; i < r.paths.length; i++) out += `${i > 0 ? "," : ""}${q(r.paths[i])}`;
  return out + `],"prevHash":${q(r.prevHash)},"schemaVersion":${q(r.schemaVersion)},` +
    `"seq":${q(r.seq)},"source":${q(r.source)},"ts":${q(r.ts)}}`;
}

function snapshot(event: AuditEvent): AuditEvent {
  const copy: AuditEvent = {
    kind: event.kind,
    mode: event.mode,
    correlationId: event.correlationId,
    source: event.source,
    outcome: event.outcome,
    findings: (event.findings ?? []).map((f) => ({
      type: f.type,
      ruleId: f.ruleId,
      action: f.action,
      count: f.count,
    })),
    paths: [...(event.paths ?? [])],
  };
  return event.details === undefined ? copy : { ...copy, details: { ...event.details } };
}

async function recoverHead(path: string): Promise<AuditHead> {
  let last;
  try {
    last = await readLastLine(path, MAX_RECORD_LINE_BYTES);
  } catch (e) {
    if (e instanceof TypeError) throw brokenTail(path, "its last line is not valid UTF-8");
    throw new HaechiError("audit.io", `Cannot read audit log ${path}`, {
      path,
      kind: e instanceof Error ? e.name : typeof e,
    });
  }
  switch (last.kind) {
    case "empty":
      return { seq: 0, hash: GENESIS_HASH };
    case "partial":
      throw brokenTail(path, "it ends with an incomplete record (an earlier write was cut off)");
    case "too-long":
      throw brokenTail(path, "its last line is longer than any record");
  }
  const check = await checkRecordLine(last.text);
  if (!check.ok) throw brokenTail(path, `its last record is invalid (${check.reason})`);
  return { seq: check.record.seq, hash: check.record.hash };
}

// The last anchor must not be ahead of the log: extending a log whose tail was cut off
// would hide the cut behind fresh records. Anchors only vouch for the past, so an anchor
// behind the head is normal (the last run may have stopped before anchoring).
async function checkAnchorsAgainst(anchorPath: string, path: string, head: AuditHead) {
  let last;
  try {
    last = await readLastLine(anchorPath, MAX_RECORD_LINE_BYTES);
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

function brokenTail(path: string, why: string): HaechiError {
  return new HaechiError(
    "audit.chain_broken",
    `Audit log ${path} cannot be extended: ${why}. Run "haechi audit-verify --audit ${path}" ` +
      "to inspect it, keep the file as evidence and start a new log.",
    { path },
  );
}

async function openOrFail(path: string): Promise<AppendHandle> {
  try {
    return await openAppend(path, 0o600);
  } catch (e) {
    throw new HaechiError("audit.io", `Cannot open audit file ${path} for appending`, {
      path,
      kind: e instanceof Error ? e.name : typeof e,
    });
  }
}
