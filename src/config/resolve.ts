/**
 * Merge defaults, a parsed file and the `HAECHI_*` overlay into one validated, frozen
 * {@linkcode HaechiConfig}.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { type CompatNote, fromSpecConfig } from "./compat.ts";
import { readEnvOverlay } from "./env.ts";
import { CONFIG_SCHEMA } from "./schema.ts";
import type { HaechiConfig } from "./types.ts";
import { type ConfigIssue, validateConfigFile, type ValidateOptions } from "./validate.ts";

/** Inputs to {@linkcode resolveConfig}. */
export interface ResolveConfigOptions extends ValidateOptions {
  /** Environment snapshot for `HAECHI_*` overlays; none when absent. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Rewrites a relative file path taken from the file or the defaults (see
   * {@linkcode FILE_PATH_KEYS}); `loadConfig` uses it so paths mean "next to the config file".
   */
  readonly relocate?: (path: string) => string;
}

/**
 * Config keys that name files. Relative values mean "next to the config file", so a
 * command run from a subfolder uses the same keys, vault and audit log as one run beside it.
 */
export const FILE_PATH_KEYS: ReadonlySet<string> = new Set([
  "policy.bundlePath",
  "audit.path",
  "audit.anchorPath",
  "keys.path",
  "tokenVault.path",
  "auth.store",
  "auth.plugin.manifestPath",
  "auth.plugin.entryPath",
  "proxy.tls.certFile",
  "proxy.tls.keyFile",
  "proxy.tls.pfxFile",
]);

/**
 * Validate `raw` (a parsed file, or `undefined` for no file) and the environment, then
 * build the effective configuration.
 *
 * @param raw Parsed file contents, or `undefined` to start from defaults alone.
 * @param options Environment and known finding types.
 * @returns The frozen effective configuration.
 * @throws {HaechiError} `config.invalid` with the first issue as message and
 *   `details: { path, env?, errors }` listing every issue.
 *
 * @example
 * ```ts
 * import { resolveConfig } from "./resolve.ts";
 * const config = resolveConfig({ configVersion: 1, mode: "dry-run" }, {
 *   env: { HAECHI_LIMITS_MAX_DEPTH: "16" },
 * });
 * if (config.mode !== "dry-run" || config.limits.maxDepth !== 16) throw new Error("merge");
 * ```
 */
export function resolveConfig(raw: unknown, options: ResolveConfigOptions = {}): HaechiConfig {
  const compat = raw === undefined ? undefined : fromSpecConfig(raw);
  const file = compat === undefined ? undefined : validateConfigFile(compat.raw, options);
  const env = readEnvOverlay(options.env ?? {}, options);
  const issues = [...(compat?.issues ?? []), ...(file?.issues ?? []), ...env.issues];
  if (issues.length > 0) throw invalid(issues);
  const result: Record<string, unknown> = {};
  const relocate = options.relocate;
  for (const key of CONFIG_SCHEMA) {
    const fromEnv = env.values.has(key.path);
    let value = fromEnv
      ? env.values.get(key.path)
      : file?.values.has(key.path)
      ? file.values.get(key.path)
      : key.derive
      ? key.derive(result)
      : key.default;
    // Derived values already follow a relocated source; environment values follow the cwd.
    const derived = !fromEnv && !file?.values.has(key.path) && key.derive !== undefined;
    if (
      relocate && !fromEnv && !derived && typeof value === "string" && FILE_PATH_KEYS.has(key.path)
    ) {
      value = relocate(value);
    }
    setPath(result, key.path, copy(value));
  }
  const config = deepFreeze(result) as unknown as HaechiConfig;
  if (compat !== undefined && compat.notes.length > 0) NOTES.set(config, compat.notes);
  return config;
}

const NOTES = new WeakMap<HaechiConfig, readonly CompatNote[]>();

/**
 * The haechi 1.4 keys of the file `config` came from that were accepted but act
 * differently here, for `haechi status`.
 *
 * @example
 * ```ts
 * import { compatNotes, resolveConfig } from "./resolve.ts";
 * const c = resolveConfig({ responseProtection: { enabled: false } });
 * if (compatNotes(c)[0].key !== "responseProtection.enabled") throw new Error("noted");
 * ```
 */
export function compatNotes(config: HaechiConfig): readonly CompatNote[] {
  return NOTES.get(config) ?? [];
}

/**
 * The `config.invalid` error for a list of issues: the first names the problem, all are
 * kept in `details.errors` so tools can show every mistake at once.
 *
 * @example
 * ```ts ignore
 * throw invalid([{ path: "mode", message: "..." }]);
 * ```
 */
export function invalid(issues: readonly ConfigIssue[]): HaechiError {
  const first = issues[0];
  const details: Record<string, unknown> = { path: first.path };
  if (first.env !== undefined) details.env = first.env;
  details.errors = issues.map((i) => ({ ...i }));
  return new HaechiError("config.invalid", first.message, details);
}

function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = root;
  for (const part of parts.slice(0, -1)) {
    if (!Object.hasOwn(node, part)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

/** Defaults are shared; copy containers so freezing a result never freezes them. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)]));
  }
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
