/**
 * `haechi status`: the effective mode, policy, rules, audit log and key file at a glance.
 *
 * @module
 */
import { DEFAULT_CONFIG_PATH } from "../config/mod.ts";
import { fileInfo } from "../runtime/mod.ts";
import { createProtector } from "../protect/mod.ts";
import { VERSION } from "../version.ts";
import type { CliIO, Command } from "./command.ts";
import { loadConfigFor, palette, parseFlags } from "./_shared.ts";
import { EXIT } from "./exit_codes.ts";

const HELP = `Usage: haechi status [--config PATH] [--json]

Show the effective mode (enforce or dry-run, after HAECHI_* overrides), the policy's
action per finding type, the rule count, and the state of the audit log and key file.

Options:
  --config PATH   Config file (default: haechi.config.json when present).
  --json          Machine-readable output.
  -h, --help      Show this help.
`;

/** The `status` command. */
export const statusCommand: Command = {
  name: "status",
  summary: "Show the effective mode, policy, audit log and key file",
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values } = parseFlags(args, {
      config: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      await io.stdout.write(HELP);
      return EXIT.ok;
    }
    const configPath = values.config ?? DEFAULT_CONFIG_PATH;
    const configFile = await fileInfo(configPath);
    const config = await loadConfigFor(values.config, io);
    const protector = createProtector(config);
    const audit = await fileInfo(config.audit.path);
    const keys = await fileInfo(config.keys.path);
    const status = {
      version: VERSION,
      config: configFile === null ? "(built-in defaults)" : configPath,
      mode: protector.policy.mode,
      preset: config.policy.preset,
      rules: protector.scanner.rules.length,
      actions: protector.policy.table,
      audit: {
        enabled: config.audit.enabled,
        path: config.audit.path,
        bytes: audit?.size ?? 0,
        exists: audit !== null,
      },
      keys: {
        path: config.keys.path,
        exists: keys !== null,
        mode: keys?.mode != null ? (keys.mode & 0o777).toString(8) : null,
      },
    };
    if (values.json) {
      await io.stdout.write(JSON.stringify(status, null, 2) + "\n");
      return EXIT.ok;
    }
    const p = palette(io.color.stdout);
    const modeText = status.mode === "enforce" ? p.green("enforce") : p.yellow("dry-run");
    const byAction = new Map<string, string[]>();
    for (const [type, action] of Object.entries(status.actions)) {
      byAction.set(action, [...(byAction.get(action) ?? []), type]);
    }
    let out = `haechi ${VERSION}\n` +
      `  config   ${status.config}\n` +
      `  mode     ${modeText}\n` +
      `  preset   ${status.preset}\n` +
      `  rules    ${status.rules}\n`;
    for (const [action, types] of [...byAction].sort()) {
      out += `  ${action.padEnd(8)} ${types.sort().join(", ")}\n`;
    }
    out += `  audit    ${
      status.audit.enabled
        ? `${status.audit.path} (${
          status.audit.exists ? `${status.audit.bytes} bytes` : "not created yet"
        })`
        : "disabled"
    }\n`;
    out += `  keys     ${status.keys.path} (${
      status.keys.exists ? `mode ${status.keys.mode}` : 'missing; run "haechi init"'
    })\n`;
    await io.stdout.write(out);
    return EXIT.ok;
  },
};
