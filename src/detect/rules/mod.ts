/**
 * The built-in rule table: every secret and personal-data detector haechi ships.
 *
 * @module
 */
import type { Rule } from "../rule.ts";
import { SECRET_RULES } from "./secrets.ts";
import { CONTACT_RULES } from "./contact.ts";
import { NETWORK_RULES } from "./network.ts";
import { NATIONAL_ID_RULES } from "./national_ids.ts";
import { INJECTION_RULES } from "./injection.ts";

/**
 * All built-in rules in table order.
 *
 * @example
 * ```ts
 * import { BUILTIN_RULES } from "./mod.ts";
 * if (!BUILTIN_RULES.some((r) => r.type === "email")) throw new Error("email rule missing");
 * ```
 */
export const BUILTIN_RULES: readonly Rule[] = [
  ...SECRET_RULES,
  ...CONTACT_RULES,
  ...NETWORK_RULES,
  ...NATIONAL_ID_RULES,
  ...INJECTION_RULES,
];
