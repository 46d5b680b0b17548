/**
 * MCP: protect Model Context Protocol traffic between agents and tools, both ways.
 *
 * - {@linkcode createMcpFilter} is the transport-neutral core: one JSON-RPC message in,
 *   what to pass on and what to answer out, every decision audited.
 * - {@linkcode runStdioRelay} runs it over a child server's stdio (`haechi mcp-wrap`).
 * - {@linkcode createMcpHttpHandler} runs it as a `fetch` handler in front of a Streamable
 *   HTTP server (the proxy's `mcp` target).
 * - {@linkcode createStderrFilter} scrubs a server's stderr with a bounded window.
 *
 * Decisions: every message is rebuilt from its JSON-RPC fields and protected in both
 * directions; tokens in server output are not restored (that is the model caller's job);
 * batches are refused (MCP 2025-06-18 dropped them); anything unchecked is not passed on.
 *
 * @module
 */
export {
  createMcpFilter,
  type McpDecision,
  type McpFilter,
  type McpFilterOptions,
  type McpSender,
  type McpVerdict,
  type RawMessage,
} from "./filter.ts";
export {
  classifyMessage,
  errorLine,
  type HaechiRejectReason,
  JSONRPC_ERRORS,
  type JsonRpcId,
  type JsonRpcInvalid,
  type JsonRpcMessage,
  serializeMessage,
} from "./jsonrpc.ts";
export { compileMethodPolicy, matchesPattern, type MethodPolicy } from "./method_policy.ts";
export { restoreArguments, type RestoredArguments } from "./detokenize.ts";
export {
  createStderrFilter,
  type StderrFilter,
  type StderrFilterOptions,
} from "./stderr_filter.ts";
export { runStdioRelay, type StdioRelayOptions } from "./stdio_relay.ts";
export {
  createMcpRequestLog,
  formatMcpLog,
  type McpLogEntry,
  type McpRequestLog,
  type McpRequestLogOptions,
} from "./request_log.ts";
export { createMcpHttpHandler, type McpHttpHandlerOptions } from "./http_handler.ts";
