/**
 * `haechi dashboard`: serve the read-only audit dashboard for a log.
 *
 * @module
 */
import { loadConfig } from "../config/mod.ts";
import {
  createTokenGuard,
  DASHBOARD_DEFAULT_HOST,
  DASHBOARD_DEFAULT_PORT,
  type DashboardOptions,
  startDashboard,
} from "../dashboard/mod.ts";
import { HaechiError } from "../errors.ts";
import { pathExists, readTextFile, waitForShutdownSignal } from "../runtime/mod.ts";
import { type CliIO, type Command, defineCommand } from "./command.ts";
import { parseFlagArgs } from "./_flags.ts";
import { CONFIG_FLAG } from "./_shared.ts";

/** Parsed `haechi dashboard` flags. */
export interface DashboardFlags {
  /** `--audit`. */
  readonly audit?: string;
  /** `--anchor`. */
  readonly anchor?: string;
  /** `--config`. */
  readonly config?: string;
  /** `--host`. */
  readonly host?: string;
  /** `--port`. */
  readonly port?: number;
  /** `--window`. */
  readonly window?: number;
  /** `--allow-remote-bind`. */
  readonly allowRemoteBind: boolean;
  /** `--tls-cert`. */
  readonly tlsCert?: string;
  /** `--tls-key`. */
  readonly tlsKey?: string;
  /** `--token-file`. */
  readonly tokenFile?: string;
  /** `--help`. */
  readonly help: boolean;
}

/**
 * Parse `haechi dashboard` arguments.
 *
 * @throws {HaechiError} `usage.invalid` for unknown flags, a bad port or window, or only one
 *   of `--tls-cert` and `--tls-key`.
 *
 * @example
 * ```ts
 * import { parseDashboardFlags } from "./dashboard.ts";
 * const f = parseDashboardFlags(["--audit", "a.jsonl", "--port", "0"]);
 * if (f.audit !== "a.jsonl" || f.port !== 0) throw new Error("flags");
 * ```
 */
export function parseDashboardFlags(args: string[]): DashboardFlags {
  const { values } = parseFlagArgs(args, dashboardCommand.flags, {
    command: "dashboard",
    positionals: false,
  });
  return dashboardFlagsFrom(values as Parameters<typeof dashboardFlagsFrom>[0]);
}

function dashboardFlagsFrom(values: {
  readonly audit?: string;
  readonly anchor?: string;
  readonly config?: string;
  readonly host?: string;
  readonly port?: string;
  readonly window?: string;
  readonly "allow-remote-bind": boolean;
  readonly "tls-cert"?: string;
  readonly "tls-key"?: string;
  readonly "token-file"?: string;
  readonly help: boolean;
}): DashboardFlags {
  const int = (name: string, v: string | undefined, max: number): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d{1,9}$/.test(v) || Number(v) > max) {
      throw new HaechiError("usage.invalid", `--${name} must be an integer from 0 to ${max}`);
    }
    return Number(v);
  };
  if ((values["tls-cert"] === undefined) !== (values["tls-key"] === undefined)) {
    throw new HaechiError("usage.invalid", "--tls-cert and --tls-key go together");
  }
  return {
    audit: values.audit,
    anchor: values.anchor,
    config: values.config,
    host: values.host,
    port: int("port", values.port, 65535),
    window: int("window", values.window, 64 * 1024 * 1024),
    allowRemoteBind: values["allow-remote-bind"] === true,
    tlsCert: values["tls-cert"],
    tlsKey: values["tls-key"],
    tokenFile: values["token-file"],
    help: values.help === true,
  };
}

async function readSecretFile(path: string, what: string): Promise<string> {
  try {
    return await readTextFile(path);
  } catch {
    throw new HaechiError("usage.invalid", `Cannot read ${what} ${path}`, { path });
  }
}

/**
 * Turn flags (and the config, for default paths) into dashboard options.
 *
 * @returns The options and notes to print (e.g. a missing anchor file).
 */
export async function dashboardOptionsFor(
  flags: DashboardFlags,
  io: CliIO,
): Promise<{ options: DashboardOptions; notes: string[] }> {
  const notes: string[] = [];
  let auditPath = flags.audit;
  let anchorPath = flags.anchor ?? null;
  if (auditPath === undefined) {
    const config = await loadConfig({ path: flags.config, env: io.env });
    auditPath = config.audit.path;
    if (anchorPath === null && config.audit.anchorPath !== "") {
      if (await pathExists(config.audit.anchorPath)) anchorPath = config.audit.anchorPath;
      else {
        notes.push(
          `No anchor file at ${config.audit.anchorPath}: records cut off the end of the log ` +
            "cannot be detected",
        );
      }
    }
  }
  const tls = flags.tlsCert !== undefined && flags.tlsKey !== undefined
    ? {
      cert: await readSecretFile(flags.tlsCert, "TLS certificate"),
      key: await readSecretFile(flags.tlsKey, "TLS key"),
    }
    : null;
  const guard = flags.tokenFile === undefined
    ? null
    : createTokenGuard(await readSecretFile(flags.tokenFile, "token file"));
  return {
    options: {
      auditPath,
      anchorPath,
      ...(flags.host !== undefined ? { host: flags.host } : {}),
      ...(flags.port !== undefined ? { port: flags.port } : {}),
      ...(flags.window !== undefined ? { window: flags.window } : {}),
      allowRemoteBind: flags.allowRemoteBind,
      tls,
      sessionGuard: guard,
    },
    notes,
  };
}

/** The `dashboard` command. */
export const dashboardCommand: Command = defineCommand({
  name: "dashboard",
  summary: "Serve the read-only audit dashboard (chain status, detections, events)",
  usage: `haechi dashboard [--audit PATH] [--anchor PATH] [--config PATH] [--host ADDR] [--port N]
                        [--window BYTES] [--allow-remote-bind --tls-cert FILE --tls-key FILE
                         --token-file FILE]`,
  description:
    `Serve a read-only audit dashboard: chain status and head hash, detections over time by type
and action, blocks and errors, top routes, MCP methods and tools, per-caller counts (keyed
fingerprints only) and the newest events. The page and its script are built in; nothing is
fetched from the network, and no value, scope or raw subject is ever shown.`,
  flags: {
    audit: {
      type: "string",
      value: "PATH",
      help: "Log to show (default: audit.path from the config).",
    },
    anchor: {
      type: "string",
      value: "PATH",
      help: `Anchor file checked with the chain (default: audit.anchorPath from the
        config, when the log also comes from the config and the file exists).`,
    },
    config: CONFIG_FLAG,
    host: {
      type: "string",
      value: "ADDR",
      help: `Listen address (default ${DASHBOARD_DEFAULT_HOST}).`,
    },
    port: {
      type: "string",
      value: "N",
      help: `Listen port (default ${DASHBOARD_DEFAULT_PORT}; 0 picks a free one).`,
    },
    window: {
      type: "string",
      value: "BYTES",
      help: "Tail of the log read for events and summaries (default 1048576).",
    },
    "allow-remote-bind": {
      type: "boolean",
      help: "Permit a non-loopback --host; also needs all three below.",
    },
    "tls-cert": {
      type: "string",
      value: "FILE",
      help: "PEM certificate: the dashboard serves HTTPS.",
    },
    "tls-key": { type: "string", value: "FILE", help: "PEM private key for --tls-cert." },
    "token-file": {
      type: "string",
      value: "FILE",
      help: `File holding the access token (32+ characters); /api/* then needs
        "Authorization: Bearer <token>" (open the page as https://host:port/#token=...).`,
    },
  },
  footer: "Routes: / (page), /api/events, /api/chain, /api/summary, /healthz.",
  async run({ values }, io) {
    const flags = dashboardFlagsFrom(values);
    const { options, notes } = await dashboardOptionsFor(flags, io);
    for (const note of notes) await io.stderr.write(`note: ${note}\n`);
    const running = await startDashboard(options);
    await io.stderr.write(
      `haechi dashboard listening on ${running.url} (audit log ${options.auditPath}` +
        `${options.anchorPath ? `, anchors ${options.anchorPath}` : ""})\n`,
    );
    const signal = await waitForShutdownSignal();
    await io.stderr.write(`haechi dashboard: ${signal}, shutting down\n`);
    await running.close();
    return 0;
  },
});
