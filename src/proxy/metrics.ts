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
  /** Count a finished request. */
  request(labels: { protocol: string; route: string; status: number }, seconds: number): void;
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
export function createMetrics(): GatewayMetrics {
  const requests = new Map<string, number>();
  const findings = new Map<string, number>();
  const upstream = new Map<string, number>();
  const duration = new Map<string, { buckets: number[]; sum: number; count: number }>();
  let rejected = 0;

  const inc = (m: Map<string, number>, key: string, by = 1) => m.set(key, (m.get(key) ?? 0) + by);
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
      const key = `protocol="${l.protocol}"`;
      let h = duration.get(key);
      if (h === undefined) {
        duration.set(
          key,
          h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 },
        );
      }
      for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) h.buckets[i]++;
      h.sum += seconds;
      h.count++;
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
        "# HELP haechi_proxy_request_duration_seconds Time to the end of the response body.",
        "# TYPE haechi_proxy_request_duration_seconds histogram",
      );
      for (const [k, h] of duration) {
        BUCKETS.forEach((b, i) => {
          lines.push(
            `haechi_proxy_request_duration_seconds_bucket{${k},le="${b}"} ${h.buckets[i]}`,
          );
        });
        lines.push(
          `haechi_proxy_request_duration_seconds_bucket{${k},le="+Inf"} ${h.count}`,
          `haechi_proxy_request_duration_seconds_sum{${k}} ${h.sum}`,
          `haechi_proxy_request_duration_seconds_count{${k}} ${h.count}`,
        );
      }
      return lines.join("\n") + "\n";
    },
  };
  return metrics;
}

/** Keep label values to the vocabulary's own characters. */
function label(v: string): string {
  return v.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 64);
}
