/**
 * The host side of the plugin sandbox: one `deno run` child with no permissions, spoken
 * to in newline-delimited JSON over stdio.
 *
 * Isolation comes from the child's flags, not from trust in the plugin: `--no-prompt`
 * (a permission request fails instead of asking), `--no-remote`, `--no-npm`,
 * `--no-config` and no `--allow-*` at all; a cleared environment; a V8 heap cap. The
 * trusted runner (`_runner.ts`) is the main module and imports the plugin from a `blob:`
 * URL, because a plugin run as the main module could read local files through static
 * imports, which Deno grants to the module graph without a permission check.
 *
 * Every call has a deadline; a child that misses it is killed (so an infinite loop costs
 * one timeout), and a reply line over the size cap kills it too. The child is started on
 * first use and restarted after a failure, through a {@linkcode CircuitBreaker}.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { type ChildProcess, readLines, spawnChild } from "../runtime/mod.ts";
import { CircuitBreaker } from "./breaker.ts";

/**
 * Path of the trusted runner file beside this module, or null when the code does not run
 * from files on disk (a compiled binary), where no child can be pointed at it.
 *
 * @example
 * ```ts
 * import { defaultRunnerPath } from "./sandbox.ts";
 * if (!defaultRunnerPath()?.endsWith("_runner.ts")) throw new Error("runner beside sandbox");
 * ```
 */
export function defaultRunnerPath(): string | null {
  const url = new URL("./_runner.ts", import.meta.url);
  return url.protocol === "file:" ? fileURLToPath(url) : null;
}

/** Why a call produced no value. */
export type SandboxFailure =
  | "timeout"
  | "crashed"
  | "reply-too-large"
  | "protocol"
  | "threw"
  | "breaker-open"
  | "load-failed"
  | "spawn-failed"
  | "closed";

/** A call's outcome. */
export type SandboxResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly failure: SandboxFailure };

/** How to run the child. */
export interface SandboxOptions {
  /** Deno executable. */
  readonly denoPath: string;
  /**
   * Path of the trusted runner file (`_runner.ts`), or a function that answers it before
   * each start (a materialised runner, verified every time: `runner_file.ts`).
   */
  readonly runnerPath: string | (() => Promise<string>);
  /** The verified plugin source text. */
  readonly source: string;
  /** Per-call deadline in ms. */
  readonly timeoutMs: number;
  /** Deadline for start-up (spawn, load, `ready`), in ms; default max(timeoutMs, 10 s). */
  readonly startTimeoutMs?: number;
  /** V8 old-space cap in MiB. */
  readonly maxHeapMb: number;
  /** Largest reply line in bytes. */
  readonly maxReplyBytes: number;
  /** Shared breaker; a fresh default one otherwise. */
  readonly breaker?: CircuitBreaker;
  /** Told about every child start and end, for audit. */
  readonly onEvent?: (event: SandboxEvent) => void;
}

/** Lifecycle facts for audit. */
export type SandboxEvent =
  | { readonly kind: "spawned"; readonly pid: number }
  | { readonly kind: "ready"; readonly pid: number }
  | { readonly kind: "killed"; readonly pid: number; readonly failure: SandboxFailure }
  | { readonly kind: "exited"; readonly pid: number; readonly code: number };

/**
 * The `deno run` arguments for a sandboxed child. Exported so tests can check that no
 * permission flag ever slips in.
 *
 * @example
 * ```ts
 * import { sandboxArgs } from "./sandbox.ts";
 * const args = sandboxArgs("/r.ts", 64);
 * if (args.some((a) => a.startsWith("--allow") || a === "-A")) throw new Error("no grants");
 * ```
 */
export function sandboxArgs(runnerPath: string, maxHeapMb: number): string[] {
  return [
    "run",
    "--quiet",
    "--no-prompt",
    "--no-remote",
    "--no-npm",
    "--no-config",
    "--no-lock",
    `--v8-flags=--max-old-space-size=${maxHeapMb}`,
    runnerPath,
  ];
}

interface Pending {
  resolve(result: SandboxResult): void;
  timer: ReturnType<typeof setTimeout>;
}

interface Live {
  readonly child: ChildProcess;
  readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly pending: Map<number, Pending>;
  ready: Promise<boolean>;
  dead: boolean;
}

const encoder = new TextEncoder();

/**
 * A restartable sandboxed plugin process.
 *
 * @example
 * ```ts ignore
 * const box = new PluginSandbox({ denoPath, runnerPath, source, timeoutMs: 2000,
 *   maxHeapMb: 64, maxReplyBytes: 65536 });
 * const r = await box.call("authenticate", { headers: {} });
 * await box.close();
 * ```
 */
export class PluginSandbox {
  readonly #options: SandboxOptions;
  readonly #breaker: CircuitBreaker;
  #live: Live | null = null;
  #nextId = 1;
  #closed = false;
  #starting: Promise<{ ok: true; live: Live } | { ok: false; failure: SandboxFailure }> | null =
    null;

  /** @param options Executable, runner, source and limits. */
  constructor(options: SandboxOptions) {
    this.#options = options;
    this.#breaker = options.breaker ?? new CircuitBreaker();
  }

  /** The breaker guarding restarts. */
  get breaker(): CircuitBreaker {
    return this.#breaker;
  }

  /** Pid of the running child, or null. */
  get pid(): number | null {
    return this.#live !== null && !this.#live.dead ? this.#live.child.pid : null;
  }

  /**
   * Call an exported function of the plugin.
   *
   * @param method Function name, e.g. `authenticate`.
   * @param arg JSON-compatible argument.
   * @returns The value, or why there is none; never throws.
   */
  async call(method: string, arg: unknown): Promise<SandboxResult> {
    if (this.#closed) return { ok: false, failure: "closed" };
    let live = this.#live;
    if (live === null || live.dead) {
      // Concurrent first calls share one start: the runner check before the spawn yields.
      if (this.#starting === null) {
        if (!this.#breaker.allow()) return { ok: false, failure: "breaker-open" };
        this.#starting = this.#start().finally(() => (this.#starting = null));
      }
      const started = await this.#starting;
      if (!started.ok) return started;
      live = started.live;
      if (!await live.ready) {
        return { ok: false, failure: live.dead ? this.#deathReason(live) : "load-failed" };
      }
    } else if (!await live.ready) {
      return { ok: false, failure: "load-failed" };
    }
    const id = this.#nextId++;
    const result = await new Promise<SandboxResult>((resolve) => {
      const timer = setTimeout(() => this.#kill(live, "timeout"), this.#options.timeoutMs);
      live.pending.set(id, { resolve, timer });
      this.#write(live, { t: "call", id, method, arg });
    });
    if (result.ok || result.failure === "threw") this.#breaker.success();
    return result;
  }

  /** Kill the child and refuse further calls. */
  async close(): Promise<void> {
    this.#closed = true;
    const live = this.#live;
    if (live !== null && !live.dead) {
      this.#kill(live, "closed");
      await live.child.status;
    }
  }

  #deathFailure = new WeakMap<Live, SandboxFailure>();

  #deathReason(live: Live): SandboxFailure {
    return this.#deathFailure.get(live) ?? "crashed";
  }

  async #start(): Promise<{ ok: true; live: Live } | { ok: false; failure: SandboxFailure }> {
    const o = this.#options;
    let child: ChildProcess;
    try {
      const runner = typeof o.runnerPath === "string" ? o.runnerPath : await o.runnerPath();
      if (this.#closed) return { ok: false, failure: "closed" };
      child = spawnChild(o.denoPath, sandboxArgs(runner, o.maxHeapMb), {
        clearEnv: true,
        env: {},
        stdin: "piped",
        stdout: "piped",
        stderr: "null",
      });
    } catch {
      this.#breaker.failure();
      return { ok: false, failure: "spawn-failed" };
    }
    o.onEvent?.({ kind: "spawned", pid: child.pid });
    const writer = (child.stdin as WritableStream<Uint8Array>).getWriter();
    let markReady: (ok: boolean) => void = () => {};
    const live: Live = {
      child,
      writer,
      pending: new Map(),
      ready: new Promise<boolean>((r) => (markReady = r)),
      dead: false,
    };
    this.#live = live;
    const startTimer = setTimeout(
      () => this.#kill(live, "timeout"),
      o.startTimeoutMs ?? Math.max(o.timeoutMs, 10_000),
    );
    const settleReady = (ok: boolean) => {
      clearTimeout(startTimer);
      markReady(ok);
    };
    this.#readLoop(live, settleReady);
    child.status.then((status) => {
      clearTimeout(startTimer);
      if (!live.dead) {
        live.dead = true;
        this.#deathFailure.set(live, "crashed");
        this.#breaker.failure();
      }
      o.onEvent?.({ kind: "exited", pid: child.pid, code: status.code });
      this.#failAll(live, this.#deathReason(live));
      markReady(false);
    });
    this.#write(live, { t: "init", source: o.source });
    return { ok: true, live };
  }

  async #readLoop(live: Live, settleReady: (ok: boolean) => void): Promise<void> {
    const stdout = live.child.stdout as ReadableStream<Uint8Array>;
    try {
      for await (const line of readLines(stdout, { maxLineBytes: this.#options.maxReplyBytes })) {
        if (line.kind === "too-long") return this.#kill(live, "reply-too-large");
        if (line.kind !== "text") return this.#kill(live, "protocol");
        let msg: { t?: unknown; id?: unknown; ok?: unknown; value?: unknown };
        try {
          msg = JSON.parse(line.text);
        } catch {
          return this.#kill(live, "protocol");
        }
        if (msg.t === "ready") {
          this.#options.onEvent?.({ kind: "ready", pid: live.child.pid });
          settleReady(true);
        } else if (msg.t === "fail") {
          settleReady(false);
          return this.#kill(live, "load-failed");
        } else if (msg.t === "reply" && typeof msg.id === "number") {
          const p = live.pending.get(msg.id);
          if (p === undefined) continue;
          live.pending.delete(msg.id);
          clearTimeout(p.timer);
          p.resolve(
            msg.ok === true ? { ok: true, value: msg.value } : { ok: false, failure: "threw" },
          );
        } else {
          return this.#kill(live, "protocol");
        }
      }
    } catch {
      // The pipe broke because the child died; the exit handler reports it.
    }
  }

  #write(live: Live, message: unknown): void {
    live.writer.write(encoder.encode(JSON.stringify(message) + "\n")).catch(() => {
      // A dead child's pipe; the exit handler fails the pending calls.
    });
  }

  #kill(live: Live, failure: SandboxFailure): void {
    if (live.dead) return;
    live.dead = true;
    this.#deathFailure.set(live, failure);
    if (failure !== "closed") this.#breaker.failure();
    this.#options.onEvent?.({ kind: "killed", pid: live.child.pid, failure });
    live.child.kill("SIGKILL");
    this.#failAll(live, failure);
  }

  #failAll(live: Live, failure: SandboxFailure): void {
    for (const [id, p] of live.pending) {
      clearTimeout(p.timer);
      live.pending.delete(id);
      p.resolve({ ok: false, failure });
    }
  }
}
