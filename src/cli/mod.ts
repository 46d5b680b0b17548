/**
 * The command-line entry: dispatch to a subcommand, map errors to exit codes in one place.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { VERSION } from "../version.ts";
import type { CliIO, Command } from "./command.ts";
import { EXIT } from "./exit_codes.ts";
import { printFailure } from "./_failure.ts";
import { didYouMean } from "./_suggest.ts";
import { initCommand } from "./init.ts";
import { proxyCommand } from "./proxy.ts";
import { protectCommand } from "./protect.ts";
import { scanCommand } from "./scan.ts";
import { statusCommand } from "./status.ts";
import { configCommand } from "./config.ts";
import { auditVerifyCommand } from "./audit_verify.ts";
import { reportCommand } from "./report.ts";
import { dashboardCommand } from "./dashboard.ts";
import { keysCommand } from "./keys.ts";
import { authCommand } from "./auth.ts";
import { tokenRevealCommand } from "./token_reveal.ts";
import { tokenPurgeCommand } from "./token_purge.ts";
import { tokenExportCommand } from "./token_export.ts";
import { decryptCommand } from "./decrypt.ts";
import { restoreCommand } from "./restore.ts";
import { mcpWrapCommand } from "./mcp_wrap.ts";
import { mcpStdioCommand } from "./mcp_stdio.ts";
import { pluginKeygenCommand } from "./plugin_keygen.ts";
import { pluginSignCommand } from "./plugin_sign.ts";
import { pluginVerifyCommand } from "./plugin_verify.ts";
import { pluginValidateCommand } from "./plugin_validate.ts";
import { policySignCommand } from "./policy_sign.ts";
import { policyVerifyCommand } from "./policy_verify.ts";
import { createCompletionCommand } from "./completion.ts";

export type { CliIO, Command, CommandSpec, FlagSpec } from "./command.ts";
export { defineCommand } from "./command.ts";

/** Every subcommand, in the order `haechi help` lists them. */
export const COMMANDS: readonly Command[] = [
  initCommand,
  proxyCommand,
  protectCommand,
  scanCommand,
  statusCommand,
  configCommand,
  auditVerifyCommand,
  reportCommand,
  dashboardCommand,
  restoreCommand,
  mcpWrapCommand,
  mcpStdioCommand,
  keysCommand,
  authCommand,
  tokenRevealCommand,
  tokenPurgeCommand,
  tokenExportCommand,
  decryptCommand,
  pluginKeygenCommand,
  pluginSignCommand,
  pluginVerifyCommand,
  pluginValidateCommand,
  policySignCommand,
  policyVerifyCommand,
  createCompletionCommand(() => COMMANDS),
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 4) + 2;
  return `haechi ${VERSION}: keeps secrets and personal data out of LLM and tool traffic.

Usage: haechi <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join("\n")}
  ${"help".padEnd(width)}Show help for a command: haechi help <command>

Options:
  --version     Print the version
  -h, --help    Show this help

Every command takes --help, and --json (errors then print as one JSON object on stderr).

Exit status: 0 ok, 1 bad input, 2 usage or config error, 3 blocked, 4 audit chain broken.
`;
}

/**
 * Run the CLI with `argv` (without the program name) and return the exit code. Each
 * command parses its own declared flags, prints its help and reports its errors through
 * the same code (`command.ts`); this only dispatches.
 *
 * @example
 * ```ts ignore
 * const code = await runCli(["--version"], io);
 * ```
 */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  // `haechi --json <command> ...` is the same as `haechi <command> --json ...`.
  const [name, ...rest] = argv[0] === "--json" && argv.length > 1
    ? [argv[1], "--json", ...argv.slice(2)]
    : argv;
  if (name === undefined || name === "-h" || name === "--help") {
    await io.stdout.write(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    await io.stdout.write(`haechi ${VERSION}\n`);
    return EXIT.ok;
  }
  const json = argv.includes("--json");
  if (name === "help") {
    const target = rest[0] === undefined ? undefined : COMMANDS.find((c) => c.name === rest[0]);
    if (rest[0] !== undefined && target === undefined) {
      return await unknownCommand(io, rest[0], json);
    }
    await io.stdout.write(target?.help ?? usage());
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) return await unknownCommand(io, name, json);
  try {
    return await command.run(rest, io);
  } catch (e) {
    // Commands report their own errors; this only catches a command that broke that rule.
    return await printFailure(io, e, { command: command.name, json });
  }
}

/** Every name `haechi <name>` accepts, for suggestions. */
function commandNames(): string[] {
  return [...COMMANDS.map((c) => c.name), "help", "version"];
}

async function unknownCommand(io: CliIO, name: string, json: boolean): Promise<number> {
  const hint = name.startsWith("-")
    ? didYouMean(name, ["--help", "--version"])
    : didYouMean(name, commandNames());
  const what = name.startsWith("-") ? "option" : "command";
  const err = new HaechiError("usage.invalid", `Unknown ${what} "${name}".${hint}`);
  return await printFailure(io, err, { json });
}
