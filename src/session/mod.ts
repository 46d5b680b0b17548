/**
 * What a running haechi opens once and shares between the CLI, the proxy and the MCP
 * wrapper: config-driven keys, token vault, protector and audit sink.
 *
 * @module
 */
export {
  checkCryptoProvider,
  type CryptoProvider,
  hasKeyedState,
  openSession,
  type OpenSessionOptions,
  type Session,
} from "./session.ts";
export { type AuditLogSink, openAuditSink } from "./audit_sink.ts";
export { loadPolicyBundle } from "./policy_bundle.ts";
