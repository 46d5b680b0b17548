/**
 * Presets: named starting points that give every finding type an action.
 *
 * `balanced` is the default and follows "keep traffic flowing, keep values out": secrets
 * are redacted, contact data is tokenized (and restored for the caller), cards and bank
 * accounts are masked, national IDs are redacted. Nothing blocks by default.
 *
 * @module
 */
import type { Action, PresetName } from "../config/mod.ts";
import type { Category } from "../detect/mod.ts";

/** What a preset knows about a type. */
export interface TypeTraits {
  /** Credential or personal data. */
  readonly category: Category;
  /** Whether the type is hard-block. */
  readonly hardBlock: boolean;
}

/** Types whose masked suffix is useful to the reader (last digits of a card or account). */
const MASKED_BY_DEFAULT = new Set(["payment_card", "iban"]);
/** Personal data that is safe to hand back to the caller once restored. */
const TOKENIZED_BY_DEFAULT = new Set(["email", "phone", "ip_address"]);

/**
 * The action a preset gives a type.
 *
 * @param preset Preset name.
 * @param type Finding type.
 * @param traits Category and hard-block flag of the type.
 * @returns The preset's action.
 *
 * @example
 * ```ts
 * import { presetAction } from "./presets.ts";
 * const card = presetAction("balanced", "payment_card", { category: "pii", hardBlock: true });
 * if (card !== "mask") throw new Error(card);
 * ```
 */
export function presetAction(
  preset: PresetName,
  type: string,
  traits: TypeTraits,
  defaultAction: Action = "redact",
): Action {
  // Heuristic signals are reported, never acted on, until an operator names them.
  if (traits.category === "heuristic") return "allow";
  switch (preset) {
    case "none":
      return defaultAction;
    case "strict":
      return traits.category === "secret" ? "block" : "redact";
    case "secrets-only":
      return traits.category === "secret" ? "redact" : "allow";
    case "balanced":
      if (traits.category === "secret") return "redact";
      if (MASKED_BY_DEFAULT.has(type)) return "mask";
      if (TOKENIZED_BY_DEFAULT.has(type)) return "tokenize";
      return "redact";
  }
}

/** Every preset name, for config reference and validation. */
export const PRESETS: readonly PresetName[] = ["balanced", "strict", "secrets-only", "none"];
