/**
 * The key reference `haechi config` prints, built from {@linkcode CONFIG_SCHEMA}, so the
 * documentation cannot drift from what the validator accepts.
 *
 * @module
 */
import { CONFIG_SCHEMA, type ConfigKey, describeType } from "./schema.ts";
import { DEFAULT_CONFIG_PATH } from "./load.ts";

/** One key as `haechi config --json` lists it. */
export interface ConfigReferenceEntry {
  /** Dotted path. */
  readonly path: string;
  /**
   * `string`, `boolean`, `integer`, `number`, `enum`, `string[]`, `map`, `trustAnchors`,
   * `customRules` or `allowlist`.
   */
  readonly type: string;
  /** Allowed values (enums, constants, map values). */
  readonly values?: readonly (string | number)[];
  /** Map keys' domain, e.g. `finding type`. */
  readonly keys?: string;
  /** Smallest allowed number. */
  readonly min?: number;
  /** Largest allowed number. */
  readonly max?: number;
  /** Empty strings are rejected. */
  readonly nonEmpty?: boolean;
  /** The key must appear in every config file. */
  readonly required?: boolean;
  /** Built-in default. */
  readonly default: unknown;
  /** Environment variable, or `null` when file-only. */
  readonly env: string | null;
  /** One line. */
  readonly description: string;
}

/** The whole reference. */
export interface ConfigReference {
  /** Schema version this reference describes. */
  readonly configVersion: 1;
  /** File looked up in the working folder without `--config`. */
  readonly file: string;
  /** Lowest to highest. */
  readonly precedence: readonly string[];
  /** Every key, in schema order. */
  readonly keys: readonly ConfigReferenceEntry[];
}

/**
 * Describe every configuration key.
 *
 * @returns The reference, as plain JSON-ready data.
 *
 * @example
 * ```ts
 * import { configReference } from "./reference.ts";
 * const mode = configReference().keys.find((k) => k.path === "mode");
 * if (mode?.env !== "HAECHI_MODE") throw new Error("mode is documented");
 * ```
 */
export function configReference(): ConfigReference {
  return {
    configVersion: 1,
    file: DEFAULT_CONFIG_PATH,
    precedence: ["defaults", "file", "environment"],
    keys: CONFIG_SCHEMA.map(entryFor),
  };
}

function entryFor(key: ConfigKey): ConfigReferenceEntry {
  const common = { default: key.default, env: key.env, description: key.description };
  const required = key.required ? { required: true } : {};
  const type = key.type;
  switch (type.kind) {
    case "const":
      return { path: key.path, type: "integer", values: [type.value], ...required, ...common };
    case "string":
      return {
        path: key.path,
        type: "string",
        ...(type.nonEmpty ? { nonEmpty: true } : {}),
        ...required,
        ...common,
      };
    case "boolean":
      return { path: key.path, type: "boolean", ...required, ...common };
    case "integer":
    case "number":
      return {
        path: key.path,
        type: type.kind,
        min: type.min,
        max: type.max,
        ...required,
        ...common,
      };
    case "enum":
      return { path: key.path, type: "enum", values: type.values, ...required, ...common };
    case "stringArray":
      return { path: key.path, type: "string[]", ...required, ...common };
    case "actionMap":
      return {
        path: key.path,
        type: "map",
        keys: "finding type",
        values: type.values,
        ...required,
        ...common,
      };
    case "integerMap":
      return {
        path: key.path,
        type: "map",
        keys: "finding type",
        min: type.min,
        max: type.max,
        ...required,
        ...common,
      };
    case "trustAnchors":
      return { path: key.path, type: "trustAnchors", keys: "key id", ...required, ...common };
    case "customRules":
      return { path: key.path, type: "customRules", ...required, ...common };
    case "allowlist":
      return { path: key.path, type: "allowlist", ...required, ...common };
    case "callerProfiles":
      return { path: key.path, type: "profiles", keys: "profile name", ...required, ...common };
    case "profileBinding":
      return { path: key.path, type: "profileBinding", ...required, ...common };
  }
}

/**
 * Render the reference for a terminal: one block per key.
 *
 * @returns Text ending in a newline.
 *
 * @example
 * ```ts
 * import { renderConfigReference } from "./reference.ts";
 * if (!renderConfigReference().includes("HAECHI_LIMITS_MAX_DEPTH")) throw new Error("env shown");
 * ```
 */
export function renderConfigReference(): string {
  const lines = [
    `Configuration keys for ${DEFAULT_CONFIG_PATH} (configVersion 1).`,
    "Precedence: built-in defaults < config file < HAECHI_* environment variables.",
    "",
  ];
  for (const key of CONFIG_SCHEMA) {
    lines.push(key.required ? `${key.path}  (required in the file)` : key.path);
    lines.push(`  ${key.description}`);
    lines.push(`  type:     ${describeType(key.type)}`);
    lines.push(`  default:  ${JSON.stringify(key.default)}`);
    lines.push(`  env:      ${envLine(key)}`);
    lines.push("");
  }
  lines.push(
    "Environment values: booleans are true or false; lists are comma-separated (a,b);",
    "maps are comma-separated type=action pairs (email=mask,us_ssn=block) or",
    "type=integer pairs (email=3600).",
    "A variable replaces the file's value for its key.",
  );
  return lines.join("\n") + "\n";
}

function envLine(key: ConfigKey): string {
  if (key.env === null) return "(file only)";
  if (key.type.kind === "stringArray") return `${key.env} (comma-separated)`;
  if (key.type.kind === "actionMap") return `${key.env} (type=action,...)`;
  if (key.type.kind === "integerMap") return `${key.env} (type=integer,...)`;
  return key.env;
}
