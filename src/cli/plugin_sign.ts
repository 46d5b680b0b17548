/**
 * `haechi plugin-sign`: sign a plugin entry file, binding the SHA-256 of its exact bytes.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { normalizeCapabilities, signPlugin } from "../plugin/mod.ts";
import { loadPrivateKey, optionalMs, positionals, required } from "./_signing.ts";
import { readFile, readTextFile, writeTextFile } from "../runtime/mod.ts";
import { type Command, defineCommand } from "./command.ts";
import { EXIT } from "./exit_codes.ts";

async function capabilitiesFrom(value: string | undefined): Promise<string[]> {
  if (value === undefined) return ["readsCredentials"];
  let text = value;
  if (value.startsWith("@")) {
    try {
      text = await readTextFile(value.slice(1));
    } catch {
      throw new HaechiError("usage.invalid", `Cannot read capabilities file ${value.slice(1)}`);
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new HaechiError("usage.invalid", "--capabilities must be JSON (an array of names)");
  }
  const caps = normalizeCapabilities(raw);
  if (caps === null) {
    throw new HaechiError(
      "usage.invalid",
      "--capabilities must be an array of capability names or an object of booleans",
    );
  }
  return caps;
}

/** The `plugin-sign` command. */
export const pluginSignCommand: Command = defineCommand({
  name: "plugin-sign",
  summary: "Sign a plugin entry file with an Ed25519 key",
  usage: `haechi plugin-sign <entry> --key FILE --signer-key-id ID --plugin-id ID
         --kind authProvider --plugin-version V --core-range RANGE
         [--capabilities JSON|@file] [--not-before MS] [--not-after MS] [--out FILE]`,
  description:
    `Sign a plugin. The signature covers canonical JSON of a manifest that binds the SHA-256
of the entry file's exact bytes, the plugin id, kind, version, core range, capabilities,
validity window and signer key id.`,
  positionals: true,
  flags: {
    key: {
      type: "string",
      value: "FILE",
      help: "PKCS#8 PEM private key file (from plugin-keygen); never key text.",
    },
    "signer-key-id": {
      type: "string",
      value: "ID",
      help: "Key id gateways know the matching public key by.",
    },
    "plugin-id": {
      type: "string",
      value: "ID",
      help: "Plugin id (lowercase letters, digits, ._-).",
    },
    kind: { type: "string", value: "KIND", help: "authProvider." },
    "plugin-version": { type: "string", value: "V", help: "Plugin version, e.g. 1.0.0." },
    "core-range": {
      type: "string",
      value: "RANGE",
      help: `haechi versions it supports, e.g. ">=1.0.0 <2.0.0"
        (^ ~ >= < = x-ranges ||).`,
    },
    capabilities: {
      type: "string",
      value: "VALUE",
      help: `JSON (or @file): an array of names, or haechi 1.4's object
        {"readsCredentials": true}; names are readsCredentials,
        readsHeaders, readsPath; an authProvider must declare
        readsCredentials (default: ["readsCredentials"]).`,
    },
    "not-before": {
      type: "string",
      value: "MS",
      help: "Valid from (milliseconds since the epoch).",
    },
    "not-after": {
      type: "string",
      value: "MS",
      help: "Valid until (milliseconds since the epoch).",
    },
    out: {
      type: "string",
      value: "FILE",
      help: "Signed manifest path (default: <plugin-id>.signed.json).",
    },
  },
  footer: "Exit status: 0 signed, 1 unreadable input or bad key, 2 usage error.",
  async run(parsed, io) {
    const [entryPath] = positionals(parsed, 1, "one entry file");
    const options = {
      signerKeyId: required(parsed, "signer-key-id"),
      id: required(parsed, "plugin-id"),
      kind: required(parsed, "kind"),
      version: required(parsed, "plugin-version"),
      coreRange: required(parsed, "core-range"),
      capabilities: await capabilitiesFrom(parsed.values.capabilities),
      notBefore: optionalMs(parsed, "not-before"),
      notAfter: optionalMs(parsed, "not-after"),
    };
    const { key, warning } = await loadPrivateKey(required(parsed, "key"));
    if (warning !== undefined) await io.stderr.write(`warning: ${warning}\n`);
    let entry: Uint8Array;
    try {
      entry = await readFile(entryPath);
    } catch {
      throw new HaechiError("input.read_failed", `Cannot read entry file ${entryPath}`);
    }
    const { manifest, text } = await signPlugin(entry, options, key);
    const out = parsed.values.out ?? `${manifest.id}.signed.json`;
    await writeTextFile(out, text, { mode: 0o644 });
    await io.stdout.write(
      `Signed ${manifest.id} ${manifest.version} (${manifest.kind}) as ${manifest.signerKeyId}\n` +
        `  entry sha256: ${manifest.entrySha256}\n  manifest:     ${out}\n`,
    );
    return EXIT.ok;
  },
});
