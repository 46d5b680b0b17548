/**
 * The one place a failed command is reported: one line (plus a usage hint) on stderr, or
 * with `--json` one JSON object, and the exit status from `exit_codes.ts`.
 *
 * @module
 */
import { toHaechiError } from "../errors.ts";
import type { CliIO } from "./command.ts";
import { exitCodeFor } from "./exit_codes.ts";

/** Where the failure happened and how to print it. */
export interface FailureContext {
  /** The subcommand, when one was recognised. */
  readonly command?: string;
  /** Print one JSON object instead of text. */
  readonly json: boolean;
}

/**
 * Print `error` once and return its exit status.
 *
 * Text: `haechi <command>: error: <message> [<code>]`, then for a usage error a line
 * naming the help. JSON: `{"ok":false,"error":{"code","message"},"command","exitStatus"}`
 * on one line. Only the message and code are printed: details may name files, and an
 * error that is not a `HaechiError` prints as `internal` without its own text.
 *
 * @example
 * ```ts
 * import { printFailure } from "./_failure.ts";
 * import { HaechiError } from "../errors.ts";
 * let text = "";
 * const sink = { write: (s: string) => { text += s; return Promise.resolve(); } };
 * const io = { stdin: () => new Blob([]).stream(), stdout: sink, stderr: sink, env: {},
 *   color: { stdout: false, stderr: false } };
 * const err = new HaechiError("usage.invalid", "Bad flag");
 * const code = await printFailure(io, err, { command: "scan", json: true });
 * if (code !== 2 || JSON.parse(text).error.code !== "usage.invalid") throw new Error();
 * ```
 */
export async function printFailure(
  io: CliIO,
  error: unknown,
  context: FailureContext,
): Promise<number> {
  const err = toHaechiError(error);
  const status = exitCodeFor(err.code);
  if (context.json) {
    await io.stderr.write(
      JSON.stringify({
        ok: false,
        error: { code: err.code, message: err.message },
        ...(context.command === undefined ? {} : { command: context.command }),
        exitStatus: status,
      }) + "\n",
    );
    return status;
  }
  const who = context.command === undefined ? "haechi" : `haechi ${context.command}`;
  const label = io.color.stderr ? "\x1b[31merror:\x1b[0m" : "error:";
  const hint = err.code !== "usage.invalid"
    ? ""
    : context.command === undefined
    ? `Run "haechi help" for the list of commands.\n`
    : `Run "haechi ${context.command} --help" for usage.\n`;
  await io.stderr.write(`${who}: ${label} ${err.message} [${err.code}]\n${hint}`);
  return status;
}
