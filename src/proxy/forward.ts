/**
 * The innermost handler of an LLM route: protect the request (body, then path, query and
 * header values: one policy, one audit record), send the protected form upstream, and hand
 * the answer to {@linkcode reply}. It runs holding an in-flight slot, which the reply's end
 * gives back.
 *
 * @module
 */
import type { HaechiConfig } from "../config/mod.ts";
import { HaechiError, toHaechiError } from "../errors.ts";
import { type AppliedFinding, parseJsonText, type Protector } from "../protect/mod.ts";
import { restorerFor, type TokenRestorer } from "../vault/mod.ts";
import { type Outcome, protectionOutcome, replyOutcome } from "../audit/mod.ts";
import type { GatewayContext, RequestEnds } from "./context.ts";
import { statusFor } from "./errors.ts";
import { type RequestHeaderPolicy, selectRequestHeaders, setHeader } from "./headers.ts";
import { type QueryPolicy, requestParts, upstreamTarget } from "./request_target.ts";
import type { ReplyClock } from "./upstream_body.ts";
import { decisionFor, type GatewayMetrics } from "./metrics.ts";
import { reply, type ReplyContext } from "./reply.ts";
import { checkModel } from "./profiles.ts";
import { countFindings, upstreamFailure } from "./middleware/request_log.ts";
import type { Handler } from "./router.ts";

/** What {@linkcode createForward} is built from, once per gateway. */
export interface ForwardOptions {
  /** Validated config. */
  readonly config: HaechiConfig;
  /** The base protector (its mode decides a reply's outcome). */
  readonly protector: Protector;
  /** Restores this caller's tokens in replies (the vault). */
  readonly restorer?: TokenRestorer;
  /** The checked upstream base URL. */
  readonly upstream: URL;
  /** Which request headers are forwarded, scanned or fixed. */
  readonly headerPolicy: RequestHeaderPolicy;
  /** Which query parameters are forwarded. */
  readonly queryPolicy: QueryPolicy;
  /** Sends the upstream request (`fetch(url, init)`, or an injected fetch). */
  readonly send: (url: string, init: RequestInit) => Promise<Response>;
  /** The gateway's metrics. */
  readonly metrics: GatewayMetrics;
  /** In-flight upstream requests, aborted by the gateway's `close`. */
  readonly controllers: Set<AbortController>;
  /** Aborted when the gateway closes. */
  readonly closing: AbortSignal;
  /** What the reply half needs. */
  readonly replyContext: ReplyContext;
  /** How a request ends. */
  readonly ends: RequestEnds;
}

/**
 * Build the forwarding handler.
 *
 * @param options Everything fixed at build time.
 * @returns The handler.
 */
export function createForward(options: ForwardOptions): Handler<GatewayContext> {
  const { config, protector, restorer, upstream, headerPolicy, queryPolicy, metrics } = options;
  const { controllers, closing, replyContext, ends } = options;
  const send = options.send;
  // Upstream URLs of caller paths sent unchanged (no query, nothing rewritten or encoded):
  // the same few paths recur, and building one costs three URL parses.
  const targets = new Map<string, string>();
  const proxy = config.proxy;
  const maxBytes = config.limits.maxBytes;
  const basePath = upstream.pathname.replace(/\/+$/, "");

  return async function forward(ctx) {
    const { req, url, matched, correlationId, labels, trace, caller, text, profile } = ctx;
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
    await ends.record({
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

    const plain = parts.query.length === 0 && parts.credential === undefined &&
      parts.segments.every((s, i) => s === parts.rawSegments[i]);
    let target = plain ? targets.get(url.pathname) : undefined;
    if (target === undefined) {
      target = upstreamTarget(upstream, basePath, parts).href;
      if (plain) {
        if (targets.size >= TARGETS_KEPT) targets.clear();
        targets.set(url.pathname, target);
      }
    }
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
      upstreamRes = await send(target, {
        method: req.method,
        headers,
        body: outBody,
        signal: ctrl.signal,
        redirect: "manual",
      });
    } catch (e) {
      cleanup();
      metrics.upstreamError(timedOut ? "timeout" : "connect");
      trace.upstreamFailure = upstreamFailure(e, timedOut);
      throw timedOut
        ? new HaechiError(
          "proxy.timeout",
          "The upstream did not answer within proxy.upstreamTimeoutMs",
        )
        : closing.aborted
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
      ends.release(ctx, status, why instanceof HaechiError ? decisionFor(why.code) : undefined);
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
      await ends.record(input, false);
    };

    try {
      return await reply(
        // The caller's profile governs its reply as it did its request.
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
  };
}

/** Upstream URLs remembered for unchanged caller paths before the memory starts over. */
const TARGETS_KEPT = 256;

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
