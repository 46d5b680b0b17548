/**
 * `haechi config`: print the key reference, or the effective merged configuration.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import {
  CONFIG_SCHEMA,
  configReference,
  loadConfig,
  renderConfigFile,
  renderConfigReference,
} from "../config/mod.ts";
import { type Command, defineCommand } from "./command.ts";
import { EXIT } from "./exit_codes.ts";
import { parseFlagArgs } from "./_flags.ts";

/** What the flags ask for. */
export interface ConfigArgs {
  /** Show help and stop. */
  readonly help: boolean;
  /** Print as JSON. */
  readonly json: boolean;
  /** Print the effective configuration instead of the reference. */
  readonly effective: boolean;
  /** Explicit config file. */
  readonly config?: string;
}

/**
 * Parse `haechi config` arguments strictly.
 *
 * @param args Arguments after the command name.
 * @returns The parsed flags.
 * @throws {HaechiError} `usage.invalid` for an unknown flag, a missing value, a positional
 *   argument, or `--config` without `--effective`.
 *
 * @example
 * ```ts
 * import { parseConfigArgs } from "./config.ts";
 * const args = parseConfigArgs(["--effective", "--config", "x.json"]);
 * if (!args.effective || args.config !== "x.json") throw new Error("parsed");
 * ```
 */
export function parseConfigArgs(args: string[]): ConfigArgs {
  const { values } = parseFlagArgs(args, configCommand.flags, {
    command: "config",
    positionals: false,
  });
  return checkConfigArgs(values as unknown as ConfigArgs);
}

function checkConfigArgs(values: ConfigArgs): ConfigArgs {
  const parsed: ConfigArgs = {
    help: values.help === true,
    json: values.json === true,
    effective: values.effective === true,
    ...(values.config === undefined ? {} : { config: values.config }),
  };
  if (!parsed.help && parsed.config !== undefined && !parsed.effective) {
    throw new HaechiError(
      "usage.invalid",
      `Option "--config" applies only with "--effective"`,
      { command: "config" },
    );
  }
  return parsed;
}

/** The `config` command. */
export const configCommand: Command = defineCommand({
  name: "config",
  summary: "List configuration keys, or print the effective configuration",
  usage: "haechi config [--json] [--effective [--config PATH]]",
  description: `Without options, list every configuration key: its path, type or allowed values,
default, HAECHI_* environment variable and a one-line description.`,
  flags: {
    json: { type: "boolean", help: "Print the key reference as JSON." },
    effective: {
      type: "boolean",
      help: `Print the effective configuration as JSON: built-in defaults,
        then the config file, then HAECHI_* environment variables. Secrets
        (proxy.tls.passphrase, Redis URLs) print as "(set; not shown)".`,
    },
    config: {
      type: "string",
      value: "PATH",
      help: `Config file for --effective (default: $HAECHI_CONFIG, else the
        nearest haechi.config.json in this folder or a parent; a missing
        PATH is an error).`,
    },
  },
  footer: "Exit status: 0 ok, 2 usage or invalid configuration.",
  async run({ values }, io) {
    const parsed = checkConfigArgs(values);
    if (parsed.effective) {
      const config = await loadConfig({ path: parsed.config, env: io.env });
      await io.stdout.write(maskSensitive(renderConfigFile(config)));
    } else if (parsed.json) {
      await io.stdout.write(JSON.stringify(configReference(), null, 2) + "\n");
    } else {
      await io.stdout.write(renderConfigReference());
    }
    return EXIT.ok;
  },
});

/** The placeholder printed for a secret (a passphrase, a URL with a password). */
const MASKED = "(set; not shown)";

/**
 * Replace every non-empty value of a key marked sensitive (`proxy.tls.passphrase`,
 * `*.redisUrl`) so `config --effective` never prints a secret into a terminal or a log.
 */
function maskSensitive(text: string): string {
  const obj = JSON.parse(text) as Record<string, unknown>;
  for (const key of CONFIG_SCHEMA) {
    if (key.sensitive !== true) continue;
    const parts = key.path.split(".");
    let node: unknown = obj;
    for (const p of parts.slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[p];
    const leaf = parts.at(-1)!;
    const holder = node as Record<string, unknown> | undefined;
    if (typeof holder?.[leaf] === "string" && holder[leaf] !== "") holder[leaf] = MASKED;
  }
  return JSON.stringify(obj, null, 2) + "\n";
}
