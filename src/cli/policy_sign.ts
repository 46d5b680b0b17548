/**
 * `haechi policy-sign`: sign a policy bundle with the same Ed25519 keys as plugins.
 *
 * @module
 */
import { HaechiError } from "../errors.ts";
import { signPolicyBundle } from "../policy/mod.ts";
import { loadPrivateKey, optionalMs, positionals } from "./_signing.ts";
import { readTextFile, writeTextFile } from "../runtime/mod.ts";
import { basename } from "node:path";
import {
  type Action,
  expandActionMap,
  loadConfig,
  SPEC_PRESETS,
  specPresetActions,
} from "../config/mod.ts";
import { ensureLocalPolicySigner, LOCAL_POLICY_SIGNER_ID } from "./_policy_signer.ts";
import { type Command, defineCommand } from "./command.ts";
import { EXIT } from "./exit_codes.ts";

/** The `policy-sign` command. */
export const policySignCommand: Command = defineCommand({
  name: "policy-sign",
  summary: "Sign a policy bundle with an Ed25519 key",
  usage: `haechi policy-sign <policy.json> [--key FILE [--signer-key-id ID]]
         [--bundle-id ID] [--bundle-version V] [--not-before MS] [--not-after MS]
         [--out FILE] [--config PATH]`,
  description: `Sign a policy bundle. <policy.json> holds
  {"actions": {"<finding type>": "<action>", ...}, "defaultAction"?: "<action>",
   "mode"?: "enforce"}
Gateways that trust the key merge it strengthen-only: a bundle can make actions stronger,
never weaker, and can force enforce mode but never dry-run.

haechi 1.4 policy files work too: "presets" become per-type actions, 1.4 type names
(card, api_key, secret, ...) expand, and a dry-run or report-only mode is dropped.`,
  positionals: true,
  flags: {
    key: {
      type: "string",
      value: "FILE",
      help: `PKCS#8 PEM private key file (from plugin-keygen); never key text.
        Without it, the local policy signer beside keys.path is used
        (policy-signer.key, created on first use; key id
        haechi-policy-signer), as haechi 1.4 used its local key file.`,
    },
    "signer-key-id": {
      type: "string",
      value: "ID",
      help: `Key id gateways know the public key by (policy.trustAnchors;
        default: the key file's name without .key).`,
    },
    "bundle-id": {
      type: "string",
      value: "ID",
      help: "Bundle id (default: the policy file's name).",
    },
    "bundle-version": { type: "string", value: "V", default: "1.0.0", help: "Bundle version." },
    config: {
      type: "string",
      value: "PATH",
      help: "Config whose keys.path locates the local policy signer.",
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
      default: "policy.bundle.json",
      help: "Signed bundle path.",
    },
  },
  footer: "Exit status: 0 signed, 1 unreadable input or bad key, 2 usage error.",
  async run(parsed, io) {
    const [policyPath] = positionals(parsed, 1, "one policy file");
    const v = parsed.values;
    let keyPath = v.key;
    let signerKeyId = v["signer-key-id"];
    if (keyPath === undefined) {
      // haechi 1.4's form, `policy-sign policy.json`: sign with the local policy signer.
      const config = await loadConfig({ path: v.config, env: io.env });
      keyPath = await ensureLocalPolicySigner(config);
      signerKeyId ??= LOCAL_POLICY_SIGNER_ID;
    }
    const options = {
      signerKeyId: signerKeyId ?? keyIdFromPath(keyPath),
      bundleId: v["bundle-id"] ?? bundleIdFromPath(policyPath),
      version: v["bundle-version"],
      notBefore: optionalMs(parsed, "not-before"),
      notAfter: optionalMs(parsed, "not-after"),
    };
    let policy: unknown;
    try {
      policy = policyFromSpec(JSON.parse(await readTextFile(policyPath)));
    } catch {
      throw new HaechiError("input.invalid_json", `Cannot read ${policyPath} as JSON`);
    }
    const { key, warning } = await loadPrivateKey(keyPath);
    if (warning !== undefined) await io.stderr.write(`warning: ${warning}\n`);
    const text = await signPolicyBundle(policy, options, key);
    const out = v.out;
    await writeTextFile(out, text, { mode: 0o644 });
    await io.stdout.write(
      `Signed policy bundle ${options.bundleId} ${options.version} as ${options.signerKeyId}\n` +
        `  bundle: ${out}\n`,
    );
    return EXIT.ok;
  },
});

/** `keys/sec.key` → `sec`: the key file's name is the id plugin-keygen gave it. */
function keyIdFromPath(path: string): string {
  return basename(path).replace(/\.key(?:\.pem)?$|\.pem$/, "");
}

/** `policies/Corp Base.json` → `corp-base`. */
function bundleIdFromPath(path: string): string {
  const id = basename(path).replace(/\.json$/, "").toLowerCase().replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "");
  return id === "" ? "policy" : id.slice(0, 64);
}

/**
 * A haechi 1.4 policy file (`presets`, 1.4 type names, `mode`) as this project's bundle
 * policy: presets become per-type actions, 1.4 names expand, `enforce` stays, and a
 * detect-only mode is dropped because a bundle can only make a gateway stricter.
 */
function policyFromSpec(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const p = { ...(raw as Record<string, unknown>) };
  let actions = (p.actions ?? {}) as Record<string, Action>;
  if (Array.isArray(p.presets) && p.presets.every((n) => SPEC_PRESETS.includes(n))) {
    const merged = specPresetActions(p.presets as string[]);
    actions = { ...merged.actions, ...actions };
    p.defaultAction ??= merged.defaultAction;
    delete p.presets;
  }
  if (p.actions !== undefined || Object.keys(actions).length > 0) {
    p.actions = typeof actions === "object" && actions !== null && !Array.isArray(actions)
      ? expandActionMap(actions)
      : actions;
  }
  if (p.mode === "dry-run" || p.mode === "report-only") delete p.mode;
  return p;
}
