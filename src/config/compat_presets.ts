/**
 * haechi 1.4's `policy.presets`: named action sets merged in order, the stronger action
 * winning for each type. Type names are 1.4's (`api_key`, `secret`, `kr_rrn`, ...); the
 * caller expands them with `expandActionMap`.
 *
 * 1.4's preset `secrets-only` blocks secrets, unlike this project's single `policy.preset`
 * of the same name (which redacts them): the array form always means 1.4's table.
 *
 * @module
 */
import type { Action } from "./types.ts";
import { strongerAction } from "./actions.ts";

interface SpecPreset {
  readonly defaultAction?: Action;
  readonly actions: Readonly<Record<string, Action>>;
}

const SECRETS_BLOCKED = { api_key: "block", secret: "block" } as const;

const TABLE: Readonly<Record<string, SpecPreset>> = {
  "llm-redact": { defaultAction: "redact", actions: { email: "redact", phone: "mask" } },
  "korean-pii": { actions: { kr_rrn: "block", phone: "mask", email: "redact" } },
  "secrets-only": { actions: SECRETS_BLOCKED },
  "strict-block": { defaultAction: "block", actions: {} },
  "mcp-basic": { defaultAction: "redact", actions: { ...SECRETS_BLOCKED, kr_rrn: "block" } },
  "local-inference": {
    defaultAction: "redact",
    actions: { email: "tokenize", phone: "mask", ...SECRETS_BLOCKED, kr_rrn: "block" },
  },
  "local-only": { actions: {} },
};

/** Every 1.4 preset name. */
export const SPEC_PRESETS: readonly string[] = Object.keys(TABLE);

/**
 * Merge 1.4 presets in order: per type and for the default, the stronger action wins.
 *
 * @param names Preset names (validated by the caller against {@linkcode SPEC_PRESETS}).
 * @returns Actions keyed by 1.4 type names, and the default action (`redact` when no preset
 *   sets one, 1.4's default).
 *
 * @example
 * ```ts
 * import { specPresetActions } from "./compat_presets.ts";
 * const m = specPresetActions(["korean-pii", "secrets-only", "llm-redact"]);
 * if (m.actions.kr_rrn !== "block" || m.actions.phone !== "mask") throw new Error("merge");
 * if (m.defaultAction !== "redact") throw new Error("default");
 * ```
 */
export function specPresetActions(
  names: readonly string[],
): { actions: Record<string, Action>; defaultAction: Action } {
  const actions: Record<string, Action> = {};
  let fallback: Action | undefined;
  for (const name of names) {
    const preset = TABLE[name];
    if (preset.defaultAction !== undefined) {
      fallback = fallback === undefined
        ? preset.defaultAction
        : strongerAction(fallback, preset.defaultAction);
    }
    for (const [type, action] of Object.entries(preset.actions)) {
      actions[type] = actions[type] === undefined ? action : strongerAction(actions[type], action);
    }
  }
  return { actions, defaultAction: fallback ?? "redact" };
}
