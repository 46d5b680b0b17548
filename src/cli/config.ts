/**
 * `haechi config`: print the key reference, or the effective merged configuration.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { HaechiError, toHaechiError } from "../errors.ts";
import {
  configReference,
  loadConfig,
  renderConfigFile,
  renderConfigReference,
} from "../config/mod.ts";
import type { CliIO, Command } from "./command.ts";
import { EXIT, exitCodeFor } from "./exit_codes.ts";

const HELP = `Usage: haechi config [--json] [--effective [--config PATH]]

Without options, list every configuration key: its path, type or allowed values,
default, HAECHI_* environment variable and a one-line description.

Options:
  --json           Print the key reference as JSON.
  --effective      Print the effective configuration as JSON: built-in defaults,
                   then the config file, then HAECHI_* environment variables.
  --config PATH    Config file for --effective (default: $HAECHI_CONFIG, else the
                   nearest haechi.config.json in this folder or a parent; a missing
                   PATH is an error).
  -h, --help       Show this help.

Exit status: 0 ok, 2 usage or invalid configuration.
`;

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
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        json: { type: "boolean" },
        effective: { type: "boolean" },
        config: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    throw new HaechiError("usage.invalid", usageMessage(e), { command: "config" });
  }
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

/** Node's parseArgs messages are long and vary by version; say the same thing shortly. */
function usageMessage(e: unknown): string {
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : "";
  const quoted = /'([^']+)'/.exec(message)?.[1];
  const name = quoted === undefined ? "" : ` ${JSON.stringify(quoted)}`;
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `Unknown option${name} for "haechi config"`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `Unexpected argument${name}; "haechi config" takes no arguments`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const option = /--?[\w-]+/.exec(message)?.[0];
      return option === undefined
        ? "Invalid option value"
        : `Option ${JSON.stringify(option)} takes a value`;
    }
    default:
      return "Invalid arguments";
  }
}

/** The `config` command. */
export const configCommand: Command = {
  name: "config",
  summary: "List configuration keys, or print the effective configuration",
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    try {
      const parsed = parseConfigArgs(args);
      if (parsed.help) {
        await io.stdout.write(HELP);
        return EXIT.ok;
      }
      if (parsed.effective) {
        const config = await loadConfig({ path: parsed.config, env: io.env });
        await io.stdout.write(renderConfigFile(config));
      } else if (parsed.json) {
        await io.stdout.write(JSON.stringify(configReference(), null, 2) + "\n");
      } else {
        await io.stdout.write(renderConfigReference());
      }
      return EXIT.ok;
    } catch (e) {
      const err = toHaechiError(e);
      const hint = err.code === "usage.invalid" ? `\nRun "haechi config --help" for usage.` : "";
      await io.stderr.write(`haechi config: ${err.message}${hint}\n`);
      return exitCodeFor(err.code);
    }
  },
};
