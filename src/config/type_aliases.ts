/**
 * haechi 1.4's finding type names as aliases of the finer types this project detects.
 *
 * haechi 1.4 reports a Stripe key and an AWS key id both as `api_key`, and a payment card
 * as `card`; here each provider and each national id has its own type. A config written for
 * 1.4 names the coarse types, so the coarse names expand to every fine type they cover
 * wherever a config names finding types (`policy.actions`, allowlists, vault type lists),
 * and reports can group fine types back under the 1.4 name ({@linkcode specTypeOf}).
 *
 * Expansion rules, chosen so that an alias can never weaken an explicit choice:
 * - a fine type named explicitly beats any alias that covers it;
 * - when two aliases cover one fine type (`api_key` and `secret` both cover `openai_key`),
 *   the stronger action wins.
 *
 * @module
 */
import type { Action } from "./types.ts";
import { BUILTIN_RULES } from "../detect/mod.ts";
import { strongerAction } from "./actions.ts";

/** Provider-issued API keys and access tokens: what `api_key` covers here. */
const PROVIDER_KEYS: readonly string[] = [
  "aws_access_key_id",
  "google_api_key",
  "openai_key",
  "anthropic_key",
  "stripe_key",
  "sendgrid_key",
  "twilio_api_key",
  "huggingface_token",
  "databricks_token",
  "github_token",
  "gitlab_token",
  "npm_token",
  "slack_token",
  "shopify_token",
  "telegram_bot_token",
];

/** 1.4 type names whose fine types here differ, with what each covers. */
const FIXED_ALIASES: Readonly<Record<string, readonly string[]>> = {
  card: ["payment_card"],
  api_key: PROVIDER_KEYS,
  jp_mynumber: ["jp_my_number"],
  // 1.4's es_dni rule also matched NIE numbers (X/Y/Z + 7 digits).
  es_dni: ["es_dni", "es_nie"],
};

/**
 * The fine types 1.4 reported as `api_key`; every other secret was `secret` there. Used only
 * for {@linkcode specTypeOf}, where one name per fine type is needed.
 */
const REPORTED_AS_API_KEY = new Set([
  "aws_access_key_id",
  "google_api_key",
  "stripe_key",
  "sendgrid_key",
  "twilio_api_key",
]);

let secretTypes: readonly string[] | undefined;

/** Every secret-category type of the rule table: what `secret` covers. */
function allSecretTypes(): readonly string[] {
  secretTypes ??= [
    ...new Set(BUILTIN_RULES.filter((r) => r.category === "secret").map((r) => r.type)),
  ];
  return secretTypes;
}

/**
 * The fine types a 1.4 type name covers, or `undefined` when `name` is not an alias.
 *
 * @param name A finding type name as a 1.4 config writes it.
 * @returns The covered fine types.
 *
 * @example
 * ```ts
 * import { aliasTargets } from "./type_aliases.ts";
 * if (aliasTargets("card")?.[0] !== "payment_card") throw new Error("card alias");
 * if (aliasTargets("email") !== undefined) throw new Error("email is its own type");
 * ```
 */
export function aliasTargets(name: string): readonly string[] | undefined {
  if (name === "secret") return allSecretTypes();
  return Object.hasOwn(FIXED_ALIASES, name) ? FIXED_ALIASES[name] : undefined;
}

/** Every 1.4 type name that expands to other types here. */
export const ALIAS_NAMES: readonly string[] = ["secret", ...Object.keys(FIXED_ALIASES)];

/**
 * Expand a `{type: action}` map: aliases become their fine types, explicit fine types win,
 * overlapping aliases give the stronger action.
 *
 * @param actions A map that may name 1.4 types.
 * @returns A map naming fine types only (unknown names pass through for the validator).
 *
 * @example
 * ```ts
 * import { expandActionMap } from "./type_aliases.ts";
 * const out = expandActionMap({ card: "block", secret: "redact", openai_key: "mask" });
 * if (out.payment_card !== "block" || out.openai_key !== "mask") throw new Error("expand");
 * if (out.github_token !== "redact") throw new Error("secret covers every secret type");
 * ```
 */
export function expandActionMap(
  actions: Readonly<Record<string, Action>>,
): Record<string, Action> {
  const fromAliases = new Map<string, Action>();
  const explicit = new Map<string, Action>();
  for (const [name, action] of Object.entries(actions)) {
    const targets = aliasTargets(name);
    // es_dni names itself among its targets: its own entry is still an alias entry.
    if (targets === undefined) {
      explicit.set(name, action);
      continue;
    }
    for (const t of targets) {
      const before = fromAliases.get(t);
      fromAliases.set(t, before === undefined ? action : strongerAction(before, action));
    }
  }
  const out = new Map(fromAliases);
  for (const [t, a] of explicit) out.set(t, a);
  return Object.fromEntries(out);
}

/**
 * Expand a list of type names (aliases become their fine types, duplicates dropped).
 *
 * @example
 * ```ts
 * import { expandTypeList } from "./type_aliases.ts";
 * if (expandTypeList(["card", "email"]).join() !== "payment_card,email") throw new Error();
 * ```
 */
export function expandTypeList(names: readonly string[]): string[] {
  const out = new Set<string>();
  for (const name of names) for (const t of aliasTargets(name) ?? [name]) out.add(t);
  return [...out];
}

/**
 * The name haechi 1.4 would report a fine type under (`payment_card` → `card`,
 * `openai_key` → `secret`, `stripe_key` → `api_key`); other types keep their name.
 *
 * @example
 * ```ts
 * import { specTypeOf } from "./type_aliases.ts";
 * if (specTypeOf("payment_card") !== "card" || specTypeOf("email") !== "email") throw new Error();
 * ```
 */
export function specTypeOf(type: string): string {
  if (type === "payment_card") return "card";
  if (type === "jp_my_number") return "jp_mynumber";
  if (type === "es_nie") return "es_dni";
  if (REPORTED_AS_API_KEY.has(type)) return "api_key";
  if (allSecretTypes().includes(type)) return "secret";
  return type;
}
