/**
 * Gateway metrics in the Prometheus text exposition format (version 0.0.4).
 *
 * Labels come only from fixed vocabularies: protocol and route names from the protocol
 * tables (`unknown` otherwise), HTTP status codes, finding types and actions from the
 * rule table. No caller identity, scope, path or value ever becomes a label.
 *
 * @module
 */

const BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120];
/** Cached label keys kept at most (a bound, should a label ever come from outside). */
const MAX_LABEL_KEYS = 4096;

/** Counters and gauges of one gateway. */
export interface GatewayMetrics {
  /**
   * Count a finished request. `decision` is haechi's own verdict when it answered itself
   * (`blocked`, `overloaded`, ...); without one the request was forwarded.
   */
  request(
    labels: { protocol: string; route: string; status: number; decision?: Decision },
    seconds: number,
  ): void;
  /** Count findings in one direction. */
  findings(
    direction: "request" | "response",
    list: Iterable<{ type: string; action: string }>,
  ): void;
  /** Count an upstream failure by kind (`connect`, `timeout`, `stream`, `status`). */
  upstreamError(kind: string): void;
  /** Count a request refused for load (503). */
  rejected(): void;
  /** In-flight gauge. */
  inFlight: number;
  /** Render the text format. */
  render(): string;
}

/** haechi 1.4's decision classes for `haechi_requests_total`: a fixed vocabulary. */
export type Decision =
  | "forwarded"
  | "blocked"
  | "auth_denied"
  | "overloaded"
  | "rate_limited"
  | "model_not_allowed"
  | "upstream_timeout"
  | "upstream_error"
  | "internal_error"
  | "rejected";

/**
 * The decision class for one of haechi's error codes.
 *
 * @example
 * ```ts
 * import { decisionFor } from "./metrics.ts";
 * if (decisionFor("payload.blocked") !== "blocked") throw new Error();
 * ```
 */
export function decisionFor(code: string): Decision {
  switch (code) {
    case "payload.blocked":
    case "proxy.stream_refused":
      return "blocked";
    case "proxy.unauthorized":
      return "auth_denied";
    case "proxy.overloaded":
      return "overloaded";
    case "proxy.rate_limited":
      return "rate_limited";
    case "proxy.model_not_allowed":
      return "model_not_allowed";
    case "proxy.timeout":
      return "upstream_timeout";
    case "proxy.upstream":
    case "stream.invalid":
      return "upstream_error";
    case "internal":
    case "audit.io":
    case "vault.io":
      return "internal_error";
    default:
      return "rejected";
  }
}

/** Spec counters that count one decision each, with their help text. */
const DECISION_COUNTERS: readonly [string, Decision, string][] = [
  ["haechi_blocks_total", "blocked", "Requests blocked by policy."],
  ["haechi_auth_denied_total", "auth_denied", "Requests refused by gateway authentication."],
  ["haechi_overloaded_total", "overloaded", "Requests refused at the in-flight ceiling."],
  ["haechi_rate_limited_total", "rate_limited", "Requests refused by policy.rate (429)."],
  ["haechi_upstream_timeout_total", "upstream_timeout", "Upstream calls that timed out."],
  ["haechi_upstream_error_total", "upstream_error", "Upstream calls that failed."],
  ["haechi_internal_error_total", "internal_error", "Requests that hit an internal error."],
];

/**
 * Create an empty metrics registry.
 *
 * @example
 * ```ts
 * import { createMetrics } from "./metrics.ts";
 * const m = createMetrics();
 * m.request({ protocol: "openai", route: "chat.completions", status: 200 }, 0.002);
 * if (!m.render().includes('haechi_proxy_requests_total{protocol="openai"')) throw new Error();
 * ```
 */
export function createMetrics(mode = "enforce"): GatewayMetrics {
  const requests = new Map<string, number>();
  const findings = new Map<string, number>();
  const upstream = new Map<string, number>();
  const duration = new Map<string, { buckets: number[]; sum: number; count: number }>();
  const specRequests = new Map<string, number>();
  const specDuration = new Map<string, { buckets: number[]; sum: number; count: number }>();
  const decisions = new Map<Decision, number>();
  let rejected = 0;

  const inc = (m: Map<string, number>, key: string, by = 1) => m.set(key, (m.get(key) ?? 0) + by);
  const observe = (
    m: Map<string, { buckets: number[]; sum: number; count: number }>,
    key: string,
    seconds: number,
  ) => {
    let h = m.get(key);
    if (h === undefined) m.set(key, h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 });
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) h.buckets[i]++;
    h.sum += seconds;
    h.count++;
  };
  // Label keys are built (and their values sanitized) once per distinct combination, not
  // per request: the vocabularies are small and fixed, so these maps stay small too.
  const findingKeys = new Map<string, string>();
  const findingKey = (direction: string, type: string, action: string): string => {
    const raw = `${direction}\n${type}\n${action}`;
    let key = findingKeys.get(raw);
    if (key === undefined) {
      key = `direction="${direction}",type="${label(type)}",action="${label(action)}"`;
      if (findingKeys.size < MAX_LABEL_KEYS) findingKeys.set(raw, key);
    }
    return key;
  };

  const metrics: GatewayMetrics = {
    inFlight: 0,
    request(l, seconds) {
      inc(requests, `protocol="${l.protocol}",route="${l.route}",status="${l.status}"`);
      observe(duration, `protocol="${l.protocol}"`, seconds);
      const decision = l.decision ?? "forwarded";
      inc(specRequests, `route="${l.route}",mode="${mode}",decision="${decision}"`);
      observe(specDuration, `route="${l.route}"`, seconds);
      decisions.set(decision, (decisions.get(decision) ?? 0) + 1);
    },
    findings(direction, list) {
      for (const f of list) inc(findings, findingKey(direction, f.type, f.action));
    },
    upstreamError(kind) {
      inc(upstream, `kind="${label(kind)}"`);
    },
    rejected() {
      rejected++;
    },
    render() {
      const lines: string[] = [];
      const counter = (name: string, help: string, m: Map<string, number>) => {
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
        for (const [k, v] of m) lines.push(`${name}{${k}} ${v}`);
      };
      // haechi 1.4's names first, then this project's finer ones.
      counter(
        "haechi_requests_total",
        "Requests answered, by route, mode and decision.",
        specRequests,
      );
      for (const [name, decision, help] of DECISION_COUNTERS) {
        lines.push(
          `# HELP ${name} ${help}`,
          `# TYPE ${name} counter`,
          `${name} ${decisions.get(decision) ?? 0}`,
        );
      }
      histogram(
        "haechi_request_duration_seconds",
        "Time to the end of the response body, by route.",
        specDuration,
      );
      counter(
        "haechi_proxy_requests_total",
        "Requests answered, by protocol, route and status.",
        requests,
      );
      counter("haechi_proxy_findings_total", "Findings by direction, type and action.", findings);
      counter("haechi_proxy_upstream_errors_total", "Upstream failures by kind.", upstream);
      lines.push(
        "# HELP haechi_proxy_rejected_total Requests refused because maxInFlight was reached.",
        "# TYPE haechi_proxy_rejected_total counter",
        `haechi_proxy_rejected_total ${rejected}`,
        "# HELP haechi_proxy_in_flight Requests being handled now.",
        "# TYPE haechi_proxy_in_flight gauge",
        `haechi_proxy_in_flight ${metrics.inFlight}`,
      );
      histogram(
        "haechi_proxy_request_duration_seconds",
        "Time to the end of the response body.",
        duration,
      );
      return lines.join("\n") + "\n";
      function histogram(
        name: string,
        help: string,
        m: Map<string, { buckets: number[]; sum: number; count: number }>,
      ): void {
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
        for (const [k, h] of m) {
          BUCKETS.forEach((b, i) => {
            lines.push(`${name}_bucket{${k},le="${b}"} ${h.buckets[i]}`);
          });
          lines.push(
            `${name}_bucket{${k},le="+Inf"} ${h.count}`,
            `${name}_sum{${k}} ${h.sum}`,
            `${name}_count{${k}} ${h.count}`,
          );
        }
      }
    },
  };
  return metrics;
}

/** Keep label values to the vocabulary's own characters. */
function label(v: string): string {
  return v.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 64);
}
