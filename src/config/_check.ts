/**
 * Value checks shared by the file validator and the `HAECHI_*` overlay, so both report a
 * wrong value with the same words; only the subject differs (`"limits.maxDepth"` for the
 * file, `HAECHI_LIMITS_MAX_DEPTH` for the environment).
 *
 * @module
 */
import { BUILTIN_RULES, compileCustomRule, type CustomRuleSpec } from "../detect/mod.ts";
import { normalizeTrustAnchors } from "../signing/mod.ts";
import { type ConfigKey, describeType, type FieldType, quoteList } from "./schema.ts";
import type { AllowlistEntry } from "./types.ts";
import { checkCallerProfiles, checkProfileBinding } from "./_check_profiles.ts";
import { editDistance } from "./edit_distance.ts";

/** One validation failure. */
export interface ConfigIssue {
  /** Dotted path of the offending key (`""` for the root). */
  readonly path: string;
  /** Sentence-case message naming the path or variable and the expected form. */
  readonly message: string;
  /** The environment variable, when the value came from one. */
  readonly env?: string;
}

/** How a message names the value being checked. */
export interface Subject {
  /** Dotted path reported in details. */
  readonly path: string;
  /** Label at the start of a message, e.g. `"limits.maxDepth"`. */
  readonly label: string;
  /** Label for a map entry or array item under this subject. */
  child(key: string | number): Subject;
  /** Environment variable the value came from. */
  readonly env?: string;
}

/**
 * A subject for a key read from the file: labels are quoted dotted paths.
 *
 * @example
 * ```ts ignore
 * fileSubject("policy.actions").child("email").label; // "\"policy.actions.email\""
 * ```
 */
export function fileSubject(path: string): Subject {
  return {
    path,
    label: JSON.stringify(path),
    child(key) {
      return fileSubject(typeof key === "number" ? `${path}[${key}]` : `${path}.${key}`);
    },
  };
}

/**
 * A subject for a key read from an environment variable: labels name the variable.
 *
 * @example
 * ```ts ignore
 * envSubject("limits.maxDepth", "HAECHI_LIMITS_MAX_DEPTH").label; // "HAECHI_LIMITS_MAX_DEPTH"
 * ```
 */
export function envSubject(path: string, env: string, label = env): Subject {
  return {
    path,
    label,
    env,
    child(key) {
      const childPath = typeof key === "number" ? `${path}[${key}]` : `${path}.${key}`;
      const childLabel = typeof key === "number"
        ? `${env} item ${key + 1}`
        : `${env} entry ${JSON.stringify(key)}`;
      return envSubject(childPath, env, childLabel);
    },
  };
}

/** Build an issue for `subject`. */
export function issue(subject: Subject, message: string): ConfigIssue {
  return subject.env === undefined
    ? { path: subject.path, message }
    : { path: subject.path, message, env: subject.env };
}

const MAX_QUOTED = 60;

/**
 * Describe a wrong value briefly: strings quoted (and shortened), containers by kind.
 *
 * @example
 * ```ts ignore
 * describeGot("deep"); // "\"deep\""
 * describeGot([1]);    // "an array"
 * ```
 */
export function describeGot(value: unknown): string {
  if (typeof value === "string") {
    const short = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value;
    return JSON.stringify(short);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return String(value);
}

/** Context a value check needs beyond the key itself. */
export interface CheckContext {
  /** Finding types that `policy.actions` may name. */
  readonly knownTypes: ReadonlySet<string>;
}

/**
 * The finding types of the built-in rule table, read when called so rows added later count.
 *
 * @example
 * ```ts ignore
 * builtinFindingTypes().has("email");
 * ```
 */
export function builtinFindingTypes(): ReadonlySet<string> {
  return new Set(BUILTIN_RULES.map((rule) => rule.type));
}

/** The outcome of one check: the accepted value, or the issues found. */
export type CheckResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/**
 * Check `value` against `key`'s type and constraints.
 *
 * @returns The value to store (arrays and maps copied), or every issue found.
 */
export function checkValue(
  key: ConfigKey,
  value: unknown,
  subject: Subject,
  context: CheckContext,
): CheckResult {
  const wrong = (): CheckResult => ({
    ok: false,
    issues: [issue(subject, mustBe(subject, key.type, value, key.sensitive))],
  });
  const type = key.type;
  switch (type.kind) {
    case "const":
      return value === type.value ? { ok: true, value } : wrong();
    case "string":
      if (typeof value !== "string" || (type.nonEmpty && value === "")) return wrong();
      return { ok: true, value };
    case "boolean":
      return typeof value === "boolean" ? { ok: true, value } : wrong();
    case "integer":
      return Number.isInteger(value) && inRange(value as number, type)
        ? { ok: true, value }
        : wrong();
    case "number":
      return typeof value === "number" && Number.isFinite(value) && inRange(value, type)
        ? { ok: true, value }
        : wrong();
    case "enum":
      return typeof value === "string" && type.values.includes(value)
        ? { ok: true, value }
        : wrong();
    case "stringArray":
      return checkStringArray(key, value, subject);
    case "actionMap":
      return checkActionMap(key, type, value, subject, context);
    case "integerMap":
      return checkIntegerMap(key, type, value, subject, context);
    case "customRules":
      return checkCustomRules(value, subject);
    case "allowlist":
      return checkAllowlist(value, subject);
    case "callerProfiles":
      return checkCallerProfiles(value, subject, context);
    case "profileBinding":
      return checkProfileBinding(value, subject);
    case "trustAnchors": {
      const result = normalizeTrustAnchors(value);
      if (result.ok) return { ok: true, value: result.anchors };
      return {
        ok: false,
        issues: result.problems.map((p) =>
          issue(subject, `${subject.label}${p.at === "" ? "" : ` ${p.at}`} ${p.message}`)
        ),
      };
    }
  }
}

function inRange(value: number, type: { min: number; max: number }): boolean {
  return value >= type.min && value <= type.max;
}

function mustBe(subject: Subject, type: FieldType, value: unknown, sensitive?: boolean): string {
  const expected = type.kind === "const"
    ? `${subject.label} must be ${type.value}`
    : `${subject.label} must be ${describeType(type)}`;
  return sensitive ? expected : `${expected}, got ${describeGot(value)}`;
}

function checkStringArray(key: ConfigKey, value: unknown, subject: Subject): CheckResult {
  if (!Array.isArray(value)) {
    return { ok: false, issues: [issue(subject, mustBe(subject, key.type, value, key.sensitive))] };
  }
  const issues: ConfigIssue[] = [];
  value.forEach((item, index) => {
    if (typeof item === "string") return;
    const child = subject.child(index);
    const got = key.sensitive ? "" : `, got ${describeGot(item)}`;
    issues.push(issue(child, `${child.label} must be a string${got}`));
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: [...value] };
}

function checkActionMap(
  key: ConfigKey,
  type: { readonly values: readonly string[] },
  value: unknown,
  subject: Subject,
  context: CheckContext,
): CheckResult {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, issues: [issue(subject, mustBe(subject, key.type, value, key.sensitive))] };
  }
  const issues: ConfigIssue[] = [];
  const out: [string, string][] = [];
  for (const [findingType, action] of Object.entries(value)) {
    const child = subject.child(findingType);
    if (!context.knownTypes.has(findingType)) {
      issues.push(
        issue(
          child,
          `${child.label}: unknown finding type; ${knownTypeHint(findingType, context)}`,
        ),
      );
      continue;
    }
    if (typeof action !== "string" || !type.values.includes(action)) {
      const message = `${child.label} must be one of ${quoteList(type.values)}, got ${
        describeGot(action)
      }`;
      issues.push(issue(child, message));
      continue;
    }
    out.push([findingType, action]);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: Object.fromEntries(out) };
}

function checkIntegerMap(
  key: ConfigKey,
  type: { readonly min: number; readonly max: number },
  value: unknown,
  subject: Subject,
  context: CheckContext,
): CheckResult {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, issues: [issue(subject, mustBe(subject, key.type, value, key.sensitive))] };
  }
  const issues: ConfigIssue[] = [];
  const out: [string, number][] = [];
  for (const [findingType, n] of Object.entries(value)) {
    const child = subject.child(findingType);
    if (!context.knownTypes.has(findingType)) {
      issues.push(
        issue(
          child,
          `${child.label}: unknown finding type; ${knownTypeHint(findingType, context)}`,
        ),
      );
      continue;
    }
    if (!Number.isInteger(n) || !inRange(n as number, type)) {
      const message = `${child.label} must be an integer from ${type.min} to ${type.max}, got ${
        describeGot(n)
      }`;
      issues.push(issue(child, message));
      continue;
    }
    out.push([findingType, n as number]);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: Object.fromEntries(out) };
}

/**
 * Suggest a known finding type: the closest spelling when one is near, else the first.
 *
 * @example
 * ```ts ignore
 * knownTypeHint("emial", { knownTypes: new Set(["email"]) });
 * // "expected a known type such as \"email\""
 * ```
 */
export function knownTypeHint(name: string, context: CheckContext): string {
  const known = [...context.knownTypes].sort();
  if (known.length === 0) return "no finding types are known";
  let best = known[0];
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // A far-off "closest" match misleads more than it helps; fall back to a stable example.
  const suggestion = bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : known[0];
  return `expected a known type such as ${JSON.stringify(suggestion)}`;
}

const CUSTOM_RULE_KEYS = ["id", "type", "pattern", "flags", "confidence", "keywords"];

/** Shape-check each custom rule, then the pattern's linearity, before anything runs it. */
const ALLOWLIST: FieldType = { kind: "allowlist" };

/** Strings, and `{path, value?}` objects (a lone `{value}` is the string). */
function checkAllowlist(value: unknown, subject: Subject): CheckResult {
  if (!Array.isArray(value)) {
    return {
      ok: false,
      issues: [
        issue(
          subject,
          `${subject.label} must be ${describeType(ALLOWLIST)}, got ${describeGot(value)}`,
        ),
      ],
    };
  }
  const issues: ConfigIssue[] = [];
  const out: AllowlistEntry[] = [];
  value.forEach((entry, index) => {
    if (typeof entry === "string") return void out.push(entry);
    const child = subject.child(index);
    const bad = (why: string) => issues.push(issue(child, `${child.label} ${why}`));
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      return bad(`must be a string or a {path, value?} object, got ${describeGot(entry)}`);
    }
    const e = entry as Record<string, unknown>;
    const extra = Object.keys(e).find((k) => k !== "path" && k !== "value");
    if (extra !== undefined) return bad(`has unknown key ${JSON.stringify(extra)}`);
    if (e.value !== undefined && (typeof e.value !== "string" || e.value === "")) {
      return bad('"value" must be a non-empty string');
    }
    if (e.path === undefined) {
      if (e.value === undefined) return bad('needs "value" or "path"');
      return void out.push(e.value as string);
    }
    if (typeof e.path !== "string" || !e.path.startsWith("$")) {
      return bad(
        '"path" must be a JSON path as haechi scan reports it, e.g. "$.messages[0].content"',
      );
    }
    out.push(e.value === undefined ? { path: e.path } : { path: e.path, value: e.value as string });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: out };
}

function checkCustomRules(value: unknown, subject: Subject): CheckResult {
  if (!Array.isArray(value)) {
    return {
      ok: false,
      issues: [issue(subject, `${subject.label} must be an array, got ${describeGot(value)}`)],
    };
  }
  const issues: ConfigIssue[] = [];
  const ids = new Set<string>();
  const out: CustomRuleSpec[] = [];
  value.forEach((entry, index) => {
    const child = subject.child(index);
    const bad = (why: string) => issues.push(issue(child, `${child.label} ${why}`));
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      return bad(`must be an object, got ${describeGot(entry)}`);
    }
    const e = entry as Record<string, unknown>;
    const extra = Object.keys(e).find((k) => !CUSTOM_RULE_KEYS.includes(k));
    if (extra !== undefined) return bad(`has unknown key ${JSON.stringify(extra)}`);
    for (const k of ["id", "type", "pattern"]) {
      if (typeof e[k] !== "string" || e[k] === "") return bad(`needs a non-empty string "${k}"`);
    }
    if (e.flags !== undefined && typeof e.flags !== "string") {
      return bad('"flags" must be a string');
    }
    if (e.confidence !== undefined && typeof e.confidence !== "number") {
      return bad('"confidence" must be a number');
    }
    if (
      e.keywords !== undefined &&
      !(Array.isArray(e.keywords) && e.keywords.every((k) => typeof k === "string" && k !== ""))
    ) return bad('"keywords" must be an array of non-empty strings');
    if (ids.has(e.id as string)) return bad(`repeats the id ${JSON.stringify(e.id)}`);
    ids.add(e.id as string);
    const spec = e as unknown as CustomRuleSpec;
    const rule = compileCustomRule(spec);
    if (typeof rule === "string") return bad(rule);
    out.push(spec);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: out };
}
