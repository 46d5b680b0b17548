/**
 * The append-only audit writer: any number of processes may write one log at once.
 *
 * **Many writers, one chain.** The gateway, `mcp-wrap` and the token commands often share
 * a log. Every append takes an exclusive OS lock on the log file (`flock`, released by the
 * kernel if the holder dies, so a `kill -9` cannot wedge the others), checks whether the
 * file grew since this writer's last append and, if it did, reads the new head from the
 * file's last line before sealing its record on top. The check compares the file's size
 * (one `lseek`) with the size this writer left it at, so a writer alone pays the lock, the
 * `lseek` and its write, a few microseconds; reading the head again costs one block read
 * when another process appended.
 * Concurrent `append` calls within a process get consecutive seqs in call order.
 *
 * **Rotation.** Appends also check (at most once a second, `rotationCheckMs`) that the
 * configured path still names the open file. Once an operator has moved the log (and its
 * anchor file) aside, the next check opens a fresh log at the path, runs the same checks as
 * opening does, and continues there; the moved file keeps a complete chain of its own, and
 * so does the new one, since each file has its own lock.
 *
 * **What "written" means.** An append resolves once the record's `write(2)` has returned:
 * the bytes are in the operating system, not necessarily on disk (`sync: true` adds an
 * fsync per record). A caller that awaits an append and refuses its request when the append
 * fails (the gateway does) therefore never forwards a request whose record the OS has not
 * accepted. Without `sync`, appends are written with blocking calls (lock, head check,
 * write, unlock: each about a microsecond, where an async op costs a thread-pool round trip
 * of about 100 µs) at the end of the event-loop turn that made them (`setImmediate`): the
 * appends of one turn share one lock, one head check and one `write(2)`, and each resolves
 * once that write has returned. With two records per proxied request and several requests
 * finishing per turn under load, the per-append syscalls were a sixth of the gateway's
 * own CPU. The turn's order is the call order, and nothing in this process can interleave
 * between reading the head and moving it. The price is that a stalled disk, or another
 * process holding the lock, stalls the event loop rather than only the requests waiting on
 * the chain; both stop the gateway from forwarding, since each request waits for its
 * record. With `sync: true` appends stay asynchronous (an fsync takes milliseconds and must
 * not block the loop): they are queued on a promise chain and wait for the lock without
 * blocking.
 *
 * Opening recovers the head from the last line, read backwards from the end of the file.
 * Only that record is checked (shape and self-hash); the full chain is the job of
 * `verifyAuditLog`, which is linear in the log's size.
 *
 * **Interrupted writes fail closed.** If the log does not end in `\n`, a write was cut off
 * (a crash or a full disk). The writer then refuses to open (or to append, once it sees
 * that) with `audit.chain_broken` rather than guess: truncating the tail could hide a
 * record that was removed on purpose, and appending after it would bury an unparsable line
 * mid-chain. The operator runs `haechi audit-verify`, keeps the broken file as evidence and
 * starts a new log. A log that shrinks under an open writer is refused the same way.
 *
 * With an anchor file, opening also refuses a log that ends before the last anchor (records
 * were cut off the end), so new records cannot paper over the cut. Anchors are written
 * under the log's lock, so anchors from several writers stay in seq order.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { openSharedAppend, openSharedAppendSync, type SharedAppendFile } from "../runtime/mod.ts";
import { brokenTail, lockOrFail, openOrFail, recoverHead } from "./_log_file.ts";
import { assertSafeAuditEvent } from "./event_guard.ts";
import {
  AUDIT_SCHEMA_VERSION,
  type AuditAnchor,
  type AuditEvent,
  type AuditRecord,
} from "./record.ts";
import { encodeEvent, type EventText, sealEvent } from "./record_text.ts";

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
  /**
   * Look for a rotated log (the path naming a new file) at most this often, in ms; default
   * 1000. Each look is a `stat` of the path, the dearest part of an append otherwise, and
   * records written in the meantime still land in a valid chain: the moved file's. Tests
   * pass 0 to look on every append.
   */
  readonly rotationCheckMs?: number;
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
  const paths = { log: options.path, anchors: options.anchorPath || null };
  const log = await openOrFail(paths.log, openSharedAppend);
  let anchors: SharedAppendFile | null = null;
  let start: { head: AuditHead; size: number };
  try {
    if (paths.anchors !== null) anchors = await openOrFail(paths.anchors, openSharedAppend);
    // Waiting without blocking: another writer may hold the lock across an fsync.
    await lockOrFail(log, () => log.lock());
    try {
      start = recoverHead(log, anchors);
    } finally {
      log.unlockSync();
    }
  } catch (e) {
    log.close();
    anchors?.close();
    throw e;
  }
  return new Writer(log, anchors, start, {
    anchorEvery,
    sync: options.sync ?? false,
    now: options.now ?? (() => new Date()),
    paths,
    rotationCheckMs: options.rotationCheckMs ?? 1000,
  });
}

class Writer implements AuditWriter {
  #log: SharedAppendFile;
  #anchors: SharedAppendFile | null;
  #head: AuditHead;
  /** Size this writer last saw the log at, under the lock; a change means another writer. */
  #size: number;
  /** Whether this writer appended records that no anchor covers yet. */
  #unanchored = false;
  #queue: Promise<unknown> = Promise.resolve();
  /** Appends accepted since the last write (`sync: false`), written together. */
  #batch: {
    text: EventText;
    resolve: (record: AuditRecord) => void;
    reject: (e: unknown) => void;
  }[] = [];
  #failure: HaechiError | null = null;
  #closing: Promise<void> | null = null;
  #anchorEvery: number;
  #sync: boolean;
  #now: () => Date;
  #paths: { log: string; anchors: string | null };
  #rotationCheckMs: number;
  /** `performance.now()` of the last check for a rotated log. */
  #rotationCheckedAt: number;

  constructor(
    log: SharedAppendFile,
    anchors: SharedAppendFile | null,
    start: { head: AuditHead; size: number },
    opts: {
      anchorEvery: number;
      sync: boolean;
      now: () => Date;
      paths: { log: string; anchors: string | null };
      rotationCheckMs: number;
    },
  ) {
    this.#log = log;
    this.#anchors = anchors;
    this.#head = start.head;
    this.#size = start.size;
    this.#anchorEvery = opts.anchorEvery;
    this.#sync = opts.sync;
    this.#now = opts.now;
    this.#paths = opts.paths;
    this.#rotationCheckMs = opts.rotationCheckMs;
    this.#rotationCheckedAt = performance.now();
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
    // extra field) cannot change what gets written; its values are encoded once, here.
    const text = encodeEvent(snapshot(event));
    if (!this.#sync) {
      return new Promise((resolve, reject) => {
        this.#batch.push({ text, resolve, reject });
        if (this.#batch.length === 1) setImmediate(() => this.#flush());
      });
    }
    const result = this.#queue.then(() => this.#write(text));
    this.#queue = result.catch(() => {});
    return result;
  }

  close(): Promise<void> {
    // Appends already accepted are written before the files close.
    this.#flush();
    this.#closing ??= this.#queue.then(async () => {
      try {
        if (this.#failure === null && this.#unanchored && this.#anchors !== null) {
          await lockOrFail(this.#log, () => this.#log.lock(), (e) => this.#stop(e));
          try {
            this.#catchUp();
            if (this.#sync) await this.#writeAnchor();
            else this.#writeAnchorNow();
          } finally {
            this.#unlock();
          }
        }
      } finally {
        this.#log.close();
        this.#anchors?.close();
      }
    });
    return this.#closing;
  }

  /**
   * Bring the head up to date under the lock: follow a rotated log to its new file, and
   * read the head again when another writer appended since this one last did.
   */
  #catchUp(): void {
    let size;
    try {
      const now = performance.now();
      if (now - this.#rotationCheckedAt >= this.#rotationCheckMs) {
        this.#rotationCheckedAt = now;
        if (!this.#log.isAtPathSync()) {
          this.#reopen();
          return;
        }
      }
      size = this.#log.sizeSync();
    } catch (e) {
      throw this.#halt(e);
    }
    if (size === this.#size) return;
    if (size < this.#size) {
      throw this.#halt(brokenTail(this.#paths.log, "it became shorter while being written"));
    }
    try {
      const start = recoverHead(this.#log, null);
      this.#head = start.head;
      this.#size = start.size;
    } catch (e) {
      throw this.#halt(e);
    }
  }

  /** Move to the file now at the configured path, checked as on open, keeping the lock. */
  #reopen(): void {
    let log: SharedAppendFile | null = null;
    let anchors: SharedAppendFile | null = null;
    let start;
    try {
      log = openOrFail(this.#paths.log, openSharedAppendSync);
      if (this.#paths.anchors !== null) {
        anchors = openOrFail(this.#paths.anchors, openSharedAppendSync);
      }
      const opened = log;
      lockOrFail(opened, () => opened.lockSync());
      start = recoverHead(log, anchors);
    } catch (e) {
      log?.close();
      anchors?.close();
      throw this.#halt(e);
    }
    // Closing the old file releases its lock; the new one is held until the append ends.
    this.#log.close();
    this.#anchors?.close();
    this.#log = log;
    this.#anchors = anchors;
    this.#head = start.head;
    this.#size = start.size;
    this.#unanchored = false;
  }

  #unlock(): void {
    try {
      this.#log.unlockSync();
    } catch {
      // Unlocking a file we hold cannot fail short of the file being gone; closing it (on
      // close or the next rotation) releases the lock regardless.
    }
  }

  /** Write the appends accepted so far in this turn (the default, `sync: false`). */
  #flush(): void {
    const batch = this.#batch;
    if (batch.length === 0) return;
    this.#batch = [];
    const records: AuditRecord[] = [];
    // As appended one by one: an append whose record (and the anchor after it, if one was
    // due) was written before a write failed resolves; only the rest fail.
    let done = 0;
    try {
      this.#writeNow(batch.map((b) => b.text), records, (n) => done = n);
    } catch (e) {
      for (let i = 0; i < batch.length; i++) {
        if (i < done) batch[i].resolve(records[i]);
        else batch[i].reject(e);
      }
      return;
    }
    for (let i = 0; i < batch.length; i++) batch[i].resolve(records[i]);
  }

  /**
   * Append `texts` in order with blocking calls: one lock, one head check and, between
   * anchors, one write for all of them. Sealed records are pushed to `records`; `written`
   * is told how many of them are completely written each time that number grows.
   */
  #writeNow(
    texts: readonly EventText[],
    records: AuditRecord[],
    written: (n: number) => void,
  ): void {
    if (this.#failure !== null) throw this.#failure;
    lockOrFail(this.#log, () => this.#log.lockSync(), (e) => this.#stop(e));
    try {
      this.#catchUp();
      let lines = "";
      let head = this.#head;
      // One write, one time of writing.
      const ts = this.#now().toISOString();
      for (const text of texts) {
        const { record, line } = sealEvent(text, head, ts);
        records.push(record);
        lines += line + "\n";
        head = { seq: record.seq, hash: record.hash };
        // An anchor names the record it follows, so the lines up to it are written first.
        if (this.#anchorEvery > 0 && record.seq % this.#anchorEvery === 0) {
          this.#commitNow(lines, head);
          lines = "";
          // The anchor belongs to this record's append, as when appends were written alone.
          written(records.length - 1);
          this.#writeAnchorNow();
          written(records.length);
        }
      }
      if (lines !== "") this.#commitNow(lines, head);
      written(records.length);
    } finally {
      this.#unlock();
    }
  }

  /** Write sealed `lines` whose last record is `head`, and move the head there. */
  #commitNow(lines: string, head: AuditHead): void {
    const bytes = encoder.encode(lines);
    this.#appendNow(this.#log, bytes);
    this.#size += bytes.length;
    this.#head = head;
    this.#unanchored = true;
  }

  /** Append `event` and fsync, on the promise chain (`sync: true`). */
  async #write(text: EventText): Promise<AuditRecord> {
    if (this.#failure !== null) throw this.#failure;
    await lockOrFail(this.#log, () => this.#log.lock(), (e) => this.#stop(e));
    try {
      this.#catchUp();
      const { record, line } = sealEvent(text, this.#head, this.#now().toISOString());
      const bytes = encoder.encode(line + "\n");
      await this.#appendTo(this.#log, bytes);
      this.#size += bytes.length;
      this.#head = { seq: record.seq, hash: record.hash };
      this.#unanchored = true;
      if (this.#anchorEvery > 0 && record.seq % this.#anchorEvery === 0) {
        await this.#writeAnchor();
      }
      return record;
    } finally {
      this.#unlock();
    }
  }

  #anchorBytes(): Uint8Array {
    const anchor: AuditAnchor = {
      schemaVersion: AUDIT_SCHEMA_VERSION,
      seq: this.#head.seq,
      hash: this.#head.hash,
      ts: this.#now().toISOString(),
    };
    return encoder.encode(JSON.stringify(anchor) + "\n");
  }

  async #writeAnchor(): Promise<void> {
    if (this.#anchors === null) return;
    await this.#appendTo(this.#anchors, this.#anchorBytes());
    this.#unanchored = false;
  }

  #writeAnchorNow(): void {
    if (this.#anchors === null) return;
    this.#appendNow(this.#anchors, this.#anchorBytes());
    this.#unanchored = false;
  }

  async #appendTo(file: SharedAppendFile, bytes: Uint8Array): Promise<void> {
    try {
      await file.append(bytes);
      await file.sync();
    } catch (e) {
      throw this.#stop(e);
    }
  }

  #appendNow(file: SharedAppendFile, bytes: Uint8Array): void {
    try {
      file.appendSync(bytes);
    } catch (e) {
      throw this.#stop(e);
    }
  }

  /** Stop the writer after a failed write: the file may now end in a partial line. */
  #stop(e: unknown): HaechiError {
    this.#failure = new HaechiError(
      "audit.io",
      `Cannot write audit log ${this.#paths.log}; the writer has stopped`,
      { path: this.#paths.log, kind: e instanceof Error ? e.name : typeof e },
    );
    return this.#failure;
  }

  /** Stop the writer with `e` when it is a chain error, else as a failed write. */
  #halt(e: unknown): HaechiError {
    if (e instanceof HaechiError) {
      this.#failure = e;
      return e;
    }
    return this.#stop(e);
  }
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
