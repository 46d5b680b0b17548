/**
 * Configuration: types, defaults, the schema table, loading and validation.
 *
 * - {@linkcode loadConfig} reads `haechi.config.json` (or `--config`), overlays `HAECHI_*`
 *   variables and returns one frozen {@linkcode HaechiConfig}, or throws `config.*`.
 * - {@linkcode CONFIG_SCHEMA} is the one table of keys; validation, the environment
 *   overlay, `haechi config` and {@linkcode renderConfigFile} all read it.
 * - The action vocabulary ({@linkcode strongerAction}: which action is stronger) and the
 *   1.4 finding-type aliases ({@linkcode expandActionMap}) live here because a config is
 *   written in them; policy compiles a config and so depends on this folder, never the
 *   other way round.
 *
 * @module
 */
export * from "./types.ts";
export { DEFAULT_CONFIG } from "./defaults.ts";
export {
  configFromText,
  type ConfigFromTextOptions,
  DEFAULT_CONFIG_PATH,
  loadConfig,
  type LoadConfigOptions,
} from "./load.ts";
export {
  CONFIG_SCHEMA,
  type ConfigKey,
  type ConfigKeySpec,
  describeType,
  envNameFor,
  type FieldType,
} from "./schema.ts";
export {
  type ConfigIssue,
  validateConfigFile,
  type ValidateOptions,
  type ValidationResult,
} from "./validate.ts";
export { readEnvOverlay } from "./env.ts";
export { compatNotes, resolveConfig, type ResolveConfigOptions } from "./resolve.ts";
export { type CompatNote, fromSpecConfig } from "./compat.ts";
export {
  type ConfigReference,
  configReference,
  type ConfigReferenceEntry,
  renderConfigReference,
} from "./reference.ts";
export { renderConfigFile } from "./render.ts";
export { actionStrength, mergeStrengthen, strongerAction } from "./actions.ts";
export { aliasTargets, expandActionMap, expandTypeList, specTypeOf } from "./type_aliases.ts";
export { DEFAULT_DIFFERENCES } from "./compat_defaults.ts";
export { SPEC_PRESETS, specPresetActions } from "./compat_presets.ts";
export { editDistance } from "./edit_distance.ts";
