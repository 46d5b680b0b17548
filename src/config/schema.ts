/**
 * The configuration schema as data: one row per key.
 *
 * Each row names a dotted path, its value type with constraints, the environment variable
 * that overrides it and a one-line description. Validation, the `HAECHI_*` overlay,
 * `haechi config` and {@linkcode renderConfigFile} all read this table, so adding a key
 * means adding its field to `types.ts`, its default to `defaults.ts` (the compiler insists)
 * and one row in the `_schema_*.ts` file of its section (the test suite insists). Sections
 * nest by path: a row `proxy.tls.cert` makes `proxy` and `proxy.tls` objects without
 * further code.
 *
 * @module
 */
import { DEFAULT_CONFIG } from "./defaults.ts";
import { valueAt } from "./_value_at.ts";
import { POLICY_SPECS } from "./_schema_policy.ts";
import { AUDIT_SPECS } from "./_schema_audit.ts";
import { ACCESS_SPECS } from "./_schema_access.ts";
import { PROXY_SPECS } from "./_schema_proxy.ts";

export { valueAt } from "./_value_at.ts";

/** The value shapes a key can take, with their constraints. */
export type FieldType =
  | { readonly kind: "const"; readonly value: number }
  | { readonly kind: "string"; readonly nonEmpty?: boolean }
  | { readonly kind: "boolean" }
  | { readonly kind: "integer"; readonly min: number; readonly max: number }
  | { readonly kind: "number"; readonly min: number; readonly max: number }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "stringArray" }
  | { readonly kind: "actionMap"; readonly values: readonly string[] }
  | { readonly kind: "integerMap"; readonly min: number; readonly max: number }
  | { readonly kind: "trustAnchors" }
  | { readonly kind: "customRules" }
  | { readonly kind: "allowlist" }
  | { readonly kind: "callerProfiles" }
  | { readonly kind: "profileBinding" };

/** What a row states; the default is read from `DEFAULT_CONFIG` by path. */
export interface ConfigKeySpec {
  /** Dotted path, e.g. `limits.maxDepth`. */
  readonly path: string;
  /** Value shape and constraints. */
  readonly type: FieldType;
  /** One line for `haechi config`. */
  readonly description: string;
  /**
   * Environment variable; derived from the path when absent ({@linkcode envNameFor}),
   * `null` when the key cannot come from the environment.
   */
  readonly env?: string | null;
  /** The key must appear in every config file. */
  readonly required?: boolean;
  /**
   * Values the environment may set, when only some may: an environment variable can make
   * haechi stricter (`HAECHI_TOKEN_VAULT_REVEAL_POLICY=deny`) but never weaker.
   */
  readonly envOnly?: readonly unknown[];
  /** Never echo the value in an error message (credentials, tokens). */
  readonly sensitive?: boolean;
  /**
   * Default computed from keys earlier in the table, for a key that follows another unless
   * set (the anchor file follows the audit log). Rendered files leave the key out while it
   * still equals this, so it keeps following.
   */
  readonly derive?: (partial: Readonly<Record<string, unknown>>) => unknown;
}

/** One documented, validated key. */
export interface ConfigKey extends ConfigKeySpec {
  /** Environment variable, or `null` when the key is file-only. */
  readonly env: string | null;
  /** Built-in default, from `DEFAULT_CONFIG`. */
  readonly default: unknown;
}

/**
 * Derive the `HAECHI_*` name for a dotted path: camelCase words split on capitals, dots
 * become underscores.
 *
 * @param path Dotted key path.
 * @returns The environment variable name.
 *
 * @example
 * ```ts
 * import { envNameFor } from "./schema.ts";
 * if (envNameFor("limits.maxDepth") !== "HAECHI_LIMITS_MAX_DEPTH") throw new Error("bad name");
 * ```
 */
export function envNameFor(path: string): string {
  const words = path.split(".").map((part) => part.replace(/([a-z0-9])([A-Z])/g, "$1_$2"));
  return `HAECHI_${words.join("_").toUpperCase()}`;
}

const SPECS: readonly ConfigKeySpec[] = [
  ...POLICY_SPECS,
  ...AUDIT_SPECS,
  ...ACCESS_SPECS,
  ...PROXY_SPECS,
];

function buildKey(spec: ConfigKeySpec): ConfigKey {
  const fallback = valueAt(DEFAULT_CONFIG, spec.path);
  if (fallback === undefined) {
    throw new TypeError(`Schema row "${spec.path}" has no default in DEFAULT_CONFIG`);
  }
  return Object.freeze({
    ...spec,
    env: spec.env === undefined ? envNameFor(spec.path) : spec.env,
    default: fallback,
  });
}

/**
 * Every configuration key, in the order `haechi config` and rendered files show them.
 *
 * @example
 * ```ts
 * import { CONFIG_SCHEMA } from "./schema.ts";
 * const depth = CONFIG_SCHEMA.find((k) => k.path === "limits.maxDepth");
 * if (depth?.env !== "HAECHI_LIMITS_MAX_DEPTH") throw new Error("env name");
 * ```
 */
export const CONFIG_SCHEMA: readonly ConfigKey[] = Object.freeze(SPECS.map(buildKey));

/**
 * Describe a field type in words, as `haechi config` and error messages phrase it.
 *
 * @param type The field type.
 * @returns A phrase such as `an integer from 1 to 1024`.
 *
 * @example
 * ```ts
 * import { describeType } from "./schema.ts";
 * if (describeType({ kind: "boolean" }) !== "true or false") throw new Error("phrase");
 * ```
 */
export function describeType(type: FieldType): string {
  switch (type.kind) {
    case "const":
      return String(type.value);
    case "string":
      return type.nonEmpty ? "a non-empty string" : "a string";
    case "boolean":
      return "true or false";
    case "integer":
      return `an integer from ${type.min} to ${type.max}`;
    case "number":
      return `a number from ${type.min} to ${type.max}`;
    case "enum":
      return `one of ${quoteList(type.values)}`;
    case "stringArray":
      return "an array of strings";
    case "actionMap":
      return "an object mapping finding types to actions";
    case "integerMap":
      return `an object mapping finding types to integers from ${type.min} to ${type.max}`;
    case "trustAnchors":
      return "an array of {keyId, publicKey} or an object mapping key ids to public keys";
    case "customRules":
      return "an array of {id, type, pattern, flags?, confidence?, keywords?}";
    case "allowlist":
      return "an array of strings and {path, value?} objects";
    case "callerProfiles":
      return "an object mapping profile names to {actions?, modelAllowlist?}";
    case "profileBinding":
      return "{byScope?, byLabel?, default}";
  }
}

/**
 * Quote and comma-join values for messages: `"a", "b"`.
 *
 * @example
 * ```ts
 * import { quoteList } from "./schema.ts";
 * if (quoteList(["a", "b"]) !== '"a", "b"') throw new Error("quoting");
 * ```
 */
export function quoteList(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}
