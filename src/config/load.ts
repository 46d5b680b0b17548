/**
 * Load `haechi.config.json` (or built-in defaults), overlay `HAECHI_*` variables and validate.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import { HaechiError } from "../errors.ts";
import { isNotFound, readTextFile } from "../runtime/mod.ts";
import { resolveConfig } from "./resolve.ts";
import type { HaechiConfig } from "./types.ts";
import type { ValidateOptions } from "./validate.ts";

/** Where to load from. */
export interface LoadConfigOptions extends ValidateOptions {
  /** Explicit path (`--config`); missing file is an error. Without it, `haechi.config.json` is used when present. */
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
  const shown = options.path ?? DEFAULT_CONFIG_PATH;
  const path = options.cwd !== undefined && !isAbsolute(shown) ? join(options.cwd, shown) : shown;
  let text: string;
  try {
    text = await readTextFile(path);
  } catch (e) {
    if (isNotFound(e) && options.path === undefined) return resolveConfig(undefined, options);
    if (isNotFound(e)) {
      throw new HaechiError(
        "config.not_found",
        `Config file ${JSON.stringify(shown)} not found`,
        { path: shown },
      );
    }
    const why = e instanceof TypeError ? "is not valid UTF-8" : "cannot be read";
    throw new HaechiError("config.parse", `Config file ${JSON.stringify(shown)} ${why}`, {
      path: shown,
    });
  }
  return configFromText(text, { ...options, source: shown });
}

/** Options for {@linkcode configFromText}. */
export interface ConfigFromTextOptions extends ValidateOptions {
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
