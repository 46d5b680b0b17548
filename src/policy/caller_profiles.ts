/**
 * Per-caller policy profiles: named overlays on the base policy, compiled once at start-up
 * and picked per request from who the caller is.
 *
 * A caller's profile is found by its token scope first, then by each of its labels
 * (`key=value`), then the required `default` (the one anonymous callers get). A profile may
 * only make the base policy stronger unless the operator turned on unsafe overrides; a
 * weaker action is refused at start-up rather than silently dropped, so nobody believes a
 * profile loosened something it did not.
 *
 * @module
 */
import { type Action, actionStrength, type HaechiConfig } from "../config/mod.ts";
import type { Rule } from "../detect/mod.ts";
import { HaechiError } from "../errors.ts";
import { compilePolicy, type Policy } from "./policy.ts";

/** One named profile as configured. */
export interface CallerProfileConfig {
  /** Per-type actions layered on the base `policy.actions`. */
  readonly actions?: Readonly<Record<string, Action>>;
  /** Models this profile may call; absent or empty falls back to the base allowlist. */
  readonly modelAllowlist?: readonly string[];
  /** This profile's own per-identity budget; absent falls back to the base rate. */
  readonly rate?: { readonly requestsPerMinute: number };
}

/** Which profile a caller gets. */
export interface ProfileBinding {
  /** Token scope to profile name. */
  readonly byScope?: Readonly<Record<string, string>>;
  /** `key=value` label to profile name. */
  readonly byLabel?: Readonly<Record<string, string>>;
  /** Profile for everyone else, anonymous callers included. */
  readonly default: string;
}

/** A profile ready to serve requests. */
export interface CompiledProfile {
  /** Profile name (`base` when no profiles are configured); audit records carry it. */
  readonly name: string;
  /** The compiled policy. */
  readonly policy: Policy;
  /** Allowed models; empty allows every model. */
  readonly modelAllowlist: readonly string[];
  /** Requests per minute per identity under this profile; 0 is no limit. */
  readonly requestsPerMinute: number;
}

/** What a request is resolved against. */
export interface ProfileSubject {
  /** The caller's token scope. */
  readonly scope: string;
  /** The caller's labels. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Every profile compiled, and the per-request choice between them. */
export interface ProfileSet {
  /** Every compiled profile by name. */
  readonly profiles: ReadonlyMap<string, CompiledProfile>;
  /** The profile for an authenticated caller, or `null` for an anonymous one. */
  resolve(who: ProfileSubject | null): CompiledProfile;
}

/** Inputs of {@linkcode compileProfiles}. */
export interface ProfilesInput {
  /** Named profiles; empty means every caller gets the base policy. */
  readonly profiles: Readonly<Record<string, CallerProfileConfig>>;
  /** Binding; required when `profiles` is not empty. */
  readonly binding?: ProfileBinding;
  /** Base-level model allowlist. */
  readonly modelAllowlist?: readonly string[];
  /** Let a profile set a weaker action than the base policy. */
  readonly allowUnsafeOverrides?: boolean;
  /** Base `policy.rate.requestsPerMinute` (0 or absent: no limit). */
  readonly requestsPerMinute?: number;
}

const invalid = (message: string) => new HaechiError("config.invalid", message);

/**
 * Compile every profile once and return the per-request resolver.
 *
 * @param config Validated configuration (the base policy).
 * @param rules Rule rows in use.
 * @param input Profiles, binding and allowlist.
 * @throws {HaechiError} `config.invalid` for a binding naming no profile, a missing
 * `default`, or a profile weakening the base policy without unsafe overrides.
 *
 * @example
 * ```ts
 * import { compileProfiles } from "./caller_profiles.ts";
 * import { DEFAULT_CONFIG } from "../config/defaults.ts";
 * const set = compileProfiles(DEFAULT_CONFIG, [], {
 *   profiles: { strict: { actions: { email: "block" } } },
 *   binding: { default: "strict" },
 * });
 * if (set.resolve(null).policy.actionFor("email") !== "block") throw new Error("default");
 * ```
 */
export function compileProfiles(
  config: HaechiConfig,
  rules: readonly Rule[],
  input: ProfilesInput,
): ProfileSet {
  const base = compilePolicy(config, rules);
  const baseAllow = [...(input.modelAllowlist ?? [])];
  const baseRate = input.requestsPerMinute ?? 0;
  const names = Object.keys(input.profiles);
  if (names.length === 0) {
    const only: CompiledProfile = {
      name: "base",
      policy: base,
      modelAllowlist: baseAllow,
      requestsPerMinute: baseRate,
    };
    return { profiles: new Map([["base", only]]), resolve: () => only };
  }
  const binding = input.binding;
  if (binding === undefined || typeof binding.default !== "string") {
    throw invalid('"policy.profileBinding.default" is required when policy.profiles is set');
  }
  const compiled = new Map<string, CompiledProfile>();
  for (const name of names) {
    const p = input.profiles[name];
    const actions = p.actions ?? {};
    for (const [type, action] of Object.entries(actions)) {
      const current = base.actionFor(type);
      if (!input.allowUnsafeOverrides && actionStrength(action) < actionStrength(current)) {
        throw invalid(
          `"policy.profiles.${name}.actions.${type}" is "${action}", weaker than the base ` +
            `policy's "${current}"; profiles may only strengthen unless ` +
            "policy.allowUnsafeOverrides is true",
        );
      }
    }
    const overlaid: HaechiConfig = {
      ...config,
      policy: { ...config.policy, actions: { ...config.policy.actions, ...actions } },
    };
    const allow = p.modelAllowlist !== undefined && p.modelAllowlist.length > 0
      ? [...p.modelAllowlist]
      : baseAllow;
    // A profile's rate replaces the base one, higher or lower: budgets are not a protection
    // of values, so "only stronger" does not apply (1.4 reads it the same way).
    compiled.set(name, {
      name,
      policy: compilePolicy(overlaid, rules),
      modelAllowlist: allow,
      requestsPerMinute: p.rate?.requestsPerMinute ?? baseRate,
    });
  }
  const pick = (key: string, name: string): CompiledProfile => {
    const found = compiled.get(name);
    if (found === undefined) {
      throw invalid(`"policy.profileBinding.${key}" names "${name}", which is not a profile`);
    }
    return found;
  };
  const fallback = pick("default", binding.default);
  const byScope = new Map<string, CompiledProfile>();
  for (const [scope, name] of Object.entries(binding.byScope ?? {})) {
    byScope.set(scope, pick(`byScope.${scope}`, name));
  }
  const byLabel = new Map<string, CompiledProfile>();
  for (const [label, name] of Object.entries(binding.byLabel ?? {})) {
    if (!/^[^=]+=.*$/.test(label)) {
      throw invalid(`"policy.profileBinding.byLabel.${label}" must be written key=value`);
    }
    byLabel.set(label, pick(`byLabel.${label}`, name));
  }
  return {
    profiles: compiled,
    resolve(who) {
      if (who === null) return fallback;
      const scoped = byScope.get(who.scope);
      if (scoped !== undefined) return scoped;
      // Labels are tried in the binding's order, so the operator decides which wins.
      for (const [label, profile] of byLabel) {
        const at = label.indexOf("=");
        if (who.labels?.[label.slice(0, at)] === label.slice(at + 1)) return profile;
      }
      return fallback;
    },
  };
}

/**
 * Whether `model` may be called under `profile`. An empty allowlist allows every request;
 * otherwise a request must name an allowed model as a string.
 *
 * @example
 * ```ts
 * import { modelAllowed } from "./caller_profiles.ts";
 * const p = { modelAllowlist: ["a"] };
 * if (modelAllowed(p, "b") || !modelAllowed(p, "a")) throw new Error("allowlist");
 * ```
 */
export function modelAllowed(
  profile: Pick<CompiledProfile, "modelAllowlist">,
  model: unknown,
): boolean {
  if (profile.modelAllowlist.length === 0) return true;
  return typeof model === "string" && profile.modelAllowlist.includes(model);
}

/**
 * The configuration as the `default` profile sees it: its actions laid over the base policy.
 * For traffic with no caller to resolve (`mcp-wrap`, `mcp-stdio`): it gets the profile that
 * every unmatched or anonymous gateway caller gets. Without profiles, `config` itself.
 *
 * @throws {HaechiError} `config.invalid` for the same binding and weakening errors as
 * {@linkcode compileProfiles}.
 *
 * @example
 * ```ts
 * import { defaultProfileConfig } from "./caller_profiles.ts";
 * import { DEFAULT_CONFIG } from "../config/defaults.ts";
 * const c = defaultProfileConfig({
 *   ...DEFAULT_CONFIG,
 *   policy: {
 *     ...DEFAULT_CONFIG.policy,
 *     profiles: { strict: { actions: { email: "block" } } },
 *     profileBinding: { byScope: {}, byLabel: {}, default: "strict" },
 *   },
 * });
 * if (c.policy.actions.email !== "block") throw new Error("default profile");
 * ```
 */
export function defaultProfileConfig(config: HaechiConfig): HaechiConfig {
  const policy = config.policy;
  if (Object.keys(policy.profiles).length === 0) return config;
  // Compiled only to refuse what the gateway would refuse at start-up.
  compileProfiles(config, [], {
    profiles: policy.profiles,
    binding: policy.profileBinding,
    allowUnsafeOverrides: policy.allowUnsafeOverrides,
  });
  const actions = policy.profiles[policy.profileBinding.default]?.actions ?? {};
  return { ...config, policy: { ...policy, actions: { ...policy.actions, ...actions } } };
}
