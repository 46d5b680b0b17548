/**
 * The audit dashboard: a read-only page and JSON routes over the audit log, with the
 * chain status on top. Everything it serves is embedded; it reads the log's tail window
 * and verifies the chain with the audit module, cached by the log's size and mtime.
 *
 * Routes: `/` (page), `/api/events`, `/api/chain`, `/api/summary`, `/healthz`.
 *
 * @example
 * ```ts ignore
 * import { startDashboard } from "./mod.ts";
 * const d = await startDashboard({ auditPath: ".haechi/audit.jsonl" });
 * console.log(`open ${d.url}`);
 * ```
 *
 * @module
 */
export {
  DASHBOARD_DEFAULT_HOST,
  DASHBOARD_DEFAULT_PORT,
  DASHBOARD_DEFAULT_WINDOW,
  DASHBOARD_MAX_WINDOW,
  DASHBOARD_MIN_WINDOW,
  type DashboardOptions,
  isLoopback,
  normalizeDashboardOptions,
  type NormalizedDashboardOptions,
  type SessionGuard,
} from "./options.ts";
export {
  createDashboardHandler,
  DASHBOARD_CSP,
  type DashboardHandler,
  type RequestInfo,
} from "./server.ts";
export { type RunningDashboard, startDashboard } from "./start.ts";
export { createTokenGuard, MIN_TOKEN_LENGTH } from "./guard.ts";
export { type ChainChecker, type ChainStatus, createChainChecker } from "./chain.ts";
export { createTailReader, type TailReader, type TailWindow } from "./tail.ts";
export { type DashboardSummary, type EventFilter, summarizeWindow } from "./aggregate.ts";
export { type DashboardEvent, projectRecord } from "./project.ts";
