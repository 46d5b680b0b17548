/**
 * Load `haechi.config.json` (or built-in defaults), overlay `HAECHI_*` variables and validate.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { isNotFound, readTextFile } from "../runtime/mod.ts";
import { DEFAULT_CONFIG } from "./defaults.ts";
import type { HaechiConfig } from "./types.ts";

/** Where to load from. */
export interface LoadConfigOptions {
  /** Explicit path (`--config`); missing file is an error. Without it, `haechi.config.json` is used when present. */
  readonly path?: string;
  /** Environment snapshot for `HAECHI_*` overlays. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Default config file name looked up in the working folder. */
export const DEFAULT_CONFIG_PATH = "haechi.config.json";

/**
 * Load and validate the configuration.
 *
 * @throws {HaechiError} `config.not_found`, `config.parse` or `config.invalid`.
 *
 * @example
 * ```ts ignore
 * const config = await loadConfig({ path: "haechi.config.json", env: {} });
 * ```
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<HaechiConfig> {
  const path = options.path ?? DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    text = await readTextFile(path);
  } catch (e) {
    if (isNotFound(e) && options.path === undefined) return DEFAULT_CONFIG;
    if (isNotFound(e)) {
      throw new HaechiError("config.not_found", `Config file not found: ${path}`, { path });
    }
    throw new HaechiError("config.parse", `Cannot read config file ${path}`, { path });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new HaechiError(
      "config.parse",
      `Config file ${path} is not valid JSON: ${(e as Error).message}`,
      { path },
    );
  }
  // Full schema validation and env overlay land with the config change.
  return { ...DEFAULT_CONFIG, ...(raw as object) } as HaechiConfig;
}
