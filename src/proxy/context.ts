/**
 * The typed per-request context of a gateway route (LLM or MCP): what every middleware of the gateway reads
 * and fills in, in place of positional parameters. One object per request, created when the
 * request enters the LLM chain; steps fill `caller`, `profile` and `text` as they run.
 *
 * @module
 */
import type { AuditInput } from "../audit/mod.ts";
import type { Protocol, Route } from "../protocols/mod.ts";
import type { Caller } from "./caller.ts";
import type { ErrorShape } from "./errors.ts";
import type { Decision } from "./metrics.ts";
import type { RequestTrace } from "./middleware/request_log.ts";
import type { RequestProfile } from "./profiles.ts";

/** The request as the router sees it, before any route's own context exists. */
export interface EntryContext {
  /** The incoming request. */
  readonly req: Request;
  /**
   * Its target. Only the path and query are used: an absolute-form target or a Host header
   * cannot steer the request anywhere but the configured upstream.
   */
  readonly url: URL;
}

/** A request matched to a protocol route. */
export interface MatchedRoute {
  /** The protocol that serves it. */
  readonly protocol: Protocol;
  /** The route. */
  readonly route: Route;
}

/** Metric and audit labels of one request; `identity` and `profile` once known. */
export interface RequestLabels {
  /** Protocol name, or `unknown`. */
  protocol: string;
  /** Route name, or `unknown`. */
  route: string;
  /** Keyed fingerprint of an authenticated caller (never a credential). */
  identity?: string;
  /** Name of the policy profile the caller was bound to. */
  profile?: string;
}

/** Whether the request holds one of `proxy.maxInFlight` slots. */
export type SlotState = "none" | "held" | "released";

/** The per-request context of a gateway route. */
export interface GatewayContext extends EntryContext {
  /** `performance.now()` when the request entered the chain. */
  readonly started: number;
  /** The request id: the caller's valid `x-request-id`, or a new one. */
  readonly correlationId: string;
  /** The protocol route, or null for an unknown route. */
  readonly matched: MatchedRoute | null;
  /** The protocol whose error shape answers this request (OpenAI for unknown routes). */
  readonly protocol: Protocol;
  /** The shape refusals take: `protocol`, or JSON-RPC on the MCP route. */
  readonly errorShape: ErrorShape;
  /** Metric and audit labels. */
  readonly labels: RequestLabels;
  /** The request-log line being built. */
  readonly trace: RequestTrace;
  /** Who is calling (set by the identify step). */
  caller: Caller;
  /** The caller's policy profile (the base policy until the identify step binds one). */
  profile: RequestProfile;
  /** The request body as text ("" for none; set by the body step). */
  text: string;
  /** The in-flight slot (taken by the in-flight step, given back once). */
  slot: SlotState;
}

/** How a request ends, shared by every step: built once per gateway. */
export interface RequestEnds {
  /** Count the finished request in metrics and the request log. */
  done(ctx: GatewayContext, status: number, decision?: Decision): void;
  /**
   * Refuse the request: an error in its protocol's shape, one `refused` audit record and
   * (unless `count` is false, because the request was already counted) metrics.
   */
  fail(
    ctx: GatewayContext,
    e: unknown,
    extra?: HeadersInit,
    count?: boolean,
  ): Promise<Response>;
  /** Give back the in-flight slot and count the request, once. */
  release(ctx: GatewayContext, status: number, decision?: Decision): void;
  /**
   * Append an audit record. `strict`: a failed append throws `audit.io` (a request is not
   * forwarded without its record); otherwise it only marks the log broken for readiness.
   */
  record(input: AuditInput, strict: boolean): Promise<void>;
}
