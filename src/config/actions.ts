/**
 * Action strength and the strengthen-only merge.
 *
 * Strength, weakest first: `allow` < `mask` < `tokenize` < `encrypt` < `redact` < `block`.
 * `mask` still shows a suffix; `tokenize` and `encrypt` hide the value but let the caller
 * get it back (a token keeps the value local, ciphertext travels with the payload, so
 * `encrypt` ranks just above `tokenize`); `redact` destroys it; `block` stops the payload.
 *
 * @module
 */
import { type Action, ACTIONS } from "./types.ts";

/**
 * Rank of an action; higher is stronger.
 *
 * @example
 * ```ts
 * import { actionStrength } from "./actions.ts";
 * if (actionStrength("block") <= actionStrength("redact")) throw new Error("block is strongest");
 * ```
 */
export function actionStrength(action: Action): number {
  return ACTIONS.indexOf(action);
}

/**
 * The stronger of two actions.
 *
 * @example
 * ```ts
 * import { strongerAction } from "./actions.ts";
 * if (strongerAction("mask", "redact") !== "redact") throw new Error("redact wins");
 * ```
 */
export function strongerAction(a: Action, b: Action): Action {
  return actionStrength(a) >= actionStrength(b) ? a : b;
}

/**
 * Merge per-type actions so the result is never weaker than `base` for any type.
 * Used for layers that may only tighten a policy (privacy profiles, signed bundles).
 *
 * @param base Current per-type actions.
 * @param overlay Proposed per-type actions.
 * @returns A new map with, for each type, the stronger of the two.
 *
 * @example
 * ```ts
 * import { mergeStrengthen } from "./actions.ts";
 * const m = mergeStrengthen({ email: "redact" }, { email: "allow", phone: "mask" });
 * if (m.email !== "redact" || m.phone !== "mask") throw new Error(JSON.stringify(m));
 * ```
 */
export function mergeStrengthen(
  base: Readonly<Record<string, Action>>,
  overlay: Readonly<Record<string, Action>>,
): Record<string, Action> {
  const out: Record<string, Action> = { ...base };
  for (const [type, action] of Object.entries(overlay)) {
    const current = out[type];
    out[type] = current === undefined ? action : strongerAction(current, action);
  }
  return out;
}
