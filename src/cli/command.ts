/**
 * The contract every subcommand implements: a name, help text and a `run` that takes
 * argv and injected IO and returns an exit code. Only `main.ts` exits the process.
 *
 * @module
 */
import type { TextSink } from "../runtime/mod.ts";

/** Everything a command touches outside itself, injected so tests can capture it. */
export interface CliIO {
  /** Standard input bytes. */
  readonly stdin: () => ReadableStream<Uint8Array>;
  /** Protected output and reports. */
  readonly stdout: TextSink;
  /** Summaries, diagnostics and errors. */
  readonly stderr: TextSink;
  /** Environment snapshot (for `HAECHI_*` overlays). */
  readonly env: Readonly<Record<string, string>>;
  /** Whether colour may be used on stdout / stderr. */
  readonly color: { readonly stdout: boolean; readonly stderr: boolean };
}

/** One subcommand. */
export interface Command {
  /** Name typed on the command line, e.g. `audit-verify`. */
  readonly name: string;
  /** One line for `haechi help`. */
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  /** Run with the arguments after the command name; resolves to the exit code. */
  run(args: string[], io: CliIO): Promise<number>;
}
