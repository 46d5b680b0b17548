/**
 * Validate a parsed config file against {@linkcode CONFIG_SCHEMA}.
 *
 * Validation fails closed: an unknown key, a wrong type or an out-of-range value is an
 * error, never silently dropped, because a misspelt policy key would otherwise leave data
 * unprotected while the operator believes it is covered.
 *
 * @module
 */
import { CONFIG_SCHEMA, type ConfigKey, quoteList, valueAt } from "./schema.ts";
import {
  builtinFindingTypes,
  type CheckContext,
  checkValue,
  type ConfigIssue,
  describeGot,
  fileSubject,
} from "./_check.ts";

export type { ConfigIssue } from "./_check.ts";

/** Options shared by the validators. */
export interface ValidateOptions {
  /**
   * Finding types `policy.actions` may name; defaults to the types of the built-in rule
   * table. Tests pass an explicit list so they do not depend on which rules exist.
   */
  readonly knownTypes?: Iterable<string>;
}

/** What a validator found: accepted values by dotted path, and every issue. */
export interface ValidationResult {
  /** Accepted leaf values, keyed by dotted path. */
  readonly values: ReadonlyMap<string, unknown>;
  /** Every issue, in the order met; empty when the input is valid. */
  readonly issues: readonly ConfigIssue[];
}

/** A node of the key tree: a section of named children, or a leaf row. */
interface Section {
  readonly path: string;
  readonly children: Map<string, Section | ConfigKey>;
}

function isSection(node: Section | ConfigKey): node is Section {
  return "children" in node;
}

function buildTree(keys: readonly ConfigKey[]): Section {
  const root: Section = { path: "", children: new Map() };
  for (const key of keys) {
    const parts = key.path.split(".");
    let section = root;
    parts.slice(0, -1).forEach((part, index) => {
      let next = section.children.get(part);
      if (next === undefined) {
        next = { path: parts.slice(0, index + 1).join("."), children: new Map() };
        section.children.set(part, next);
      }
      if (!isSection(next)) throw new TypeError(`Schema path "${key.path}" nests under a leaf`);
      section = next;
    });
    section.children.set(parts[parts.length - 1], key);
  }
  return root;
}

const TREE = buildTree(CONFIG_SCHEMA);

/**
 * Build the context for value checks from validator options.
 *
 * @example
 * ```ts ignore
 * checkContext({ knownTypes: ["email"] }).knownTypes.has("email"); // true
 * ```
 */
export function checkContext(options: ValidateOptions = {}): CheckContext {
  return {
    knownTypes: options.knownTypes === undefined
      ? builtinFindingTypes()
      : new Set(options.knownTypes),
  };
}

/**
 * Validate a parsed config file, collecting every issue.
 *
 * @param raw The value `JSON.parse` produced.
 * @param options Known finding types.
 * @returns Accepted values and issues; the caller decides how to fail.
 *
 * @example
 * ```ts
 * import { validateConfigFile } from "./validate.ts";
 * const result = validateConfigFile({ configVersion: 1, mode: "enforcing" });
 * if (result.issues[0].path !== "mode") throw new Error("names the path");
 * ```
 */
export function validateConfigFile(raw: unknown, options: ValidateOptions = {}): ValidationResult {
  const values = new Map<string, unknown>();
  const issues: ConfigIssue[] = [];
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    issues.push({ path: "", message: `Config must be a JSON object, got ${describeGot(raw)}` });
    return { values, issues };
  }
  const context = withCustomTypes(checkContext(options), raw);
  // configVersion (and any required key) is checked first: a file for another schema
  // version would otherwise bury the one error that explains all the others.
  for (const key of CONFIG_SCHEMA) {
    if (!checkedFirst(key)) continue;
    const value = valueAt(raw, key.path);
    if (value === undefined && !key.required) continue;
    if (value === undefined) {
      issues.push({
        path: key.path,
        message: `${JSON.stringify(key.path)} is required; expected ${expectedFor(key)}`,
      });
      continue;
    }
    const result = checkValue(key, value, fileSubject(key.path), context);
    if (result.ok) values.set(key.path, result.value);
    else issues.push(...result.issues);
  }
  walk(TREE, raw as Record<string, unknown>, values, issues, context);
  return { values, issues };
}

function checkedFirst(key: ConfigKey): boolean {
  return key.required === true || key.path === "configVersion";
}

function expectedFor(key: ConfigKey): string {
  return key.type.kind === "const" ? String(key.type.value) : "a value";
}

function walk(
  section: Section,
  object: Record<string, unknown>,
  values: Map<string, unknown>,
  issues: ConfigIssue[],
  context: CheckContext,
): void {
  for (const [name, value] of Object.entries(object)) {
    const path = section.path === "" ? name : `${section.path}.${name}`;
    const node = section.children.get(name);
    if (node === undefined) {
      const expected = quoteList([...section.children.keys()]);
      issues.push({
        path,
        message: `Unknown key ${JSON.stringify(path)}; expected one of ${expected}`,
      });
      continue;
    }
    if (isSection(node)) {
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        const message = `${JSON.stringify(path)} must be an object, got ${describeGot(value)}`;
        issues.push({ path, message });
        continue;
      }
      walk(node, value as Record<string, unknown>, values, issues, context);
      continue;
    }
    if (checkedFirst(node)) continue;
    const result = checkValue(node, value, fileSubject(path), context);
    if (result.ok) values.set(path, result.value);
    else issues.push(...result.issues);
  }
}

/**
 * Env names of the sections that hold keys, e.g. `HAECHI_LIMITS`; used to reserve
 * their prefixes for the overlay.
 *
 * @example
 * ```ts ignore
 * sectionPaths().includes("limits"); // true
 * ```
 */
export function sectionPaths(): string[] {
  const out: string[] = [];
  const visit = (section: Section) => {
    for (const node of section.children.values()) {
      if (isSection(node)) {
        out.push(node.path);
        visit(node);
      }
    }
  };
  visit(TREE);
  return out;
}

/** Types that `filters.customRules` introduce may be named in `policy.actions` and friends. */
function withCustomTypes(context: CheckContext, raw: object): CheckContext {
  const rules = valueAt(raw, "filters.customRules");
  if (!Array.isArray(rules)) return context;
  const types = rules
    .map((r) => (r !== null && typeof r === "object" ? (r as { type?: unknown }).type : undefined))
    .filter((t): t is string => typeof t === "string" && t !== "");
  return types.length === 0 ? context : { knownTypes: new Set([...context.knownTypes, ...types]) };
}
