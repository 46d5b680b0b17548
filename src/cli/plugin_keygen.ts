/**
 * `haechi plugin-keygen`: create an Ed25519 signing key pair for plugins and policy
 * bundles. The private key goes to a mode-0600 file; only paths and the public key are
 * printed.
 *
 * @module
 */
import { join } from "node:path";
import { HaechiError } from "../errors.ts";
import { generateSigningKeyPair, KEY_ID_RE } from "../signing/mod.ts";
import { isAlreadyExists, writeTextFile } from "../runtime/mod.ts";
import { type Command, defineCommand } from "./command.ts";
import { EXIT } from "./exit_codes.ts";

/** Key id when --key-id is not given (haechi 1.4's default). */
export const DEFAULT_SIGNER_KEY_ID = "haechi-plugin-signer";

/** The `plugin-keygen` command. */
export const pluginKeygenCommand: Command = defineCommand({
  name: "plugin-keygen",
  summary: "Create an Ed25519 key pair for signing plugins and policy bundles",
  usage: "haechi plugin-keygen [--key-id ID] [--out-dir DIR] [--json]",
  description: `Create an Ed25519 key pair for signing plugins and policy bundles.

Writes DIR/ID.key (PKCS#8 PEM private key, mode 0600, never printed) and
DIR/ID.pub (SPKI PEM public key: the trust anchor gateways configure).
Existing files are never overwritten.`,
  flags: {
    "key-id": {
      type: "string",
      value: "ID",
      default: DEFAULT_SIGNER_KEY_ID,
      help: "Key id signers and anchors use.",
    },
    "out-dir": { type: "string", value: "DIR", default: ".", help: "Folder for the two files." },
    json: {
      type: "boolean",
      help: "Print {keyId, privateKeyPath, publicKeyPath, publicKey} as JSON.",
    },
  },
  footer: "Exit status: 0 written, 1 a file exists or cannot be written, 2 usage error.",
  async run({ values }, io) {
    const pair = await generateSigningKeyPair();
    const keyId = values["key-id"];
    if (!KEY_ID_RE.test(keyId)) {
      throw new HaechiError("usage.invalid", "--key-id must be 1-64 letters, digits or ._:-");
    }
    const dir = values["out-dir"];
    // haechi 1.4's file names, so its runbook's paths work unchanged.
    const privateKeyPath = join(dir, `${keyId}.key`);
    const publicKeyPath = join(dir, `${keyId}.pub`);
    try {
      await writeTextFile(privateKeyPath, pair.privatePem, { mode: 0o600, createNew: true });
      await writeTextFile(publicKeyPath, pair.publicPem, { mode: 0o644, createNew: true });
    } catch (e) {
      if (isAlreadyExists(e)) {
        throw new HaechiError(
          "input.read_failed",
          `Key files for ${JSON.stringify(keyId)} already exist in ${dir}; choose another --key-id`,
        );
      }
      throw new HaechiError("input.read_failed", `Cannot write key files in ${dir}`);
    }
    if (values.json) {
      await io.stdout.write(
        JSON.stringify({ keyId, privateKeyPath, publicKeyPath, publicKey: pair.publicPem }) + "\n",
      );
    } else {
      await io.stdout.write(
        `Key id:      ${keyId}\nPrivate key: ${privateKeyPath} (mode 0600; keep it secret)\n` +
          `Public key:  ${publicKeyPath}\n\n${pair.publicPem}`,
      );
    }
    return EXIT.ok;
  },
});
