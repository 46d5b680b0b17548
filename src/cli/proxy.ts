/**
 * `haechi proxy`: run the LLM gateway in front of an upstream server.
 *
 * @module
 */
import type { ProxyConfig } from "../config/mod.ts";
import { HaechiError } from "../errors.ts";
import { formatRequestLog, startGateway } from "../proxy/mod.ts";
import { waitForShutdownSignal } from "../runtime/mod.ts";
import { type Command, defineCommand } from "./command.ts";
import { parseFlagArgs } from "./_flags.ts";
import { CONFIG_FLAG, loadConfigFor } from "./_shared.ts";

/** Parsed `haechi proxy` flags. */
export interface ProxyFlags {
  /** Config path. */
  readonly config?: string;
  /** Upstream override. */
  readonly upstream?: string;
  /** MCP upstream override. */
  readonly mcpUpstream?: string;
  /** Host override. */
  readonly host?: string;
  /** Port override. */
  readonly port?: number;
  /** Allow non-loopback binding. */
  readonly allowNonLoopback: boolean;
  /** Help asked for. */
  readonly help: boolean;
}

/**
 * Parse `haechi proxy` arguments.
 *
 * @param args Arguments after the command name.
 * @returns The flags.
 * @throws {HaechiError} `usage.invalid` for unknown flags or a bad port.
 *
 * @example
 * ```ts
 * import { parseProxyFlags } from "./proxy.ts";
 * if (parseProxyFlags(["--port", "0"]).port !== 0) throw new Error("port");
 * ```
 */
export function parseProxyFlags(args: string[]): ProxyFlags {
  const { values } = parseFlagArgs(args, proxyCommand.flags, {
    command: "proxy",
    positionals: false,
  });
  return proxyFlagsFrom(values as Parameters<typeof proxyFlagsFrom>[0]);
}

function proxyFlagsFrom(values: {
  readonly config?: string;
  readonly upstream?: string;
  readonly "mcp-upstream"?: string;
  readonly host?: string;
  readonly port?: string;
  readonly "allow-non-loopback": boolean;
  readonly "allow-remote-bind": boolean;
  readonly help: boolean;
}): ProxyFlags {
  let port: number | undefined;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
      throw new HaechiError("usage.invalid", `--port must be an integer from 0 to 65535`);
    }
    port = Number(values.port);
  }
  return {
    config: values.config,
    upstream: values.upstream,
    mcpUpstream: values["mcp-upstream"],
    host: values.host,
    port,
    allowNonLoopback: values["allow-non-loopback"] === true || values["allow-remote-bind"] === true,
    help: values.help === true,
  };
}

/**
 * Whether `host` is a loopback address or name.
 *
 * @example
 * ```ts
 * import { isLoopbackHost } from "./proxy.ts";
 * if (!isLoopbackHost("127.0.0.1") || isLoopbackHost("0.0.0.0")) throw new Error();
 * ```
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Refuse a listen address that would expose the gateway unsafely. Only the command-line
 * flag lifts the loopback restriction (a config file or environment variable that someone
 * else wrote must not open the gateway to the network), and a remote listener must speak
 * TLS itself or sit behind a terminator the operator vouches for, so payloads and
 * credentials never cross the network in plaintext.
 *
 * @throws {HaechiError} `usage.invalid` naming what is missing.
 *
 * @example
 * ```ts
 * import { checkBind } from "./proxy.ts";
 * checkBind({ host: "127.0.0.1", tls: { certFile: "", keyFile: "", pfxFile: "", passphrase: "" }, trustForwardedProto: false }, false);
 * ```
 */
export function checkBind(
  proxy: Pick<ProxyConfig, "host" | "tls" | "trustForwardedProto">,
  allowRemoteBind: boolean,
): void {
  if (isLoopbackHost(proxy.host)) return;
  if (!allowRemoteBind) {
    throw new HaechiError(
      "usage.invalid",
      `Refusing to listen on non-loopback address ${proxy.host}; pass --allow-remote-bind (or --allow-non-loopback) on the command line (config and environment cannot lift this)`,
    );
  }
  if (proxy.tls.certFile === "" && proxy.tls.pfxFile === "" && !proxy.trustForwardedProto) {
    throw new HaechiError(
      "usage.invalid",
      `Refusing a plaintext listener on non-loopback address ${proxy.host}: set "proxy.tls" ({"certFile", "keyFile"} or {"pfxFile", "passphrase"}) so haechi serves HTTPS, or put a TLS terminator in front and set "proxy.trustForwardedProto": true`,
    );
  }
}

/** The `proxy` command. */
export const proxyCommand: Command = defineCommand({
  name: "proxy",
  summary: "Run the LLM gateway (OpenAI, Anthropic, Gemini, Ollama) in front of an upstream",
  usage: `haechi proxy [--config <file>] [--upstream <url>] [--mcp-upstream <url>]
                    [--host <addr>] [--port <n>] [--allow-non-loopback | --allow-remote-bind]`,
  description:
    `Run the gateway: requests to the OpenAI-compatible, Anthropic, Gemini and Ollama routes are
protected before they reach the upstream, and replies (streamed or not) are scanned and
get the caller's tokens restored. With --mcp-upstream the gateway also serves an MCP
Streamable HTTP endpoint at proxy.mcpPath (default /mcp), protecting tool traffic both
ways; either upstream alone is enough to start.`,
  flags: {
    config: { ...CONFIG_FLAG, value: "<file>" },
    upstream: { type: "string", value: "<url>", help: "LLM server base URL (proxy.upstream)." },
    "mcp-upstream": {
      type: "string",
      value: "<url>",
      help: "MCP server endpoint, e.g. http://127.0.0.1:3001/mcp (proxy.mcpUpstream).",
    },
    host: {
      type: "string",
      value: "<addr>",
      help: "Listen address (proxy.host, default 127.0.0.1).",
    },
    port: {
      type: "string",
      value: "<n>",
      help: "Listen port (proxy.port, default 11016; 0 picks one).",
    },
    "allow-remote-bind": {
      type: "boolean",
      help: `Allow a non-loopback --host; only this flag can (config and
        environment cannot). The listener must then serve TLS
        (proxy.tls) or sit behind a terminator (proxy.trustForwardedProto).`,
    },
    "allow-non-loopback": { type: "boolean", help: "The same as --allow-remote-bind." },
  },
  footer: `Endpoints: /__haechi/live, /__haechi/ready, /__haechi/metrics (Prometheus text).

On SIGINT or SIGTERM the proxy stops accepting, lets in-flight requests finish for
limits.shutdownGraceMs (default 10 s), cuts the rest, closes the audit log and exits 0.
Exit 69 when the listen address cannot be bound (port in use, not permitted).`,
  async run({ values }, io) {
    const flags = proxyFlagsFrom(values);
    const loaded = await loadConfigFor(flags.config, io);
    const config = {
      ...loaded,
      proxy: {
        ...loaded.proxy,
        ...(flags.upstream !== undefined ? { upstream: flags.upstream } : {}),
        ...(flags.mcpUpstream !== undefined ? { mcpUpstream: flags.mcpUpstream } : {}),
        ...(flags.host !== undefined ? { host: flags.host } : {}),
        ...(flags.port !== undefined ? { port: flags.port } : {}),
      },
    };
    checkBind(config.proxy, flags.allowNonLoopback);
    const format = config.logging.format;
    // One line per request, written in order without holding the request up; a line never
    // carries a value or a header (see request_log.ts).
    let logTail: Promise<unknown> = Promise.resolve();
    const gw = await startGateway(config, {
      env: io.env,
      requestLog: (entry) => {
        logTail = logTail.then(() => io.stderr.write(formatRequestLog(entry, format)))
          .catch(() => {});
      },
    });
    const targets = [
      ...(gw.gateway.upstream !== null ? [`LLM → ${gw.gateway.upstream.origin}`] : []),
      ...(config.proxy.mcpUpstream !== ""
        ? [`MCP ${config.proxy.mcpPath} → ${config.proxy.mcpUpstream}`]
        : []),
    ];
    const json = config.logging.format === "json";
    // logging.format "json": one object per line with haechi 1.4's event names; never a
    // payload, header or value, only addresses and the mode.
    const log = (event: Record<string, unknown>, text: string) =>
      io.stderr.write(json ? JSON.stringify({ level: "info", ...event }) + "\n" : text);
    await log(
      {
        event: "proxy_listening",
        url: gw.url,
        upstream: gw.gateway.upstream?.origin ?? null,
        mode: config.mode,
      },
      `haechi proxy listening on ${gw.url}: ${targets.join("; ")} (mode ${config.mode})\n`,
    );
    const signal = await waitForShutdownSignal();
    const grace = config.limits.shutdownGraceMs;
    await log(
      { event: "proxy_shutdown", signal, graceMs: grace },
      `haechi proxy: ${signal}, shutting down (grace ${grace} ms)\n`,
    );
    const cut = await gw.shutdown(grace);
    await logTail;
    if (cut > 0) {
      await log(
        { event: "proxy_shutdown_cut", inFlight: cut },
        `haechi proxy: cut ${cut} request(s) still in flight after limits.shutdownGraceMs\n`,
      );
    }
    return 0;
  },
});
