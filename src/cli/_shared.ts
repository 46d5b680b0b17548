/**
 * Helpers shared by the subcommands: the `--config` flag, config loading, bounded input
 * reading and colour.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { type HaechiConfig, loadConfig } from "../config/mod.ts";
import { fileInfo, openReadStream } from "../runtime/mod.ts";
import type { Progress } from "./_progress.ts";
import type { CliIO, FlagSpec } from "./command.ts";
import { checkCryptoProvider, loadPolicyBundle } from "../session/mod.ts";

/** `--config PATH`, as every command that reads the config declares it. */
export const CONFIG_FLAG = {
  type: "string",
  value: "PATH",
  help: `Config file (default: $HAECHI_CONFIG, else the nearest
    haechi.config.json in this folder or a parent).`,
} as const satisfies FlagSpec;

/**
 * Load config from `--config` (or the default file) with the environment overlay, then
 * apply a signed policy bundle when `policy.bundlePath` names one (strengthen-only; a
 * tampered or untrusted bundle stops the command).
 */
export async function loadConfigFor(path: string | undefined, io: CliIO): Promise<HaechiConfig> {
  const config = await loadPolicyBundle(await loadConfig({ path, env: io.env }));
  // The command line cannot inject a crypto provider: stop before any key file is touched.
  checkCryptoProvider(config, undefined);
  return config;
}

/**
 * Read all of `source` (a path, or `-`/undefined for stdin), refusing more than `maxBytes`
 * without buffering past the limit.
 *
 * @throws {HaechiError} `payload.too_large`, `input.read_failed` or `input.invalid_utf8`.
 */
export async function readInputText(
  source: string | undefined,
  io: CliIO,
  maxBytes: number,
  progress?: Progress,
): Promise<string> {
  const stream = await openInput(source, io, progress);
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new HaechiError(
        "payload.too_large",
        `Input exceeds the limit of ${maxBytes} bytes (limits.maxBytes)`,
        { maxBytes },
      );
    }
    parts.push(chunk);
  }
  const all = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.length;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(all);
  } catch {
    throw new HaechiError("input.invalid_utf8", "Input is not valid UTF-8");
  }
}

/**
 * Open `source` (a path, or `-`/undefined for stdin) as a byte stream, counted by
 * `progress` when given.
 */
export async function openInput(
  source: string | undefined,
  io: CliIO,
  progress?: Progress,
): Promise<ReadableStream<Uint8Array>> {
  if (source === undefined || source === "-") return progress?.track(io.stdin()) ?? io.stdin();
  let stream: ReadableStream<Uint8Array>;
  try {
    stream = await openReadStream(source);
  } catch {
    throw new HaechiError("input.read_failed", `Cannot read input file ${source}`, {
      path: source,
    });
  }
  if (progress === undefined) return stream;
  const info = await fileInfo(source).catch(() => null);
  return progress.track(stream, info?.size);
}

/** ANSI styling that is a no-op when colour is off. */
export function palette(enabled: boolean) {
  const wrap = (code: string) => (s: string) => enabled ? `\x1b[${code}m${s}\x1b[0m` : s;
  return {
    bold: wrap("1"),
    red: wrap("31"),
    green: wrap("32"),
    yellow: wrap("33"),
    dim: wrap("2"),
  };
}
