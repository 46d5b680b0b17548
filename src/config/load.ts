/**
 * Load `haechi.config.json` (or built-in defaults), overlay `HAECHI_*` variables and validate.
 *
 * @module
 */
import { dirname, isAbsolute, join, relative } from "node:path";
import { HaechiError } from "../errors.ts";
import { cwd as processCwd, isNotFound, pathExists, readTextFile } from "../runtime/mod.ts";
import { resolveConfig, type ResolveConfigOptions } from "./resolve.ts";
import type { HaechiConfig } from "./types.ts";
import type { ValidateOptions } from "./validate.ts";

/** Where to load from. */
export interface LoadConfigOptions extends ValidateOptions {
  /**
   * Explicit path (`--config`); a missing file is an error. Without it, `HAECHI_CONFIG`
   * (from `env`; also an error when missing), then the nearest `haechi.config.json` in the
   * working folder or one of its parents; defaults alone when none is found.
   */
  readonly path?: string;
  /** Environment snapshot for `HAECHI_*` overlays. */
  readonly env?: Readonly<Record<string, string>>;
  /** Folder that relative paths and the default file name resolve against; the process's by default. */
  readonly cwd?: string;
}

/** Default config file name looked up in the working folder. */
export const DEFAULT_CONFIG_PATH = "haechi.config.json";

/**
 * Load and validate the configuration: defaults, then the file, then `HAECHI_*` variables.
 *
 * @param options Path, environment snapshot and working folder.
 * @returns The frozen effective configuration.
 * @throws {HaechiError} `config.not_found` (explicit path missing), `config.parse`
 *   (unreadable, not UTF-8 or not JSON) or `config.invalid` (schema or environment).
 *
 * @example
 * ```ts ignore
 * const config = await loadConfig({ path: "haechi.config.json", env: {} });
 * ```
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<HaechiConfig> {
  const base = options.cwd ?? processCwd();
  const explicit = options.path ?? nonEmpty(options.env?.HAECHI_CONFIG);
  const shown = explicit ?? await findConfigUpwards(base);
  if (shown === undefined) return resolveConfig(undefined, options);
  const path = isAbsolute(shown) ? shown : join(base, shown);
  let text: string;
  try {
    text = await readTextFile(path);
  } catch (e) {
    if (isNotFound(e)) {
      const via = options.path === undefined ? " (from HAECHI_CONFIG)" : "";
      throw new HaechiError(
        "config.not_found",
        `Config file ${JSON.stringify(shown)}${via} not found`,
        { path: shown },
      );
    }
    const why = e instanceof TypeError ? "is not valid UTF-8" : "cannot be read";
    throw new HaechiError("config.parse", `Config file ${JSON.stringify(shown)} ${why}`, {
      path: shown,
    });
  }
  return configFromText(text, {
    ...options,
    source: shown,
    relocate: relocator(dirname(path), base),
  });
}

/**
 * The nearest `haechi.config.json` in `start` or one of its parents, as a path relative
 * to `start` when possible (for messages), or `undefined` when there is none up to the root.
 */
export async function findConfigUpwards(start: string): Promise<string | undefined> {
  let dir = start;
  for (;;) {
    const candidate = join(dir, DEFAULT_CONFIG_PATH);
    if (await pathExists(candidate)) {
      const rel = relative(start, candidate);
      return rel === "" || isAbsolute(rel) ? candidate : rel;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** `relocate` for {@linkcode resolveConfig}: relative paths next to `configDir`, seen from `base`. */
function relocator(configDir: string, base: string): ((path: string) => string) | undefined {
  if (relative(base, configDir) === "") return undefined;
  return (value) => {
    if (value === "" || isAbsolute(value)) return value;
    const moved = relative(base, join(configDir, value));
    return moved === "" ? "." : moved;
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** Options for {@linkcode configFromText}. */
export interface ConfigFromTextOptions extends ResolveConfigOptions {
  /** Name of the file the text came from, for messages. */
  readonly source?: string;
  /** Environment snapshot for `HAECHI_*` overlays. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Parse and resolve the text of a config file.
 *
 * @param text File contents.
 * @param options Source name, environment and known finding types.
 * @returns The frozen effective configuration.
 * @throws {HaechiError} `config.parse` for invalid JSON, `config.invalid` otherwise.
 *
 * @example
 * ```ts
 * import { configFromText } from "./load.ts";
 * const config = configFromText('{ "configVersion": 1, "mode": "dry-run" }');
 * if (config.mode !== "dry-run") throw new Error("parsed");
 * ```
 */
export function configFromText(text: string, options: ConfigFromTextOptions = {}): HaechiConfig {
  const source = options.source ?? DEFAULT_CONFIG_PATH;
  let raw: unknown;
  try {
    raw = JSON.parse(text.startsWith("\uFEFF") ? text.slice(1) : text);
  } catch (e) {
    throw new HaechiError(
      "config.parse",
      `Config file ${JSON.stringify(source)} is not valid JSON: ${jsonReason(e)}`,
      { path: source },
    );
  }
  return resolveConfig(raw, options);
}

/**
 * The parser's reason without the snippet of file text V8 quotes (the file may hold
 * allowlisted values an operator would not want echoed to a terminal or CI log).
 */
function jsonReason(e: unknown): string {
  const message = e instanceof Error ? e.message : "";
  const reason = message
    .split(/, (?:\.\.\.)?"/)[0]
    .replace(/ in JSON at position \d+/, "")
    .replace(/\s*\((line \d+ column \d+)\)/, " at $1")
    .trim();
  // Whatever shape a future engine uses, a double quote means file text is being echoed.
  if (reason === "" || reason.includes('"')) return "syntax error";
  return reason[0].toLowerCase() + reason.slice(1);
}
