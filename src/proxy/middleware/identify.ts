/**
 * Identify the caller of an LLM route: authenticate it (401 when a configured authenticator
 * refuses), check its token scope, and bind its policy profile (`policy.profiles`). Runs
 * before the rate limit and before the body is read, so an unknown caller costs neither.
 *
 * @module
 */
import { checkScope } from "../../vault/mod.ts";
import { type CallerIdentity, resolveCaller } from "../caller.ts";
import type { GatewayContext, RequestEnds } from "../context.ts";
import type { ProfileRouter } from "../profiles.ts";
import type { Middleware } from "../router.ts";
import { retryAfterHeader } from "./rate_limit.ts";

/** What {@linkcode identify} is built from. */
export interface IdentifyOptions {
  /** Gateway authentication, when configured. */
  readonly authenticate?: (request: Request) => Promise<CallerIdentity | null>;
  /** `proxy.scopeHeader` ("" when unset). */
  readonly scopeHeader: string;
  /** Per-caller profiles; without it every caller keeps the base profile. */
  readonly profiles?: ProfileRouter;
}

/**
 * The identify step.
 *
 * @param options Authenticator, scope header and profiles.
 * @param ends How a refused request ends.
 * @returns The middleware.
 */
export function identify(
  options: IdentifyOptions,
  ends: RequestEnds,
): Middleware<GatewayContext> {
  const { authenticate, scopeHeader, profiles } = options;
  return async (ctx, next) => {
    try {
      const caller = await resolveCaller(ctx.req, authenticate, scopeHeader);
      checkScope(caller.scope);
      ctx.caller = caller;
      // Audit records name the caller by keyed fingerprint only (metrics ignore it).
      if (caller.identity !== null) ctx.labels.identity = caller.identity;
      if (profiles !== undefined) {
        ctx.profile = profiles.resolve(caller);
        ctx.labels.profile = ctx.profile.name;
      }
    } catch (e) {
      return await ends.fail(ctx, e, retryAfterHeader(e));
    }
    return next(ctx);
  };
}
