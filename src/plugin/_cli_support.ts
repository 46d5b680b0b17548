/**
 * Helpers shared by the signing commands (plugin-* and policy-*): one run wrapper with
 * strict flags and `--help`, private-key loading from a file only, and anchor loading.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { CliIO } from "../cli/command.ts";
import { EXIT, exitCodeFor } from "../cli/exit_codes.ts";
import { HaechiError, toHaechiError } from "../errors.ts";
import { fileInfo, readTextFile } from "../runtime/mod.ts";
import { importPrivateKeyPem, keyIdFor } from "../signing/keys.ts";
import { parseEd25519Spki } from "../signing/pem.ts";
import type { TrustAnchor } from "../signing/trust.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parsed flags and positionals. */
export interface Parsed {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: string[];
}

/**
 * Run a command body with strict flag parsing: unknown flags exit 2, `--help` prints the
 * help, and a `HaechiError` becomes its message and exit status.
 *
 * @example
 * ```ts ignore
 * return runSigningCommand("plugin-sign", HELP, args, io, OPTIONS, (p) => sign(p, io));
 * ```
 */
export async function runSigningCommand(
  name: string,
  help: string,
  args: string[],
  io: CliIO,
  options: Options,
  body: (parsed: Parsed) => Promise<number>,
): Promise<number> {
  let parsed: Parsed;
  try {
    const r = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    });
    parsed = { values: r.values as Parsed["values"], positionals: r.positionals };
  } catch (e) {
    const message = e instanceof Error ? e.message : "Invalid arguments";
    await io.stderr.write(`haechi ${name}: ${message}\nRun "haechi ${name} --help" for usage.\n`);
    return EXIT.usage;
  }
  if (parsed.values.help === true) {
    await io.stdout.write(help);
    return EXIT.ok;
  }
  try {
    return await body(parsed);
  } catch (e) {
    const err = toHaechiError(e);
    await io.stderr.write(`haechi ${name}: ${err.message}\n`);
    return exitCodeFor(err.code);
  }
}

/**
 * Require exactly `count` positionals.
 *
 * @throws {HaechiError} `usage.invalid` naming what is expected.
 */
export function positionals(parsed: Parsed, count: number, what: string): string[] {
  if (parsed.positionals.length !== count) {
    throw new HaechiError("usage.invalid", `Expected ${what}`);
  }
  return parsed.positionals;
}

/**
 * A required string flag.
 *
 * @throws {HaechiError} `usage.invalid` when it is missing or empty.
 */
export function required(parsed: Parsed, flag: string): string {
  const v = parsed.values[flag];
  if (typeof v !== "string" || v === "") {
    throw new HaechiError("usage.invalid", `--${flag} is required`);
  }
  return v;
}

/**
 * An optional millisecond timestamp flag.
 *
 * @throws {HaechiError} `usage.invalid` when it is not a non-negative integer.
 */
export function optionalMs(parsed: Parsed, flag: string): number | undefined {
  const v = parsed.values[flag];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !/^\d{1,16}$/.test(v)) {
    throw new HaechiError("usage.invalid", `--${flag} must be milliseconds since the epoch`);
  }
  return Number(v);
}

/**
 * Load a private key from a file. Key material given where a path belongs is refused
 * without being echoed, since argv is visible to other users of the machine.
 *
 * @returns The key, and a warning when the file is readable by group or others.
 * @throws {HaechiError} `usage.invalid`, `keys.not_found` or `keys.invalid`.
 */
export async function loadPrivateKey(
  path: string,
): Promise<{ key: CryptoKey; warning?: string }> {
  if (path.includes("-----BEGIN") || path.length > 4096) {
    throw new HaechiError(
      "usage.invalid",
      "--key takes a file path; never pass key material on the command line",
    );
  }
  let text: string;
  try {
    text = await readTextFile(path);
  } catch {
    throw new HaechiError("keys.not_found", `Cannot read private key file ${JSON.stringify(path)}`);
  }
  const info = await fileInfo(path);
  const loose = info?.mode !== null && info?.mode !== undefined && (info.mode & 0o077) !== 0;
  const key = await importPrivateKeyPem(text);
  return loose
    ? { key, warning: `Private key file ${path} is readable by other users; chmod 600 it` }
    : { key };
}

/**
 * Read a public-key PEM file as a trust anchor; the key id defaults to the derived one.
 *
 * @throws {HaechiError} `keys.not_found` or `keys.invalid`.
 */
export async function loadAnchor(path: string, keyId?: string): Promise<TrustAnchor> {
  let text: string;
  try {
    text = await readTextFile(path);
  } catch {
    throw new HaechiError("keys.not_found", `Cannot read public key file ${JSON.stringify(path)}`);
  }
  const spki = parseEd25519Spki(text);
  if (spki === null) {
    throw new HaechiError("keys.invalid", `${path} is not an Ed25519 SPKI public key`);
  }
  return { keyId: keyId ?? await keyIdFor(spki), publicKey: text };
}
