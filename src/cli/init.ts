/**
 * `haechi init`: write a config that enforces the default policy, and the key file.
 *
 * @module
 */
import { DEFAULT_CONFIG, DEFAULT_CONFIG_PATH, renderConfigFile } from "../config/mod.ts";
import { pathExists, writeTextFile } from "../runtime/mod.ts";
import { createKeyFile } from "../vault/mod.ts";
import { type Command, defineCommand } from "./command.ts";
import {} from "./_shared.ts";
import { EXIT } from "./exit_codes.ts";

/** The `init` command. */
export const initCommand: Command = defineCommand({
  name: "init",
  summary: "Write haechi.config.json (enforcing defaults) and the key file",
  usage: "haechi init [--config PATH] [--force] [--json]",
  description: `Write a config file that enforces the default policy (secrets redacted, contact data
tokenized, cards masked, national IDs redacted; nothing blocked) and create the key
file (.haechi/keys.json, mode 0600) if it does not exist yet. Running it again is safe:
an existing config is kept as it is ("created": false) and the command exits 0.`,
  flags: {
    config: {
      type: "string",
      value: "PATH",
      help: "Where to write the config (default: haechi.config.json).",
    },
    force: {
      type: "boolean",
      help: `Overwrite an existing config file. The key file is never replaced:
        replacing it would orphan every token issued under it.`,
    },
    json: {
      type: "boolean",
      help: `Machine-readable output, in haechi 1.4's shape ({ok, command, configPath,
        created, keyFile, auditPath, mode, warnings}) plus keys and keysCreated.`,
    },
  },
  async run({ values }, io) {
    const configPath = values.config ?? DEFAULT_CONFIG_PATH;
    // As in haechi 1.4, init is idempotent: an existing config is kept (a setup script
    // may run it every time) and only --force rewrites it.
    const created = values.force === true || !await pathExists(configPath);
    if (created) await writeTextFile(configPath, renderConfigFile(DEFAULT_CONFIG));
    const keysPath = DEFAULT_CONFIG.keys.path;
    const keysCreated = !await pathExists(keysPath);
    if (keysCreated) await createKeyFile(keysPath);
    if (values.json) {
      await io.stdout.write(
        JSON.stringify({
          // haechi 1.4's fields first, then this project's.
          ok: true,
          command: "init",
          configPath,
          created,
          keyFile: keysPath,
          auditPath: DEFAULT_CONFIG.audit.path,
          mode: DEFAULT_CONFIG.mode,
          warnings: [],
          config: configPath,
          keys: keysPath,
          keysCreated,
        }) + "\n",
      );
    } else {
      await io.stdout.write(
        (created
          ? `Wrote ${configPath} (mode: enforce, preset: balanced)\n`
          : `Kept existing ${configPath} (pass --force to rewrite it)\n`) +
          (keysCreated ? `Created ${keysPath} (mode 0600)\n` : `Kept existing ${keysPath}\n`) +
          `Next: haechi status, then haechi protect FILE\n`,
      );
    }
    return EXIT.ok;
  },
});
