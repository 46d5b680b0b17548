/**
 * A stream's text channels: one text guard per logical channel (a choice's content, one
 * tool call's arguments, a content block), created on first use.
 *
 * @module
 */
import type { ChannelKind, ChannelSet } from "../protocols/types.ts";
import type { AppliedFinding } from "../protect/mod.ts";
import { createTextGuard, type TextGuard } from "../stream/text_guard.ts";
import { StreamingRestorer, type TokenRestorer } from "../vault/mod.ts";
import { jsonStringRestorer } from "./json_restorer.ts";
import type { OutputPolicy } from "./output.ts";

/** Options for {@linkcode createChannelSet}. */
export interface ChannelSetOptions {
  /** Response-direction protection. */
  readonly output: OutputPolicy;
  /** Token source for restoring this caller's tokens. */
  readonly restorer?: TokenRestorer;
  /** The caller's scope. */
  readonly scope: string;
  /** Hold-back window in characters. */
  readonly window: number;
  /** Findings are appended here, labelled with their channel's path. */
  readonly findings: AppliedFinding[];
}

/**
 * Create the channel set of one streamed reply.
 *
 * @param options Output policy, restorer, window and the findings sink.
 * @returns The channels.
 *
 * @example
 * ```ts ignore
 * const channels = createChannelSet({ output, scope: "default", window: 256, findings: [] });
 * const now = await channels.push("0:content", "Hello", "$.choices[0].delta.content");
 * const rest = await channels.flush("0:content");
 * ```
 */
export function createChannelSet(options: ChannelSetOptions): ChannelSet {
  const guards = new Map<string, { guard: TextGuard; path: string }>();
  const { output, findings } = options;

  const restorers = options.restorer === undefined ? undefined : {
    text: options.restorer,
    json: jsonStringRestorer(options.restorer),
  };

  function guardFor(
    key: string,
    path: string,
    kind: ChannelKind,
  ): { guard: TextGuard; path: string } {
    let entry = guards.get(key);
    if (entry === undefined) {
      const guard = createTextGuard({
        protect: (t) => output.protectText(t),
        scan: (t) => output.scan(t),
        window: options.window,
        restorer: restorers === undefined
          ? undefined
          : new StreamingRestorer(restorers[kind], options.scope),
      });
      guards.set(key, entry = { guard, path });
    }
    return entry;
  }

  function record(list: readonly AppliedFinding[], path: string): void {
    for (const f of list) findings.push({ ...f, path });
  }

  async function flushOne(key: string): Promise<string> {
    const entry = guards.get(key);
    if (entry === undefined) return "";
    guards.delete(key);
    const r = await entry.guard.flush();
    record(r.findings, entry.path);
    return r.text;
  }

  return {
    async push(key, delta, path, kind = "text") {
      const entry = guardFor(key, path, kind);
      const r = await entry.guard.push(delta);
      record(r.findings, entry.path);
      return r.text;
    },
    flush: flushOne,
    async flushPrefix(prefix) {
      const out: Array<{ key: string; text: string }> = [];
      for (const key of [...guards.keys()]) {
        if (key.startsWith(prefix)) out.push({ key, text: await flushOne(key) });
      }
      return out;
    },
    keys: () => [...guards.keys()],
  };
}
