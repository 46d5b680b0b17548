/**
 * Privacy profiles: per-type default actions drawn from a jurisdiction's rules of thumb,
 * layered on the compiled policy with {@linkcode mergeStrengthen}, so a profile can make
 * an action stronger but never weaker than the preset or the operator's choice.
 *
 * The tables are conservative engineering defaults, not legal advice:
 * - `kr-pipa`: resident registration numbers are unique identifying information; block.
 * - `eu-gdpr`: every personal data type is at least tokenized; national ids are redacted.
 * - `us-general`: SSNs block; cards stay masked (last digits are common practice).
 * - `asia-pdpa`: NRIC and Aadhaar numbers are redacted; contact data tokenized.
 * - `jp-appi`: My Number is specific personal information; block.
 *
 * Every profile also keeps secrets at `redact` or stronger and the default action for
 * unknown types at `redact` or stronger.
 *
 * @module
 */
import {
  type Action,
  mergeStrengthen,
  type PrivacyProfileName,
  strongerAction,
} from "../config/mod.ts";
import type { TypeTraits } from "./presets.ts";

/** One profile's table. */
export interface PrivacyProfile {
  /** One line for docs and `status`. */
  readonly description: string;
  /** Floor per finding type. */
  readonly actions: Readonly<Record<string, Action>>;
  /** Floor per category, for types the table does not name. */
  readonly categories: { readonly secret: Action; readonly pii: Action };
  /** Floor for `policy.defaultAction`. */
  readonly defaultAction: Action;
}

/** Every profile by name (`none` is the absence of one). */
export const PRIVACY_PROFILES: Readonly<
  Record<Exclude<PrivacyProfileName, "none">, PrivacyProfile>
> = {
  "kr-pipa": {
    description: "Korea PIPA: RRNs block, other personal data tokenized or stronger",
    actions: { kr_rrn: "block", payment_card: "mask", iban: "mask" },
    categories: { secret: "redact", pii: "tokenize" },
    defaultAction: "redact",
  },
  "eu-gdpr": {
    description: "EU GDPR: personal data tokenized or stronger, national ids redacted",
    actions: {
      fr_nir: "redact",
      es_dni: "redact",
      es_nie: "redact",
      it_codice_fiscale: "redact",
      de_steuer_id: "redact",
      nl_bsn: "redact",
      uk_nino: "redact",
      payment_card: "mask",
      iban: "tokenize",
    },
    categories: { secret: "redact", pii: "tokenize" },
    defaultAction: "redact",
  },
  "us-general": {
    description: "United States: SSNs block, cards masked, contact data tokenized",
    actions: { us_ssn: "block", payment_card: "mask", email: "tokenize", phone: "tokenize" },
    categories: { secret: "redact", pii: "mask" },
    defaultAction: "redact",
  },
  "asia-pdpa": {
    description: "Singapore/Thailand PDPA style: NRIC and Aadhaar redacted, contacts tokenized",
    actions: { sg_nric: "redact", in_aadhaar: "redact", email: "tokenize", phone: "tokenize" },
    categories: { secret: "redact", pii: "tokenize" },
    defaultAction: "redact",
  },
  "jp-appi": {
    description: "Japan APPI: My Number blocks, other personal data tokenized or stronger",
    actions: { jp_my_number: "block", payment_card: "mask", iban: "mask" },
    categories: { secret: "redact", pii: "tokenize" },
    defaultAction: "redact",
  },
};

/**
 * Layer a profile on a compiled per-type table, strengthen-only.
 *
 * @param table Per-type actions before the profile.
 * @param fallback The default action before the profile.
 * @param profile Profile name; `none` returns the inputs unchanged.
 * @param traits Category of each known type, for the per-category floors.
 * @returns The strengthened table and default action.
 *
 * @example
 * ```ts
 * import { applyProfile } from "./profiles.ts";
 * const r = applyProfile({ kr_rrn: "redact", email: "block" }, "mask", "kr-pipa", new Map());
 * if (r.table.kr_rrn !== "block" || r.table.email !== "block" || r.fallback !== "redact") {
 *   throw new Error(JSON.stringify(r));
 * }
 * ```
 */
export function applyProfile(
  table: Readonly<Record<string, Action>>,
  fallback: Action,
  profile: PrivacyProfileName,
  traits: ReadonlyMap<string, TypeTraits>,
): { table: Record<string, Action>; fallback: Action } {
  if (profile === "none") return { table: { ...table }, fallback };
  const p = PRIVACY_PROFILES[profile];
  const overlay: Record<string, Action> = {};
  for (const type of Object.keys(table)) {
    const t = traits.get(type);
    // Profiles cover data; heuristic signals keep the operator's choice.
    if (t !== undefined && t.category !== "heuristic") overlay[type] = p.categories[t.category];
  }
  for (const [type, action] of Object.entries(p.actions)) {
    overlay[type] = overlay[type] === undefined ? action : strongerAction(overlay[type], action);
  }
  return {
    table: mergeStrengthen(table, overlay),
    fallback: strongerAction(fallback, p.defaultAction),
  };
}
