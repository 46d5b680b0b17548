/**
 * `haechi policy-verify`: check a signed policy bundle with only a public key.
 *
 * @module
 */
import { loadConfig } from "../config/mod.ts";
import { HaechiError } from "../errors.ts";
import { verifyPolicyBundle } from "../policy/bundle.ts";
import type { TrustAnchor } from "../signing/trust.ts";
import { loadAnchor, positionals, runSigningCommand } from "../plugin/_cli_support.ts";
import { fileInfo, readTextFile } from "../runtime/mod.ts";
import { LOCAL_POLICY_SIGNER_ID, localPolicySignerPaths } from "./_policy_signer.ts";
import type { CliIO, Command } from "./command.ts";
import { EXIT } from "./exit_codes.ts";

const HELP =
  `Usage: haechi policy-verify <bundle.json> [--anchor PEM [--anchor-key-id ID] | --config PATH]
         [--json]

Verify a signed policy bundle: envelope, Ed25519 signature by a trusted key, and its
validity window. Without --anchor, trust comes from policy.trustAnchors of the config
(--config, $HAECHI_CONFIG, or the nearest haechi.config.json upwards) and the local policy signer that
"haechi policy-sign" uses without --key.

Options:
  --anchor PEM          Trusted SPKI public key file
  --anchor-key-id ID    Key id of --anchor (default: the id derived from the key)
  --config PATH         Read policy.trustAnchors from this config file
  --json                Print {ok, reason?, message?, bundle?} as JSON
  -h, --help            Show this help

Refusal reasons: bundle-invalid, alg-not-ed25519, unknown-signer, invalid-signature,
expired-window.

Exit status: 0 trusted, 3 refused, 1 unreadable file, 2 usage error.
`;

/** The `policy-verify` command. */
export const policyVerifyCommand: Command = {
  name: "policy-verify",
  summary: "Check a signed policy bundle against trust anchors",
  help: HELP,
  run(args: string[], io: CliIO): Promise<number> {
    return runSigningCommand("policy-verify", HELP, args, io, {
      anchor: { type: "string" },
      "anchor-key-id": { type: "string" },
      config: { type: "string" },
      json: { type: "boolean" },
    }, async (parsed) => {
      const [path] = positionals(parsed, 1, "one bundle file");
      const v = parsed.values;
      const anchorPath = v.anchor as string | undefined;
      const configPath = v.config as string | undefined;
      if (anchorPath !== undefined && configPath !== undefined) {
        throw new HaechiError("usage.invalid", "Give at most one of --anchor or --config");
      }
      let anchors: readonly TrustAnchor[];
      if (anchorPath !== undefined) {
        anchors = [await loadAnchor(anchorPath, v["anchor-key-id"] as string | undefined)];
      } else {
        // haechi 1.4's form, `policy-verify policy.bundle.json`: the config's anchors, plus
        // the local policy signer that `policy-sign` without --key uses.
        const config = await loadConfig({ path: configPath, env: io.env });
        const local = localPolicySignerPaths(config).pub;
        anchors = await fileInfo(local) === null
          ? config.policy.trustAnchors
          : [...config.policy.trustAnchors, await loadAnchor(local, LOCAL_POLICY_SIGNER_ID)];
      }
      let text: string;
      try {
        text = await readTextFile(path);
      } catch {
        throw new HaechiError("input.read_failed", `Cannot read bundle ${path}`);
      }
      const verdict = await verifyPolicyBundle(text, { anchors, now: Date.now() });
      if (v.json === true) {
        await io.stdout.write(
          JSON.stringify(
            verdict.ok
              ? {
                ok: true,
                bundle: {
                  id: verdict.bundle.bundleId,
                  version: verdict.bundle.version,
                  signerKeyId: verdict.bundle.signerKeyId,
                },
              }
              : { ok: false, reason: verdict.reason, message: verdict.message },
          ) + "\n",
        );
      } else if (verdict.ok) {
        const b = verdict.bundle;
        await io.stdout.write(
          `Trusted: policy bundle ${b.bundleId} ${b.version} signed by ${b.signerKeyId}\n` +
            `  actions: ${Object.keys(b.policy.actions).length} types\n`,
        );
      } else {
        await io.stderr.write(`Refused: ${verdict.reason}: ${verdict.message}\n`);
      }
      return verdict.ok ? EXIT.ok : EXIT.blocked;
    });
  },
};
