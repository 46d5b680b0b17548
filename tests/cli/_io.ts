/**
 * A fake {@linkcode CliIO} for command tests: stdin from a string, stdout and stderr
 * captured as strings, a fixed environment and no colour.
 *
 * @module
 */
import type { CliIO } from "../../src/cli/command.ts";
import type { TextSink } from "../../src/runtime/mod.ts";

/** A captured run's IO plus accessors for what was written. */
export interface TestIO {
  /** Pass this to `command.run`. */
  readonly io: CliIO;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
}

/** Options for {@linkcode createTestIO}. */
export interface TestIOOptions {
  /** Stdin content (default empty). */
  readonly stdin?: string | Uint8Array;
  /** Environment (default empty, so the real `HAECHI_*` variables never leak into tests). */
  readonly env?: Record<string, string>;
  /** Colour flags (default off). */
  readonly color?: { stdout: boolean; stderr: boolean };
}

/**
 * Build a fake IO.
 *
 * @example
 * ```ts
 * import { createTestIO } from "./_io.ts";
 * const t = createTestIO({ stdin: "{}" });
 * await t.io.stdout.write("hello");
 * if (t.stdout() !== "hello") throw new Error("captured");
 * ```
 */
export function createTestIO(options: TestIOOptions = {}): TestIO {
  const out = captureSink();
  const err = captureSink();
  const input = typeof options.stdin === "string"
    ? new TextEncoder().encode(options.stdin)
    : options.stdin ?? new Uint8Array(0);
  const io: CliIO = {
    stdin: () => new Blob([input.slice()]).stream(),
    stdout: out.sink,
    stderr: err.sink,
    env: { ...(options.env ?? {}) },
    color: options.color ?? { stdout: false, stderr: false },
  };
  return { io, stdout: out.text, stderr: err.text };
}

function captureSink(): { sink: TextSink; text: () => string } {
  const parts: string[] = [];
  return {
    sink: {
      write(text: string) {
        parts.push(text);
        return Promise.resolve();
      },
    },
    text: () => parts.join(""),
  };
}
