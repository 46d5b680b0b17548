/**
 * `proxy.trustForwardedProto`: behind a TLS terminator, a request whose `X-Forwarded-Proto`
 * is not exactly `https` bypassed it, so it is refused (403) before auth and before its body
 * is read. Mounted only when the option is on.
 *
 * @module
 */
import { HaechiError } from "../../errors.ts";
import { OPENAI } from "../../protocols/mod.ts";
import type { EntryContext } from "../context.ts";
import { errorResponse } from "../errors.ts";
import type { Middleware } from "../router.ts";

/**
 * The step that refuses plain-HTTP requests.
 *
 * @example
 * ```ts
 * import { requireForwardedHttps } from "./forwarded_proto.ts";
 * const req = new Request("http://gw/v1/models");
 * const res = await requireForwardedHttps({ req, url: new URL(req.url) },
 *   () => Promise.resolve(new Response("ok")));
 * if (res.status !== 403) throw new Error(String(res.status));
 * ```
 */
export const requireForwardedHttps: Middleware<EntryContext> = (ctx, next) => {
  if (forwardedOverHttps(ctx.req.headers)) return next(ctx);
  return Promise.resolve(errorResponse(
    OPENAI,
    new HaechiError(
      "proxy.unauthorized",
      "Plain HTTP is refused: proxy.trustForwardedProto expects X-Forwarded-Proto: https",
    ),
    undefined,
    403,
  ));
};

/** Whether the terminator in front said the client spoke HTTPS (one value, exactly https). */
function forwardedOverHttps(headers: Headers): boolean {
  return headers.get("x-forwarded-proto")?.trim().toLowerCase() === "https";
}
