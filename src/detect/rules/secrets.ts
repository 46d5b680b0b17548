/**
 * Placeholder; filled by its own change.
 *
 * @module
 */
import type { Rule } from "../rule.ts";

/** Rules in this file. */
export const SECRET_RULES: readonly Rule[] = [];
