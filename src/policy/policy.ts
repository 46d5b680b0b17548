/**
 * A compiled policy: the action for every finding type and the effective mode.
 *
 * The mode is decided here and nowhere else: protectors ask {@linkcode Policy.enforcing}
 * whether to change a payload, and report {@linkcode Policy.mode} in every audit event.
 *
 * @module
 */
import type { Action, HaechiConfig, Mode } from "../config/mod.ts";
import type { Rule } from "../detect/mod.ts";
import { presetAction, type TypeTraits } from "./presets.ts";
import { applyProfile } from "./profiles.ts";

/** Per-type actions and mode, fixed at start-up. */
export interface Policy {
  /** Effective mode. */
  readonly mode: Mode;
  /** True when payloads are changed (mode `enforce`). */
  readonly enforcing: boolean;
  /** Action for a finding type. */
  actionFor(type: string): Action;
  /** Every type the policy knows, with its action, for `status`. */
  readonly table: Readonly<Record<string, Action>>;
}

/**
 * Compile the policy section of `config` against the rule table.
 *
 * Precedence per type: `policy.actions[type]` (the operator's explicit choice), then the
 * preset, and `policy.defaultAction` for types no rule declares (plugins, future rules).
 * `policy.profile` is then layered on top, strengthen-only.
 *
 * @param config Validated configuration.
 * @param rules Rule rows in use (for each type's category and hard-block flag).
 * @returns The policy.
 *
 * @example
 * ```ts
 * import { compilePolicy } from "./policy.ts";
 * import { DEFAULT_CONFIG } from "../config/defaults.ts";
 * const p = compilePolicy(DEFAULT_CONFIG, []);
 * if (p.actionFor("unknown_type") !== "redact" || !p.enforcing) throw new Error("defaults");
 * ```
 */
export function compilePolicy(config: HaechiConfig, rules: readonly Rule[]): Policy {
  const traits = new Map<string, TypeTraits>();
  for (const r of rules) {
    if (!traits.has(r.type)) traits.set(r.type, { category: r.category, hardBlock: r.hardBlock });
  }
  const table: Record<string, Action> = {};
  for (const [type, t] of traits) {
    table[type] = config.policy.actions[type] ??
      presetAction(config.policy.preset, type, t, config.policy.defaultAction);
  }
  for (const [type, action] of Object.entries(config.policy.actions)) table[type] = action;
  const mode = config.mode;
  // The privacy profile comes last and only strengthens, so it never undoes a stricter
  // operator choice.
  const profiled = applyProfile(
    table,
    config.policy.defaultAction,
    config.policy.profile ?? "none",
    traits,
  );
  Object.assign(table, profiled.table);
  const fallback = profiled.fallback;
  return {
    mode,
    enforcing: mode === "enforce",
    actionFor: (type) => table[type] ?? fallback,
    table,
  };
}
