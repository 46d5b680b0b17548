/**
 * `haechi status`: the effective mode, policy, rules, audit log and key file at a glance.
 *
 * @module
 */
import { compatNotes, DEFAULT_CONFIG_PATH, DEFAULT_DIFFERENCES } from "../config/mod.ts";
import { verifyAuditLog } from "../audit/mod.ts";
import { toHaechiError } from "../errors.ts";
import { fileInfo } from "../runtime/mod.ts";
import { createProtector } from "../protect/mod.ts";
import { VERSION } from "../version.ts";
import { type Command, defineCommand } from "./command.ts";
import { CONFIG_FLAG, loadConfigFor, palette } from "./_shared.ts";
import { EXIT } from "./exit_codes.ts";

/** The `status` command. */
export const statusCommand: Command = defineCommand({
  name: "status",
  summary: "Show the effective mode, policy, audit log and key file",
  usage: "haechi status [--config PATH] [--json]",
  description: `Show the effective mode (enforce or dry-run, after HAECHI_* overrides), the policy's
action per finding type, the rule count, the audit log and whether its hash chain
verifies, the key file, haechi 1.4 keys that act differently here, and the defaults that
deliberately differ from haechi 1.4.`,
  flags: {
    config: CONFIG_FLAG,
    json: { type: "boolean", help: "Machine-readable output." },
  },
  async run({ values }, io) {
    const configPath = values.config ?? DEFAULT_CONFIG_PATH;
    const configFile = await fileInfo(configPath);
    const config = await loadConfigFor(values.config, io);
    const protector = createProtector(config);
    const audit = await fileInfo(config.audit.path);
    const keys = await fileInfo(config.keys.path);
    const chain = audit === null
      ? null
      : await auditChain(config.audit.path, config.audit.anchorPath);
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
        chain,
      },
      keys: {
        path: config.keys.path,
        exists: keys !== null,
        mode: keys?.mode != null ? (keys.mode & 0o777).toString(8) : null,
      },
      compat: compatNotes(config),
      defaultsDifferFrom14: DEFAULT_DIFFERENCES,
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
    if (chain !== null) {
      out += `  chain    ${
        chain.valid
          ? p.green(`valid, ${chain.records} records, head ${chain.headHash.slice(0, 16)}`)
          : p.red(`BROKEN: ${chain.reason}`)
      }\n`;
    }
    out += `  keys     ${status.keys.path} (${
      status.keys.exists ? `mode ${status.keys.mode}` : 'missing; run "haechi init"'
    })\n`;
    for (const n of status.compat) out += `  1.4 key  ${n.key}: ${n.note}\n`;
    out += `  defaults differ from haechi 1.4 (see docs/compat.md): ${
      DEFAULT_DIFFERENCES.map((d) => d.key).join(", ")
    }\n`;
    await io.stdout.write(out);
    return EXIT.ok;
  },
});

/** The audit chain's state: verified head, or why it is broken (the log is read, not changed). */
async function auditChain(path: string, anchorPath: string) {
  try {
    // Anchors are written as the log grows; a log younger than its first anchor has none.
    const anchored = anchorPath !== "" && (await fileInfo(anchorPath)) !== null;
    const r = await verifyAuditLog({ path, anchorPath: anchored ? anchorPath : undefined });
    return {
      valid: r.ok,
      records: r.records,
      headHash: r.headHash,
      reason: r.broken?.reason ?? null,
    };
  } catch (e) {
    return { valid: false, records: 0, headHash: "", reason: toHaechiError(e).code };
  }
}
