/**
 * The gateway: one `fetch(Request) → Promise<Response>` handler, built once from config.
 *
 * A request is matched to a protocol route, its JSON body read under the size and depth
 * limits and protected (every string, fail closed) before it leaves; the reply is
 * scanned again and this caller's tokens restored, incrementally for streams. Anything
 * the gateway cannot vouch for fails closed with an error in the protocol's own shape.
 * Options are validated here, at build time, not per request.
 *
 * @module
 */
import type { HaechiConfig } from "../config/types.ts";
import { HaechiError, toHaechiError } from "../errors.ts";
import { matchRoute, OPENAI } from "../protocols/mod.ts";
import type { Protocol, Route } from "../protocols/types.ts";
import { type AppliedFinding, parseJsonText, type Protector } from "../protect/mod.ts";
import { checkScope, restorerFor, type TokenRestorer } from "../vault/mod.ts";
import { type AuditSink, type Outcome, protectionOutcome, replyOutcome } from "../audit/mod.ts";
import { readBodyWithin } from "./body.ts";
import { errorResponse, statusFor } from "./errors.ts";
import { buildHeaderPolicy, selectRequestHeaders, setHeader } from "./headers.ts";
import {
  buildQueryPolicy,
  createPartsProtector,
  requestParts,
  upstreamTarget,
} from "./request_target.ts";
import type { ReplyClock } from "./upstream_body.ts";
import { createMetrics, type Decision, decisionFor, type GatewayMetrics } from "./metrics.ts";
import { reply, type ReplyContext } from "./reply.ts";
import { checkUpstreamUrl } from "./upstream_url.ts";
import { createMcpRoute } from "./mcp_route.ts";
import { type Caller, type CallerIdentity, callerOf, resolveCaller } from "./caller.ts";
import { checkModel, type ProfileRouter, type RequestProfile } from "./profiles.ts";
import { operability, type OperabilityState } from "./operability.ts";
import {
  createMemoryRateLimiter,
  enforceRate,
  type RateLimiter,
  retryAfterHeader,
} from "./middleware/rate_limit.ts";
import { createUpstreamProbe } from "./middleware/readiness.ts";
import {
  countFindings,
  finishTrace,
  requestIdFrom,
  type RequestLogEntry,
  type RequestTrace,
  startTrace,
  upstreamFailure,
} from "./middleware/request_log.ts";

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
  /** Called once per finished LLM-route request with its log entry (`logging.format`). */
  readonly requestLog?: (entry: RequestLogEntry) => void;
  /**
   * An MCP Streamable HTTP endpoint mounted at `path` (the `mcp` target): requests there go
   * to `handler`, which protects JSON-RPC both ways, under the same in-flight limit and
   * gateway authentication as the LLM routes.
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
  const basePath = upstream?.pathname.replace(/\/+$/, "") ?? "";
  const headerPolicy = buildHeaderPolicy(config, {
    env: options.env,
    authenticated: options.authenticate !== undefined,
  });
  const queryPolicy = buildQueryPolicy(config, options.authenticate !== undefined);
  const protectParts = createPartsProtector(protector);
  const baseProfile: RequestProfile = {
    name: "base",
    protector,
    protectParts,
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
  // MCP callers get a profile exactly as LLM callers do: its rate here, its policy in the handler.
  const profileOf = (caller: Caller) => options.profiles?.resolve(caller) ?? baseProfile;
  const mcpHandler = options.mcp?.handler;
  const mcpRoute = mcpHandler === undefined ? undefined : createMcpRoute({
    handler: (req, who) => mcpHandler(req, profileOf(callerOf(who as CallerIdentity | null))),
    metrics,
    maxInFlight: proxy.maxInFlight,
    maxBytes,
    deadline: bodyDeadline,
    authenticate: options.authenticate,
    limitRate: (who) => {
      const caller = callerOf(who as CallerIdentity | null);
      return enforceRate(rateLimiter, profileOf(caller).requestsPerMinute, caller);
    },
  });
  const replyContext: ReplyContext = { protector, config, metrics, maxBytes };
  let auditBroken = false;

  async function record(input: Parameters<AuditSink["record"]>[0], strict: boolean): Promise<void> {
    if (audit === undefined) return;
    try {
      await audit.record(input);
    } catch {
      auditBroken = true;
      if (strict) throw new HaechiError("audit.io", "The audit log is unavailable");
    }
  }

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

  async function handle(req: Request): Promise<Response> {
    // Only the path and query of the target are used: an absolute-form target or a Host
    // header cannot steer the request anywhere but the configured upstream.
    const url = new URL(req.url);
    if (url.pathname.startsWith("/__haechi/")) {
      return await operability(req, url.pathname, operabilityState);
    }
    // Behind a TLS terminator, a plain-HTTP request bypassed it: refuse before auth and body.
    if (proxy.trustForwardedProto && !forwardedOverHttps(req.headers)) {
      return errorResponse(
        OPENAI,
        new HaechiError(
          "proxy.unauthorized",
          "Plain HTTP is refused: proxy.trustForwardedProto expects X-Forwarded-Proto: https",
        ),
        undefined,
        403,
      );
    }
    if (mcpRoute !== undefined && url.pathname === options.mcp?.path) {
      return await mcpRoute(req);
    }
    const started = performance.now();
    const correlationId = requestIdFrom(req.headers);
    const matched = matchRoute(req.method, url.pathname);
    const protocol = matched?.protocol ?? OPENAI;
    const labels: { protocol: string; route: string; identity?: string; profile?: string } = {
      protocol: matched?.protocol.name ?? "unknown",
      route: matched?.route.name ?? "unknown",
    };
    const trace = startTrace(req.method, labels.route, correlationId);
    const done = (status: number, decision?: Decision) => {
      const ms = performance.now() - started;
      metrics.request({ ...labels, status, decision }, ms / 1000);
      options.requestLog?.(finishTrace(trace, status, ms, decision));
    };
    const fail = async (e: unknown, extra?: HeadersInit, count = true): Promise<Response> => {
      const err = toHaechiError(e);
      const replyHeaders = new Headers(extra);
      replyHeaders.set("x-haechi-request-id", correlationId);
      const res = errorResponse(protocol, err, replyHeaders);
      await record({
        kind: "proxy.request",
        correlationId,
        outcome: "refused",
        details: { ...labels, status: res.status, code: err.code },
      }, false);
      if (count) done(res.status, decisionFor(err.code));
      return res;
    };
    if (upstream === null) {
      return await fail(
        new HaechiError(
          "proxy.route_unknown",
          "No LLM upstream is configured (proxy.upstream); this gateway serves MCP only",
        ),
      );
    }
    if (matched === null && !proxy.allowUnknownRoutes) {
      return await fail(
        new HaechiError(
          "proxy.route_unknown",
          `No protocol serves ${req.method} ${
            url.pathname.slice(0, 200)
          }; set proxy.allowUnknownRoutes to forward it`,
        ),
      );
    }
    // The caller is identified and its body read before a slot is taken, so a client that
    // trickles its body (bounded by limits.requestTimeoutMs) holds no in-flight slot.
    let caller: Caller;
    let profile = baseProfile;
    let text: string;
    try {
      caller = await resolveCaller(req, options.authenticate, proxy.scopeHeader);
      checkScope(caller.scope);
      // Audit records name the caller by keyed fingerprint only (metrics ignore it).
      if (caller.identity !== null) labels.identity = caller.identity;
      if (options.profiles !== undefined) {
        profile = options.profiles.resolve(caller);
        labels.profile = profile.name;
      }
      await enforceRate(rateLimiter, profile.requestsPerMinute, caller);
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      text = hasBody ? await readBodyWithin(req, maxBytes, bodyDeadline) : "";
    } catch (e) {
      return await fail(e, retryAfterHeader(e));
    }
    if (metrics.inFlight >= proxy.maxInFlight) {
      metrics.rejected();
      return await fail(
        new HaechiError("proxy.overloaded", "The gateway is at proxy.maxInFlight; retry shortly"),
        { "retry-after": "1" },
      );
    }
    metrics.inFlight++;
    let released = false;
    const release = (status: number, decision?: Decision) => {
      if (released) return;
      released = true;
      metrics.inFlight--;
      done(status, decision);
    };
    try {
      const res = await forward(req, url, upstream, matched, correlationId, labels, release, {
        caller,
        text,
        trace,
        profile,
      });
      return res;
    } catch (e) {
      const first = !released;
      if (first) {
        released = true;
        metrics.inFlight--;
      }
      return await fail(e, undefined, first);
    }
  }

  async function forward(
    req: Request,
    url: URL,
    upstream: URL,
    matched: { protocol: Protocol; route: Route } | null,
    correlationId: string,
    labels: { protocol: string; route: string },
    release: (status: number, decision?: Decision) => void,
    input: { caller: Caller; text: string; trace: RequestTrace; profile: RequestProfile },
  ): Promise<Response> {
    const { caller, text, trace, profile } = input;
    const scope = caller.scope;
    // Tokens this request mints: the reply may restore these for any caller, and everything
    // else in the caller's scope only for an authenticated caller.
    const minted = new Set<string>();
    const replyRestorer = restorer === undefined
      ? undefined
      : restorerFor(restorer, { minted, wholeScope: caller.authenticated });
    const selected = selectRequestHeaders(req.headers, headerPolicy);
    // A JSON body's content type is the gateway's own; the caller's is neither sent nor scanned.
    const scanned = matched?.route.hasBody === true
      ? selected.scanned.filter(([name]) => name !== "content-type")
      : selected.scanned;
    const parts = requestParts(url, scanned, queryPolicy);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    let outBody: string | undefined = hasBody ? text : undefined;
    let wantsStream = false;
    const auditBase = { kind: "proxy.request", correlationId };
    // The body first, then path, query and header values: one policy, one audit record.
    let body: { blocked: boolean; mode: string; findings: readonly AppliedFinding[] } | undefined;
    let details: Record<string, string | boolean> = { ...labels };
    if (matched !== null && matched.route.hasBody) {
      if (text === "") {
        throw new HaechiError("input.invalid_json", "Request body is empty; expected JSON");
      }
      const parsed = parseJsonText(text, maxBytes);
      wantsStream = matched.protocol.wantsStream(matched.route, parsed, url);
      if (wantsStream && proxy.stream.requests === "block") {
        throw new HaechiError(
          "proxy.stream_refused",
          'Streaming requests are refused (proxy.stream.requests is "block"); send stream: false',
        );
      }
      checkModel(profile, matched, parsed, url);
      const r = await profile.protector.protectJson(parsed, { scope, issued: minted });
      body = r;
      details = { ...labels, stream: wantsStream };
      // Always the re-serialized value, never the caller's bytes: the bytes may say more
      // than the parsed view that was scanned (a duplicate key keeps only its last value).
      if (!r.blocked) outBody = JSON.stringify(r.output);
    } else if (matched === null && text !== "") {
      checkModel(profile, matched, undefined, url);
      const r = await protectUnknown(profile.protector, text, scope, minted);
      body = r;
      details = { ...labels, passthrough: true };
      outBody = r.output ?? undefined;
    } else {
      // A route without a body (or an empty one) sends none: nothing unscanned rides along.
      outBody = undefined;
    }
    const meta = await profile.protectParts(parts, scope, minted);
    const findings = body === undefined ? meta.findings : [...body.findings, ...meta.findings];
    const blocked = meta.blocked || body?.blocked === true;
    metrics.findings("request", findings);
    countFindings(trace, findings);
    await record({
      ...auditBase,
      outcome: protectionOutcome({
        blocked,
        enforcing: profile.protector.policy.enforcing,
        found: findings.length,
      }),
      findings,
      details,
      callerScope: scope,
    }, true);
    if (blocked) {
      const types = [...new Set(findings.filter((f) => f.action === "block").map((f) => f.type))];
      throw new HaechiError(
        "payload.blocked",
        `Request blocked by policy (${types.join(", ")})`,
        { types },
      );
    }

    const target = upstreamTarget(upstream, basePath, parts);
    const headers = [...parts.headers, ...selected.fixed];
    if (matched !== null && outBody !== undefined) {
      setHeader(headers, "content-type", "application/json");
    }

    const ctrl = new AbortController();
    controllers.add(ctrl);
    const onClientAbort = () => ctrl.abort();
    req.signal.addEventListener("abort", onClientAbort, { once: true });
    // One clock bounds the headers and, for a reply read whole, its body too; a streamed
    // body gets its own idle and total bounds once it starts (`guardUpstreamBody`).
    const sent = performance.now();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, proxy.upstreamTimeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      req.signal.removeEventListener("abort", onClientAbort);
      controllers.delete(ctrl);
    };
    let upstreamRes: Response;
    try {
      upstreamRes = await fetchImpl(
        new Request(target, {
          method: req.method,
          headers,
          body: outBody,
          signal: ctrl.signal,
          redirect: "manual",
        }),
      );
    } catch (e) {
      cleanup();
      metrics.upstreamError(timedOut ? "timeout" : "connect");
      trace.upstreamFailure = upstreamFailure(e, timedOut);
      throw timedOut
        ? new HaechiError(
          "proxy.timeout",
          "The upstream did not answer within proxy.upstreamTimeoutMs",
        )
        : closing.signal.aborted
        ? new HaechiError("proxy.overloaded", "The gateway shut down before the upstream answered")
        : new HaechiError("proxy.upstream", "The upstream could not be reached");
    }
    trace.upstreamStatus = upstreamRes.status;
    const clock: ReplyClock = {
      sent,
      stop: () => clearTimeout(timer),
      timedOut: () => timedOut,
    };

    const respond = async (why: HaechiError | "cancelled" | undefined, status: number, extra: {
      findings?: AppliedFinding[];
      restored?: number;
      refused?: number;
    } = {}) => {
      cleanup();
      countFindings(trace, extra.findings ?? []);
      release(status, why instanceof HaechiError ? decisionFor(why.code) : undefined);
      const findings = extra.findings ?? [];
      metrics.findings("response", findings);
      const outcome: Outcome = why === "cancelled"
        ? "cancelled"
        : why !== undefined
        ? "error"
        : replyOutcome(profile.protector.policy.enforcing, findings);
      const input = {
        kind: "proxy.response",
        correlationId,
        outcome,
        findings,
        details: {
          ...labels,
          status,
          stream: wantsStream,
          restored: extra.restored ?? 0,
          refused: extra.refused ?? 0,
          ...(why !== undefined && why !== "cancelled" ? { code: why.code } : {}),
        },
      };
      // Awaited before the reply is handed back: the append is a blocking page-cache write
      // of a microsecond or two, and a crash after delivery must not lose the record.
      await record(input, false);
    };

    try {
      // The caller's profile governs its reply as it did its request.
      return await reply(
        profile.protector === protector
          ? replyContext
          : { ...replyContext, protector: profile.protector },
        matched,
        upstreamRes,
        url,
        { scope, restorer: replyRestorer },
        correlationId,
        wantsStream,
        ctrl,
        clock,
        respond,
      );
    } catch (e) {
      ctrl.abort();
      const err = toHaechiError(e);
      metrics.upstreamError("stream");
      await respond(err, statusFor(err.code));
      throw err;
    }
  }

  async function protectUnknown(
    protector: Protector,
    text: string,
    scope: string,
    issued: Set<string>,
  ) {
    try {
      JSON.parse(text);
    } catch {
      return await protector.protectText(text, { scope, issued });
    }
    return await protector.protectJsonText(text, { scope, issued });
  }

  return {
    metrics,
    upstream,
    fetch: async (req) => {
      try {
        return await handle(req);
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

/** Whether the terminator in front said the client spoke HTTPS (one value, exactly https). */
function forwardedOverHttps(headers: Headers): boolean {
  return headers.get("x-forwarded-proto")?.trim().toLowerCase() === "https";
}
