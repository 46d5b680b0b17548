/**
 * Run the dashboard: validate options, listen (through the runtime's one `Deno.serve`),
 * then accept `Host` headers for the address actually bound.
 *
 * @module
 */
import { type ServeHandle, serveHttp } from "../runtime/mod.ts";
import { type DashboardOptions, normalizeDashboardOptions } from "./options.ts";
import { createDashboardHandler } from "./server.ts";

/** A running dashboard. */
export interface RunningDashboard {
  /** Base URL, e.g. `http://127.0.0.1:1018/`. */
  readonly url: string;
  /** Port bound. */
  readonly port: number;
  /** Stop serving. */
  close(): Promise<void>;
  /** Resolves when the server has stopped. */
  readonly finished: Promise<void>;
}

/**
 * Start a dashboard for `options`.
 *
 * @throws {HaechiError} `usage.invalid` for bad options (including an unsafe remote bind).
 *
 * @example
 * ```ts
 * import { startDashboard } from "./start.ts";
 * const d = await startDashboard({ auditPath: "missing.jsonl", port: 0 });
 * const r = await fetch(`${d.url}healthz`);
 * if ((await r.json()).status !== "ok") throw new Error("live");
 * await d.close();
 * ```
 */
export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  const config = normalizeDashboardOptions(options);
  const dashboard = createDashboardHandler(config);
  const server: ServeHandle = await serveHttp(
    (req, info) => dashboard.handle(req, info),
    { hostname: config.host, port: config.port, ...(config.tls ? { tls: config.tls } : {}) },
  );
  dashboard.listeningOn(config.host, server.port);
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return {
    url: `${config.tls ? "https" : "http"}://${host}:${server.port}/`,
    port: server.port,
    close: () => server.close(),
    finished: server.finished,
  };
}
