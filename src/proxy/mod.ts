/**
 * The gateway: a `fetch(Request) → Response` handler that protects what leaves for a model
 * and what comes back, for every wire protocol in `src/protocols/`.
 *
 * - {@linkcode createGateway} builds the handler from an opened session; tests call it
 *   in-process with a plain `Request`.
 * - {@linkcode openGateway} opens config, keys, vault, audit and the auth gate for it, and
 *   {@linkcode startGateway} also serves it on a port (through `src/runtime/`).
 *
 * @module
 */
export {
  type CallerIdentity,
  createGateway,
  type Gateway,
  type GatewayOptions,
} from "./gateway.ts";
export {
  type OpenedGateway,
  openGateway,
  type OpenGatewayOptions,
  type StartedGateway,
  startGateway,
} from "./open.ts";
export { formatRequestLog } from "./middleware/request_log.ts";
