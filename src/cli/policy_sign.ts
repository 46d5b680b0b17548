/**
 * `haechi policy-sign`: sign a policy bundle with the same Ed25519 keys as plugins.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { signPolicyBundle } from "../policy/bundle.ts";
import {
  loadPrivateKey,
  optionalMs,
  positionals,
  required,
  runSigningCommand,
} from "../plugin/_cli_support.ts";
import { readTextFile, writeTextFile } from "../runtime/mod.ts";
import type { CliIO, Command } from "./command.ts";
import { EXIT } from "./exit_codes.ts";

const HELP = `Usage: haechi policy-sign <policy.json> --key FILE --signer-key-id ID
         --bundle-id ID --bundle-version V [--not-before MS] [--not-after MS] [--out FILE]

Sign a policy bundle. <policy.json> holds
  {"actions": {"<finding type>": "<action>", ...}, "defaultAction"?: "<action>",
   "mode"?: "enforce"}
Gateways that trust the key merge it strengthen-only: a bundle can make actions stronger,
never weaker, and can force enforce mode but never dry-run.

Options:
  --key FILE            PKCS#8 PEM private key file (from plugin-keygen); never key text
  --signer-key-id ID    Key id gateways know the public key by (policy.trustAnchors)
  --bundle-id ID        Bundle id (lowercase letters, digits, ._-)
  --bundle-version V    Bundle version, e.g. 1.0.0
  --not-before MS       Valid from (milliseconds since the epoch)
  --not-after MS        Valid until (milliseconds since the epoch)
  --out FILE            Signed bundle path (default: <policy.json>.bundle.json)
  -h, --help            Show this help

Exit status: 0 signed, 1 unreadable input or bad key, 2 usage error.
`;

/** The `policy-sign` command. */
export const policySignCommand: Command = {
  name: "policy-sign",
  summary: "Sign a policy bundle with an Ed25519 key",
  help: HELP,
  run(args: string[], io: CliIO): Promise<number> {
    return runSigningCommand("policy-sign", HELP, args, io, {
      key: { type: "string" },
      "signer-key-id": { type: "string" },
      "bundle-id": { type: "string" },
      "bundle-version": { type: "string" },
      "not-before": { type: "string" },
      "not-after": { type: "string" },
      out: { type: "string" },
    }, async (parsed) => {
      const [policyPath] = positionals(parsed, 1, "one policy file");
      const options = {
        signerKeyId: required(parsed, "signer-key-id"),
        bundleId: required(parsed, "bundle-id"),
        version: required(parsed, "bundle-version"),
        notBefore: optionalMs(parsed, "not-before"),
        notAfter: optionalMs(parsed, "not-after"),
      };
      let policy: unknown;
      try {
        policy = JSON.parse(await readTextFile(policyPath));
      } catch {
        throw new HaechiError("input.invalid_json", `Cannot read ${policyPath} as JSON`);
      }
      const { key, warning } = await loadPrivateKey(required(parsed, "key"));
      if (warning !== undefined) await io.stderr.write(`warning: ${warning}\n`);
      const text = await signPolicyBundle(policy, options, key);
      const out = (parsed.values.out as string | undefined) ?? `${policyPath}.bundle.json`;
      await writeTextFile(out, text, { mode: 0o644 });
      await io.stdout.write(
        `Signed policy bundle ${options.bundleId} ${options.version} as ${options.signerKeyId}\n` +
          `  bundle: ${out}\n`,
      );
      return EXIT.ok;
    });
  },
};
