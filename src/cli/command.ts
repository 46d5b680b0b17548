/**
 * The one way to write a subcommand: declare its flags (name, type, help, default) and a
 * body that receives them parsed. {@linkcode defineCommand} does the rest the same way for
 * every command: strict parsing with did-you-mean for a mistyped option, `--help` generated
 * from the declarations, `--json` accepted everywhere (errors then print as JSON), and
 * every error printed once, in one format, with its exit status from `exit_codes.ts`.
 * Only `main.ts` exits the process.
 *
 * @module
 */
import type { TextSink } from "../runtime/mod.ts";
import { parseFlagArgs } from "./_flags.ts";
import { printFailure } from "./_failure.ts";
import { EXIT } from "./exit_codes.ts";

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
  /** Which streams are interactive terminals (for progress lines); absent means neither. */
  readonly terminal?: { readonly stdout: boolean; readonly stderr: boolean };
}

/** One flag as a command declares it. */
export interface FlagSpec {
  /** `string` takes a value (`--scope alice`); `boolean` is a switch. */
  readonly type: "string" | "boolean";
  /** One-letter alias (`h` for `-h`). */
  readonly short?: string;
  /** Placeholder for the value in help (`PATH`); strings only. */
  readonly value?: string;
  /** May be given more than once; the body gets every value in order. */
  readonly multiple?: boolean;
  /** Applied when the flag is absent, and shown in help. */
  readonly default?: string;
  /** Help text; a `\n` starts an indented continuation line. */
  readonly help: string;
  /** Accepted but not listed in help (an alias kept for compatibility). */
  readonly hidden?: boolean;
}

/** A command's flags by long name (without `--`). */
export type Flags = Readonly<Record<string, FlagSpec>>;

type ValueOf<S extends FlagSpec> = S["type"] extends "boolean" ? boolean
  : S extends { readonly multiple: true } ? string[]
  : S extends { readonly default: string } ? string
  : string | undefined;

/** Parsed flags: booleans are always `true`/`false`, strings `undefined` when absent. */
export type FlagValues<F extends Flags> =
  & { readonly [K in keyof F]: ValueOf<F[K]> }
  & { readonly json: boolean; readonly help: boolean };

/** What a command body receives. */
export interface Invocation<F extends Flags> {
  /** Flag values. */
  readonly values: FlagValues<F>;
  /** Arguments that are not flags. */
  readonly positionals: string[];
  /** With `passThrough`, everything after the first `--` (undefined when there is none). */
  readonly rest?: string[];
}

/** How a command is declared. */
export interface CommandSpec<F extends Flags> {
  /** Name typed on the command line, e.g. `audit-verify`. */
  readonly name: string;
  /** One line for `haechi help`. */
  readonly summary: string;
  /** The synopsis after `Usage: ` (e.g. `haechi scan [FILE|-] [--json]`). */
  readonly usage: string;
  /** What the command does, in a paragraph or two. */
  readonly description: string;
  /** Optional text printed between the description and the options (arguments, modes). */
  readonly details?: string;
  /** Flags the command takes; `--help`/`-h` and `--json` are added when not declared. */
  readonly flags: F;
  /** Whether positional arguments are accepted (the body checks how many). Default no. */
  readonly positionals?: boolean;
  /** Split at the first `--`: flags before, `rest` after (for wrapped command lines). */
  readonly passThrough?: boolean;
  /** Text after the options (exit statuses, notes). */
  readonly footer?: string;
  /** The command body; resolves to the exit status, or throws a `HaechiError`. */
  run(input: Invocation<F>, io: CliIO): Promise<number>;
}

/** One subcommand as the dispatcher sees it. */
export interface Command {
  /** Name typed on the command line, e.g. `audit-verify`. */
  readonly name: string;
  /** One line for `haechi help`. */
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  /** Every flag it accepts, `--help` and `--json` included (for completion). */
  readonly flags: Flags;
  /**
   * Run with the arguments after the command name; resolves to the exit status. Errors
   * are printed to stderr (JSON with `--json`) and never escape.
   */
  run(args: string[], io: CliIO): Promise<number>;
}

/** The flags every command accepts. */
export const COMMON_FLAGS = {
  json: { type: "boolean", help: "Print errors as one JSON object on stderr." },
  help: { type: "boolean", short: "h", help: "Show this help." },
} as const satisfies Flags;

/**
 * Build a command from its declaration.
 *
 * @param spec The declaration.
 * @returns A command whose `run(args, io)` parses, prints help or runs the body, and
 *   prints any error once.
 *
 * @example
 * ```ts
 * import { defineCommand } from "./command.ts";
 * const hello = defineCommand({
 *   name: "hello",
 *   summary: "Greet",
 *   usage: "haechi hello [--name NAME]",
 *   description: "Print a greeting.",
 *   flags: { name: { type: "string", value: "NAME", default: "you", help: "Who to greet." } },
 *   async run({ values }, io) {
 *     await io.stdout.write(`hello ${values.name}\n`);
 *     return 0;
 *   },
 * });
 * if (!hello.help.includes("--name NAME")) throw new Error("help lists the flag");
 * ```
 */
export function defineCommand<const F extends Flags>(spec: CommandSpec<F>): Command {
  const flags: Flags = { ...spec.flags };
  for (const [name, flag] of Object.entries(COMMON_FLAGS)) {
    if (!(name in flags)) (flags as Record<string, FlagSpec>)[name] = flag;
  }
  const help = renderHelp(spec, flags);
  return {
    name: spec.name,
    summary: spec.summary,
    help,
    flags,
    async run(args: string[], io: CliIO): Promise<number> {
      const cut = spec.passThrough ? args.indexOf("--") : -1;
      const own = cut === -1 ? args : args.slice(0, cut);
      const json = own.includes("--json");
      try {
        const parsed = parseFlagArgs(own, flags, {
          command: spec.name,
          positionals: spec.positionals === true,
        });
        if (parsed.values.help === true) {
          await io.stdout.write(help);
          return EXIT.ok;
        }
        return await spec.run({
          values: parsed.values as FlagValues<F>,
          positionals: parsed.positionals,
          ...(spec.passThrough ? { rest: cut === -1 ? undefined : args.slice(cut + 1) } : {}),
        }, io);
      } catch (e) {
        return await printFailure(io, e, { command: spec.name, json });
      }
    },
  };
}

/** `--help` text from the declaration: usage, description, details, options, footer. */
function renderHelp(spec: CommandSpec<Flags>, flags: Flags): string {
  const parts = [`Usage: ${spec.usage}`, spec.description.trim()];
  if (spec.details !== undefined) parts.push(spec.details.trimEnd());
  parts.push("Options:\n" + renderOptions(flags));
  if (spec.footer !== undefined) parts.push(spec.footer.trim());
  return parts.join("\n\n") + "\n";
}

function renderOptions(flags: Flags): string {
  const rows = Object.entries(flags).filter(([, f]) => !f.hidden).map(([name, f]) => {
    const label = `${f.short === undefined ? "" : `-${f.short}, `}--${name}` +
      (f.type === "string" ? ` ${f.value ?? "VALUE"}` : "");
    const text = f.default === undefined
      ? f.help
      : `${f.help.replace(/\.$/, "")} (default: ${JSON.stringify(f.default)}).`;
    return [label, text] as const;
  });
  const width = Math.min(24, Math.max(...rows.map(([label]) => label.length))) + 2;
  return rows.map(([label, text]) => {
    const [first, ...more] = text.split("\n");
    const head = label.length + 2 > width
      ? `  ${label}\n${" ".repeat(width + 2)}${first}`
      : `  ${label.padEnd(width)}${first}`;
    return [head, ...more.map((line) => `${" ".repeat(width + 2)}${line.trim()}`)].join("\n");
  }).join("\n");
}
