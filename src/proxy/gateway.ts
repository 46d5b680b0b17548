/**
 * The gateway: one `fetch(Request) → Promise<Response>` handler, built once from config as
 * the composition of small steps on a small router (src/proxy/router.ts):
 *
 * - `/__haechi/*` → operability (health, readiness, metrics);
 * - every other request first meets `requireForwardedHttps` (with `proxy.trustForwardedProto`);
 * - the MCP path → the MCP route: the same `identify` → `limitRate` → `readBody` →
 *   `limitInFlight` steps, refusing in JSON-RPC shape, then `serveMcp` (src/proxy/mcp_route.ts);
 * - everything else → the LLM chain, over one typed {@linkcode GatewayContext}:
 *   upstream configured → route known → `identify` → `limitRate` → `readBody` →
 *   `limitInFlight` → `forward` (src/proxy/forward.ts), whose reply half is src/proxy/reply.ts.
 *
 * A request is matched to a protocol route, its JSON body read under the size and depth
 * limits and protected (every string, fail closed) before it leaves; the reply is
 * scanned again and this caller's tokens restored, incrementally for streams. Anything
 * the gateway cannot vouch for fails closed with an error in the protocol's own shape.
 * Options are validated here, at build time, not per request.
 *
 * @module
 */
import type { HaechiConfig } from "../config/mod.ts";
import { HaechiError, toHaechiError } from "../errors.ts";
import { matchRoute, OPENAI } from "../protocols/mod.ts";
import type { Protector } from "../protect/mod.ts";
import type { TokenRestorer } from "../vault/mod.ts";
import type { AuditInput, AuditSink } from "../audit/mod.ts";
import { errorResponse, MCP_ERRORS } from "./errors.ts";
import { buildHeaderPolicy } from "./headers.ts";
import { buildQueryPolicy, createPartsProtector } from "./request_target.ts";
import { createMetrics, decisionFor, type GatewayMetrics } from "./metrics.ts";
import type { ReplyContext } from "./reply.ts";
import { checkUpstreamUrl } from "./upstream_url.ts";
import { serveMcp } from "./mcp_route.ts";
import { type CallerIdentity, callerOf } from "./caller.ts";
import type { ProfileRouter, RequestProfile } from "./profiles.ts";
import { operability, type OperabilityState } from "./operability.ts";
import type { EntryContext, GatewayContext, RequestEnds } from "./context.ts";
import { compose, createRouter, type Handler, type Middleware, type Route } from "./router.ts";
import { createForward } from "./forward.ts";
import { createMemoryRateLimiter, limitRate, type RateLimiter } from "./middleware/rate_limit.ts";
import { createUpstreamProbe } from "./middleware/readiness.ts";
import {
  finishTrace,
  requestIdFrom,
  type RequestLogEntry,
  startTrace,
} from "./middleware/request_log.ts";
import { requireForwardedHttps } from "./middleware/forwarded_proto.ts";
import { identify } from "./middleware/identify.ts";
import { readBody } from "./middleware/read_body.ts";
import { limitInFlight } from "./middleware/in_flight.ts";

export type { CallerIdentity } from "./caller.ts";

/** What {@linkcode createGateway} is built from. */
export interface GatewayOptions {
  /** Validated config (`proxy`, `limits`, `detect`, `policy`). */
  readonly config: HaechiConfig;
  /** The request-direction protector (with the vault as `reversible`). */
  readonly protector: Protector;
  /** Restores this caller's tokens in replies (the vault); without it tokens stay. */
  readonly restorer?: TokenRestorer;
  /** Audit sink; without it nothing is recorded. */
  readonly audit?: AuditSink;
  /** Upstream fetch (tests inject a mock); default `globalThis.fetch`. */
  readonly fetch?: (request: Request) => Promise<Response>;
  /** Upstream base URL, overriding `config.proxy.upstream`. */
  readonly upstream?: string;
  /** Environment for `proxy.upstreamAuthEnv`. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Gateway authentication: resolve the caller or `null` (401). When set, the caller's
   * credential headers are never forwarded and the subject is the token scope.
   */
  readonly authenticate?: (request: Request) => Promise<CallerIdentity | null>;
  /** Per-caller policy profiles (src/proxy/profiles.ts); without it, the base policy. */
  readonly profiles?: ProfileRouter;
  /** Extra readiness check: `null` when ready, else a short safe reason. */
  readonly ready?: () => Promise<string | null>;
  /** Named readiness checks (true when passing) reported by `/__haechi/ready`. */
  readonly checks?: () => Promise<Readonly<Record<string, boolean>>>;
  /**
   * Counts requests per identity for `policy.rate.requestsPerMinute`; default an
   * in-process limiter. Pass a shared one (Redis) so replicas enforce one budget.
   */
  readonly rateLimiter?: RateLimiter;
  /** Called once per finished request (LLM or MCP) with its log entry (`logging.format`). */
  readonly requestLog?: (entry: RequestLogEntry) => void;
  /**
   * An MCP Streamable HTTP endpoint mounted at `path` (the `mcp` target): requests there go
   * to `handler`, which protects JSON-RPC both ways, behind the same steps as the LLM routes
   * (authentication, profile, rate, body limits, in-flight limit, audit of refusals, request log).
   */
  readonly mcp?: {
    readonly path: string;
    /** Serves one MCP request under the caller's profile (`profile`, as resolved here). */
    readonly handler: (request: Request, profile: RequestProfile) => Promise<Response>;
  };
}

/** A built gateway. */
export interface Gateway {
  /** Handle one request. */
  fetch(request: Request): Promise<Response>;
  /** Abort in-flight upstream requests. */
  close(): Promise<void>;
  /** The gateway's metrics. */
  readonly metrics: GatewayMetrics;
  /** The checked LLM upstream base URL; null when only an MCP endpoint is mounted. */
  readonly upstream: URL | null;
}

/** The anonymous caller a request starts as, until the identify step resolves it. */
const UNRESOLVED = callerOf(null);

/**
 * Build a gateway.
 *
 * @param options Config, protector, restorer, audit and optional hooks.
 * @returns The gateway.
 * @throws {HaechiError} `config.invalid` for a missing or refused upstream URL, or an
 *   upstream credential that is configured but absent from the environment.
 *
 * @example
 * ```ts ignore
 * const gw = createGateway({ config, protector, restorer: vault, audit, upstream: "http://127.0.0.1:8000" });
 * const res = await gw.fetch(new Request("http://gw/v1/chat/completions", { method: "POST", body }));
 * ```
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { config, protector, restorer, audit } = options;
  const proxy = config.proxy;
  const rawUpstream = options.upstream ?? proxy.upstream;
  if (rawUpstream === "" && options.mcp === undefined) {
    throw new HaechiError("config.invalid", "proxy.upstream is not set; pass --upstream <url>");
  }
  const upstream = rawUpstream === ""
    ? null
    : checkUpstreamUrl(rawUpstream, { allowHosts: proxy.upstreamAllowHosts });
  const headerPolicy = buildHeaderPolicy(config, {
    env: options.env,
    authenticated: options.authenticate !== undefined,
  });
  const queryPolicy = buildQueryPolicy(config, options.authenticate !== undefined);
  const baseProfile: RequestProfile = {
    name: "base",
    protector,
    protectParts: createPartsProtector(protector),
    modelAllowlist: config.policy.modelAllowlist,
    requestsPerMinute: config.policy.rate.requestsPerMinute,
  };
  const fetchImpl = options.fetch ?? ((r: Request) => fetch(r));
  // Readiness asks the upstream itself, at most once per few seconds (readiness.ts).
  const upstreamProbe = upstream === null ? undefined : createUpstreamProbe(upstream, fetchImpl);
  const metrics = createMetrics(config.mode);
  const maxBytes = config.limits.maxBytes;
  const controllers = new Set<AbortController>();
  // Aborted by `close`: request bodies still arriving are cut rather than waited for.
  const closing = new AbortController();
  const bodyDeadline = { timeoutMs: config.limits.requestTimeoutMs, signal: closing.signal };
  const rateLimiter = options.rateLimiter ?? createMemoryRateLimiter();
  let auditBroken = false;

  const ends: RequestEnds = {
    async record(input: AuditInput, strict: boolean): Promise<void> {
      if (audit === undefined) return;
      try {
        await audit.record(input);
      } catch {
        auditBroken = true;
        if (strict) throw new HaechiError("audit.io", "The audit log is unavailable");
      }
    },
    done(ctx, status, decision) {
      const ms = performance.now() - ctx.started;
      metrics.request({ ...ctx.labels, status, decision }, ms / 1000);
      options.requestLog?.(finishTrace(ctx.trace, status, ms, decision));
    },
    async fail(ctx, e, extra, count = true) {
      const err = toHaechiError(e);
      const replyHeaders = new Headers(extra);
      replyHeaders.set("x-haechi-request-id", ctx.correlationId);
      const res = errorResponse(ctx.errorShape, err, replyHeaders);
      await ends.record({
        kind: "proxy.request",
        correlationId: ctx.correlationId,
        outcome: "refused",
        details: { ...ctx.labels, status: res.status, code: err.code },
      }, false);
      if (count) ends.done(ctx, res.status, decisionFor(err.code));
      return res;
    },
    release(ctx, status, decision) {
      if (ctx.slot !== "held") return;
      ctx.slot = "released";
      metrics.inFlight--;
      ends.done(ctx, status, decision);
    },
  };

  const operabilityState: OperabilityState = {
    config,
    metrics,
    auditBroken: () => auditBroken,
    ready: options.ready,
    async checks() {
      const named = await options.checks?.() ?? {};
      return upstreamProbe === undefined
        ? named
        : { ...named, upstreamReachable: await upstreamProbe() };
    },
  };

  // Steps every route runs for its caller, in this order. The caller is identified and its
  // body read before a slot is taken, so a client that trickles its body (bounded by
  // limits.requestTimeoutMs) holds no in-flight slot. They keep no state of their own, so the
  // LLM and MCP chains share them.
  const callerSteps: Middleware<GatewayContext>[] = [
    identify({
      authenticate: options.authenticate,
      scopeHeader: proxy.scopeHeader,
      profiles: options.profiles,
    }, ends),
    limitRate(rateLimiter, ends),
    readBody(maxBytes, bodyDeadline, ends),
    limitInFlight(metrics, proxy.maxInFlight, ends),
  ];

  const llm: Handler<GatewayContext> = upstream === null
    ? (ctx) =>
      ends.fail(
        ctx,
        new HaechiError(
          "proxy.route_unknown",
          "No LLM upstream is configured (proxy.upstream); this gateway serves MCP only",
        ),
      )
    : compose(
      [
        (ctx, next) =>
          ctx.matched !== null || proxy.allowUnknownRoutes ? next(ctx) : ends.fail(
            ctx,
            new HaechiError(
              "proxy.route_unknown",
              `No protocol serves ${ctx.req.method} ${
                ctx.url.pathname.slice(0, 200)
              }; set proxy.allowUnknownRoutes to forward it`,
            ),
          ),
        ...callerSteps,
      ],
      createForward({
        config,
        protector,
        restorer,
        upstream,
        headerPolicy,
        queryPolicy,
        // Without an injected fetch the request goes out as `fetch(url, init)`: building a
        // `Request` first costs a second header list and a second abort signal per request.
        send: options.fetch === undefined
          ? (url, init) => fetch(url, init)
          : (url, init) => fetchImpl(new Request(url, init)),
        metrics,
        controllers,
        closing: closing.signal,
        replyContext: { protector, config, metrics, maxBytes } satisfies ReplyContext,
        ends,
      }),
    );

  /** An LLM-route request's context: one object, in place of positional parameters. */
  function llmEntry({ req, url }: EntryContext): Promise<Response> {
    const started = performance.now();
    const correlationId = requestIdFrom(req.headers);
    const matched = matchRoute(req.method, url.pathname);
    const route = matched?.route.name ?? "unknown";
    return llm({
      req,
      url,
      started,
      correlationId,
      matched,
      protocol: matched?.protocol ?? OPENAI,
      errorShape: matched?.protocol ?? OPENAI,
      labels: { protocol: matched?.protocol.name ?? "unknown", route },
      trace: startTrace(req.method, route, correlationId),
      caller: UNRESOLVED,
      profile: baseProfile,
      text: "",
      slot: "none",
    });
  }

  const routes: Route<EntryContext>[] = [];
  if (options.mcp !== undefined) {
    const mcpPath = options.mcp.path;
    // The LLM routes' own steps, refusing in JSON-RPC shape: the same 401 before the body,
    // the caller's profile and rate, body limits, in-flight slot, audit and request log.
    const mcp = compose(
      [
        ...callerSteps,
      ],
      serveMcp(options.mcp.handler, options.authenticate !== undefined, ends),
    );
    routes.push({
      match: (ctx) => ctx.url.pathname === mcpPath,
      handle: ({ req, url }) => {
        const correlationId = requestIdFrom(req.headers);
        return mcp({
          req,
          url,
          started: performance.now(),
          correlationId,
          matched: null,
          protocol: OPENAI,
          errorShape: MCP_ERRORS,
          labels: { protocol: "mcp", route: "mcp" },
          trace: startTrace(req.method, "mcp", correlationId),
          caller: UNRESOLVED,
          profile: baseProfile,
          text: "",
          slot: "none",
        });
      },
    });
  }
  const proxied = createRouter(routes, llmEntry);
  const handle = createRouter<EntryContext>([{
    match: (ctx) => ctx.url.pathname.startsWith("/__haechi/"),
    handle: (ctx) => operability(ctx.req, ctx.url.pathname, operabilityState),
  }], proxy.trustForwardedProto ? compose([requireForwardedHttps], proxied) : proxied);

  return {
    metrics,
    upstream,
    fetch: async (req) => {
      try {
        return await handle({ req, url: new URL(req.url) });
      } catch (e) {
        // Last resort: never leak internals.
        return errorResponse(OPENAI, toHaechiError(e));
      }
    },
    close() {
      closing.abort();
      for (const c of controllers) c.abort();
      controllers.clear();
      return Promise.resolve();
    },
  };
}
