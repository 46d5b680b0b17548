/**
 * Reading the signed policy bundle that `policy.bundlePath` names, at start-up. Policy itself
 * does no I/O; it verifies and merges the text this module reads.
 *
 * @module
 */
import type { HaechiConfig } from "../config/mod.ts";
import { HaechiError } from "../errors.ts";
import { admitPolicyBundle } from "../policy/mod.ts";
import { readTextFile } from "../runtime/mod.ts";

/**
 * Load `policy.bundlePath` (when set), verify it with `policy.trustAnchors` and merge it
 * (strengthen-only).
 *
 * @param config The loaded configuration.
 * @param options Clock for the validity window.
 * @returns `config` unchanged when no bundle is configured, else the merged configuration.
 * @throws {HaechiError} `policy.bundle_invalid` when the bundle is missing, unreadable,
 *   tampered, expired or signed by an untrusted key; `details.reason` holds the code.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../config/defaults.ts";
 * import { loadPolicyBundle } from "./policy_bundle.ts";
 * if (await loadPolicyBundle(DEFAULT_CONFIG) !== DEFAULT_CONFIG) throw new Error("no bundle");
 * ```
 */
export async function loadPolicyBundle(
  config: HaechiConfig,
  options: { readonly now?: number } = {},
): Promise<HaechiConfig> {
  const path = config.policy.bundlePath;
  if (path === "") return config;
  let text: string;
  try {
    text = await readTextFile(path);
  } catch {
    throw new HaechiError(
      "policy.bundle_invalid",
      `Policy bundle ${JSON.stringify(path)} (policy.bundlePath) cannot be read`,
      { reason: "bundle-invalid", path },
    );
  }
  return await admitPolicyBundle(config, text, options);
}
