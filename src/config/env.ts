/**
 * The `HAECHI_*` environment overlay.
 *
 * Every key with an `env` name can be set from the environment; the variable replaces the
 * file's value for that key (precedence: defaults < file < environment). Values are parsed
 * by the key's type, then checked with the same rules and words as the file, naming the
 * variable instead of the path:
 *
 * | type | environment form |
 * | --- | --- |
 * | string, enum | the text as is (empty is allowed where the key allows it) |
 * | boolean | `true` or `false` |
 * | integer, number | decimal text, e.g. `64`, `0.5` |
 * | string array | comma-separated, items trimmed, empty items dropped: `a,b` |
 * | action map | comma-separated `type=action` pairs: `email=mask,us_ssn=block` |
 * | integer map | comma-separated `type=integer` pairs: `email=3600,phone=60` |
 * | trust anchors | comma-separated `keyId=base64-SPKI` pairs: `team-a=MCowBQYDK2VwAyEA...` |
 *
 * Security: a process environment is easy to set and hard to audit (a container spec, a CI
 * job, an inherited shell), so no variable can weaken protection. Keys that decide what is
 * protected, who may see values or who is trusted (actions, allowlists, reveal policy, trust
 * anchors, remote bind, detokenizing, the vault and key paths) have no variable; a few
 * switches take only their stricter value (`envOnly` in the schema: `HAECHI_AUDIT_ENABLED`
 * only `true`, `HAECHI_TOKEN_VAULT_REVEAL_POLICY` only `deny`, ...). `HAECHI_MODE` stays, as
 * in haechi 1.4, because deployments switch a gateway to dry-run while tuning it; `status`
 * shows the mode in effect.
 *
 * Unknown variables: the environment is shared with other programs and with haechi
 * features that are not config keys, and there is no warning channel, so an unknown
 * `HAECHI_*` name is ignored, with two exceptions that fail closed because they are almost
 * certainly mistakes:
 * - a name under a config section's prefix (`HAECHI_LIMITS_MAXDEPTH` under `HAECHI_LIMITS_`),
 *   which reads as a misspelt key that would otherwise silently not apply;
 * - the name of a file-only key (`HAECHI_CONFIG_VERSION`).
 *
 * @module
 */
import { CONFIG_SCHEMA, type ConfigKey, envNameFor, quoteList } from "./schema.ts";
import { checkValue, type ConfigIssue, describeGot, envSubject, issue } from "./_check.ts";
import {
  checkContext,
  sectionPaths,
  type ValidateOptions,
  type ValidationResult,
} from "./validate.ts";

const BY_ENV = new Map<string, ConfigKey>(
  CONFIG_SCHEMA.filter((key) => key.env !== null).map((key) => [key.env as string, key]),
);
const FILE_ONLY = new Map<string, ConfigKey>(
  CONFIG_SCHEMA.filter((key) => key.env === null).map((key) => [envNameFor(key.path), key]),
);
const RESERVED_PREFIXES: readonly string[] = sectionPaths().map((path) => `${envNameFor(path)}_`);

/**
 * Read `HAECHI_*` overrides from an environment snapshot, collecting every issue.
 *
 * @param env Environment snapshot (only `HAECHI_*` names are looked at).
 * @param options Known finding types for `HAECHI_POLICY_ACTIONS`.
 * @returns Parsed values by dotted path, and issues naming the variables.
 *
 * @example
 * ```ts
 * import { readEnvOverlay } from "./env.ts";
 * const { values } = readEnvOverlay({ HAECHI_LIMITS_MAX_DEPTH: "32" });
 * if (values.get("limits.maxDepth") !== 32) throw new Error("parsed as an integer");
 * ```
 */
export function readEnvOverlay(
  env: Readonly<Record<string, string>>,
  options: ValidateOptions = {},
): ValidationResult {
  const values = new Map<string, unknown>();
  const issues: ConfigIssue[] = [];
  const context = checkContext(options);
  // Schema order, not environment order, so the first error is stable across shells.
  for (const key of CONFIG_SCHEMA) {
    if (key.env === null || !Object.hasOwn(env, key.env)) continue;
    const subject = envSubject(key.path, key.env);
    // haechi 1.4's HAECHI_MODE also takes report-only, its name for dry-run.
    const text = key.path === "mode" && env[key.env].trim() === "report-only"
      ? "dry-run"
      : env[key.env];
    const parsed = parseEnvText(key, text);
    if (!parsed.ok) {
      issues.push(issue(subject, parsed.message(subject.label)));
      continue;
    }
    const result = checkValue(key, parsed.value, subject, context);
    if (!result.ok) {
      issues.push(...result.issues);
    } else if (key.envOnly !== undefined && !key.envOnly.includes(result.value)) {
      issues.push(issue(
        subject,
        `${key.env} can only make haechi stricter: it accepts ${
          key.envOnly.map((v) => JSON.stringify(v)).join(" or ")
        }; set ${JSON.stringify(key.path)} in the config file instead`,
      ));
    } else values.set(key.path, result.value);
  }
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith("HAECHI_") || BY_ENV.has(name)) continue;
    const fileOnly = FILE_ONLY.get(name);
    if (fileOnly !== undefined) {
      issues.push({
        path: fileOnly.path,
        env: name,
        message: `${name} cannot be set from the environment; ${
          JSON.stringify(fileOnly.path)
        } is read from the config file only`,
      });
      continue;
    }
    const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
    if (prefix === undefined) continue;
    const siblings = [...BY_ENV.keys()].filter((n) => n.startsWith(prefix));
    issues.push({
      path: "",
      env: name,
      message: `Unknown environment variable ${name}; expected one of ${quoteList(siblings)}`,
    });
  }
  return { values, issues };
}

type Parsed =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: (label: string) => string };

const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Turn a variable's text into a value of the key's type. Text that does not look like the
 * type is passed through unchanged, so the shared check rejects it with the usual words.
 */
function parseEnvText(key: ConfigKey, text: string): Parsed {
  const trimmed = text.trim();
  switch (key.type.kind) {
    case "string":
    case "enum":
      return { ok: true, value: text };
    case "const":
    case "integer":
      return { ok: true, value: INTEGER_TEXT.test(trimmed) ? Number(trimmed) : text };
    case "number":
      return { ok: true, value: NUMBER_TEXT.test(trimmed) ? Number(trimmed) : text };
    case "boolean":
      if (trimmed === "true") return { ok: true, value: true };
      if (trimmed === "false") return { ok: true, value: false };
      return { ok: true, value: text };
    case "stringArray":
      return { ok: true, value: splitList(text) };
    case "actionMap":
      return parsePairs(text, key.sensitive === true);
    case "customRules":
    case "allowlist":
    case "callerProfiles":
    case "profileBinding":
      return { ok: true, value: text };
    case "trustAnchors":
      // keyId=base64-SPKI pairs (PEM's line breaks do not fit a variable).
      return parsePairs(text, key.sensitive === true, "keyId=publicKey");
    case "integerMap": {
      const pairs = parsePairs(text, key.sensitive === true, "type=integer");
      if (!pairs.ok) return pairs;
      // Numbers that do not look like integers pass through as text for the shared check.
      const entries = Object.entries(pairs.value as Record<string, string>).map((
        [name, n],
      ) => [name, INTEGER_TEXT.test(n) ? Number(n) : n]);
      return { ok: true, value: Object.fromEntries(entries) };
    }
  }
}

function splitList(text: string): string[] {
  return text.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

function parsePairs(text: string, sensitive: boolean, shape = "type=action"): Parsed {
  // A Map, then fromEntries: a "__proto__=mask" pair must become an entry (and be rejected
  // as an unknown type), not a silent prototype assignment.
  const out = new Map<string, string>();
  for (const item of splitList(text)) {
    const eq = item.indexOf("=");
    const name = eq < 0 ? "" : item.slice(0, eq).trim();
    const value = eq < 0 ? "" : item.slice(eq + 1).trim();
    if (name === "" || value === "") {
      const got = sensitive ? "" : `, got ${describeGot(item)}`;
      return {
        ok: false,
        message: (label) => `${label} must be comma-separated "${shape}" pairs${got}`,
      };
    }
    if (out.has(name)) {
      // Two settings for one type would make the effective action depend on order.
      return { ok: false, message: (label) => `${label} names ${JSON.stringify(name)} twice` };
    }
    out.set(name, value);
  }
  return { ok: true, value: Object.fromEntries(out) };
}
