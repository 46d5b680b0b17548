/**
 * haechi: keeps secrets and personal data out of what apps and agents send to models and
 * tools. This is the executable entry; it is the only place that exits the process.
 *
 * @example
 * ```sh
 * deno run -A jsr:@haechi/cli/cli protect payload.json
 * ```
 *
 * @module
 */
import { runCli } from "./src/cli/mod.ts";
import {
  commandLineArgs,
  environment,
  exitProcess,
  isTerminal,
  stderrSink,
  stdinStream,
  stdoutSink,
} from "./src/runtime/mod.ts";

/**
 * Run the haechi CLI with `args` and exit the process with its status.
 *
 * @param args Command-line arguments (without the program name).
 * @returns Never; the process exits.
 */
export async function main(args: readonly string[]): Promise<never> {
  const tty = isTerminal();
  const env = environment();
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  const code = await runCli([...args], {
    stdin: stdinStream,
    stdout: stdoutSink(),
    stderr: stderrSink(),
    env,
    color: { stdout: tty.stdout && !noColor, stderr: tty.stderr && !noColor },
    terminal: tty,
  });
  exitProcess(code);
}

if (import.meta.main) await main(commandLineArgs());
