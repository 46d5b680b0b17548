/**
 * The reserved `/__haechi/*` routes: liveness, readiness, health and metrics. They are
 * answered before any auth or body read and never reach an upstream.
 *
 * Bodies carry haechi 1.4's fields (`ok`, `ready`, `version`, `mode`, `checks`) next to
 * this project's `status`, so probes written for either keep working.
 *
 * @module
 */
import type { HaechiConfig } from "../config/mod.ts";
import { HaechiError } from "../errors.ts";
import { OPENAI } from "../protocols/mod.ts";
import { VERSION } from "../version.ts";
import { errorResponse } from "./errors.ts";
import type { GatewayMetrics } from "./metrics.ts";

/** What the routes read from the gateway. */
export interface OperabilityState {
  /** Effective configuration (mode, metrics switch). */
  readonly config: HaechiConfig;
  /** The gateway's metrics. */
  readonly metrics: GatewayMetrics;
  /** Whether the audit log has become unusable. */
  auditBroken(): boolean;
  /** Extra readiness check: `null` when ready, else a short safe reason. */
  readonly ready?: () => Promise<string | null>;
  /**
   * Named readiness checks (`vaultUsable`, `upstreamReachable`, ...), each true when it
   * passes; reported in the body's `checks`, and any false one makes the gateway not ready.
   */
  readonly checks?: () => Promise<Readonly<Record<string, boolean>>>;
}

/**
 * Answer one `/__haechi/*` request.
 *
 * @param req The request.
 * @param pathname Its path.
 * @param state What the routes report on.
 * @returns The response (404 for an unknown endpoint, or metrics when switched off).
 *
 * @example
 * ```ts ignore
 * if (url.pathname.startsWith("/__haechi/")) return await operability(req, url.pathname, state);
 * ```
 */
export async function operability(
  req: Request,
  pathname: string,
  state: OperabilityState,
): Promise<Response> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    return new Response(null, { status: 405, headers: { allow: "GET, HEAD" } });
  }
  if (pathname === "/__haechi/live") {
    return Response.json({ ok: true, version: VERSION, status: "live" });
  }
  if (pathname === "/__haechi/health") {
    return Response.json({ ok: true, mode: state.config.mode, version: VERSION, status: "live" });
  }
  if (pathname === "/__haechi/ready") {
    const broken = state.auditBroken();
    let reason: string | null = broken ? "audit log unusable" : null;
    if (reason === null && state.ready !== undefined) {
      try {
        reason = await state.ready();
      } catch {
        reason = "readiness check failed";
      }
    }
    let named: Readonly<Record<string, boolean>> = {};
    if (state.checks !== undefined) {
      try {
        named = await state.checks();
      } catch {
        reason ??= "readiness check failed";
      }
    }
    const checks = { auditWritable: !broken, ...named };
    const failing = Object.keys(named).filter((k) => named[k] !== true);
    if (reason === null && failing.length > 0) reason = `failed: ${failing.join(", ")}`;
    return reason === null
      ? Response.json({ ready: true, version: VERSION, checks, status: "ready" })
      : Response.json(
        { ready: false, version: VERSION, checks, status: "not_ready", reason },
        { status: 503 },
      );
  }
  if (pathname === "/__haechi/metrics" && state.config.metrics.enabled) {
    return new Response(state.metrics.render(), {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
    });
  }
  return errorResponse(OPENAI, new HaechiError("proxy.route_unknown", "Unknown haechi endpoint"));
}
