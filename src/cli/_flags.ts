/**
 * Strict parsing of a command's declared flags, with messages that say what was wrong in
 * the command's own words (node:util's are long, vary by version and suggest `--` quoting,
 * which is rarely what a typo needs).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { HaechiError } from "../errors.ts";
import type { Flags } from "./command.ts";
import { didYouMean } from "./_suggest.ts";

/** Parsed arguments before they are typed by the command's declaration. */
export interface ParsedArgs {
  /** Values by long flag name; booleans are `true`/`false`, absent strings `undefined`. */
  readonly values: Record<string, string | boolean | string[] | undefined>;
  /** Arguments that are not flags. */
  readonly positionals: string[];
}

/** Options for {@linkcode parseFlagArgs}. */
export interface ParseFlagOptions {
  /** Command name, for messages. */
  readonly command: string;
  /** Whether positional arguments are accepted. */
  readonly positionals: boolean;
}

/**
 * Parse `args` against `flags` strictly.
 *
 * @param args Arguments after the command name.
 * @param flags The declared flags.
 * @param options Command name and whether positionals are allowed.
 * @returns Values (defaults applied, booleans never `undefined`) and positionals.
 * @throws {HaechiError} `usage.invalid` for an unknown option (with the closest known one),
 *   a missing value, a value given to a switch, or an unexpected positional.
 *
 * @example
 * ```ts
 * import { parseFlagArgs } from "./_flags.ts";
 * const p = parseFlagArgs(["--scope", "a"], {
 *   scope: { type: "string", help: "Scope." },
 *   json: { type: "boolean", help: "JSON." },
 * }, { command: "x", positionals: false });
 * if (p.values.scope !== "a" || p.values.json !== false) throw new Error("parsed");
 * ```
 */
export function parseFlagArgs(
  args: readonly string[],
  flags: Flags,
  options: ParseFlagOptions,
): ParsedArgs {
  const config = Object.fromEntries(
    Object.entries(flags).map(([name, f]) => [name, {
      type: f.type,
      ...(f.short === undefined ? {} : { short: f.short }),
      ...(f.multiple ? { multiple: true } : {}),
      ...(f.default === undefined ? {} : { default: f.default }),
    }]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: config, strict: true, allowPositionals: true });
  } catch (e) {
    throw new HaechiError("usage.invalid", flagMessage(e, args, flags), {
      command: options.command,
    });
  }
  if (!options.positionals && parsed.positionals.length > 0) {
    throw new HaechiError(
      "usage.invalid",
      `Unexpected argument ${JSON.stringify(parsed.positionals[0])}; ` +
        `"haechi ${options.command}" takes no arguments`,
      { command: options.command },
    );
  }
  const values = { ...parsed.values } as ParsedArgs["values"];
  for (const [name, f] of Object.entries(flags)) {
    if (f.type === "boolean") values[name] = values[name] === true;
    else if (f.multiple && values[name] === undefined) values[name] = [];
  }
  return { values, positionals: parsed.positionals };
}

function flagMessage(e: unknown, args: readonly string[], flags: Flags): string {
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : "Invalid arguments";
  const quoted = /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const typed = (quoted ?? args.find((a) => a.startsWith("-")) ?? "").split("=")[0];
      const known = Object.keys(flags).map((name) => `--${name}`);
      const hint = typed.startsWith("--") ? didYouMean(typed, known) : "";
      return `Unknown option ${JSON.stringify(typed)}.${hint}`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const option = /--[\w-]+/.exec(message)?.[0] ?? /-\w/.exec(message)?.[0] ?? "";
      const long = option.startsWith("--") ? option.slice(2) : undefined;
      const takesValue = long !== undefined && flags[long]?.type === "string";
      return takesValue || /argument missing|ambiguous/.test(message)
        ? `Option ${JSON.stringify(option)} takes a value`
        : `Option ${JSON.stringify(option)} takes no value`;
    }
    default:
      return message;
  }
}
