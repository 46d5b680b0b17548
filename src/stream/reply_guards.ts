/**
 * Guards for a stream's text channels, wired to the response-direction policy and to this
 * caller's token restorer. The rules for when a guard flushes live in `channel_stream.ts`;
 * this file only builds the guards.
 *
 * @module
 */
import type { ChannelKind } from "./channel_stream.ts";
import { createTextGuard, type TextGuard } from "./text_guard.ts";
import { StreamingRestorer, type TokenRestorer } from "../vault/mod.ts";
import { jsonStringRestorer, type ReplyProtection } from "../protect/mod.ts";

/** Options for {@linkcode createGuardFactory}. */
export interface GuardFactoryOptions {
  /** Protection of the replies this caller reads. */
  readonly output: ReplyProtection;
  /** Token source for restoring this caller's tokens. */
  readonly restorer?: TokenRestorer;
  /** The caller's scope. */
  readonly scope: string;
  /** Hold-back window in characters. */
  readonly window: number;
}

/**
 * A factory of channel guards for one streamed reply.
 *
 * @param options Output policy, restorer, scope and window.
 * @returns `({kind, hold, context}) => TextGuard`; `json` channels restore values
 *   JSON-escaped, `hold: false` guards hold nothing back (look-behind only), and `context`
 *   seeds the look-behind.
 *
 * @example
 * ```ts ignore
 * const openGuard = createGuardFactory({ output, scope: "default", window: 256 });
 * const guard = openGuard({ kind: "text", hold: true });
 * ```
 */
export function createGuardFactory(
  options: GuardFactoryOptions,
): (spec: { kind: ChannelKind; hold: boolean; context?: string }) => TextGuard {
  const { output } = options;
  const restorers = options.restorer === undefined ? undefined : {
    text: options.restorer,
    json: jsonStringRestorer(options.restorer),
  };
  const protect = (t: string) => output.protectText(t);
  const scan = (t: string) => output.scan(t);
  return ({ kind, hold, context }) =>
    createTextGuard({
      protect,
      scan,
      context,
      window: hold ? options.window : 0,
      holdTrailingRun: hold,
      step: hold ? undefined : 1,
      restorer: restorers === undefined
        ? undefined
        : new StreamingRestorer(restorers[kind], options.scope),
    });
}
