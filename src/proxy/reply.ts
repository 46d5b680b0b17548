/**
 * The reply half of a forwarded LLM request: what the upstream answered, made safe for
 * the caller. It lives apart from gateway.ts, which keeps the request half, so each file
 * holds one direction and stays within the size rule. A reply is refused on a redirect, passed
 * decoded for an unknown route, rewritten event by event for a stream, scanned and
 * restored whole for JSON, and refused for any other content type it cannot protect.
 *
 * @module
 */
import type { HaechiConfig } from "../config/mod.ts";
import { HaechiError } from "../errors.ts";
import type { Protocol, Route } from "../protocols/mod.ts";
import {
  type AppliedFinding,
  createReplyProtection,
  parseJsonExact,
  type Protector,
} from "../protect/mod.ts";
import {
  createChannelRewriter,
  createGuardFactory,
  decodeBody,
  framingContentType,
  framingOf,
  isIdentity,
  rewriteStream,
} from "../stream/mod.ts";
import type { TokenRestorer } from "../vault/mod.ts";
import { errorResponse } from "./errors.ts";
import { sanitizeResponseHeaderList, setHeader } from "./headers.ts";
import type { GatewayMetrics } from "./metrics.ts";
import { trackEnd } from "./track_end.ts";
import {
  guardUpstreamBody,
  guardUpstreamSource,
  readReply,
  type ReplyClock,
} from "./upstream_body.ts";

/** What {@linkcode reply} needs from the gateway it serves, fixed when the gateway is built. */
export interface ReplyContext {
  /** The base protector: its scanner and policy judge reply headers and bodies. */
  readonly protector: Protector;
  /** Validated config (`proxy`, `limits`, `detect`, `policy`). */
  readonly config: HaechiConfig;
  /** The gateway's metrics (upstream errors). */
  readonly metrics: GatewayMetrics;
  /** `limits.maxBytes`: the bound on a reply read whole. */
  readonly maxBytes: number;
}

/**
 * Turn the upstream's answer into the caller's reply, calling `respond` once when it ends.
 *
 * @param ctx The gateway's fixed context.
 * @returns The reply for the caller.
 * @throws {HaechiError} `proxy.upstream` for a redirect or malformed JSON, or what reading
 *   the reply raised.
 */
export async function reply(
  ctx: ReplyContext,
  matched: { protocol: Protocol; route: Route } | null,
  res: Response,
  url: URL,
  caller: { scope: string; restorer: TokenRestorer | undefined },
  correlationId: string,
  wantsStream: boolean,
  ctrl: AbortController,
  clock: ReplyClock,
  respond: (
    why: HaechiError | "cancelled" | undefined,
    status: number,
    extra?: { findings?: AppliedFinding[]; restored?: number; refused?: number },
  ) => Promise<void>,
): Promise<Response> {
  const { protector, config, metrics, maxBytes } = ctx;
  const proxy = config.proxy;
  // Allowlisted reply headers are read by the caller too: one holding a finding is dropped.
  const headers = sanitizeResponseHeaderList(res.headers)
    .filter(([name, value]) => protector.scanner.scan(`${name}: ${value}`).length === 0);
  headers.push(["x-haechi-request-id", correlationId]);
  const type = (res.headers.get("content-type") ?? "").toLowerCase();
  const encoding = res.headers.get("content-encoding");
  // A body read as it streams is bounded per read (idle) and in total, from here on.
  const bounds = () => {
    clock.stop();
    return {
      idleMs: proxy.upstreamTimeoutMs,
      deadline: clock.sent + proxy.stream.maxDurationMs,
      totalKey: "proxy.stream.maxDurationMs",
      onTimeout: () => {
        metrics.upstreamError("timeout");
        ctrl.abort();
      },
    };
  };
  const guarded = (body: ReadableStream<Uint8Array>) => guardUpstreamBody(body, bounds());
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    throw new HaechiError(
      "proxy.upstream",
      `The upstream answered with a redirect (${res.status})`,
    );
  }
  if (matched === null) {
    // Unknown routes pass with request protection only; the body is decoded so the
    // dropped Content-Encoding stays truthful.
    if (type !== "") setHeader(headers, "content-type", type);
    const body = res.body === null ? null : trackEnd(decodeBody(guarded(res.body), encoding), {
      end: () => respond(undefined, res.status),
      cancel: () => {
        ctrl.abort();
        respond("cancelled", res.status);
      },
    });
    return new Response(body, { status: res.status, headers });
  }
  const { protocol, route } = matched;
  const framing = framingOf(type, wantsStream ? protocol.framing(route, url) : undefined);
  const { scope, restorer } = caller;
  const output = createReplyProtection(protector, {
    restorer,
    scope,
    maxDepth: config.limits.maxDepth,
    scanKeys: config.detect.scanKeys,
    maskKeep: config.policy.maskKeep,
  });
  if (framing !== undefined && res.body !== null) {
    const findings: AppliedFinding[] = [];
    const rewriter = createChannelRewriter(protocol.streamShape(route), {
      openGuard: createGuardFactory({
        output,
        restorer,
        scope,
        window: config.proxy.stream.holdbackChars,
      }),
      protectValue: (v, path) => output.protectValue(v, path),
      isClean: (t) => !t.includes("[TOKEN:") && output.scan(t).length === 0,
      onFindings: (list, path) => {
        for (const f of list) findings.push({ ...f, path });
      },
    });
    const body = rewriteStream({
      // An encoded body is decoded through stream layers; a plain one (the usual case) is
      // read straight into the rewriter, which uses each chunk up before the next read.
      source: isIdentity(encoding)
        ? guardUpstreamSource(res.body, bounds())
        : decodeBody(guarded(res.body), encoding, { maxBytes: Number.MAX_SAFE_INTEGER })
          .getReader(),
      framing,
      errorFrame: protocol.streamErrorFrame,
      rewriter,
      maxEventBytes: config.proxy.stream.maxEventBytes,
      abortUpstream: () => ctrl.abort(),
      onEnd: (why) => {
        if (why !== undefined && why !== "cancelled") metrics.upstreamError("stream");
        return respond(why, res.status, {
          findings: [...findings, ...output.findings],
          restored: output.restores.restored,
          refused: output.restores.refused,
        });
      },
    });
    setHeader(headers, "content-type", framingContentType(framing));
    setHeader(headers, "cache-control", "no-cache");
    setHeader(headers, "x-accel-buffering", "no");
    return new Response(body, { status: res.status, headers });
  }
  if (type.includes("json")) {
    const text = await readReply(res, clock, maxBytes);
    let parsed: unknown;
    try {
      parsed = parseJsonExact(text);
    } catch {
      throw new HaechiError("proxy.upstream", "The upstream returned malformed JSON");
    }
    const safe = await output.protectValue(parsed, "$");
    await respond(undefined, res.status, {
      findings: output.findings,
      restored: output.restores.restored,
      refused: output.restores.refused,
    });
    setHeader(headers, "content-type", "application/json");
    return new Response(JSON.stringify(safe), { status: res.status, headers });
  }
  await res.body?.cancel();
  if (res.status === 204 || res.status === 205) {
    await respond(undefined, res.status);
    return new Response(null, { status: res.status, headers });
  }
  const status = res.status >= 500 ? 502 : res.status >= 400 ? res.status : 502;
  const message = res.status >= 400
    ? `The upstream answered ${res.status} without a JSON body`
    : "The upstream answered with a content type the gateway cannot protect";
  await respond(undefined, status);
  return errorResponse(protocol, new HaechiError("proxy.upstream", message), headers, status);
}
