/**
 * Per-request policy profiles for the gateway: every profile's protector is built once at
 * start-up, and each request picks one from its caller (docs/callers.md). The profile's
 * model allowlist is checked here too, before anything is protected or sent upstream.
 *
 * @module
 */
import type { HaechiConfig } from "../config/mod.ts";
import { BUILTIN_RULES } from "../detect/mod.ts";
import { HaechiError } from "../errors.ts";
import { compileProfiles, modelAllowed } from "../policy/mod.ts";
import type { Protector } from "../protect/mod.ts";
import type { Protocol, Route } from "../protocols/mod.ts";
import type { Caller } from "./caller.ts";
import { createPartsProtector } from "./request_target.ts";

/** What one request is protected with. */
export interface RequestProfile {
  /** Profile name for audit records; `base` without `policy.profiles`. */
  readonly name: string;
  /** The profile's request protector. */
  readonly protector: Protector;
  /** Path, query and header protection over the same protector. */
  readonly protectParts: ReturnType<typeof createPartsProtector>;
  /** Allowed models; empty allows all. */
  readonly modelAllowlist: readonly string[];
  /** Requests per minute per identity (the profile's `rate`, else `policy.rate`); 0: none. */
  readonly requestsPerMinute: number;
}

/** Picks a request's profile. */
export interface ProfileRouter {
  /** The profile for `caller` (an unauthenticated caller gets `default`). */
  resolve(caller: Caller): RequestProfile;
}

/**
 * Build every profile's protector now, so requests only choose between them.
 *
 * @param config Validated config; `policy.profiles` empty gives one `base` profile.
 * @param base The gateway's protector (the base policy).
 * @param make Builds a protector for a profile's overlaid config (same vault and rules).
 * @throws {HaechiError} `config.invalid` for a bad binding or a weakening profile.
 *
 * @example
 * ```ts ignore
 * const router = createProfileRouter(config, protector, (c) => createProtector(c, { reversible }));
 * ```
 */
export function createProfileRouter(
  config: HaechiConfig,
  base: Protector,
  make: (config: HaechiConfig) => Protector,
): ProfileRouter {
  const policy = config.policy;
  const set = compileProfiles(config, BUILTIN_RULES, {
    profiles: policy.profiles,
    binding: Object.keys(policy.profiles).length === 0 ? undefined : policy.profileBinding,
    modelAllowlist: policy.modelAllowlist,
    allowUnsafeOverrides: policy.allowUnsafeOverrides,
    requestsPerMinute: policy.rate.requestsPerMinute,
  });
  const built = new Map<string, RequestProfile>();
  for (const [name, compiled] of set.profiles) {
    const actions = policy.profiles[name]?.actions;
    const protector = actions === undefined
      ? base
      : make({ ...config, policy: { ...policy, actions: { ...policy.actions, ...actions } } });
    built.set(name, {
      name,
      protector,
      protectParts: createPartsProtector(protector),
      modelAllowlist: compiled.modelAllowlist,
      requestsPerMinute: compiled.requestsPerMinute,
    });
  }
  return {
    resolve(caller) {
      const who = caller.authenticated ? { scope: caller.scope, labels: caller.labels } : null;
      return built.get(set.resolve(who).name)!;
    },
  };
}

/**
 * Refuse a request whose model the profile does not allow, before it is protected or sent.
 * The model is the body's `model` field, or the `models/{model}` path segment (Gemini).
 *
 * @throws {HaechiError} `proxy.model_not_allowed` (403).
 */
export function checkModel(
  profile: RequestProfile,
  matched: { protocol: Protocol; route: Route } | null,
  parsed: unknown,
  url: URL,
): void {
  if (profile.modelAllowlist.length === 0) return;
  const fromBody = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>).model
    : undefined;
  const fromPath = /\/models\/([^/:]+)/.exec(url.pathname)?.[1];
  const model = typeof fromBody === "string"
    ? fromBody
    : fromPath === undefined
    ? undefined
    : safeDecode(fromPath);
  // An unknown route carries no model a policy can read: it is refused too (fail closed).
  if (matched === null || !modelAllowed(profile, model)) {
    throw new HaechiError(
      "proxy.model_not_allowed",
      `This caller's policy profile does not allow ${
        typeof model === "string" ? `model "${model.slice(0, 100)}"` : "a request without a model"
      }`,
    );
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
