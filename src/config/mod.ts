/**
 * Configuration: types, defaults, loading and validation.
 *
 * @module
 */
export * from "./types.ts";
export { DEFAULT_CONFIG } from "./defaults.ts";
export { DEFAULT_CONFIG_PATH, loadConfig, type LoadConfigOptions } from "./load.ts";
