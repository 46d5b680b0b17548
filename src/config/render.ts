/**
 * Serialise a configuration as the file `haechi init` writes.
 *
 * @module
 */
import { CONFIG_SCHEMA, valueAt } from "./schema.ts";
import type { HaechiConfig } from "./types.ts";

/**
 * Render `config` as pretty JSON: keys in schema order (so `configVersion` comes first
 * and files diff cleanly), two-space indent, trailing newline. Only schema keys are
 * written, and loading the text back yields an equal configuration.
 *
 * @param config A validated configuration.
 * @returns The file text.
 *
 * @example
 * ```ts
 * import { renderConfigFile } from "./render.ts";
 * import { DEFAULT_CONFIG } from "./defaults.ts";
 * if (!renderConfigFile(DEFAULT_CONFIG).startsWith('{\n  "configVersion": 1,')) {
 *   throw new Error("configVersion first");
 * }
 * ```
 */
export function renderConfigFile(config: HaechiConfig): string {
  const out: Record<string, unknown> = {};
  for (const key of CONFIG_SCHEMA) {
    const value = valueAt(config, key.path);
    if (value === undefined) continue;
    // Left out so it keeps following the key it derives from.
    if (key.derive && value === key.derive(config as unknown as Record<string, unknown>)) continue;
    const parts = key.path.split(".");
    let node = out;
    for (const part of parts.slice(0, -1)) {
      if (!Object.hasOwn(node, part)) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = value;
  }
  return JSON.stringify(out, null, 2) + "\n";
}
