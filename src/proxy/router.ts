/**
 * A small router and middleware composition, in Hono's model: a handler takes a typed
 * per-request context and returns a `Response`; a middleware is a function of the context
 * and the next handler. Chains are composed once, when the gateway is built, so a request
 * pays for the steps it runs and for no bookkeeping: no per-request array, closure or
 * dispatch loop.
 *
 * @module
 */

/** Handles a request described by the context `C`. */
export type Handler<C> = (ctx: C) => Promise<Response>;

/**
 * One cross-cutting step: do its work, then either answer itself (refuse, serve) or hand
 * over to `next`. A step that needs nothing after `next` returns its promise directly.
 */
export type Middleware<C> = (ctx: C, next: Handler<C>) => Promise<Response>;

/**
 * Compose `middleware` (outermost first) around `handler`, once.
 *
 * @param middleware Steps, in the order a request meets them.
 * @param handler The innermost handler.
 * @returns One handler that runs them all.
 *
 * @example
 * ```ts
 * import { compose } from "./router.ts";
 * const seen: string[] = [];
 * const h = compose<{ n: number }>([
 *   (ctx, next) => { seen.push("a"); ctx.n++; return next(ctx); },
 *   (ctx, next) => ctx.n > 5 ? Promise.resolve(new Response("no", { status: 429 })) : next(ctx),
 * ], (ctx) => Promise.resolve(new Response(String(ctx.n))));
 * if (await (await h({ n: 1 })).text() !== "2" || seen[0] !== "a") throw new Error();
 * ```
 */
export function compose<C>(middleware: readonly Middleware<C>[], handler: Handler<C>): Handler<C> {
  let chain = handler;
  for (let i = middleware.length - 1; i >= 0; i--) {
    const step = middleware[i];
    const next = chain;
    chain = (ctx) => step(ctx, next);
  }
  return chain;
}

/** A route: which requests it takes, and the handler (often a composed chain) for them. */
export interface Route<C> {
  /** True when the route serves this request. */
  readonly match: (ctx: C) => boolean;
  /** The route's handler. */
  readonly handle: Handler<C>;
}

/**
 * A router: the first route that matches handles the request, else `fallback`.
 *
 * @param routes Routes, tried in order.
 * @param fallback Handler for every other request.
 * @returns The router as a handler.
 *
 * @example
 * ```ts
 * import { createRouter } from "./router.ts";
 * const r = createRouter<{ path: string }>([
 *   { match: (c) => c.path === "/a", handle: () => Promise.resolve(new Response("a")) },
 * ], () => Promise.resolve(new Response("other")));
 * if (await (await r({ path: "/b" })).text() !== "other") throw new Error();
 * ```
 */
export function createRouter<C>(routes: readonly Route<C>[], fallback: Handler<C>): Handler<C> {
  return (ctx) => {
    for (const route of routes) if (route.match(ctx)) return route.handle(ctx);
    return fallback(ctx);
  };
}
