/**
 * `haechi policy-verify`: check a signed policy bundle with only a public key.
 *
 * @module
 */
import { loadConfig } from "../config/mod.ts";
import { HaechiError } from "../errors.ts";
import { verifyPolicyBundle } from "../policy/mod.ts";
import type { TrustAnchor } from "../signing/mod.ts";
import { loadAnchor, positionals } from "./_signing.ts";
import { fileInfo, readTextFile } from "../runtime/mod.ts";
import { LOCAL_POLICY_SIGNER_ID, localPolicySignerPaths } from "./_policy_signer.ts";
import { type Command, defineCommand } from "./command.ts";
import { EXIT } from "./exit_codes.ts";

/** The `policy-verify` command. */
export const policyVerifyCommand: Command = defineCommand({
  name: "policy-verify",
  summary: "Check a signed policy bundle against trust anchors",
  usage: `haechi policy-verify <bundle.json> [--anchor PEM [--anchor-key-id ID] | --config PATH]
         [--json]`,
  description: `Verify a signed policy bundle: envelope, Ed25519 signature by a trusted key, and its
validity window. Without --anchor, trust comes from policy.trustAnchors of the config
(--config, $HAECHI_CONFIG, or the nearest haechi.config.json upwards) and the local policy signer that
"haechi policy-sign" uses without --key.`,
  positionals: true,
  flags: {
    anchor: { type: "string", value: "PEM", help: "Trusted SPKI public key file." },
    "anchor-key-id": {
      type: "string",
      value: "ID",
      help: "Key id of --anchor (default: the id derived from the key).",
    },
    config: {
      type: "string",
      value: "PATH",
      help: "Read policy.trustAnchors from this config file.",
    },
    json: { type: "boolean", help: "Print {ok, reason?, message?, bundle?} as JSON." },
  },
  footer: `Refusal reasons: bundle-invalid, alg-not-ed25519, unknown-signer, invalid-signature,
expired-window.

Exit status: 0 trusted, 3 refused, 1 unreadable file, 2 usage error.`,
  async run(parsed, io) {
    const [path] = positionals(parsed, 1, "one bundle file");
    const v = parsed.values;
    const anchorPath = v.anchor;
    const configPath = v.config;
    if (anchorPath !== undefined && configPath !== undefined) {
      throw new HaechiError("usage.invalid", "Give at most one of --anchor or --config");
    }
    let anchors: readonly TrustAnchor[];
    if (anchorPath !== undefined) {
      anchors = [await loadAnchor(anchorPath, v["anchor-key-id"])];
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
  },
});
