/**
 * Schema rows for the proxy listener, logging and metrics.
 * Part of the table that `schema.ts` concatenates, in key order.
 *
 * @module
 */
import type { ConfigKeySpec } from "./schema.ts";

/** Schema rows for the proxy listener, logging and metrics. */
export const PROXY_SPECS: readonly ConfigKeySpec[] = [
  {
    path: "proxy.host",
    type: { kind: "string", nonEmpty: true },
    description:
      "Address haechi proxy listens on; non-loopback needs --allow-remote-bind and TLS (or proxy.trustForwardedProto).",
  },
  {
    path: "proxy.port",
    type: { kind: "integer", min: 0, max: 65535 },
    description: "Port haechi proxy listens on (0 picks a free one).",
  },
  {
    path: "proxy.upstream",
    env: "HAECHI_UPSTREAM",
    type: { kind: "string" },
    description: "Base URL of the LLM server (e.g. http://127.0.0.1:11434); required to start.",
  },
  {
    path: "proxy.mcpUpstream",
    type: { kind: "string" },
    description:
      "MCP Streamable HTTP server to protect (the mcp target), e.g. http://127.0.0.1:3001/mcp.",
  },
  {
    path: "proxy.mcpPath",
    type: { kind: "string", nonEmpty: true },
    description: "Path the gateway serves the MCP endpoint on.",
  },
  {
    path: "proxy.allowNonLoopback",
    env: null,
    type: { kind: "boolean" },
    description:
      "Acknowledges a non-loopback bind; the --allow-remote-bind flag is still required.",
  },
  {
    path: "proxy.tls.certFile",
    env: null,
    type: { kind: "string" },
    description: "PEM certificate file; with proxy.tls.keyFile, haechi proxy serves HTTPS.",
  },
  {
    path: "proxy.tls.keyFile",
    env: null,
    type: { kind: "string" },
    description: "PEM private key file for proxy.tls.certFile.",
  },
  {
    path: "proxy.tls.pfxFile",
    env: null,
    type: { kind: "string" },
    description:
      "PKCS#12 (.pfx/.p12) file with the key and certificate chain, instead of certFile/keyFile.",
  },
  {
    path: "proxy.tls.passphrase",
    env: null,
    sensitive: true,
    type: { kind: "string" },
    description: "Password of proxy.tls.pfxFile (empty for none).",
  },
  {
    path: "proxy.trustForwardedProto",
    type: { kind: "boolean" },
    envOnly: [true],
    description:
      "A TLS-terminating proxy sits in front: refuse requests whose X-Forwarded-Proto is not https.",
  },
  {
    path: "proxy.allowUnknownRoutes",
    env: null,
    type: { kind: "boolean" },
    description: "Forward unknown routes with request protection only (default: refuse them).",
  },
  {
    path: "proxy.upstreamAllowHosts",
    env: null,
    type: { kind: "stringArray" },
    description: "Upstream hosts exempt from the link-local and cloud-metadata refusal.",
  },
  {
    path: "proxy.upstreamTimeoutMs",
    type: { kind: "integer", min: 100, max: 3_600_000 },
    description:
      "Milliseconds for a whole non-streamed reply, and for stream headers and each chunk gap.",
  },
  {
    path: "proxy.maxInFlight",
    type: { kind: "integer", min: 1, max: 100_000 },
    description: "Requests handled at once; more get 503 with Retry-After.",
  },
  {
    path: "proxy.upstreamAuthHeader",
    env: null,
    type: { kind: "string" },
    description: "Header that carries the upstream credential, e.g. authorization; empty for none.",
  },
  {
    path: "proxy.upstreamAuthEnv",
    env: null,
    type: { kind: "string" },
    description: "Environment variable holding the upstream credential header's value.",
  },
  {
    path: "proxy.forwardCallerCredentials",
    env: null,
    type: { kind: "boolean" },
    description: "Forward the caller's Authorization/x-api-key upstream (never with gateway auth).",
  },
  {
    path: "proxy.scopeHeader",
    env: null,
    type: { kind: "string" },
    description:
      "Request header naming the token scope without gateway auth; empty: scope default.",
  },
  {
    path: "proxy.forwardHeaders",
    env: null,
    type: { kind: "stringArray" },
    description:
      "Request headers forwarded (values scanned) beyond the built-in list; others are dropped.",
  },
  {
    path: "proxy.forwardQuery",
    env: null,
    type: { kind: "stringArray" },
    description:
      "Query parameters forwarded (values scanned) beyond the built-in list; others are dropped.",
  },
  {
    path: "proxy.stream.requests",
    type: { kind: "enum", values: ["inspect", "block"] },
    envOnly: ["block"],
    description:
      "inspect streamed replies (default), or block: refuse streaming requests with 501.",
  },
  {
    path: "proxy.restoreTokens",
    type: { kind: "boolean" },
    envOnly: [false],
    description:
      "Restore the caller's own tokens in replies; false leaves tokens in place (1.4's default).",
  },
  {
    path: "proxy.stream.holdbackChars",
    type: { kind: "integer", min: 16, max: 16384 },
    description:
      "Output characters held back per stream channel to catch values split across frames.",
  },
  {
    path: "proxy.stream.maxEventBytes",
    type: { kind: "integer", min: 1024, max: 64 * 1024 * 1024 },
    description: "Largest upstream stream event or NDJSON line, in bytes.",
  },
  {
    path: "proxy.stream.maxDurationMs",
    type: { kind: "integer", min: 1000, max: 86_400_000 },
    description: "Longest a streamed reply may run in total, in milliseconds.",
  },
  {
    path: "logging.format",
    type: { kind: "enum", values: ["text", "json"] },
    env: "HAECHI_LOG_FORMAT",
    description: "haechi proxy's own log lines: text, or one JSON object per line.",
  },
  {
    path: "metrics.enabled",
    type: { kind: "boolean" },
    description: "Serve GET /__haechi/metrics; false answers 404.",
  },
];
